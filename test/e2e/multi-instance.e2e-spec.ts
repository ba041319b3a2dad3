import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { movedBandDraft } from '../support/moved-band-draft';
import { seedDepartments } from './support/seed-departments';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import { createTestApp, mysqlDatabase, redisUrl, type TestDatabase, UNLIMITED } from './support/test-app';

/**
 * Several instances, one database, one queue: two real API processes (the entry, apps/api/src/main.ts) on one
 * MariaDB database and one Redis. Writes sent to both at once keep their numbering and their audit rows; of two
 * publications at once one version stays in force; an impact job over DEPARTMENTS departments survives killing the
 * instance that runs it (SIGKILL: no goodbye) — the other instance takes it over (BullMQ's stalled-job check once
 * the lock lapses, JOB_LOCK_MS) and its summary equals the one a single instance streams.
 */
jest.setTimeout(600_000);

const ROOT = resolve(__dirname, '../..');
const ENTRY = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];
const DEPARTMENTS = 10_000;
const PUBLISHED = 'guangzhou-department-overall:2021:1';
const DRAFT = 'guangzhou-department-overall:2021:2';
const NATIONAL = 'national-project-self-evaluation';
const LOCK_MS = 4_000;

interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The environment of this test without any jiping setting, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(DB_|JIPING_|PORT$|HOST$|RATE_LIMIT_|OIDC_|TRUST_PROXY$|BODY_LIMIT|REDIS_URL$|JOB_)/.test(name),
    ),
  );
  return { ...base, ...env };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts the entry and waits until it answers /health/ready. */
async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ENTRY, {
    cwd: ROOT,
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const instance = { name, child, url: `http://127.0.0.1:${port}`, output: () => out, exited };
  const deadline = Date.now() + 180_000;
  while (child.exitCode === null && Date.now() < deadline) {
    const ready = await fetch(`${instance.url}/health/ready`).catch(() => undefined);
    if (ready?.ok) return instance;
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`instance ${name} did not start:\n${out}`);
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await instance.exited;
  clearTimeout(timer);
}

