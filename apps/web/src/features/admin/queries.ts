import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { adminKeys } from './keys';
import type { Department } from './types';

export const departmentListOptions = (q: { region?: string; status?: string }) =>
  queryOptions({
    queryKey: adminKeys.departmentList(q),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiJson<Department[]>('/departments', { query: q, signal }),
  });
