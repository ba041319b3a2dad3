import type { DataSource, QueryRunner } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/** One holder at a time, served in the order they asked. */
class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves, once every earlier holder has let go, to the function that lets go of it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }
}

/**
 * A query runner over the one better-sqlite3 connection that holds the connection for the whole of its transaction,
 * and for each single query outside one, so that nobody else's statement runs inside its transaction.
 */
class SerializedQueryRunner extends BetterSqlite3QueryRunner {
  private letGo?: () => void;

  constructor(
    driver: BetterSqlite3Driver,
    private readonly lock: ConnectionLock,
    statements: Map<string, unknown>,
  ) {
    super(driver);
    // prepared statements belong to the connection: share them between the runners
    (this as unknown as { stmtCache: Map<string, unknown> }).stmtCache = statements;
  }

  override async startTransaction(isolationLevel?: IsolationLevel): Promise<void> {
    this.letGo ??= await this.lock.acquire(); // a nested transaction (savepoint) holds it already
    try {
      await super.startTransaction(isolationLevel);
    } finally {
      if (!this.isTransactionActive) this.unlock();
    }
  }

  override async commitTransaction(): Promise<void> {
    try {
      await super.commitTransaction();
    } finally {
      if (!this.isTransactionActive) this.unlock();
    }
  }

  override async rollbackTransaction(): Promise<void> {
    try {
      await super.rollbackTransaction();
    } finally {
      if (!this.isTransactionActive) this.unlock();
    }
  }

  // TypeORM's own signature (QueryRunner.query answers rows or a QueryResult)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async query(query: string, parameters?: unknown[], useStructuredResult?: boolean): Promise<any> {
    if (this.letGo) return super.query(query, parameters, useStructuredResult);
    const letGo = await this.lock.acquire();
    try {
      return await super.query(query, parameters, useStructuredResult);
    } finally {
      letGo();
    }
  }

  override async release(): Promise<void> {
    // a runner released in its transaction is a bug elsewhere; the connection must not stay held by it
    if (this.isTransactionActive) await this.rollbackTransaction();
    return super.release();
  }

  private unlock(): void {
    const letGo = this.letGo;
    this.letGo = undefined;
    letGo?.();
  }
}

/**
 * TypeORM's better-sqlite3 driver runs every query runner on one shared runner over one connection. Requests that
 * overlap then share a transaction: a statement of one request issued while another request's transaction is open
 * runs inside it (TypeORM's `save` sees a transaction active and joins it), and is lost with it if that transaction
 * rolls back — after its own request was answered. A second explicit transaction meanwhile fails ("cannot start a
 * transaction within a transaction").
 *
 * Here each query runner is its own, and a lock on the connection is held by a transaction from BEGIN to COMMIT or
 * ROLLBACK, and by any other query for its own statement: overlapping requests wait for each other instead. Code in
 * a transaction must use that transaction's EntityManager (as TypeORM requires anyway): a query through another
 * runner would wait for the transaction it is part of. Other databases are left as they are (MySQL pools
 * connections, one per runner). Call before `initialize()`.
 */
export function serializeSqliteAccess(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource;
  const driver = dataSource.driver as BetterSqlite3Driver;
  const lock = new ConnectionLock();
  const statements = new Map<string, unknown>();
  driver.createQueryRunner = (): QueryRunner => new SerializedQueryRunner(driver, lock, statements);
  return dataSource;
}