describe('Two API processes on one MariaDB database and one Redis', () => {
  let database: TestDatabase | undefined;
  let a: Instance | undefined;
  let b: Instance | undefined;
  let adminKey: string;

  beforeAll(async () => {
    const redis = await redisUrl();
    database = await mysqlDatabase();
    if (!redis || !database) return;
    // Migrate and seed through an app of this process, then hand the database to the two instances.
    const setup = await createTestApp(database);
    adminKey = setup.adminKey;
    const admin = { Authorization: `Bearer ${adminKey}` };
    const published = await seedRuleSet(setup.app);
    await setup.http().post('/rule-sets').set(admin).send(movedBandDraft()).expect(201);
    await seedDepartments(setup.app, DEPARTMENTS, published.id);
    const national = readFileSync(join(ROOT, 'rules/national/project-self-evaluation/2020.json'), 'utf8');
    for (let i = 0; i < 2; i++) {
      await setup.http().post('/rule-sets').set(admin).set('Content-Type', 'application/json').send(national);
    }
    const { targets, yearEnd } = seedSubmissionParts();
    for (const code of ['gz-multi', 'gz-subs']) {
      await setup.http().post('/departments').set(admin).send({ code, name: code, region: '广州市' }).expect(201);
      await setup.http().put(`/departments/${code}/years/2021/targets`).set(admin).send({ targets }).expect(200);
      await setup.http().post(`/departments/${code}/years/2021/targets/1/approve`).set(admin).send({}).expect(200);
    }
    await setup.http().post('/departments/gz-multi/years/2021/submissions').set(admin).send(yearEnd).expect(201);
    await setup.http().post('/departments/gz-multi/years/2021/submit').set(admin).send({}).expect(200);
    await setup.close();

    const env = {
      ...UNLIMITED,
      ...database.env,
      REDIS_URL: redis,
      JOB_LOCK_MS: String(LOCK_MS),
      JIPING_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
  });
  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  const call = async (instance: Instance, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${instance.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = /^application\/(problem\+)?json/.test(res.headers.get('content-type') ?? '');
    return { status: res.status, body: json ? JSON.parse(text) : undefined, text };
  };
  const both = <T>(n: number, fn: (instance: Instance, i: number) => Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => fn(i % 2 === 0 ? a! : b!, i)));

  maybe('submissions sent to both at once are numbered 1…40 without a gap', async () => {
    const { yearEnd } = seedSubmissionParts();
    const results = await both(40, (instance) =>
      call(instance, 'POST', '/departments/gz-subs/years/2021/submissions', yearEnd),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(results.map((r) => r.body.revision as number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  maybe('scorings sent to both at once are numbered without a gap, each with its audit row', async () => {
    const results = await both(8, (instance) =>
      call(instance, 'POST', '/departments/gz-multi/years/2021/evaluations', {}),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(results.map((r) => r.body.sequence as number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const audit = await call(b!, 'GET', '/audit?action=evaluation.created&departmentCode=gz-multi&limit=500');
    expect(audit.status).toBe(200);
    expect(audit.body.map((e: { entityId: string }) => e.entityId).sort()).toEqual(
      results.map((r) => r.body.id as string).sort(),
    );
  });

  maybe('of two versions published at once on the two instances, exactly one is in force', async () => {
    const results = await Promise.all([
      call(a!, 'POST', `/rule-sets/${NATIONAL}:2020:1/publish`),
      call(b!, 'POST', `/rule-sets/${NATIONAL}:2020:2/publish`),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const rows = await call(a!, 'GET', `/rule-sets?id=${NATIONAL}`);
    expect(rows.body.map((r: { status: string }) => r.status).sort()).toEqual(['published', 'superseded']);
  });

  maybe(`an impact job of ${DEPARTMENTS} departments survives killing the instance running it`, async () => {
    // What one instance computes, streamed in one request: the summary the job must end with.
    const stream = await call(a!, 'POST', `/rule-sets/${DRAFT}/impact?rows=false`, { against: PUBLISHED, year: 2021 });
    expect(stream.status).toBe(200);
    const lines = stream.text.trim().split('\n');
    const { type: _type, ...single } = JSON.parse(lines[lines.length - 1]);
    // the generated departments and the two of the concurrency tests
    expect(single).toMatchObject({ departments: DEPARTMENTS + 2, failed: 0 });
    expect(single.changed).toBeGreaterThan(1000);

    const created = await call(a!, 'POST', `/rule-sets/${DRAFT}/impact/jobs`, { against: PUBLISHED, year: 2021 });
    expect(created.status).toBe(202);
    const id = created.body.id as string;

    // Whichever instance's worker took it is killed as soon as it runs.
    const pids = new Map([a!, b!].map((instance) => [`${hostname()}:${instance.child.pid}`, instance]));
    let running: { worker: string; progress: { done: number; total: number } } | undefined;
    for (const deadline = Date.now() + 60_000; !running && Date.now() < deadline; ) {
      const job = (await call(a!, 'GET', `/jobs/${id}`)).body;
      if (job.status === 'running' && pids.has(job.worker)) running = job;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(running).toBeDefined();
    const victim = pids.get(running!.worker)!;
    const survivor = victim === a ? b! : a!;
    victim.child.kill('SIGKILL');
    await victim.exited;

    const killedAt = (await call(survivor, 'GET', `/jobs/${id}`)).body;
    expect(killedAt.status).toBe('running');
    expect(killedAt.progress.done).toBeLessThan(DEPARTMENTS + 2);

    let job = killedAt;
    for (const deadline = Date.now() + 300_000; !['succeeded', 'failed', 'cancelled'].includes(job.status); ) {
      if (Date.now() > deadline) throw new Error(`the job did not finish: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 500));
      job = (await call(survivor, 'GET', `/jobs/${id}`)).body;
    }
    expect(job).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      progress: { done: DEPARTMENTS + 2, total: DEPARTMENTS + 2 },
      result: { errors: [], errorCount: 0 },
    });
    expect(job.result.summary).toEqual(single);
    expect(job.worker).toBe(`${hostname()}:${survivor.child.pid}`);
  });
});
