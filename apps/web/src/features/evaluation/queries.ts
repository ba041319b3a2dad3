import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Department, Evaluation } from '../../api/types';
import { departmentKeys, evaluationKeys } from './keys';

/** The department's latest evaluation of the year, or null when it has none yet (404). */
export const latestEvaluationOptions = (year: number, code: string) =>
  queryOptions({
    queryKey: evaluationKeys.latest(year, code),
    queryFn: async ({ signal }) => {
      try {
        return await apiJson<Evaluation>(`/departments/${encodeURIComponent(code)}/years/${year}/evaluations/latest`, {
          signal,
        });
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404 && error.code !== 'DEPARTMENT_NOT_FOUND') return null;
        throw error;
      }
    },
  });

export const departmentOptions = (code: string) =>
  queryOptions({
    queryKey: departmentKeys.one(code),
    queryFn: ({ signal }) => apiJson<Department>(`/departments/${encodeURIComponent(code)}`, { signal }),
    staleTime: 5 * 60_000,
  });
