import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import type { Request } from 'express';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import type { Principal } from './principal';
import { ROLE_LABELS } from './roles';

/**
 * Authorization: Bearer <API key or the bureau's OpenID Connect token>, in three steps that stay apart:
 * 1. the credential, read from the header (none → 401);
 * 2. the user it belongs to, by AuthService (unknown, revoked or expired key, a token that does not verify, a
 *    disabled user → 401), set as request.principal;
 * 3. the route's roles (@Roles) against the user's role (→ 403).
 * Public routes (@Public) skip all three.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const credential = bearerCredential(request);
    const principal = await this.auth.authenticate(credential);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ApiError(
        ApiErrorCode.FORBIDDEN,
        localized(
          `此操作仅限${roles.map((r) => ROLE_LABELS[r]).join('或')}；您的角色是${ROLE_LABELS[principal.role]}`,
          `this route is for ${roles.join(' or ')} keys; yours is ${principal.role}`,
        ),
      );
    }
    return true;
  }
}

/** The credential of `Authorization: Bearer <credential>`; 401 without one. */
export function bearerCredential(request: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) {
    throw new ApiError(
      ApiErrorCode.UNAUTHORIZED,
      localized(
        '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
        'send an API key: Authorization: Bearer <key>',
      ),
    );
  }
  return match[1];
}
