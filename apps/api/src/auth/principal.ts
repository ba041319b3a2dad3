import type { Role } from '@jiping/persistence';

/** How the caller signed in: one of its API keys, the bureau's single sign-on, or the service itself at start. */
export type SignInMethod = 'key' | 'oidc' | 'system';

/** Who is calling: a user, resolved by AuthGuard from an API key or an OpenID Connect token. */
export interface Principal {
  /** The user's id ("system" for the service itself). */
  userId: string;
  /** The user's name: the audit log's actor and every createdBy. */
  name: string;
  role: Role;
  /** Set for a department's clerk: the only department the caller may see. */
  departmentCode: string | null;
  via: SignInMethod;
  /** The API key's id; "oidc" for single sign-on, "bootstrap" for the service itself. */
  keyId: string;
  /** The API key's name (via key). */
  keyName?: string;
  /** When the key or the token stops being accepted; null for a key that does not expire. */
  expiresAt?: Date | null;
}
