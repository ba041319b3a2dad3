import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** The metrics every module may count into. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class ObservabilityModule {}
