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

/** GET /users item (UserDto). */
export interface User {
  id: string;
  name: string;
  contact: string | null;
  role: 'admin' | 'evaluator' | 'department';
  roleLabel: string;
  departmentCode: string | null;
  status: 'active' | 'disabled';
  statusLabel: string;
  lastSeenAt: string | null;
  activeKeys: number;
}

/** GET /api-keys item (ApiKeyDto). */
export interface ApiKey {
  id: string;
  name: string;
  userId: string;
  userName: string;
  keyPrefix: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: string;
  statusLabel: string;
}
