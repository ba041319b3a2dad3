import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Metrics } from './metrics';

@ApiTags('health')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /** Prometheus metrics, for admin keys (or without a key on the private METRICS_PORT). */
  @Roles('admin')
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (admins)',
    description:
      'Requests by method, route and status with their latency, official scorings, failed sign-ins, refused ' +
      'requests (429/503) by reason, queue depth, and the process’s own (CPU, memory, event-loop lag). A scraper ' +
      'without a key uses METRICS_PORT, which serves the same text on a port of its own.',
  })
  @ApiOkResponse({ description: 'the Prometheus text format' })
  read(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
