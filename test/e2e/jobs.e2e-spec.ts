import type { RuleSetEntity } from '@jiping/persistence';
import type { Response } from 'supertest';
import { movedBandDraft } from '../support/moved-band-draft';
import { seedDepartments } from './support/seed-departments';
import { seedRuleSet } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  problem,
  redisUrl,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/**
 * Impact as a stored job: 202 with Location, progress and the summary at GET /jobs/{id} (the same summary as the
 * streaming impact), cancel, roles, audit, queue depth in /metrics. In-process on SQLite; BullMQ over the machine's
 * Redis on MariaDB (the two-process take-over is in multi-instance.e2e-spec.ts).
 */
jest.setTimeout(180_000);

const N = 300;
const PUBLISHED = 'guangzhou-department-overall:2021:1';
const DRAFT = 'guangzhou-department-overall:2021:2';

type Setup = () => Promise<{ database: TestDatabase; env: Record<string, string> } | undefined>;

const sqliteInProcess: Setup = async () => ({ database: sqliteDatabase(), env: {} });
const mysqlOnRedis: Setup = async () => {
  const redis = await redisUrl();
  const database = await mysqlDatabase();
  if (!redis || !database) {
    await database?.drop();
    return undefined;
  }
  return { database, env: { REDIS_URL: redis } };
};

/** supertest buffers unknown content types as nothing: read the stream as text. */
const asText = (res: Response, done: (error: Error | null, body: string) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => done(null, text));
};

