import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import type { RuleSetSummary } from '../../api/types';
import type { Change, RuleSetDetail, SubmissionDetail, WhatIfResult } from './types';

export const whatIfKeys = {
  all: ['what-if'] as const,
  run: (year: number, code: string, ruleSet: string | undefined, changes: Change[]) =>
    [...whatIfKeys.all, year, code, ruleSet ?? 'published', changes] as const,
};

export const ruleSetOptions = (ref: string) =>
  queryOptions({
    queryKey: ['rule-sets', 'detail', ref] as const,
    queryFn: ({ signal }) => apiJson<RuleSetDetail>(`/rule-sets/${encodeURIComponent(ref)}`, { signal }),
    staleTime: 10 * 60_000,
  });

export const ruleSetListOptions = () =>
  queryOptions({
    queryKey: ['rule-sets', 'list'] as const,
    queryFn: ({ signal }) => apiJson<RuleSetSummary[]>('/rule-sets', { signal }),
    staleTime: 60_000,
  });

export const submissionOptions = (year: number, code: string, revision: number) =>
  queryOptions({
    queryKey: ['submissions', year, code, revision] as const,
    queryFn: ({ signal }) =>
      apiJson<SubmissionDetail>(`/departments/${encodeURIComponent(code)}/years/${year}/submissions/${revision}`, {
        signal,
      }),
    staleTime: 60_000,
  });

/** POST /what-if: nothing is stored; the previous answer stays while the next one is computed. */
export const whatIfOptions = (year: number, code: string, ruleSet: string | undefined, changes: Change[]) =>
  queryOptions({
    queryKey: whatIfKeys.run(year, code, ruleSet, changes),
    queryFn: ({ signal }) =>
      apiJson<WhatIfResult>('/what-if', {
        method: 'POST',
        body: { department: code, year, changes, ...(ruleSet ? { ruleSet } : {}) },
        signal,
      }),
    placeholderData: keepPreviousData,
    throwOnError: false,
    retry: false,
  });
