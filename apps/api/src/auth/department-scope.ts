import { localized } from '@jiping/rules';
import { ApiError } from '../common/api-error';
import type { Principal } from './principal';

/**
 * A department key sees only its own department: anything else is "not found" (never revealing that it exists).
 */
export function assertDepartmentVisible(principal: Principal, departmentCode: string): void {
  if (principal.role === 'department' && principal.departmentCode !== departmentCode) {
    throw ApiError.notFound(localized(`部门“${departmentCode}”`, `department "${departmentCode}"`));
  }
}
