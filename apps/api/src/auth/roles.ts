import type { Role } from '@jiping/persistence';

export const ROLES: readonly Role[] = ['admin', 'evaluator', 'department'];

/** How users know the roles (统一术语). */
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  evaluator: '评价人员',
  department: '部门填报员',
};
