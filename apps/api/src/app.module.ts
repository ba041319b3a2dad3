import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { TerminusModule } from '@nestjs/terminus';
import { buildDataSourceOptions, openServiceDataSource, SqliteInUseError } from '@jiping/persistence';
import type { EnvironmentVariables } from '../../../config/environment';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { isConnectionError } from './common/database-errors';
import { RequestTimeoutInterceptor } from './common/request-timeout.interceptor';
import { DepartmentsModule } from './departments/departments.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { HealthController } from './health/health.controller';
import { HeadroomModule } from './headroom/headroom.module';
import { ImpactModule } from './impact/impact.module';
import { JobsModule } from './jobs/jobs.module';
import { LimitsModule } from './limits/limits.module';
import { RateLimitGuard } from './limits/rate-limit.guard';
import { loggingParams } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { ReportsModule } from './reports/reports.module';
import { RuleSetsModule } from './rule-sets/rule-sets.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { UsersModule } from './users/users.module';
import { WhatIfModule } from './what-if/what-if.module';
import { YearsModule } from './years/years.module';

/**
 * The service. Built from an already validated environment (main.ts validates process.env; tests pass their own),
 * so two apps with different databases can run in one process.
 */
@Module({})
export class AppModule {
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, load: [() => ({ ...env })] }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
            loggingParams({ LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }) }),
        }),
        ObservabilityModule,
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        LimitsModule,
        ...FEATURES,
      ],
      controllers: [HealthController],
      providers: [
        // limits first: a flood of unknown keys is refused before each key is looked up
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestTimeoutInterceptor },
      ],
    };
  }
}

const FEATURES = [
  TypeOrmModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
      ...buildDataSourceOptions({
        DB_TYPE: config.get('DB_TYPE'),
        DB_PATH: config.get('DB_PATH'),
        DB_URL: config.get('DB_URL'),
        DB_MIGRATIONS_RUN: config.get('DB_MIGRATIONS_RUN'),
        DB_CONNECT_TIMEOUT_MS: config.get('DB_CONNECT_TIMEOUT_MS'),
        DB_QUERY_TIMEOUT_MS: config.get('DB_QUERY_TIMEOUT_MS'),
      }),
      // a database still starting (a container started with it) is tried again a few times; a database that is
      // there but refuses (wrong password, missing database, a failed migration) or a SQLite file in use is not
      retryAttempts: 3,
      retryDelay: 2000,
      toRetry: (error: unknown) => !(error instanceof SqliteInUseError) && isConnectionError(error),
    }),
    // SQLite: one process per file (the lock beside it), one connection whose transactions do not overlap
    dataSourceFactory: async (options) => openServiceDataSource(options!),
  }),
  AuthModule,
  AuditModule,
  UsersModule,
  RuleSetsModule,
  DepartmentsModule,
  SubmissionsModule,
  EvaluationsModule,
  ReportsModule,
  HeadroomModule,
  ImpactModule,
  JobsModule,
  WhatIfModule,
  YearsModule,
  BootstrapModule,
];
