import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { type EnvironmentVariables, validateEnvironment } from '../../../config/environment';
import { AppModule } from '../../../apps/api/src/app.module';
import { setupApp } from '../../../apps/api/src/setup-app';

/** A database for one e2e suite: its settings and how to throw it away. */
export interface TestDatabase {
  kind: 'sqlite' | 'mysql';
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh SQLite file in a temporary folder of its own: drop removes the folder, -wal and -shm files included. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'jiping-e2e-'));
  return {
    kind: 'sqlite',
    env: { DB_TYPE: 'sqlite', DB_PATH: join(dir, 'jiping.sqlite') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const MYSQL_SERVER = process.env.JIPING_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * A fresh database on the real MariaDB/MySQL server of this machine (JIPING_TEST_MYSQL_URL, default
 * mysql://root@127.0.0.1:3306). Unreachable: with CI=true the suite fails; otherwise it is skipped with a warning.
 */
export async function mysqlDatabase(): Promise<TestDatabase | undefined> {
  const name = `jiping_e2e_${randomBytes(4).toString('hex')}`;
  let connection;
  try {
    connection = await createConnection({ uri: MYSQL_SERVER, connectTimeout: 5000 });
  } catch (error) {
    const message = `MySQL at ${MYSQL_SERVER} is unreachable: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the MySQL suite must run)`);
    console.warn(`${message} — skipping the MySQL suite (it fails instead when CI=true)`);
    return undefined;
  }
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return {
    kind: 'mysql',
    env: { DB_TYPE: 'mysql', DB_URL: `${MYSQL_SERVER}/${name}` },
    drop: async () => {
      const c = await createConnection({ uri: MYSQL_SERVER });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/**
 * Suites send many requests quickly from one address and key: the rate limits are lifted unless a suite sets its
 * own (the hardening suite does, to see them refuse).
 */
export const UNLIMITED: Record<string, string> = {
  RATE_LIMIT_PER_ADDRESS: '1000000',
  RATE_LIMIT_PER_KEY: '1000000',
  RATE_LIMIT_EXPENSIVE: '1000000',
  RATE_LIMIT_FAILED_SIGNINS: '1000000',
};

export interface TestApp {
  app: INestApplication;
  http: () => TestAgent;
  /** The admin key created through JIPING_BOOTSTRAP_ADMIN_KEY. */
  adminKey: string;
  env: EnvironmentVariables;
  close(): Promise<void>;
}

/**
 * The whole AppModule on a test database, listening on an ephemeral port of 127.0.0.1 (supertest drives it). Not
 * listening would make supertest start and stop the server for each request: concurrent requests then see ECONNRESET.
 */
export async function createTestApp(database: TestDatabase, overrides: Record<string, string> = {}): Promise<TestApp> {
  const adminKey = overrides.JIPING_BOOTSTRAP_ADMIN_KEY ?? `admin-${randomBytes(8).toString('hex')}`;
  const env = validateEnvironment({
    JIPING_DEMO: 'false',
    LOG_LEVEL: 'silent', // no access log in test output (a suite that reads the logs sets its own)
    ...UNLIMITED,
    ...database.env,
    JIPING_BOOTSTRAP_ADMIN_KEY: adminKey,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    http: () => request(app.getHttpServer()),
    adminKey,
    env,
    close: () => app.close(),
  };
}

export const bearer = (key: string): { Authorization: string } => ({ Authorization: `Bearer ${key}` });

/**
 * An error body (application/problem+json, RFC 9457) without its standard members, once they are checked against
 * the API's own fields: type names the code, status is statusCode, detail is message, instance the path, and a
 * request id. What is left (statusCode, code, message, details) is what the suites compare whole.
 */
export function problem(body: Record<string, unknown>): Record<string, unknown> {
  const { type, title, status, detail, instance, requestId, ...rest } = body;
  expect(type).toBe(`urn:jiping:problem:${String(rest.code).toLowerCase().replace(/_/g, '-')}`);
  expect(title).toEqual(expect.any(String));
  expect(status).toBe(rest.statusCode);
  expect(detail).toBe(rest.message);
  expect(instance).toMatch(/^\//);
  expect(requestId).toMatch(/^\S+$/);
  return rest;
}

const REDIS_SERVER = process.env.JIPING_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The machine's Redis (JIPING_TEST_REDIS_URL, default redis://127.0.0.1:6379) for the job queue, if it answers.
 * Unreachable: with CI=true the suite fails; otherwise it is skipped with a warning.
 */
export async function redisUrl(): Promise<string | undefined> {
  const { Redis } = await import('ioredis');
  const client = new Redis(REDIS_SERVER, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return REDIS_SERVER;
  } catch (error) {
    const message = `Redis at ${REDIS_SERVER} is unreachable: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the Redis suite must run)`);
    console.warn(`${message} — skipping the Redis suite (it fails instead when CI=true)`);
    return undefined;
  } finally {
    client.disconnect();
  }
}
