import { resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { serializeSqliteAccess } from './serialize-sqlite-access';

/** What this file uses of better-sqlite3 (which ships no types). */
interface SqliteConnection {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): { run(...parameters: unknown[]): unknown };
  close(): void;
}
type SqliteConstructor = new (path: string, options: { timeout: number }) => SqliteConnection;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as SqliteConstructor;

/** Another process already serves this SQLite file. */
export class SqliteInUseError extends Error {
  constructor(
    /** The database file, as configured. */
    readonly databasePath: string,
    /** The lock file held by the other process. */
    readonly lockPath: string,
  ) {
    super(`the SQLite database ${databasePath} is already in use by another process (lock ${lockPath})`);
    this.name = 'SqliteInUseError';
  }
}

/** Held while the service runs; let go when its database is closed. */
export interface SqliteProcessLock {
  readonly lockPath: string;
  release(): void;
}

/**
 * SQLite is for one process: a second process on the same file would wait on the first one's writes (better-sqlite3
 * is synchronous, so the wait blocks its whole event loop) and fail with "database is locked" past the busy timeout.
 * So the service holds an exclusive lock on a small file beside the database (`<DB_PATH>.lock`, itself a SQLite
 * file: SQLite's own file locks, which the operating system drops when the process ends, however it ends) and a
 * second process is refused at start with SqliteInUseError. The database itself stays an ordinary WAL database:
 * sqlite3's `.backup` and read-only tools still open it while the service runs.
 *
 * Within one process a second lock on the same file is refused too (SQLite keeps its locks per file, not per
 * connection). Nothing is locked for ":memory:".
 */
export function lockSqliteFile(databasePath: string): SqliteProcessLock | undefined {
  if (databasePath === ':memory:' || databasePath === '') return undefined;
  const lockPath = `${resolve(databasePath)}.lock`;
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // the first write takes the exclusive lock; in EXCLUSIVE locking mode it is kept after the commit
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.prepare('DELETE FROM holder').run();
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY'))
      throw new SqliteInUseError(databasePath, lockPath);
    throw error;
  }
  let held = true;
  return {
    lockPath,
    release: () => {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}

/**
 * The service's data source: on SQLite it holds the process lock (lockSqliteFile) from before the database is opened
 * until it is destroyed, and serialises access to the one connection (serializeSqliteAccess). Initialised here, so a
 * failed initialisation lets go of the lock at once.
 */
export async function openServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  const lock = options.type === 'better-sqlite3' ? lockSqliteFile(options.database) : undefined;
  const dataSource = serializeSqliteAccess(new DataSource(options));
  try {
    await dataSource.initialize();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    lock?.release();
    throw error;
  }
  if (lock) {
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = async () => {
      try {
        await destroy();
      } finally {
        lock.release();
      }
    };
  }
  return dataSource;
}
