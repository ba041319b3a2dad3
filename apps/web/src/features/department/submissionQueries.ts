import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { ScoreReport } from '../../api/types';
import type { Submission } from './formState';
import { departmentYearKeys } from './keys';
import { departmentYearPath } from './queries';
import type { DeclaredTargets, RuleFile, RuleSetVersion } from './ruleFile';

export interface SubmissionSummary {
  revision: number;
  createdAt: string;
  createdBy: string;
  targetRevision: number | null;
  ruleSet: string | { ref: string };
}

export interface TargetDeclaration {
  revision: number;
  approval: string;
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
  createdBy: string;
  targets: DeclaredTargets;
  ruleSet: string;
}

export interface TargetsOverview {
  current: TargetDeclaration | null;
  approved: TargetDeclaration | null;
  history: Omit<TargetDeclaration, 'targets'>[];
}

/** POST …/submissions/estimate: the data scored as a save and an evaluation would score it; nothing stored. */
export interface EstimateResult {
  ruleSet: { ref: string; checksum: string };
  targetRevision: number | null;
  report: ScoreReport;
}

/** The year's published 指标体系 with its rule file (department keys see published versions only). */
export const yearRuleSetOptions = (year: number) =>
  queryOptions({
    queryKey: [...departmentYearKeys.year(year), 'rule-set'] as const,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const list = await apiJson<RuleSetVersion[]>('/rule-sets', { query: { year }, signal });
      const published = list.filter((r) => r.fiscalYear === year && r.status === 'published');
      if (published.length === 0) return null;
      const chosen = published.sort((a, b) => b.versionNo - a.versionNo)[0];
      const detail = await apiJson<RuleSetVersion & { content: RuleFile }>(
        `/rule-sets/${encodeURIComponent(chosen.ref)}`,
        { signal },
      );
      const file = detail.content;
      return { version: chosen, file };
    },
  });

/** The newest kept year-end revision with its data, or null before any. */
export const latestSubmissionOptions = (year: number, code: string) =>
  queryOptions({
    queryKey: [...departmentYearKeys.department(year, code), 'submissions', 'latest'] as const,
    queryFn: async ({ signal }) => {
      const list = await apiJson<SubmissionSummary[]>(`${departmentYearPath(year, code)}/submissions`, { signal });
      if (list.length === 0) return null;
      const newest = list.reduce((a, b) => (b.revision > a.revision ? b : a));
      return apiJson<SubmissionSummary & { submission: Submission }>(
        `${departmentYearPath(year, code)}/submissions/${newest.revision}`,
        { signal },
      );
    },
  });

/** The declaration in force (批复, else the newest), with its history. */
export const targetsOptions = (year: number, code: string) =>
  queryOptions({
    queryKey: [...departmentYearKeys.department(year, code), 'targets'] as const,
    queryFn: ({ signal }) => apiJson<TargetsOverview>(`${departmentYearPath(year, code)}/targets`, { signal }),
  });

/**
 * 预估得分: the unsaved form scored by the server, checked exactly as saving it would check it (the published rule
 * set, the binding declared targets). Needs no saved revision, so a fresh year has its estimate too; nothing is stored.
 */
export const estimateOptions = (year: number, code: string, body: Submission, key: string) =>
  queryOptions({
    queryKey: [...departmentYearKeys.department(year, code), 'estimate', key] as const,
    retry: (n, e) => !(e instanceof ApiProblem && e.status >= 400 && e.status < 500) && n < 2,
    throwOnError: false,
    queryFn: ({ signal }) =>
      apiJson<EstimateResult>(`${departmentYearPath(year, code)}/submissions/estimate`, {
        method: 'POST',
        signal,
        body,
      }),
  });
