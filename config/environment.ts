import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

/**
 * Every setting of jiping, read from the environment and validated at start (an invalid value stops the start
 * with every problem listed). Defaults give the embedded SQLite database with demo data.
 */
export class EnvironmentVariables {
  /** HTTP port. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  /** sqlite (embedded, default) or mysql (production, through mysql2). */
  @IsIn(['sqlite', 'mysql'])
  DB_TYPE: 'sqlite' | 'mysql' = 'sqlite';

  /** SQLite file (DB_TYPE=sqlite); ":memory:" for a throwaway database. */
  @IsString()
  @MinLength(1)
  DB_PATH: string = 'data/jiping.sqlite';

  /** mysql://user:password@host:port/database (DB_TYPE=mysql). */
  @ValidateIf((env: EnvironmentVariables) => env.DB_TYPE === 'mysql')
  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message: 'DB_URL must look like mysql://root@127.0.0.1:3306/jiping',
  })
  DB_URL?: string;

  /** Run pending migrations at start (default true; a MySQL deployment may run them with npm run migration:run). */
  @IsIn(['true', 'false'])
  DB_MIGRATIONS_RUN: 'true' | 'false' = 'true';

  /** When set on an empty database, this key is created as an admin key (for scripts and tests). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  JIPING_BOOTSTRAP_ADMIN_KEY?: string;

  /** Load the demo (广州 2021 rule set, department gz-kjj with its 2021 data and evaluation) into an empty database. */
  @IsIn(['true', 'false'])
  JIPING_DEMO: 'true' | 'false' = 'true';

  /** Largest request body accepted, in bytes (rule files may be up to 1 MiB). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 2 * 1024 * 1024;
}

/** Validates and normalises the environment; throws with every problem. Used by ConfigModule and the migration CLI. */
export function validateEnvironment(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `  ${e.property}: ${m}`));
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
