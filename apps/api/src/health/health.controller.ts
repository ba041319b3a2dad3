import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { ENGINE_VERSION } from '@jiping/scoring';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Readiness: pings the database. */
  @Public()
  @Get()
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'better-sqlite3', engineVersion: '0.1.0' } } })
  async check(): Promise<{ status: 'ok'; database: string; engineVersion: string }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch (error) {
      throw new ApiError(ApiErrorCode.INTERNAL, `database unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok', database: this.dataSource.options.type, engineVersion: ENGINE_VERSION };
  }

  /** Liveness: the process answers HTTP; touches nothing else (a restart would not fix a database that is down). */
  @Public()
  @Get('live')
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
