import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mysqlDatabase, type TestDatabase } from './support/test-app';
import { API_ENTRY } from './support/api-process';

/**
 * The service as an operator starts it: the real entry (apps/api/src/main.ts through ts-node) in a process of its
 * own, with the environment under test. A failed start is one Chinese line per problem on stderr, exit code 1, no
 * stack trace; the safe defaults (demo, listening address) and SQLite's one process per file are seen from outside.
 */
jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const DEMO_ADMIN_KEY = 'demo-admin-key';

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The environment of this test without any jiping setting, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(DB_|JIPING_|PORT$|HOST$|RATE_LIMIT_|OIDC_|TRUST_PROXY$|BODY_LIMIT)/.test(name),
    ),
  );
  return { ...base, ...env };
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, API_ENTRY, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs the entry to its end (a failed start ends by itself). */
async function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const started = start(env);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 120_000);
  const code = await started.exited;
  clearTimeout(timer);
  return { code, stderr: started.stderr() };
}

/** Starts the entry and waits until it answers /health/live on `port` (or ends). */
async function running(env: Record<string, string>, port: number): Promise<Started> {
  const started = start({ ...env, PORT: String(port) });
  let ended = false;
  void started.exited.then(() => (ended = true));
  const deadline = Date.now() + 120_000;
  while (!ended && Date.now() < deadline) {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
    if (live?.ok) return started;
    await new Promise((r) => setTimeout(r, 300));
  }
  started.child.kill('SIGKILL');
  throw new Error(`the service did not start:\n${started.stdout()}\n${started.stderr()}`);
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  started.child.kill('SIGTERM');
  await started.exited;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Lines of a failed start: each says why in Chinese, none is a stack frame. */
function expectReadableLines(stderr: string): string[] {
  const lines = stderr.trim().split('\n');
  for (const line of lines) expect(line).toMatch(/^jiping 无法启动：\S/);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/Error:|UnhandledPromiseRejection/);
  return lines;
}

describe('start-up errors', () => {
  it('an invalid PORT and a missing DB_URL: one Chinese line each, exit code 1', async () => {
    const { code, stderr } = await failedStart({ PORT: 'abc', DB_TYPE: 'mysql' });
    expect(code).toBe(1);
    const lines = expectReadableLines(stderr);
    expect(lines).toEqual([
      'jiping 无法启动：配置项 PORT 的值“abc”无效：应为 1 到 65535 之间的整数端口号',
      expect.stringMatching(/^jiping 无法启动：缺少配置项 DB_URL：应为 mysql:\/\//),
    ]);
  });

  it('a malformed DB_URL is named without repeating its password', async () => {
    const { code, stderr } = await failedStart({ DB_TYPE: 'mysql', DB_URL: 'mysql://jiping:s3cret@db' });
    expect(code).toBe(1);
    expect(expectReadableLines(stderr)).toEqual([
      expect.stringContaining('配置项 DB_URL 的值“mysql://jiping:***@db”无效'),
    ]);
    expect(stderr).not.toContain('s3cret');
  });

  it('an unreachable MySQL server: connection refused, named by host and port', async () => {
    const port = await freePort();
    const { code, stderr } = await failedStart({ DB_TYPE: 'mysql', DB_URL: `mysql://root@127.0.0.1:${port}/jiping` });
    expect(code).toBe(1);
    expect(expectReadableLines(stderr)).toEqual([
      `jiping 无法启动：无法连接 MySQL 数据库 127.0.0.1:${port}（连接被拒绝）：请确认数据库已启动，且 DB_URL 中的主机和端口正确`,
    ]);
  });

  it('a port already in use', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'jiping-start-'));
    try {
      const { code, stderr } = await failedStart({ PORT: String(port), DB_PATH: join(dir, 'jiping.sqlite') });
      expect(code).toBe(1);
      expect(expectReadableLines(stderr)).toEqual([
        `jiping 无法启动：端口 ${port} 已被占用（127.0.0.1:${port}）：请停止占用它的程序，或用 PORT 换一个端口`,
      ]);
    } finally {
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite is for one process', () => {
  let dir: string;
  let first: Started | undefined;

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'jiping-one-process-'))));
  afterAll(async () => {
    await stop(first);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second process on the same file refuses to start; the first one goes on serving', async () => {
    const env = { DB_PATH: join(dir, 'jiping.sqlite'), JIPING_DEMO: 'false', JIPING_BOOTSTRAP_ADMIN_KEY: 'k-one' };
    const port = await freePort();
    first = await running(env, port);
    const second = await failedStart({ ...env, PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(expectReadableLines(second.stderr)).toEqual([
      expect.stringContaining(`SQLite 数据库文件 ${env.DB_PATH} 正被另一个 jiping 进程使用：SQLite 只供一个进程使用`),
    ]);
    const live = await fetch(`http://127.0.0.1:${port}/departments`, { headers: { Authorization: 'Bearer k-one' } });
    expect(live.status).toBe(200);
    await stop(first);
    // once the first has stopped, the file is free again
    const again = await running(env, await freePort());
    await stop(again);
  });
});

