/** GET /departments item (DepartmentDto). */
export interface Department {
  code: string;
  name: string;
  region: string;
  parentCode: string | null;
  status: 'active' | 'retired';
  statusLabel: string;
  createdAt: string;
  updatedAt: string | null;
  retiredAt: string | null;
  retiredReason: string | null;
}

/** POST /departments/import answer (DepartmentImportResultDto). */
export interface DepartmentImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rows: { row: number; code: string; action: 'created' | 'updated' | 'unchanged'; changed?: string[] }[];
}