describe.each([
  ['SQLite, in-process', sqliteInProcess],
  ['MariaDB, BullMQ on Redis', mysqlOnRedis],
] as Array<[string, Setup]>)('Jobs on %s', (_kind, setup) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let evaluatorKey: string;
  let departmentKey: string;
  let published: RuleSetEntity;

  beforeAll(async () => {
    const ready = await setup();
    if (!ready) return;
    database = ready.database;
    t = await createTestApp(database, ready.env);
    const admin = bearer(t.adminKey);
    published = await seedRuleSet(t.app);
    await t.http().post('/rule-sets').set(admin).send(movedBandDraft()).expect(201);
    await seedDepartments(t.app, N, published.id);
    const key = async (payload: object): Promise<string> =>
      (await t.http().post('/api-keys').set(admin).send(payload).expect(201)).body.key;
    evaluatorKey = await key({ name: '评审专家', role: 'evaluator' });
    departmentKey = await key({ name: '部门填报账号', role: 'department', departmentCode: 'jobs-00001' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  const createJob = (key: string, body: object = { against: PUBLISHED, year: 2021 }, ref = DRAFT) =>
    t.http().post(`/rule-sets/${ref}/impact/jobs`).set(bearer(key)).send(body);
  const job = async (id: string, key = evaluatorKey) =>
    (await t.http().get(`/jobs/${id}`).set(bearer(key)).expect(200)).body;
  /** Polls the job until it has ended (or a minute has passed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body, compared by toMatchObject
  const ended = async (id: string): Promise<Record<string, any>> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const current = await job(id);
      if (['succeeded', 'failed', 'cancelled'].includes(current.status) || Date.now() > deadline) return current;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  maybe('an impact job answers 202 with Location, runs to the same summary as the streaming impact', async () => {
    const stream = await t
      .http()
      .post(`/rule-sets/${DRAFT}/impact?rows=false`)
      .set(bearer(evaluatorKey))
      .send({ against: PUBLISHED, year: 2021 })
      .buffer(true)
      .parse(asText)
      .expect(200);
    const lines = (stream.body as string).trim().split('\n');
    const { type: _type, ...expected } = JSON.parse(lines[lines.length - 1]);
    expect(expected.departments).toBe(N);
    expect(expected.changed).toBeGreaterThan(10);

    const created = await createJob(evaluatorKey).expect(202);
    expect(created.headers.location).toBe(`/jobs/${created.body.id}`);
    expect(created.body).toMatchObject({
      kind: 'impact',
      kindLabel: '规则变更影响分析',
      status: 'queued',
      statusLabel: '排队中',
      params: { ref: DRAFT, against: PUBLISHED, year: 2021, lang: 'zh' },
      result: null,
      createdBy: '评审专家',
      attempts: 0,
    });
    const done = await ended(created.body.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      statusLabel: '已完成',
      progress: { done: N, total: N, percent: 100 },
      attempts: 1,
      error: null,
      result: { errors: [], errorCount: 0 },
    });
    expect(done.result.summary).toEqual(expected);
    expect(done.finishedAt >= done.startedAt).toBe(true);

    // any caller of the right role reads it, in English on request; the list has it
    const english = await t
      .http()
      .get(created.headers.location)
      .set(bearer(t.adminKey))
      .set('Accept-Language', 'en')
      .expect(200);
    expect(english.body).toMatchObject({ statusLabel: 'succeeded', kindLabel: 'rule-change impact' });
    const list = await t.http().get('/jobs?status=succeeded').set(bearer(evaluatorKey)).expect(200);
    expect(list.body.map((j: { id: string }) => j.id)).toContain(created.body.id);
  });

  maybe('a queued job is cancelled at once; a finished one cannot be (409); both audited', async () => {
    // three at once on one worker (JOB_CONCURRENCY 1): the third waits behind the others
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createJob(evaluatorKey).expect(202)).body.id);
    const cancelled = await t.http().delete(`/jobs/${ids[2]}`).set(bearer(evaluatorKey)).expect(202);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', statusLabel: '已取消', cancelRequested: true });
    const second = await t.http().post(`/jobs/${ids[1]}/cancel`).set(bearer(t.adminKey)).expect(202);
    expect(second.body.cancelRequested).toBe(true);

    expect(await ended(ids[0])).toMatchObject({ status: 'succeeded' });
    expect(await ended(ids[1])).toMatchObject({ status: 'cancelled', result: null });
    const third = await ended(ids[2]);
    expect(third).toMatchObject({ status: 'cancelled', result: null, attempts: 0, startedAt: null });

    const again = await t.http().post(`/jobs/${ids[0]}/cancel`).set(bearer(evaluatorKey)).expect(409);
    expect(problem(again.body)).toMatchObject({ code: 'CONFLICT', message: '任务已结束（已完成），不能取消' });

    const audit = await t.http().get('/audit?entityType=job&limit=500').set(bearer(t.adminKey)).expect(200);
    const entries = audit.body.filter((e: { entityId: string }) => ids.includes(e.entityId));
    expect(entries.filter((e: { action: string }) => e.action === 'job.created')).toHaveLength(3);
    expect(
      entries
        .filter((e: { action: string }) => e.action === 'job.cancelled')
        .map((e: { entityId: string; actor: string }) => [e.entityId, e.actor])
        .sort(),
    ).toEqual(
      [
        [ids[1], expect.any(String)],
        [ids[2], '评审专家'],
      ].sort(),
    );
  });

  maybe('refusals come before anything is stored: 403 for a department, 404, 422; a missing job is 404', async () => {
    const before = (await t.http().get('/jobs?limit=200').set(bearer(t.adminKey)).expect(200)).body.length;
    await createJob(departmentKey).expect(403);
    const missing = await createJob(evaluatorKey, { against: PUBLISHED, year: 2021 }, 'nope:2021:9').expect(404);
    expect(problem(missing.body).code).toBe('NOT_FOUND');
    const invalid = await createJob(evaluatorKey, { against: PUBLISHED, year: 2020 }).expect(422);
    expect(problem(invalid.body).code).toBe('VALIDATION_FAILED');
    await createJob(evaluatorKey, { year: 2021 }).expect(422);
    expect((await t.http().get('/jobs?limit=200').set(bearer(t.adminKey)).expect(200)).body).toHaveLength(before);

    await t.http().get('/jobs').set(bearer(departmentKey)).expect(403);
    const none = await t.http().get('/jobs/00000000-0000-0000-0000-000000000000').set(bearer(evaluatorKey));
    expect(none.status).toBe(404);
    expect(problem(none.body)).toMatchObject({ code: 'NOT_FOUND' });
    await t.http().get('/jobs?status=done').set(bearer(evaluatorKey)).expect(422);
  });

  maybe('/metrics reports the job queue’s depth', async () => {
    const metrics = await t.http().get('/metrics').set(bearer(t.adminKey)).expect(200);
    expect(metrics.text).toMatch(/^jiping_queue_depth\{queue="jobs"\} 0$/m);
  });
});
