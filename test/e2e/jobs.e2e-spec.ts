import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { JobEntity, type RuleSetEntity } from '@jiping/persistence';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
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

/** The workbook's bytes. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

interface Row {
  department: { code: string; name: string };
  before: { total: string; grade: string };
  after: { total: string; grade: string };
  delta: string;
}

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

    // every progress the job writes, in order
    const writes: Array<Partial<JobEntity>> = [];
    const jobRows = t.app.get<Repository<JobEntity>>(getRepositoryToken(JobEntity));
    const update = jobRows.update.bind(jobRows);
    const spy = jest.spyOn(jobRows, 'update').mockImplementation((where, fields) => {
      if ((fields as Partial<JobEntity>).progressTotal !== undefined) writes.push(fields as Partial<JobEntity>);
      return update(where, fields);
    });
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
    spy.mockRestore();
    // progress moves while the departments are read, before the scoring workers answer: the page read is written
    // with nothing scored yet; then it only goes forward, to every department read and scored
    expect(writes[0]).toMatchObject({ progressDone: 0, progressTotal: N });
    expect(writes.find((w) => w.progressPrepared === N)).toMatchObject({ progressDone: 0 });
    const percents = writes.map((w) => Math.floor((10 * (w.progressPrepared ?? 0) + 90 * w.progressDone!) / N));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(writes.map((w) => w.progressDone)).toEqual(writes.map((w) => w.progressDone).sort((a, b) => a! - b!));
    expect(writes.at(-1)).toMatchObject({ progressDone: N, progressPrepared: N });
    expect(done).toMatchObject({
      status: 'succeeded',
      statusLabel: '已完成',
      progress: { done: N, total: N, prepared: N, percent: 100 },
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

  maybe(
    'a finished job gives every department’s row a page at a time, sorted and filtered, and a workbook',
    async () => {
      const stream = await t
        .http()
        .post(`/rule-sets/${DRAFT}/impact`)
        .set(bearer(evaluatorKey))
        .send({ against: PUBLISHED, year: 2021 })
        .buffer(true)
        .parse(asText)
        .expect(200);
      const lines = (stream.body as string)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const streamed: Row[] = lines.filter((l) => l.type === 'row').map(({ type: _type, ...row }) => row);
      streamed.sort((a, b) => (a.department.code < b.department.code ? -1 : 1));
      const summary = lines[lines.length - 1];

      const id = (await createJob(evaluatorKey).expect(202)).body.id;
      const early = await t.http().get(`/jobs/${id}/result/departments`).set(bearer(evaluatorKey));
      if (early.status !== 200) expect(problem(early.body)).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
      expect(await ended(id)).toMatchObject({ status: 'succeeded' });
      const page = (query: string) =>
        t.http().get(`/jobs/${id}/result/departments?${query}`).set(bearer(evaluatorKey)).expect(200);

      // every department, by code, as the stream's rows, over pages of 120
      const all: Row[] = [];
      for (let offset: number | null = 0; offset !== null; ) {
        const body: { items: Row[]; total: number; next: number | null } = (await page(`limit=120&offset=${offset}`))
          .body;
        expect(body.total).toBe(N);
        all.push(...body.items);
        offset = body.next;
      }
      expect(all).toEqual(streamed);

      // the biggest falls first, then the department code; the rises (none here) and the unchanged
      const down = (await page('move=down&sort=delta&limit=500')).body;
      expect(down.total).toBe(summary.lowered);
      const byFall = streamed
        .filter((r) => r.delta.startsWith('-'))
        .sort((a, b) => new Decimal(a.delta).cmp(b.delta) || (a.department.code < b.department.code ? -1 : 1));
      expect(down.items).toEqual(byFall);
      expect(down.items[0].delta).toBe(summary.delta.min.delta);
      expect((await page('move=up&sort=-delta')).body).toMatchObject({ total: summary.raised, items: [], next: null });
      expect((await page('move=unchanged&limit=1')).body.total).toBe(N - summary.changed);

      // a cell of the transition matrix
      const cell = await page(`before=${encodeURIComponent('优')}&after=${encodeURIComponent('优')}&limit=500`);
      expect(cell.body.total).toBe(summary.transitions['优']['优']);
      expect(cell.body.total).toBeGreaterThan(0);
      for (const row of cell.body.items as Row[]) expect([row.before.grade, row.after.grade]).toEqual(['优', '优']);
      const none = await page(`before=${encodeURIComponent('优')}&after=${encodeURIComponent('差')}`);
      expect(none.body).toMatchObject({ total: 0, items: [], next: null });

      // the workbook: every department's figures as numbers, the matrix, the indicators by their Chinese path
      const file = await t.http().get(`/jobs/${id}/result.xlsx`).set(bearer(evaluatorKey)).buffer(true).parse(binary);
      expect(file.status).toBe(200);
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="impact-2021-guangzhou-department-overall-2021-2.xlsx"; filename*=UTF-8''${encodeURIComponent(
          `影响分析-2021年数据-${published.title}第2版.xlsx`,
        )}`,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as ArrayBuffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['概要', '等次变动', '部门明细', '指标变动']);
      const detail = workbook.getWorksheet('部门明细')!;
      expect(detail.getRow(3).values).toEqual([
        undefined,
        ...['序号', '部门代码', '部门', '原总分', '原等次', '新总分', '新等次', '变动', '使用的假设值'],
      ]);
      const moved = streamed.findIndex((r) => r.delta !== '0.000');
      const row = detail.getRow(4 + moved);
      const r = streamed[moved];
      expect([2, 3, 4, 5, 6, 7, 8].map((c) => row.getCell(c).value)).toEqual([
        r.department.code,
        r.department.name,
        Number(r.before.total),
        r.before.grade,
        Number(r.after.total),
        r.after.grade,
        Number(r.delta),
      ]);
      expect(row.getCell(8).numFmt).toBe('0.000');
      expect(detail.rowCount).toBe(3 + N);
      const matrix = workbook.getWorksheet('等次变动')!;
      expect(matrix.getRow(3).getCell(1).value).toBe('原等次＼新等次');
      expect(matrix.getRow(4).getCell(1).value).toBe('优');
      expect(matrix.getRow(4).getCell(2).value).toBe(summary.transitions['优']['优']);
      const indicators = workbook.getWorksheet('指标变动')!;
      expect(indicators.getRow(4).getCell(1).value).toBe('管理效能 › 资产管理 › 固定资产利用率');
      expect(indicators.getRow(4).getCell(2).value).toBe(Number(summary.indicators[0].meanDelta));

      // refusals: a department key, a bad query, no such job
      await t.http().get(`/jobs/${id}/result/departments`).set(bearer(departmentKey)).expect(403);
      await t.http().get(`/jobs/${id}/result.xlsx`).set(bearer(departmentKey)).expect(403);
      const bad = await t.http().get(`/jobs/${id}/result/departments?sort=size&limit=501`).set(bearer(evaluatorKey));
      expect(bad.status).toBe(422);
      const details = problem(bad.body).details as Array<{ pointer: string }>;
      expect(details.map((d) => d.pointer)).toEqual(
        expect.arrayContaining([expect.stringMatching(/limit/), expect.stringMatching(/sort/)]),
      );
      await t
        .http()
        .get('/jobs/00000000-0000-0000-0000-000000000000/result.xlsx')
        .set(bearer(evaluatorKey))
        .expect(404);
    },
  );

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
    // a cancelled job has no result to read
    const none = await t.http().get(`/jobs/${ids[1]}/result/departments`).set(bearer(evaluatorKey)).expect(409);
    expect(problem(none.body)).toMatchObject({ code: 'CONFLICT', message: '任务已取消，还没有可查看的影响分析结果' });
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
