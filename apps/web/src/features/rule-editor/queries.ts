import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { ruleSetKeys } from './keys';
import type { RuleSetSummary, RuleSetWithContent } from './types';

export const ruleSetListOptions = () =>
  queryOptions({
    queryKey: ruleSetKeys.list(),
    queryFn: ({ signal }) => apiJson<RuleSetSummary[]>('/rule-sets', { signal }),
  });

export const ruleSetOptions = (ref: string) =>
  queryOptions({
    queryKey: ruleSetKeys.one(ref),
    queryFn: ({ signal }) => apiJson<RuleSetWithContent>(`/rule-sets/${encodeURIComponent(ref)}`, { signal }),
  });

/** The published version of a rule set and year, as a reference that stays valid: id:year:published. */
export const publishedRef = (r: Pick<RuleSetSummary, 'ruleSetId' | 'fiscalYear'>) =>
  `${r.ruleSetId}:${r.fiscalYear}:published`;
