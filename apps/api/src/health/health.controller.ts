import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { localized } from '@jiping/rules';
import { ENGINE_VERSION } from '@jiping/scoring';
import { Public } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { JobsService } from '../jobs/jobs.service';

/** How long the readiness check waits for the database's answer. */
const PING_TIMEOUT_MS = 3000;
const RETRY_AFTER_SECONDS = 5;

interface Ready {
  status: 'ok';
  database: 'up';
  /** With REDIS_URL: the job queue's Redis answers. */
  queue?: 'up';
  engineVersion: string;
}

/**
 * Health for load balancers and orchestrators (@nestjs/terminus), without a key: /health/live says the process
 * answers, /health/ready (and /health) that it can serve — its database answers. A failed check is a 503 in the
 * error shape with Retry-After and never names a host, a port or a file.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly jobs: JobsService,
  ) {}

  /** Readiness (the older name of /health/ready). */
  @Public()
  @Get()
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up', engineVersion: '0.1.0' } } })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description: 'SERVICE_UNAVAILABLE: the database does not answer',
  })
  check(): Promise<Ready> {
    return this.ready();
  }

  /** Readiness: the database answers within 3 s (and Redis, with REDIS_URL); 503 with Retry-After otherwise. */
  @Public()
  @Get('ready')
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up', engineVersion: '0.1.0' } } })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description: 'SERVICE_UNAVAILABLE: the database does not answer',
  })
  async ready(): Promise<Ready> {
    try {
      await this.health.check([() => this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS })]);
    } catch {
      // terminus's own answer carries the driver's message (host and port): only the verdict leaves
      throw new ApiError(
        ApiErrorCode.SERVICE_UNAVAILABLE,
        localized('数据库无响应，服务暂时不能处理请求', 'the database does not answer; the service cannot serve now'),
        [{ pointer: '', message: localized('数据库：无响应', 'database: down') }],
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.jobs.queueKind !== 'bullmq') return { status: 'ok', database: 'up', engineVersion: ENGINE_VERSION };
    if (!(await this.jobs.ping())) {
      throw new ApiError(
        ApiErrorCode.SERVICE_UNAVAILABLE,
        localized('任务队列（Redis）无响应，服务暂时不能处理请求', 'the job queue (Redis) does not answer'),
        [{ pointer: '', message: localized('任务队列：无响应', 'queue: down') }],
        RETRY_AFTER_SECONDS,
      );
    }
    return { status: 'ok', database: 'up', queue: 'up', engineVersion: ENGINE_VERSION };
  }

  /** Liveness: the process answers HTTP; touches nothing else (a restart would not fix a database that is down). */
  @Public()
  @Get('live')
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
