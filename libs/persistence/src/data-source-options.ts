import type { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { AuditLogEntity } from './entities/audit-log.entity';
import { DepartmentEntity } from './entities/department.entity';
import { DepartmentYearEntity } from './entities/department-year.entity';
import { EvaluationEntity } from './entities/evaluation.entity';
import { JobEntity } from './entities/job.entity';
import { JobImpactRowEntity } from './entities/job-impact-row.entity';
import { JobItemEntity } from './entities/job-item.entity';
import { RuleSetEntity } from './entities/rule-set.entity';
import { SubmissionEntity } from './entities/submission.entity';
import { TargetDeclarationEntity } from './entities/target-declaration.entity';
import { UserEntity } from './entities/user.entity';
import { YearDeadlinesEntity } from './entities/year-deadlines.entity';
import { CreateCoreTables1764201600000 } from './migrations/1764201600000-CreateCoreTables';
import { CreateAuditLog1795818249120 } from './migrations/1795818249120-CreateAuditLog';
import { CreateDepartmentYearWorkflow1796286156430 } from './migrations/1796286156430-CreateDepartmentYearWorkflow';
import { DepartmentHierarchyAndRetirement1796291031948 } from './migrations/1796291031948-DepartmentHierarchyAndRetirement';
import { ExactDecimalColumns1796287847884 } from './migrations/1796287847884-ExactDecimalColumns';
import { UsersAndNamedKeys1796292638184 } from './migrations/1796292638184-UsersAndNamedKeys';
import { CreateJobs1796300000000 } from './migrations/1796300000000-CreateJobs';
import { CreateJobImpactRows1796400000000 } from './migrations/1796400000000-CreateJobImpactRows';
import { JobInputsAndItems1796500000000 } from './migrations/1796500000000-JobInputsAndItems';
import { JobProgressPrepared1796600000000 } from './migrations/1796600000000-JobProgressPrepared';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Entities and migrations as class arrays (globs break under the webpack build). */
export const ENTITIES = [
  RuleSetEntity,
  DepartmentEntity,
  TargetDeclarationEntity,
  SubmissionEntity,
  EvaluationEntity,
  ApiKeyEntity,
  UserEntity,
  AuditLogEntity,
  DepartmentYearEntity,
  YearDeadlinesEntity,
  JobEntity,
  JobImpactRowEntity,
  JobItemEntity,
];
export const MIGRATIONS = [
  CreateCoreTables1764201600000,
  CreateAuditLog1795818249120,
  CreateDepartmentYearWorkflow1796286156430,
  ExactDecimalColumns1796287847884,
  DepartmentHierarchyAndRetirement1796291031948,
  UsersAndNamedKeys1796292638184,
  CreateJobs1796300000000,
  CreateJobImpactRows1796400000000,
  JobInputsAndItems1796500000000,
  JobProgressPrepared1796600000000,
];

export interface DatabaseSettings {
  DB_TYPE: 'sqlite' | 'mysql';
  DB_PATH: string;
  DB_URL?: string;
  DB_MIGRATIONS_RUN: 'true' | 'false';
  /** MySQL: connection timeout (default 5 s). */
  DB_CONNECT_TIMEOUT_MS?: number;
  /** MySQL: a statement's client-side timeout; SQLite: the busy timeout, at most 5 s (default 30 s / 5 s). */
  DB_QUERY_TIMEOUT_MS?: number;
}

/** better-sqlite3 waits for a lock synchronously, holding the event loop: never longer than this. */
const SQLITE_MAX_BUSY_MS = 5_000;

/** The one builder of TypeORM options, shared by the service and the migration CLI so they cannot drift. */
export function buildDataSourceOptions(env: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: env.DB_MIGRATIONS_RUN === 'true',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
  } as const;
  if (env.DB_TYPE === 'mysql') {
    // decimalNumbers stays false: mysql2 then returns DECIMAL as strings, never floats.
    return {
      ...common,
      type: 'mysql',
      url: env.DB_URL,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      // a server that does not answer (down, frozen, unreachable) fails the statement instead of hanging the request:
      // mysql2 drops the connection past the timeout and the pool opens a new one for the next request
      connectTimeout: env.DB_CONNECT_TIMEOUT_MS ?? 5_000,
      enableQueryTimeout: true,
      maxQueryExecutionTime: env.DB_QUERY_TIMEOUT_MS ?? 30_000,
      extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000 },
    };
  }
  // WAL journal with synchronous=FULL: a commit appends to the -wal file and syncs it, so a commit the API has
  // answered survives a power loss too (nothing accepted is ever lost); readers never wait for the writer, and a
  // commit syncs one file instead of the journal and the database (official scoring ≈1.7× the rollback journal's
  // rate). NORMAL would be faster still but may undo the last commits on an OS crash. Set explicitly so it does not
  // depend on better-sqlite3's build default for WAL (NORMAL). The -wal and -shm files live next to DB_PATH: copy a
  // live database with sqlite3's .backup.
  return {
    ...common,
    type: 'better-sqlite3',
    database: env.DB_PATH,
    // how long a statement waits for another connection's lock (a backup, a read-only tool) before SQLITE_BUSY (503)
    timeout: Math.min(env.DB_QUERY_TIMEOUT_MS ?? SQLITE_MAX_BUSY_MS, SQLITE_MAX_BUSY_MS),
    prepareDatabase: (db: { pragma: (source: string) => unknown }) => {
      db.pragma('synchronous = FULL');
    },
    enableWAL: true,
  };
}