describe('logs', () => {
  let dir: string;
  let service: Started | undefined;

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'jiping-logs-'))));
  afterAll(async () => {
    await stop(service);
    rmSync(dir, { recursive: true, force: true });
  });

  it('JSON lines on stdout: an access-log line per request with its request id, failed sign-ins, never a key', async () => {
    const adminKey = 'k-log-0123456789-secret';
    const wrongKey = 'wrong-9876543210-secret';
    const port = await freePort();
    service = await running(
      { DB_PATH: join(dir, 'jiping.sqlite'), JIPING_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'info' },
      port,
    );
    const base = `http://127.0.0.1:${port}`;
    const ok = await fetch(`${base}/departments`, { headers: { Authorization: `Bearer ${adminKey}` } });
    const refused = await fetch(`${base}/departments`, {
      headers: { Authorization: `Bearer ${wrongKey}`, 'X-Request-Id': 'caller-id-1' },
    });
    const malformed = await fetch(`${base}/departments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: '{"code":',
    });
    expect([ok.status, refused.status, malformed.status]).toEqual([200, 401, 400]);
    await new Promise((r) => setTimeout(r, 500)); // the last lines reach stdout
    // the first line is for the person who started it: where the console is; then JSON lines only
    const [first, ...rest] = service.stdout().trim().split('\n');
    expect(first).toMatch(/^打开 http:\/\/localhost:\d+/);
    const lines = rest.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(String) });
    const access = lines.filter((line) => line.msg === 'request completed');
    const byId = (id: string | null) => access.find((line) => line.requestId === id);
    expect(byId(ok.headers.get('x-request-id'))).toMatchObject({
      req: { method: 'GET', path: '/departments', address: '127.0.0.1' },
      res: { status: 200 },
      user: { name: 'bootstrap admin', role: 'admin' },
      ms: expect.any(Number),
    });
    expect(refused.headers.get('x-request-id')).toBe('caller-id-1');
    expect(byId('caller-id-1')).toMatchObject({ level: 40, res: { status: 401 } });
    expect(lines.find((line) => line.msg === 'failed sign-in')).toMatchObject({ requestId: 'caller-id-1' });
    expect(byId(malformed.headers.get('x-request-id'))).toMatchObject({ res: { status: 400 } });
    expect(service.stdout()).not.toContain(adminKey);
    expect(service.stdout()).not.toContain(wrongKey);
    expect(service.stdout()).not.toMatch(/authorization/i);
    expect(service.stderr()).toBe('');
  });
});

describe('safe defaults', () => {
  let database: TestDatabase | undefined;
  let service: Started | undefined;

  beforeAll(async () => (database = await mysqlDatabase()));
  afterAll(async () => {
    await stop(service);
    await database?.drop();
  });

  it('DB_TYPE=mysql without JIPING_DEMO: no demo, no demo key; listening on 127.0.0.1 only', async () => {
    if (!database) return; // mysqlDatabase() said why (and fails instead when CI=true)
    const port = await freePort();
    service = await running({ ...database.env, JIPING_BOOTSTRAP_ADMIN_KEY: 'k-admin' }, port);
    const base = `http://127.0.0.1:${port}`;
    const demo = await fetch(`${base}/departments`, { headers: { Authorization: `Bearer ${DEMO_ADMIN_KEY}` } });
    expect(demo.status).toBe(401);
    const admin = await fetch(`${base}/departments`, { headers: { Authorization: 'Bearer k-admin' } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual([]);
    // the machine's other addresses do not answer (HOST defaults to 127.0.0.1)
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!outside) return; // this machine has no address but loopback: nothing more to see
    const fromOutside = await fetch(`http://${outside.address}:${port}/health/live`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(fromOutside).toBe('refused');
  });
});
