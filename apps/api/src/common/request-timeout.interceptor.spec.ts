import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { delay, lastValueFrom, of, throwError } from 'rxjs';
import type { EnvironmentVariables } from '../../../../config/environment';
import { Metrics } from '../observability/metrics';
import { ApiError, ApiErrorCode } from './api-error';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

describe('RequestTimeoutInterceptor', () => {
  const config = { get: () => 50 } as unknown as ConfigService<EnvironmentVariables, true>;
  const metrics = new Metrics();
  const interceptor = new RequestTimeoutInterceptor(config, metrics);
  const context = {} as ExecutionContext;
  const handler = (ms: number): CallHandler => ({ handle: () => of('answer').pipe(delay(ms)) });

  it('lets an answer within REQUEST_TIMEOUT_MS through', async () => {
    await expect(lastValueFrom(interceptor.intercept(context, handler(5)))).resolves.toBe('answer');
  });

  it('answers 503 REQUEST_TIMEOUT with Retry-After past it, and counts it', async () => {
    const error = await lastValueFrom(interceptor.intercept(context, handler(500))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(ApiErrorCode.REQUEST_TIMEOUT);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).retryAfterSeconds).toBe(5);
    expect((error as ApiError).text).toEqual({
      zh: '请求处理超过 0.05 秒，已停止等待：请稍后重试；若为提交或修改，请先查看结果是否已保存',
      en: 'the request took longer than 0.05 s; try again later (for a change, check first whether it was saved)',
    });
    expect(await metrics.registry.metrics()).toContain('jiping_refused_requests_total{reason="timeout"} 1');
  });

  it('passes other errors on untouched', async () => {
    const failing: CallHandler = { handle: () => throwError(() => new Error('boom')) };
    await expect(lastValueFrom(interceptor.intercept(context, failing))).rejects.toThrow('boom');
  });
});
