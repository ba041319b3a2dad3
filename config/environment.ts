import { plainToInstance, Type } from 'class-transformer';
import { normalize } from 'node:path';
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

/** The SQLite file of a plain `npm start`: the only database the demo loads into unless JIPING_DEMO=true. */
export const DEFAULT_DB_PATH = 'data/jiping.sqlite';

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

  /**
   * The address to listen on: 127.0.0.1 (this machine only) unless set; 0.0.0.0 listens on every interface (in a
   * container, or behind a proxy on another machine).
   */
  @Matches(/^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|[0-9a-fA-F:]+)$/)
  HOST: string = '127.0.0.1';

  /** sqlite (embedded, default) or mysql (production, through mysql2). */
  @IsIn(['sqlite', 'mysql'])
  DB_TYPE: 'sqlite' | 'mysql' = 'sqlite';

  /** SQLite file (DB_TYPE=sqlite); ":memory:" for a throwaway database. */
  @IsString()
  @MinLength(1)
  DB_PATH: string = DEFAULT_DB_PATH;

  /** mysql://user:password@host:port/database (DB_TYPE=mysql). */
  @ValidateIf((env: EnvironmentVariables) => env.DB_TYPE === 'mysql')
  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/)
  DB_URL?: string;

  /** Run pending migrations at start (default true; a MySQL deployment may run them with npm run migration:run). */
  @IsIn(['true', 'false'])
  DB_MIGRATIONS_RUN: 'true' | 'false' = 'true';

  /** When set on an empty database, this key is created as an admin key (for scripts and tests). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  JIPING_BOOTSTRAP_ADMIN_KEY?: string;

  /**
   * Load the demo (广州 2021 rule set, department gz-kjj with its 2021 data and evaluation, public demo keys) into an
   * empty database. Unset: only on the default local SQLite file (DB_PATH=data/jiping.sqlite), never on MySQL or
   * another file; validateEnvironment settles it to 'true' or 'false'.
   */
  @IsOptional()
  @IsIn(['true', 'false'])
  JIPING_DEMO!: 'true' | 'false';

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
  @Matches(/^(loopback|linklocal|uniquelocal|[0-9]+|[0-9a-fA-F.:/, ]+)$/)
  TRUST_PROXY?: string;

  /**
   * Origins (scheme://host[:port], separated by commas) whose web pages may call the API from a browser (CORS).
   * Unset: none — the console is served by the API itself from the same origin and needs no CORS.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*$/)
  CORS_ORIGINS?: string;

  /** Longest a request may take before it is answered 503 REQUEST_TIMEOUT (a stream: until its first byte). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  REQUEST_TIMEOUT_MS: number = 60_000;

  /** MySQL: longest to wait for a connection to the server, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS: number = 5_000;

  /**
   * Longest one database statement may take: on MySQL the client gives up on it (a frozen server cannot hang a
   * request); on SQLite it is the most a statement waits for a lock (busy timeout) — capped at 5 s there, since
   * better-sqlite3 waits synchronously.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_QUERY_TIMEOUT_MS: number = 30_000;

  /** A private port serving GET /metrics without a key (Prometheus inside the network); unset: only /metrics for admins. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Least important log lines written (JSON on stdout): fatal, error, warn, info (with the access log), debug, trace or silent. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Longest an inline rule file (what-if) may take to check, compile and score, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  INLINE_RULES_TIMEOUT_MS: number = 10_000;

  /**
   * Redis for the job queue (BullMQ), e.g. redis://redis:6379/0: every instance's workers take jobs from it, and a
   * job whose instance dies is taken over by another. Unset: jobs run in this process (one instance only).
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/)
  REDIS_URL?: string;

  /**
   * How long a running job's lock lasts without being renewed (BullMQ; renewed every half of it while the instance
   * lives): about how long a job whose instance died waits before another instance takes it over.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  JOB_LOCK_MS: number = 30_000;

  /** Jobs one instance runs at once (each impact job scores on the instance's worker threads). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  JOB_CONCURRENCY: number = 1;
  /**
   * Single sign-on: the issuer of the bureau's OpenID Connect provider (its `iss`, e.g.
   * https://sso.czj.gz.gov.cn/realms/jiping). Unset: only API keys sign in. Set: a bearer JWT is verified against the
   * provider's JWKS (OIDC_JWKS_URI, or the jwks_uri of <issuer>/.well-known/openid-configuration).
   */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/)
  OIDC_ISSUER?: string;

  /** The audience (`aud`) the tokens must be issued for: jiping's client id at the provider. Required with OIDC_ISSUER. */
  @ValidateIf((env: EnvironmentVariables) => env.OIDC_ISSUER !== undefined)
  @IsString()
  @MinLength(1)
  OIDC_AUDIENCE?: string;

  /** The provider's JWKS URL; by default the jwks_uri of its discovery document. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/)
  OIDC_JWKS_URI?: string;

  /** The claim that holds the role (a string or a list, e.g. groups); its values are mapped by OIDC_ROLE_VALUES. */
  @IsString()
  @MinLength(1)
  OIDC_ROLE_CLAIM: string = 'jiping_role';

  /**
   * The claim values of each role: `admin=<value>,evaluator=<value>,department=<value>` (several values of a role
   * separated by |). Default: the role names themselves. A token whose claim holds several roles gets the highest.
   */
  @Matches(/^(admin|evaluator|department)=[^,=]+(,(admin|evaluator|department)=[^,=]+)*$/)
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

