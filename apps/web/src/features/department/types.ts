/** The department's year as GET /departments/{code}/years/{year} answers it (DepartmentYearDto). */
export interface DepartmentYear {
  departmentCode: string;
  departmentName: string;
  fiscalYear: number;
  status: string;
  statusLabel: string;
  targets: { latestRevision: number | null; approvedRevision: number | null; pendingRevision: number | null };
  latestRevision: number | null;
  submitted: { revision: number; targetRevision: number | null; at: string; by: string; late: boolean } | null;
  lastReturn: { reason: string; at: string; by: string } | null;
  score: {
    evaluationId: string;
    scoredEvaluationId: string;
    selfScore: string;
    reviewScore: string | null;
    total: string;
    grade: string;
    scoredAt: string;
  } | null;
  reviewed: { at: string; by: string } | null;
  finalised: { at: string; by: string } | null;
  deadlines: {
    targetsDue: string | null;
    submissionDue: string | null;
    blockLateSubmissions: boolean;
    targetsLate: boolean;
    submissionLate?: boolean;
    [key: string]: unknown;
  };
  missing: { item: string; message: string }[];
  actions: { action: string; allowed: boolean; reason?: string }[];
}
