import type { Role } from '@jiping/persistence';

/** Who is calling: resolved from the API key by AuthGuard. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Set for department keys: the only department the caller may see. */
  departmentCode: string | null;
}
