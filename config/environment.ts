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

  /** Seconds a rate-limit window lasts (every limit below counts within one window). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Requests per window from one client address (behind a proxy, see TRUST_PROXY). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_ADDRESS: number = 1200;

  /** Requests per window with one API key. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_KEY: number = 600;

  /** Expensive requests per window per key (or address): what-if with an inline rule file, impact, uploads. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_EXPENSIVE: number = 30;

  /** Failed sign-ins (unknown keys) per window from one address before it is refused (429) … */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_FAILED_SIGNINS: number = 20;

  /** … for this many seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_SIGNIN_BLOCK_SECONDS: number = 300;

  /**
   * Which proxies to believe for the client address (X-Forwarded-For): unset believes none; "loopback", a number of
   * hops, or addresses/subnets separated by commas (Express's "trust proxy").
   */
  @IsOptional()
  @IsString()
  @Matches(/^(loopback|linklocal|uniquelocal|[0-9]+|[0-9a-fA-F.:/, ]+)$/, {
    message: 'TRUST_PROXY 应为 loopback、跳数（如 1）或以逗号分隔的地址/网段',
  })
  TRUST_PROXY?: string;

  /** Longest an inline rule file (what-if) may take to check, compile and score, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  INLINE_RULES_TIMEOUT_MS: number = 10_000;
  /**
   * Single sign-on: the issuer of the bureau's OpenID Connect provider (its `iss`, e.g.
   * https://sso.czj.gz.gov.cn/realms/jiping). Unset: only API keys sign in. Set: a bearer JWT is verified against the
   * provider's JWKS (OIDC_JWKS_URI, or the jwks_uri of <issuer>/.well-known/openid-configuration).
   */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, {
    message: 'OIDC_ISSUER must be the provider’s issuer URL, e.g. https://sso.example.gov.cn/realms/jiping',
  })
  OIDC_ISSUER?: string;

  /** The audience (`aud`) the tokens must be issued for: jiping's client id at the provider. Required with OIDC_ISSUER. */
  @ValidateIf((env: EnvironmentVariables) => env.OIDC_ISSUER !== undefined)
  @IsString()
  @MinLength(1, { message: 'OIDC_AUDIENCE is required with OIDC_ISSUER: jiping’s client id at the provider' })
  OIDC_AUDIENCE?: string;

  /** The provider's JWKS URL; by default the jwks_uri of its discovery document. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_JWKS_URI must be an http(s) URL' })
  OIDC_JWKS_URI?: string;

  /** The claim that holds the role (a string or a list, e.g. groups); its values are mapped by OIDC_ROLE_VALUES. */
  @IsString()
  @MinLength(1)
  OIDC_ROLE_CLAIM: string = 'jiping_role';

  /**
   * The claim values of each role: `admin=<value>,evaluator=<value>,department=<value>` (several values of a role
   * separated by |). Default: the role names themselves. A token whose claim holds several roles gets the highest.
   */
  @Matches(/^(admin|evaluator|department)=[^,=]+(,(admin|evaluator|department)=[^,=]+)*$/, {
    message: 'OIDC_ROLE_VALUES must look like admin=jiping-admin,evaluator=jiping-evaluator,department=jiping-filler',
  })
  OIDC_ROLE_VALUES: string = 'admin=admin,evaluator=evaluator,department=department';

  /** The claim that holds a clerk's department code (role department). */
  @IsString()
  @MinLength(1)
  OIDC_DEPARTMENT_CLAIM: string = 'jiping_department';

  /** The claim that holds the person's name (falls back to preferred_username, then sub). */
  @IsString()
  @MinLength(1)
  OIDC_NAME_CLAIM: string = 'name';
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
