/** The impact job answers the console reads (GET /jobs/{id}, GET /jobs/{id}/result/departments); decimals are strings. */
export interface ImpactDepartmentRow {
  department: { code: string; name: string };
  before: { total: string; grade: string };
  after: { total: string; grade: string };
  delta: string;
  assumed?: string[];
}

export interface ImpactRowPage {
  items: ImpactDepartmentRow[];
  total: number;
  offset: number;
  limit: number;
  next: number | null;
}

export interface ImpactIndicator {
  code: string;
  name: string;
  meanDelta: string;
  totalDelta: string;
  moved: number;
  raised: number;
  lowered: number;
}

export interface ImpactAssumption {
  key: string;
  label: string;
  shown: string;
  reason?: string;
  indicators: Array<{ code: string; name: string }>;
  departments: number;
}

export interface ImpactSummary {
  year: number;
  ruleSet: { ref: string; status: string };
  against: { ref: string; status: string };
  simulation?: { description: string };
  departments: number;
  failed: number;
  changed: number;
  raised: number;
  lowered: number;
  delta: { mean: string; median: string } | null;
  grades: { before: string[]; after: string[] };
  transitions: Record<string, Record<string, number>>;
  gradeChanges: { changed: number; up: number; down: number };
  indicators: ImpactIndicator[];
  assumptions?: ImpactAssumption[];
  departmentsWithAssumptions?: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImpactJob {
  id: string;
  status: JobStatus;
  statusLabel: string;
  progress: { done: number; total: number | null; prepared?: number | null; percent: number | null };
  params: { ref: string; against: string; year: number };
  result: { summary: ImpactSummary; errors: unknown[]; errorCount: number } | null;
  error: { code: string; message: string } | null;
  cancelRequested: boolean;
  finishedAt: string | null;
}

export const FINISHED: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
