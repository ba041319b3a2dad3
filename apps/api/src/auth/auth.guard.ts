import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, type Role } from '@jiping/persistence';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { hashApiKey } from './api-key-hash';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Principal } from './principal';

/** Authorization: Bearer <key>. No key or an unknown key → 401; a role not allowed on the route → 403. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new ApiError(ApiErrorCode.UNAUTHORIZED, 'send an API key: Authorization: Bearer <key>');
    const key = await this.keys.findOneBy({ keyHash: hashApiKey(match[1]) });
    if (!key) throw new ApiError(ApiErrorCode.UNAUTHORIZED, 'unknown or revoked API key');
    request.principal = { keyId: key.id, name: key.name, role: key.role, departmentCode: key.departmentCode };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(key.role)) {
      throw new ApiError(ApiErrorCode.FORBIDDEN, `this route is for ${roles.join(' or ')} keys; yours is ${key.role}`);
    }
    return true;
  }
}
