import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { apiJson } from '../api/client';
import type { RuleSetSummary } from '../api/types';

export const yearKeys = { ruleSets: ['rule-sets', 'list'] as const };

/** The years that have a published 指标体系, newest first (from GET /rule-sets). */
export function useYears() {
  return useQuery({
    queryKey: yearKeys.ruleSets,
    queryFn: ({ signal }) => apiJson<RuleSetSummary[] | { items: RuleSetSummary[] }>('/rule-sets', { signal }),
    select: (data) => {
      const list = Array.isArray(data) ? data : data.items;
      const years = new Set<number>();
      for (const r of list) if (r.status !== 'draft') years.add(r.fiscalYear);
      return [...years].sort((a, b) => b - a);
    },
    staleTime: 5 * 60_000,
    throwOnError: false,
  });
}

/** The year in the URL, else the newest year with a published 指标体系, else last year. */
export function useCurrentYear(): number {
  const params = useParams();
  const { data } = useYears();
  const fromUrl = params.year ? Number.parseInt(params.year, 10) : NaN;
  if (Number.isInteger(fromUrl)) return fromUrl;
  return data?.[0] ?? new Date().getFullYear() - 1;
}
