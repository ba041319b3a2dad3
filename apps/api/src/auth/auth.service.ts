import { Injectable } from '@nestjs/common';
import { localized } from '@jiping/rules';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { OidcAuthenticator } from './oidc.authenticator';
import type { Principal } from './principal';

/** A JWS in compact form: three base64url parts, the first a JSON header ("eyJ…"). API keys never look like this. */
const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

/**
 * Who a bearer credential belongs to: a JWT goes to the bureau's OpenID Connect provider (when single sign-on is
 * configured), anything else is looked up as an API key. Throws ApiError UNAUTHORIZED (401) with the reason.
 * Stateless apart from the key's last use: the one place that turns a credential into a user, for AuthGuard (and for
 * whatever else must know the caller before a route runs, e.g. a throttle keyed by user).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly keys: ApiKeyAuthenticator,
    private readonly oidc: OidcAuthenticator,
  ) {}

  async authenticate(credential: string): Promise<Principal> {
    if (JWT.test(credential)) {
      if (!this.oidc.enabled) {
        throw new ApiError(
          ApiErrorCode.UNAUTHORIZED,
          localized(
            '未启用单点登录：请使用 API 密钥（Authorization: Bearer <API 密钥>）',
            'single sign-on is not configured: send an API key',
          ),
        );
      }
      return this.oidc.authenticate(credential);
    }
    return this.keys.authenticate(credential);
  }
}