/** What each setting must be, in the words of the start-up error (one line per problem). */
const EXPECTED: Record<keyof EnvironmentVariables, string> = {
  PORT: '1 到 65535 之间的整数端口号',
  HOST: '监听地址：IP 地址或主机名，如 127.0.0.1（仅本机）或 0.0.0.0（所有网卡）',
  DB_TYPE: 'sqlite（内置数据库）或 mysql',
  DB_PATH: 'SQLite 数据库文件的路径',
  DB_URL: 'mysql://用户:密码@主机:端口/数据库名，如 mysql://jiping:密码@127.0.0.1:3306/jiping（DB_TYPE=mysql 时必填）',
  DB_MIGRATIONS_RUN: 'true 或 false',
  JIPING_BOOTSTRAP_ADMIN_KEY: '非空的密钥',
  JIPING_DEMO: 'true 或 false（不设置时仅在默认的本地 SQLite 文件上加载演示数据）',
  BODY_LIMIT_BYTES: '1024 到 16777216 之间的字节数',
  RATE_LIMIT_WINDOW_SECONDS: '1 到 86400 之间的秒数',
  RATE_LIMIT_PER_ADDRESS: '不小于 1 的整数',
  RATE_LIMIT_PER_KEY: '不小于 1 的整数',
  RATE_LIMIT_EXPENSIVE: '不小于 1 的整数',
  RATE_LIMIT_FAILED_SIGNINS: '不小于 1 的整数',
  RATE_LIMIT_SIGNIN_BLOCK_SECONDS: '1 到 86400 之间的秒数',
  TRUST_PROXY: 'loopback、代理跳数（如 1）或以逗号分隔的地址/网段',
  INLINE_RULES_TIMEOUT_MS: '100 到 600000 之间的毫秒数',
  REDIS_URL: 'redis://主机:端口[/库号] 或 rediss://…（任务队列用的 Redis；不设置时任务在本进程内运行）',
  JOB_LOCK_MS: '1000 到 600000 之间的毫秒数',
  JOB_CONCURRENCY: '1 到 16 之间的整数',
  CORS_ORIGINS: '以逗号分隔的来源（scheme://主机[:端口]），如 https://jx.czj.gz.gov.cn,https://oa.example.gov.cn',
  REQUEST_TIMEOUT_MS: '100 到 3600000 之间的毫秒数',
  DB_CONNECT_TIMEOUT_MS: '100 到 600000 之间的毫秒数',
  DB_QUERY_TIMEOUT_MS: '100 到 3600000 之间的毫秒数',
  METRICS_PORT: '1 到 65535 之间的整数端口号（与 PORT 不同）',
  LOG_LEVEL: 'fatal、error、warn、info、debug、trace 或 silent 之一',
  OIDC_ISSUER: '单点登录服务的签发者地址（iss），如 https://sso.example.gov.cn/realms/jiping',
  OIDC_AUDIENCE: '本系统在单点登录服务中的客户端 ID（设置 OIDC_ISSUER 时必填）',
  OIDC_JWKS_URI: 'http(s) 地址',
  OIDC_ROLE_CLAIM: '非空的声明名',
  OIDC_ROLE_VALUES: 'admin=…,evaluator=…,department=… 的形式，如 admin=jiping-admin,evaluator=jiping-evaluator',
  OIDC_DEPARTMENT_CLAIM: '非空的声明名',
  OIDC_NAME_CLAIM: '非空的声明名',
};

/** The name of every setting (for the deployment files' check: no variable there that the service would ignore). */
export const SETTING_NAMES = Object.keys(EXPECTED) as Array<keyof EnvironmentVariables>;

/** Settings whose value is a secret: never repeated in an error. */
const SECRET = new Set<string>(['JIPING_BOOTSTRAP_ADMIN_KEY']);

/** A value as the error repeats it: secrets hidden, a password in a URL masked, long values cut. */
function shown(name: string, value: unknown): string {
  if (SECRET.has(name)) return '（已隐藏）';
  let text = String(value).replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
  if (text.length > 80) text = `${text.slice(0, 77)}…`;
  return `“${text}”`;
}

/** The configuration could not be used: one Chinese line per problem (printed as they are at start). */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误：\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Validates and normalises the environment; throws a ConfigurationError naming every problem. JIPING_DEMO comes back
 * settled: as set, or 'true' only on the default local SQLite file. Used by main.ts, the migration CLI and the tests.
 */
export function validateEnvironment(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map((e) => {
        const text = EXPECTED[e.property as keyof EnvironmentVariables] ?? '有效的值';
        const expected = /^[0-9A-Za-z]/.test(text) ? ` ${text}` : text;
        const raw = config[e.property];
        return raw === undefined || raw === ''
          ? `缺少配置项 ${e.property}：应为${expected}`
          : `配置项 ${e.property} 的值${shown(e.property, raw)}无效：应为${expected}`;
      }),
    );
  }
  env.JIPING_DEMO ??=
    env.DB_TYPE === 'sqlite' && normalize(env.DB_PATH) === normalize(DEFAULT_DB_PATH) ? 'true' : 'false';
  return env;
}
