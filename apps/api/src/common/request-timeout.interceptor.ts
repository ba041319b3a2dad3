import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { localized } from '@jiping/rules';
import { catchError, type Observable, throwError, timeout, TimeoutError } from 'rxjs';
import type { EnvironmentVariables } from '../../../../config/environment';
import { Metrics } from '../observability/metrics';
import { ApiError, ApiErrorCode } from './api-error';

const RETRY_AFTER_SECONDS = 5;

/**
 * A request whose handler runs past REQUEST_TIMEOUT_MS is answered 503 REQUEST_TIMEOUT with Retry-After in the
 * error shape: the caller is never left hanging (a frozen database is also cut off by the query timeouts). A write
 * still under way commits or rolls back whole in its transaction; the caller reads the result again to know which.
 * A stream (impact) counts until its first byte.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  private readonly ms: number;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly metrics: Metrics,
  ) {
    this.ms = config.get('REQUEST_TIMEOUT_MS', { infer: true });
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout(this.ms),
      catchError((error: unknown) => {
        if (!(error instanceof TimeoutError)) return throwError(() => error);
        this.metrics.refused.inc({ reason: 'timeout' });
        const seconds = this.ms / 1000;
        return throwError(
          () =>
            new ApiError(
              ApiErrorCode.REQUEST_TIMEOUT,
              localized(
                `请求处理超过 ${seconds} 秒，已停止等待：请稍后重试；若为提交或修改，请先查看结果是否已保存`,
                `the request took longer than ${seconds} s; try again later (for a change, check first whether it was saved)`,
              ),
              [],
              RETRY_AFTER_SECONDS,
            ),
        );
      }),
    );
  }
}
