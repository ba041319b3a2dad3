import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Department, Evaluation, EvaluationSummary } from '../../api/types';
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

/** Every evaluation of the department's year (the first scoring and each 复核), newest first. */
export const evaluationListOptions = (year: number, code: string) =>
  queryOptions({
    queryKey: evaluationKeys.list(year, code),
    queryFn: ({ signal }) =>
      apiJson<EvaluationSummary[]>(`/departments/${encodeURIComponent(code)}/years/${year}/evaluations`, { signal }),
  });

/**
 * 自评分 and 复核分 of the latest evaluation, as the API stored them: the 自评分 is the total of the evaluation the
 * 复核 chain starts from (adjustedFrom links), the 复核分 the latest one's when it is a 复核. No arithmetic.
 */
export function selfAndReviewed(list: EvaluationSummary[]): { self: string | null; reviewed: string | null } {
  if (list.length === 0) return { self: null, reviewed: null };
  const byId = new Map(list.map((e) => [e.id, e]));
  const latest = list.reduce((a, b) => (b.sequence > a.sequence ? b : a));
  let root = latest;
  for (let guard = 0; root.adjustedFrom && byId.has(root.adjustedFrom) && guard < 1000; guard++)
    root = byId.get(root.adjustedFrom)!;
  return { self: root.total, reviewed: latest.adjustedFrom ? latest.total : null };
}
