import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DepartmentYearEntity } from '@jiping/persistence';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { movedBandDraft } from '../support/moved-band-draft';
import { seedDepartments } from './support/seed-departments';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import { createTestApp, mysqlDatabase, redisUrl, type TestDatabase, UNLIMITED } from './support/test-app';
import { API_ENTRY } from './support/api-process';

/**
 * Several instances, one database, one queue: real API processes (the entry, apps/api/src/main.ts) on one MariaDB
 * database and one Redis — two take the concurrent writes, a third is there so that each kill test leaves two.
 * Writes sent to both at once keep their numbering and their audit rows; of two publications at once one version
 * stays in force; an impact job over DEPARTMENTS departments survives killing the instance that runs it (SIGKILL: no
 * goodbye) — another instance takes it over (BullMQ's stalled-job check once the lock lapses, JOB_LOCK_MS) and its
 * summary equals the one a single instance streams; a year re-scored as a job survives the same, scoring each of
 * RESCORED departments exactly once.
 */
jest.setTimeout(600_000);

const ROOT = resolve(__dirname, '../..');
const DEPARTMENTS = 10_000;
const PUBLISHED = 'guangzhou-department-overall:2021:1';
const DRAFT = 'guangzhou-department-overall:2021:2';
const NATIONAL = 'national-project-self-evaluation';
const LOCK_MS = 4_000;
/** Departments handed in (已提交) for the re-scoring job: each is one official scoring, a transaction of its own. */
const RESCORED = 200;

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
  const child = spawn(process.execPath, API_ENTRY, {
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
  /** A third instance, so that each kill test finds another to take its job over. */
  let c: Instance | undefined;
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
    const now = new Date();
    const years = setup.app.get<Repository<DepartmentYearEntity>>(getRepositoryToken(DepartmentYearEntity));
    for (let from = 0; from < RESCORED; from += 500) {
      await years.insert(
        Array.from({ length: Math.min(500, RESCORED - from) }, (_, i) => ({
          departmentCode: `jobs-${String(from + i + 1).padStart(5, '0')}`,
          fiscalYear: 2021,
          status: 'submitted' as const,
          approvedTargetRevision: 1,
          submittedRevision: 1,
          submittedAt: now,
          submittedBy: 'e2e seed',
          updatedAt: now,
        })),
      );
    }
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
    [a, b, c] = await Promise.all([startInstance('A', env), startInstance('B', env), startInstance('C', env)]);
  });
  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b), stopInstance(c)]);
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
  const alive = (): Instance[] =>
    [a, b, c].filter((i): i is Instance => i !== undefined && i.child.exitCode === null && i.child.signalCode === null);
  const pidOf = (instance: Instance): string => `${hostname()}:${instance.child.pid}`;
  /** Kills (SIGKILL: no goodbye) whichever instance's worker runs job `id` once it has done `minDone`. */
  const killRunner = async (id: string, minDone: number): Promise<{ victim: Instance; survivors: Instance[] }> => {
    const pids = new Map(alive().map((instance) => [pidOf(instance), instance]));
    const asker = alive()[0];
    let running: { worker: string } | undefined;
    for (const deadline = Date.now() + 120_000; !running && Date.now() < deadline; ) {
      const job = (await call(asker, 'GET', `/jobs/${id}`)).body;
      if (job.status === 'running' && pids.has(job.worker) && job.progress.done >= minDone) running = job;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(running).toBeDefined();
    const victim = pids.get(running!.worker)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    return { victim, survivors: alive() };
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
    const { survivors } = await killRunner(id, 0);
    const survivor = survivors[0];
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
      progress: { done: DEPARTMENTS + 2, total: DEPARTMENTS + 2 },
      result: { errors: [], errorCount: 0 },
    });
    // taken over at least once; under a loaded machine a survivor whose event loop stalls past the test's 4 s lock
    // may lose the job once more (a third attempt) — the result must be the same either way
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    expect(job.result.summary).toEqual(single);
    expect(survivors.map(pidOf)).toContain(job.worker);
  });

  /** Polls the job on `instance` until it has ended (or five minutes have passed). */
  const finished = async (instance: Instance, id: string) => {
    let job = (await call(instance, 'GET', `/jobs/${id}`)).body;
    for (const deadline = Date.now() + 300_000; !['succeeded', 'failed', 'cancelled'].includes(job.status); ) {
      if (Date.now() > deadline) throw new Error(`the job did not finish: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 500));
      job = (await call(instance, 'GET', `/jobs/${id}`)).body;
    }
    return job;
  };

  maybe(
    `a rescore job of ${RESCORED} departments survives killing the instance running it, scoring each once`,
    async () => {
      const [first] = alive(); // the impact test killed one of the three
      const evaluationsBefore = (await call(first, 'GET', '/audit?action=evaluation.created&limit=500')).body.length;

      const created = await call(first, 'POST', '/years/2021/rescore/jobs', { reason: '规则修正后重新评分' });
      expect(created.status).toBe(202);
      const id = created.body.id as string;

      // The instance running it is killed once it has scored some departments (their steps are committed).
      const { survivors } = await killRunner(id, 20);
      const survivor = survivors[0];
      const killedAt = (await call(survivor, 'GET', `/jobs/${id}`)).body;
      expect(killedAt.status).toBe('running');

      const job = await finished(survivor, id);
      // and gz-multi, submitted and scored by the concurrency test; gz-subs (填报中, never submitted) is skipped
      const total = RESCORED + 1;
      expect(job).toMatchObject({
        status: 'succeeded',
        progress: { done: total + 1, total: total + 1 },
        result: { complete: true, counts: { departments: total + 1, rescored: total, skipped: 1 } },
      });
      expect(job.attempts).toBeGreaterThanOrEqual(2); // a third when the survivor stalls past the 4 s lock under load
      expect(job.worker).toBe(pidOf(survivor));
      const items: Array<{ code: string; outcome: string; statusLabel: string; new: { evaluationId: string } }> = [];
      for (let offset: number | null = 0; offset !== null; ) {
        const page: { items: typeof items; next: number | null } = (
          await call(survivor, 'GET', `/jobs/${id}/result/departments?limit=500&offset=${offset}`)
        ).body;
        items.push(...page.items);
        offset = page.next;
      }
      const departments = items.filter((d) => d.outcome === 'rescored');
      expect(items.filter((d) => d.outcome === 'skipped')).toEqual([
        expect.objectContaining({ code: 'gz-subs', statusLabel: '填报中' }),
      ]);
      // Each department scored exactly once by the job: one evaluation and one audit row each, and the result names
      // the evaluation now in force (the steps the killed instance committed included).
      const codes = departments.map((d: { code: string }) => d.code);
      expect(new Set(codes).size).toBe(total);
      const audit: Array<{ entityId: string; departmentCode: string; details: { job?: string } }> = (
        await call(survivor, 'GET', '/audit?action=evaluation.created&limit=500')
      ).body;
      expect(audit.length).toBeLessThan(500); // all of them
      const byJob = audit.filter((e) => e.details.job === id);
      expect(byJob).toHaveLength(total);
      expect(new Set(byJob.map((e) => e.departmentCode)).size).toBe(total);
      expect(audit.length - evaluationsBefore).toBe(total);
      expect(byJob.map((e) => e.entityId).sort()).toEqual(
        departments.map((d: { new: { evaluationId: string } }) => d.new.evaluationId).sort(),
      );
      for (const d of departments.slice(0, 3)) {
        const list = (await call(survivor, 'GET', `/departments/${d.code}/years/2021/evaluations`)).body;
        expect(list[0].id).toBe(d.new.evaluationId);
      }
    },
  );
});
