import type { InputDefinition } from '../../api/types';

export type { InputDefinition };

export interface RuleSetDetail {
  ref: string;
  ruleSetId: string;
  fiscalYear: number;
  versionNo: number;
  title: string;
  status: string;
  content: { inputs?: InputDefinition[]; title?: string };
}

export interface SubmissionDetail {
  revision: number;
  ruleSet: string;
  submission: { inputs?: Record<string, unknown> };
}

export interface NodeComparison {
  code: string;
  name: string;
  level: number;
  kind: string;
  before: string | null;
  after: string | null;
  delta: string;
}

export interface WhatIfResult {
  ruleSet: { ref: string };
  comparison: {
    total: { before: string; after: string; delta: string };
    grade: { before: string; after: string; changed: boolean };
    changed: NodeComparison[];
    nodes: NodeComparison[];
  };
}

export interface Change {
  pointer: string;
  value: unknown;
}
