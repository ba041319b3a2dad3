import { createServer, type Server, type Socket, connect, type AddressInfo } from 'node:net';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  problem,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/**
 * What an operator relies on, through HTTP on both databases: errors as application/problem+json with a request id
 * (also in X-Request-Id), security headers, CORS only when configured, health for load balancers, Prometheus
 * metrics for admins or on a private port, and a database outage answered 503 with Retry-After — and recovered from
 * without a restart.
 */
jest.setTimeout(120_000);

const DEMO_ADMIN = bearer('demo-admin-key');
const DEMO_EVALUATOR = bearer('demo-evaluator-key');
const KJJ = { code: 'gz-kjj-ops', name: '广州市科学技术局（运维）', region: '广州市' };

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('operations on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;

  beforeAll(async () => {
    database = await makeDatabase();
    if (database) t = await createTestApp(database, { JIPING_DEMO: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('an error is application/problem+json with a request id, the same as X-Request-Id', async () => {
    const res = await t.http().get('/departments/gz-nope').set(DEMO_ADMIN).expect(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({
      type: 'urn:jiping:problem:not-found',
      title: '未找到',
      status: 404,
      detail: res.body.message,
      instance: '/departments/gz-nope',
      requestId: res.headers['x-request-id'],
      statusCode: 404,
      code: 'NOT_FOUND',
      message: expect.stringContaining('gz-nope'),
      details: [],
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const english = await t.http().get('/departments/gz-nope?x=1').set(DEMO_ADMIN).set('Accept-Language', 'en');
    expect(english.body).toMatchObject({ title: 'not found', instance: '/departments/gz-nope' });
    expect(english.body.requestId).not.toBe(res.body.requestId);
  });

  maybe('keeps a sane incoming X-Request-Id and replaces anything else', async () => {
    const kept = await t.http().get('/health/live').set('X-Request-Id', 'lb-7f3a.42:1');
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42:1');
    for (const odd of ['two words', 'x'.repeat(200), '<script>', '']) {
      const res = await t.http().get('/departments/gz-nope').set(DEMO_ADMIN).set('X-Request-Id', odd).expect(404);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    }
  });

  maybe('a body the parser refuses has a request id too', async () => {
    const res = await t
      .http()
      .post('/departments')
      .set(DEMO_ADMIN)
      .set('Content-Type', 'application/json')
      .send('{"code": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem(res.body)).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  maybe('security headers on every answer; no X-Powered-By; no CORS unless configured', async () => {
    for (const path of ['/health/live', '/docs', '/departments']) {
      const res = await t.http().get(path).set('Origin', 'https://evil.example');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("style-src 'self' https: 'unsafe-inline'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await t
      .http()
      .options('/departments')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  maybe('health: live, ready and /health answer without a key', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'up', engineVersion: expect.any(String) });
    expect((await t.http().get('/health').expect(200)).body).toEqual(ready.body);
  });

  maybe('metrics for admins: requests by route pattern, scorings, failed sign-ins, refusals', async () => {
    await t.http().get('/departments/gz-kjj').set(DEMO_ADMIN).expect(200);
    await t.http().get('/departments').set(bearer('not-a-key')).expect(401);
    expect((await t.http().get('/metrics').expect(401)).body.code).toBe('UNAUTHORIZED');
    expect((await t.http().get('/metrics').set(DEMO_EVALUATOR).expect(403)).body.code).toBe('FORBIDDEN');
    const res = await t.http().get('/metrics').set(DEMO_ADMIN).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toContain('jiping_http_requests_total{method="GET",route="/departments/:code",status="200"}');
    expect(text).not.toContain('route="/departments/gz-kjj"');
    expect(text).toMatch(
      /jiping_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/departments\/:code"\}/,
    );
    expect(text).toMatch(/^jiping_scorings_total\{kind="official"\} [1-9]/m); // the demo's official scoring
    expect(text).toMatch(/^jiping_failed_sign_ins_total [1-9]/m);
    expect(text).toContain('jiping_refused_requests_total');
    expect(text).toContain('jiping_queue_depth');
    expect(text).toContain('jiping_process_cpu_seconds_total');
  });
});

describe('configured: CORS origins and a private metrics port', () => {
  const database = sqliteDatabase();
  let t: TestApp;
  const metricsPort = 39_000 + Math.floor(Math.random() * 1000);

  beforeAll(async () => {
    t = await createTestApp(database, {
      CORS_ORIGINS: 'https://jx.czj.gz.gov.cn, http://localhost:5173',
      METRICS_PORT: String(metricsPort),
    });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('answers CORS for the configured origins only', async () => {
    const allowed = await t
      .http()
      .options('/departments')
      .set('Origin', 'https://jx.czj.gz.gov.cn')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://jx.czj.gz.gov.cn');
    const other = await t.http().get('/health/live').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const local = await t.http().get('/health/live').set('Origin', 'http://localhost:5173');
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(local.headers['access-control-expose-headers']).toContain('X-Request-Id');
  });

  it('serves the metrics without a key on METRICS_PORT, nothing else there', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('jiping_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/departments`)).status).toBe(404);
  });
});

/** A TCP proxy in front of the MariaDB server that the test can stop, freeze and start again. */
class DatabaseProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.frozen = false;
    const server = createServer((client) => {
      if (this.frozen) {
        this.sockets.add(client); // accepted, never answered
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => (this.frozen ? undefined : upstream.write(chunk)));
      upstream.on('data', (chunk) => (this.frozen ? undefined : client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The database "stops": every connection is cut and no new one is accepted. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** The database "freezes": connections stay open and nothing comes back. */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
  }
}

describe('a MariaDB outage (through a TCP proxy the test stops and starts)', () => {
  let database: TestDatabase | undefined;
  let proxy: DatabaseProxy;
  let t: TestApp | undefined;

  beforeAll(async () => {
    database = await mysqlDatabase();
    if (!database) return;
    const url = new URL(database.env.DB_URL);
    proxy = new DatabaseProxy(url.hostname, Number(url.port || 3306));
    await proxy.start();
    url.host = `127.0.0.1:${proxy.port}`;
    t = await createTestApp(
      { ...database, env: { ...database.env, DB_URL: url.toString() } },
      { DB_QUERY_TIMEOUT_MS: '1500', DB_CONNECT_TIMEOUT_MS: '1000' },
    );
  });
  afterAll(async () => {
    await proxy?.stop();
    await t?.close().catch(() => undefined);
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe(
    'stopped: 503 with Retry-After on API calls and /health/ready, no address; back without a restart',
    async () => {
      const admin = bearer(t!.adminKey);
      await t!.http().post('/departments').set(admin).send(KJJ).expect(201);
      await proxy.stop();

      const ready = await t!.http().get('/health/ready').expect(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(problem(ready.body)).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      const health = await t!.http().get('/health').expect(503);
      for (const body of [ready.text, health.text]) {
        expect(body).not.toContain('127.0.0.1');
        expect(body).not.toContain(String(proxy.port));
        expect(body).not.toMatch(/ECONN|mysql/i);
      }
      const read = await t!.http().get(`/departments/${KJJ.code}`).set(admin).expect(503);
      expect(read.headers['retry-after']).toBe('5');
      expect(problem(read.body)).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: '数据库暂时不可用，请 5 秒后重试；如持续出现，请联系管理员',
        details: [],
      });
      const write = await t!
        .http()
        .post('/departments')
        .set(admin)
        .send({ ...KJJ, code: 'gz-czj-ops' });
      expect(write.status).toBe(503);
      expect((await t!.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });

      await proxy.start(); // the database is back: the same process serves again
      await t!.http().get('/health/ready').expect(200);
      expect((await t!.http().get(`/departments/${KJJ.code}`).set(admin).expect(200)).body.name).toBe(KJJ.name);
      await t!
        .http()
        .post('/departments')
        .set(admin)
        .send({ ...KJJ, code: 'gz-czj-ops' })
        .expect(201);
    },
  );

  maybe('frozen: a request is answered 503 within the query timeout instead of hanging', async () => {
    const admin = bearer(t!.adminKey);
    await t!.http().get(`/departments/${KJJ.code}`).set(admin).expect(200);
    proxy.freeze();
    const started = Date.now();
    const res = await t!.http().get(`/departments/${KJJ.code}`).set(admin);
    const waited = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(waited).toBeLessThan(20_000); // the timeout is 1.5 s: a hang would run into jest's limit instead
    proxy.thaw();
    await proxy.stop(); // cut what froze, start afresh
    await proxy.start();
    await t!.http().get(`/departments/${KJJ.code}`).set(admin).expect(200);
  });
});

describe('a locked SQLite database', () => {
  const database = sqliteDatabase();
  let t: TestApp;

  beforeAll(async () => (t = await createTestApp(database, { DB_QUERY_TIMEOUT_MS: '300' })));
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('a write that cannot get the lock is answered 503 with Retry-After, then succeeds once the lock is gone', async () => {
    const admin = bearer(t.adminKey);
    // another program (a backup, a tool) holds the write lock on the database file
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as new (path: string) => {
      exec(sql: string): void;
      close(): void;
    };
    const other = new Database(database.env.DB_PATH);
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await t.http().post('/departments').set(admin).send(KJJ);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(problem(res.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // the service itself answers meanwhile
      await t.http().get('/health/live').expect(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await t.http().post('/departments').set(admin).send(KJJ).expect(201);
    await t.http().get(`/departments/${KJJ.code}`).set(admin).expect(200);
  });
});
