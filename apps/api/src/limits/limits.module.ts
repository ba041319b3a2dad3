import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type ThrottlerModuleOptions, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { EnvironmentVariables } from '../../../../config/environment';
import { EXPENSIVE_KEY, type ExpensiveWhen } from './expensive';
import { SignInFailures } from './sign-in-failures';

/** The bearer token's hash (never the key itself), or undefined when the request sends none. */
const keyOf = (request: Request): string | undefined => {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? createHash('sha256').update(match[1]).digest('base64url') : undefined;
};
const addressOf = (request: Request): string => request.ip ?? request.socket.remoteAddress ?? 'unknown';
const trackKeyOrAddress = (request: Request): string => keyOf(request) ?? addressOf(request);

/** One bucket per tracker and throttler, whatever the route (the default counts per route). */
const generateKey = (_context: unknown, tracker: string, name: string): string => `${name}:${tracker}`;

/**
 * The rate limits (@nestjs/throttler, in-memory: each instance counts its own): per address, per key, and for
 * expensive requests (@Expensive), all in one window; and the failed sign-ins per address (SignInFailures).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): ThrottlerModuleOptions => {
        const ttl = config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
        return {
          setHeaders: false,
          throttlers: [
            {
              name: 'address',
              ttl,
              limit: config.get('RATE_LIMIT_PER_ADDRESS', { infer: true }),
              getTracker: (request: Record<string, unknown>) => addressOf(request as unknown as Request),
              generateKey,
            },
            {
              name: 'key',
              ttl,
              limit: config.get('RATE_LIMIT_PER_KEY', { infer: true }),
              skipIf: (context) => keyOf(context.switchToHttp().getRequest<Request>()) === undefined,
              getTracker: (request: Record<string, unknown>) => trackKeyOrAddress(request as unknown as Request),
              generateKey,
            },
            {
              name: 'expensive',
              ttl,
              limit: config.get('RATE_LIMIT_EXPENSIVE', { infer: true }),
              skipIf: (context) => {
                const when = Reflect.getMetadata(EXPENSIVE_KEY, context.getHandler()) as ExpensiveWhen | undefined;
                if (when === undefined) return true;
                return when !== true && !when(context.switchToHttp().getRequest<Request>());
              },
              getTracker: (request: Record<string, unknown>) => trackKeyOrAddress(request as unknown as Request),
              generateKey,
            },
          ],
        };
      },
    }),
  ],
  providers: [SignInFailures],
  exports: [SignInFailures],
})
export class LimitsModule {}
