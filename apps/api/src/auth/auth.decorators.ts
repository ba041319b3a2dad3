import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@jiping/persistence';
import type { Principal } from './principal';

export const ROLES_KEY = 'jiping:roles';
export const PUBLIC_KEY = 'jiping:public';

/** The roles allowed on a route (any key may call a route without @Roles). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no key (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The caller resolved by AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
