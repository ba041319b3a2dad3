import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { localized } from '@jiping/rules';
import type { Request } from 'express';
import { PUBLIC_KEY } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { Metrics } from '../observability/metrics';
import { SignInFailures } from './sign-in-failures';

/**
 * Rate limits, before the key is even looked up (this guard runs before AuthGuard): per client address, per API key
 * (its hash: the key itself is never kept), and on expensive routes a stricter limit per key or address (the
 * throttlers are set in LimitsModule); an address that failed to sign in too often is refused outright. A refusal is
 * a 429 in the error shape with Retry-After. Public routes (health, metrics) are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly signIns: SignInFailures,
    private readonly metrics: Metrics,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const blocked = this.signIns.blockedFor(request.ip ?? '');
    if (blocked > 0) {
      this.metrics.refused.inc({ reason: 'failed-sign-ins' });
      throw tooMany(
        blocked,
        localized(
          `此地址登录失败次数过多，请 ${blocked} 秒后重试`,
          `too many failed sign-ins from this address; try again in ${blocked} s`,
        ),
      );
    }
    return false;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    this.metrics.refused.inc({ reason: 'rate-limit' });
    throw tooMany(
      seconds,
      localized(
        `请求过于频繁（${detail.limit} 次/${detail.ttl / 1000} 秒），请 ${seconds} 秒后重试`,
        `too many requests (${detail.limit} per ${detail.ttl / 1000} s); try again in ${seconds} s`,
      ),
    );
  }
}

function tooMany(seconds: number, message: ReturnType<typeof localized>): ApiError {
  return new ApiError(ApiErrorCode.TOO_MANY_REQUESTS, message, [], seconds);
}
