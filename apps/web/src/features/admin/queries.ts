import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { adminKeys } from './keys';
import type { ApiKey, Department, User } from './types';

export const departmentListOptions = (q: { region?: string; status?: string }) =>
  queryOptions({
    queryKey: adminKeys.departmentList(q),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiJson<Department[]>('/departments', { query: q, signal }),
  });

export const userListOptions = () =>
  queryOptions({
    queryKey: adminKeys.users,
    queryFn: ({ signal }) => apiJson<User[]>('/users', { signal }),
  });

export const apiKeyListOptions = () =>
  queryOptions({
    queryKey: adminKeys.apiKeys,
    queryFn: ({ signal }) => apiJson<ApiKey[]>('/api-keys', { signal }),
  });
