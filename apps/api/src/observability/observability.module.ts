import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/** The metrics every module may count into, read at GET /metrics (admins) or on METRICS_PORT. */
@Global()
@Module({ controllers: [MetricsController], providers: [Metrics, MetricsServer], exports: [Metrics] })
export class ObservabilityModule {}
