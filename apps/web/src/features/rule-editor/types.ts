/** The rule-editing answers the console reads (POST /rule-sets/validate, …/workbook-import, …/drafts). */
export interface RuleSetSummary {
  ref: string;
  ruleSetId: string;
  fiscalYear: number;
  versionNo: number;
  fileVersion: string;
  title: string;
  status: 'draft' | 'published' | 'superseded';
  checksum: string;
  createdAt: string;
}

export interface RuleSetWithContent extends RuleSetSummary {
  content: RuleFile;
}

/** A rule file (rules/schema.json): kept as JSON, edited in place; the editor adds no field of its own. */
export type RuleFile = Record<string, unknown> & {
  id: string;
  version: string;
  fiscalYear: number;
  title: string;
  indicators: RuleIndicator[];
};

export type RuleIndicator = Record<string, unknown> & {
  code: string;
  name: string;
  weight?: string;
  explanation?: string;
  method?: Record<string, unknown> & { type: string };
  children?: RuleIndicator[];
};

export interface RuleFileProblem {
  kind?: string;
  pointer: string;
  message: string;
  path?: string;
  cell?: string;
}

export interface RuleSetChange {
  kind: string;
  code?: string;
  pointer: string;
  path?: string;
  before?: string;
  after?: string;
  message: string;
}

export interface RuleFileDiff {
  fromRef: string;
  changes: RuleSetChange[];
  summary: Record<string, number>;
}

export interface TestUpdate {
  test: string;
  pointer: string;
  before: string;
  after: string;
  message: string;
}

export interface RuleFileCheck {
  valid: boolean;
  checksum?: string;
  problems: RuleFileProblem[];
  warnings: RuleFileProblem[];
  testUpdates: TestUpdate[];
  file?: RuleFile;
  diff?: RuleFileDiff;
}

export interface WorkbookPreview {
  baseRef: string;
  valid: boolean;
  draft?: RuleFile;
  diff?: RuleFileDiff;
  problems: RuleFileProblem[];
  notes: RuleFileProblem[];
  warnings: RuleFileProblem[];
  testUpdates: TestUpdate[];
}

export interface WorkbookImported {
  baseRef: string;
  ruleSet: RuleSetWithContent;
  diff: RuleFileDiff;
  notes: RuleFileProblem[];
  warnings: RuleFileProblem[];
  testUpdates: TestUpdate[];
}
