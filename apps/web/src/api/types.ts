/**
 * The shapes of the API answers the console reads (a subset of the OpenAPI document at /docs-json; decimals stay
 * strings: the console never does arithmetic on a score).
 */
export type Role = 'admin' | 'evaluator' | 'department';

export interface Session {
  role: Role;
  roleLabel: string;
  departmentCode: string | null;
  user: { id: string; name: string };
  via: 'key' | 'oidc';
  keyName?: string;
  expiresAt?: string | null;
}

export interface Department {
  code: string;
  name: string;
  region?: string | null;
  retiredAt?: string | null;
  status?: string;
}

export interface NodeReview {
  selfScore: string;
  reviewedScore: string;
  reason: string;
  changes: { pointer: string; before: unknown; after: unknown }[];
}

export interface NodeReport {
  code: string;
  name: string;
  level: number;
  kind: 'group' | 'leaf' | 'declared-section' | 'declared-goal' | 'target';
  weight: string;
  max: string;
  score: string;
  lost: string;
  status: string;
  explanation?: string;
  onTop?: true;
  children?: NodeReport[];
  method?: string;
  calc?: string;
  basis?: string;
  lostReason?: string;
  figures?: Record<string, string>;
  review?: NodeReview;
}

export interface ScoreReport {
  ruleSet: { id: string; version: string; title: string; checksum: string };
  department: { code: string; name: string };
  fiscalYear: number;
  sections: NodeReport[];
  total: string;
  maxTotal: string;
  grade: string;
  gradeCode: string;
  lostPoints: { code: string; name: string; lost: string; reason?: string; path?: string[] }[];
  /** 不适用: the indicators marked, with their reasons; under the `total` policy, how the total was scaled. */
  notApplicable?: { indicators: { code: string; name: string; reason: string }[]; total?: string };
}

export interface EvaluationSummary {
  id: string;
  sequence: number;
  departmentCode: string;
  fiscalYear: number;
  submissionRevision: number;
  ruleSet: { ref: string; ruleSetId: string; versionNo: number; checksum: string };
  total: string;
  grade: string;
  adjustedFrom: string | null;
  adjustments: { pointer: string; value: unknown; reason: string }[] | null;
  createdBy: string;
  createdAt: string;
}

export interface Evaluation extends EvaluationSummary {
  report: ScoreReport;
}

export interface RuleSetSummary {
  ref: string;
  ruleSetId: string;
  fiscalYear: number;
  versionNo: number;
  status: string;
  title: string;
  [key: string]: unknown;
}

/** GET /rule-sets/{ref} content.inputs: the data a department declares (labels from the rule set). */
export interface InputDefinition {
  id: string;
  label: string;
  type: 'money' | 'percent' | 'number' | 'integer' | 'boolean' | 'checklist' | 'text' | string;
  unit?: string;
  description?: string;
  points?: { id: string; label: string; points: string }[];
}
