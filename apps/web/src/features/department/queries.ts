import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { departmentYearKeys } from './keys';
import type { DepartmentYear } from './types';

const base = (year: number, code: string) => `/departments/${encodeURIComponent(code)}/years/${year}`;

/** The department's year: status, deadlines, what is missing, the last 退回, the official score. */
export const departmentYearOptions = (year: number, code: string) =>
  queryOptions({
    queryKey: departmentYearKeys.status(year, code),
    queryFn: ({ signal }) => apiJson<DepartmentYear>(base(year, code), { signal }),
  });

export const departmentYearPath = base;
