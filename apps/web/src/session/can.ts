import type { Role, Session } from '../api/types';

/** Mirrors the API's role checks for menus and buttons; the API still refuses what is hidden here (403). */
export function hasRole(session: Session | undefined, roles: readonly Role[]): boolean {
  return session !== undefined && roles.includes(session.role);
}

/** A department's clerk sees only their own department. */
export function canSeeDepartment(session: Session | undefined, code: string): boolean {
  if (!session) return false;
  return session.role !== 'department' || session.departmentCode === code;
}
