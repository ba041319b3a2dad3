import { DepartmentYearEntity } from '@jiping/persistence';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DataSource } from 'typeorm';
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
 * The jobs besides impact, through HTTP: a year re-scored after a rule fix (every department whose status allows it
 * gets one new evaluation with its audit row, 已定稿 and unsubmitted ones are skipped with the reason; run again after
 * its instance stopped, it scores nobody twice and ends with the same result) and a department list imported as a
 * job (checked on upload, nothing stored when a row fails; applied by the job). In-process on SQLite, BullMQ over
 * the machine's Redis on MariaDB; the two-process take-over of a re-scoring is in multi-instance.e2e-spec.ts.
 */
jest.setTimeout(240_000);

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec reads response bodies */

const N = 30;
const V1 = 'guangzhou-department-overall:2021:1';
const V2 = 'guangzhou-department-overall:2021:2';
const REASON = '固定资产利用率评分区间修正（第2版规则）';
const code = (i: number) => `jobs-${String(i).padStart(5, '0')}`;

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

const csvOf = (rows: string[][]): Buffer =>
  Buffer.from(['部门代码,部门名称,地区,上级部门代码', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n', 'utf8');

describe.each([
  ['SQLite, in-process', sqliteInProcess],
  ['MariaDB, BullMQ on Redis', mysqlOnRedis],
] as Array<[string, Setup]>)('Re-scoring and import jobs on %s', (_kind, setup) => {
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  let department: Record<string, string>;

  const count = async (table: string, where = ''): Promise<number> => {
    const [row] = await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table} ${where}`);
    return Number(row.n);
  };
  const job = async (id: string) => (await t.http().get(`/jobs/${id}`).set(evaluator).expect(200)).body;
  const ended = async (id: string): Promise<Record<string, any>> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const current = await job(id);
      if (['succeeded', 'failed', 'cancelled'].includes(current.status) || Date.now() > deadline) return current;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const jobCount = async () => (await t.http().get('/jobs?limit=200').set(admin).expect(200)).body.length;

  beforeAll(async () => {
    const ready = await setup();
    if (!ready) return;
    database = ready.database;
    env = ready.env;
    t = await createTestApp(database, env);
    admin = bearer(t.adminKey);
    const published = await seedRuleSet(t.app);
    await t.http().post('/rule-sets').set(admin).send(movedBandDraft()).expect(201);
    await seedDepartments(t.app, N, published.id);
    // every department has handed in revision 1 (已提交) …
    const now = new Date();
    await t.app.get<Repository<DepartmentYearEntity>>(getRepositoryToken(DepartmentYearEntity)).insert(
      Array.from({ length: N }, (_, i) => ({
        departmentCode: code(i + 1),
        fiscalYear: 2021,
        status: 'submitted' as const,
        approvedTargetRevision: 1,
        submittedRevision: 1,
        submittedAt: now,
        submittedBy: 'e2e seed',
        updatedAt: now,
      })),
    );
    const key = async (payload: object) =>
      bearer((await t.http().post('/api-keys').set(admin).send(payload).expect(201)).body.key);
    evaluator = await key({ name: '评审专家', role: 'evaluator' });
    department = await key({ name: '部门填报账号', role: 'department', departmentCode: code(1) });
    // … jobs-00001 and -00002 are scored under version 1; -00002 is reviewed and 已定稿; -00003 is 已退回
    for (const c of [code(1), code(2), code(3)]) {
      await t.http().post(`/departments/${c}/years/2021/evaluations`).set(evaluator).send({}).expect(201);
    }
    await t
      .http()
      .post(`/departments/${code(2)}/years/2021/review`)
      .set(evaluator)
      .send({})
      .expect(200);
    await t
      .http()
      .post(`/departments/${code(2)}/years/2021/finalise`)
      .set(evaluator)
      .send({})
      .expect(200);
    await t
      .http()
      .post(`/departments/${code(3)}/years/2021/return`)
      .set(evaluator)
      .send({ reason: '佐证材料不全' })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe(
    'refusals come first and make no job: department key 403, unknown 404, draft, wrong year, no reason 422',
    async () => {
      const before = await jobCount();
      const rescore = (body: object, headers = evaluator, year: string | number = 2021) =>
        t.http().post(`/years/${year}/rescore/jobs`).set(headers).send(body);
      await rescore({ reason: REASON }, department).expect(403);
      expect(problem((await rescore({ reason: REASON, ruleSetRef: 'nope:2021:1' }).expect(404)).body).code).toBe(
        'NOT_FOUND',
      );
      const draft = await rescore({ reason: REASON, ruleSetRef: V2 }).expect(422);
      expect(problem(draft.body)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ pointer: '/ruleSetRef', message: '指向的是草稿' }],
      });
      const wrongYear = await rescore({ reason: REASON, ruleSetRef: V1 }, evaluator, 2022).expect(422);
      expect(problem(wrongYear.body).message).toBe(`规则集“${V1}”是 2021 年度的，不是 2022 年度的`);
      const nothing = await rescore({ reason: REASON }, evaluator, 2020).expect(422);
      expect(problem(nothing.body).message).toBe('2020 年度没有已发布的规则集，无法重新评分');
      const noReason = problem((await rescore({}).expect(422)).body).details as Array<{ pointer: string }>;
      expect(new Set(noReason.map((d) => d.pointer))).toEqual(new Set(['/reason']));
      const blank = await rescore({ reason: '   ' }).expect(422);
      expect(problem(blank.body).details).toEqual([{ pointer: '/reason', message: '原因不能为空白' }]);
      await rescore({ reason: REASON }, evaluator, 'abc').expect(422);
      expect(await jobCount()).toBe(before);
    },
  );

  maybe('after the fix is published, a rescore job scores every eligible department once under it', async () => {
    const old1 = (
      await t
        .http()
        .get(`/departments/${code(1)}/years/2021/evaluations/latest`)
        .set(evaluator)
    ).body;
    await t.http().post(`/rule-sets/${V2}/publish`).set(admin).expect(200);
    const evaluationsBefore = await count('evaluation');

    const created = await t.http().post('/years/2021/rescore/jobs').set(evaluator).send({ reason: REASON }).expect(202);
    expect(created.headers.location).toBe(`/jobs/${created.body.id}`);
    expect(created.body).toMatchObject({
      kind: 'rescore',
      kindLabel: '年度重新评分',
      status: 'queued',
      statusLabel: '排队中',
      params: { year: 2021, ruleSet: 'in-force', ruleSets: { 'guangzhou-department-overall': V2 }, reason: REASON },
      createdBy: '评审专家',
    });
    const done = await ended(created.body.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      error: null,
      progress: { done: N, total: N, percent: 100 },
    });
    const result = done.result;
    expect(result).toMatchObject({
      year: 2021,
      ruleSet: 'in-force',
      complete: true,
      counts: { departments: N, rescored: N - 2, skipped: 2 },
      skippedByStatus: expect.arrayContaining([
        { status: 'finalised', statusLabel: '已定稿', count: 1 },
        { status: 'returned', statusLabel: '已退回', count: 1 },
      ]),
    });
    expect(result.skipped.map((s: any) => [s.code, s.statusLabel])).toEqual([
      [code(2), '已定稿'],
      [code(3), '已退回'],
    ]);
    expect(result.skipped[0].reason).toMatch(/^jobs-00002 2021年度当前为「已定稿」，不能正式评分：已定稿/);
    // some departments move under the moved band, and exactly those are `changed`
    expect(result.counts.changed).toBeGreaterThan(0);
    expect(result.counts.changed + result.counts.unchanged).toBe(N - 2);
    const first = result.departments.find((d: any) => d.code === code(1));
    expect(first).toMatchObject({
      name: '第1部门',
      status: 'scored',
      statusLabel: '已评分',
      old: { total: old1.total, grade: old1.grade },
      new: { ruleSet: V2, sequence: 2 },
    });
    const never = result.departments.find((d: any) => d.code === code(4));
    expect(never).toMatchObject({ status: 'submitted', old: null, new: { sequence: 1 }, changed: true });

    // one new evaluation per rescored department, none for the skipped; each the latest, with its audit row
    expect(await count('evaluation')).toBe(evaluationsBefore + N - 2);
    expect(await count('evaluation', `WHERE department_code = '${code(2)}'`)).toBe(1);
    for (const d of result.departments.slice(0, 5)) {
      const latest = (await t.http().get(`/departments/${d.code}/years/2021/evaluations/latest`).set(evaluator)).body;
      expect(latest).toMatchObject({ id: d.new.evaluationId, total: d.new.total, grade: d.new.grade });
      expect(latest.ruleSet.ref).toBe(V2);
    }
    const audit = (await t.http().get('/audit?action=evaluation.created&limit=500').set(admin).expect(200)).body;
    const byJob = audit.filter((e: any) => e.details?.job === created.body.id);
    expect(byJob).toHaveLength(N - 2);
    expect(byJob[0]).toMatchObject({ actor: '评审专家', reason: REASON });
    const jobAudit = (await t.http().get('/audit?entityType=job&limit=500').set(admin).expect(200)).body.filter(
      (e: any) => e.entityId === created.body.id,
    );
    expect(jobAudit.map((e: any) => e.action).sort()).toEqual(['job.created', 'job.finished', 'job.started']);
    expect(jobAudit.find((e: any) => e.action === 'job.created').reason).toBe(REASON);
    expect(jobAudit.find((e: any) => e.action === 'job.finished').details).toMatchObject({
      kind: 'rescore',
      status: 'succeeded',
      counts: result.counts,
    });
    // the 已定稿 year is untouched; a rescored 已评分 one is 已评分 with the new total
    const finalised = (
      await t
        .http()
        .get(`/departments/${code(2)}/years/2021`)
        .set(evaluator)
        .expect(200)
    ).body;
    expect(finalised.status).toBe('finalised');

    // a list leaves out the per-department lists
    const listed = (await t.http().get('/jobs?kind=rescore').set(evaluator).expect(200)).body;
    const { departments: _d, skipped: _s, ...brief } = result;
    expect(listed.find((j: any) => j.id === created.body.id).result).toEqual(brief);

    // English on request
    const en = (await t.http().get(`/jobs/${created.body.id}`).set(evaluator).set('Accept-Language', 'en')).body;
    expect(en).toMatchObject({ kindLabel: 'year re-scored', statusLabel: 'succeeded' });

    if (database!.kind === 'sqlite') {
      // The instance stops with the job running (as if it died mid-run); the next start runs it again: no
      // department is scored twice and the result is the same.
      await t.app
        .get(DataSource)
        .query(`UPDATE job SET status = 'running', finished_at = NULL WHERE id = ?`, [created.body.id]);
      await t.close();
      t = await createTestApp(database!, { ...env, JIPING_BOOTSTRAP_ADMIN_KEY: t.adminKey });
      const again = await ended(created.body.id);
      expect(again).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(again.result).toEqual(result);
      expect(await count('evaluation')).toBe(evaluationsBefore + N - 2);
    }
  });

  maybe(
    'a named published version scores only the departments of its rule set; a finished job cannot be cancelled',
    async () => {
      const created = await t
        .http()
        .post('/years/2021/rescore/jobs')
        .set(admin)
        .send({ reason: '复核', ruleSetRef: V1 })
        .expect(202);
      expect(created.body.params).toMatchObject({ ruleSet: V1, ruleSets: { 'guangzhou-department-overall': V1 } });
      const done = await ended(created.body.id);
      expect(done.status).toBe('succeeded');
      expect(done.result.counts).toMatchObject({ rescored: N - 2, skipped: 2 });
      expect(done.result.departments.every((d: any) => d.new.ruleSet === V1)).toBe(true);
      // back under version 1, its totals are the ones before the fix
      const back = done.result.departments.find((d: any) => d.code === code(1));
      expect(back.new.sequence).toBe(3);

      const finished = await t.http().post(`/jobs/${created.body.id}/cancel`).set(admin).expect(409);
      expect(problem(finished.body).message).toBe('任务已结束（已完成），不能取消');
    },
  );

  maybe('a rescore cancelled at once stores exactly what its result lists', async () => {
    const evaluationsBefore = await count('evaluation');
    const created = await t.http().post('/years/2021/rescore/jobs').set(admin).send({ reason: '试运行' }).expect(202);
    const cancelled = await t.http().post(`/jobs/${created.body.id}/cancel`).set(admin).expect(202);
    expect(cancelled.body.cancelRequested).toBe(true);
    const done = await ended(created.body.id);
    expect(done.status).toBe('cancelled');
    // cancelled while queued: nothing ran, no result; once running (the cancel is served between two departments,
    // SQLite too): it stopped before the next department and its result names every department it scored
    // (complete false) — either way no evaluation the result does not list
    if (done.attempts > 0) expect(done.result).toMatchObject({ complete: false });
    else expect(done.result).toBeNull();
    const scored: Array<{ new: { evaluationId: string } }> = done.result?.departments ?? [];
    expect(scored.length).toBeLessThan(N - 2);
    expect(await count('evaluation')).toBe(evaluationsBefore + scored.length);
    const audit = (await t.http().get('/audit?action=evaluation.created&limit=500').set(admin).expect(200)).body;
    expect(
      audit
        .filter((e: any) => e.details?.job === created.body.id)
        .map((e: any) => e.entityId)
        .sort(),
    ).toEqual(scored.map((d) => d.new.evaluationId).sort());
  });

  maybe('a department list as a job: a bad row refuses the upload by row and column and makes no job', async () => {
    const before = await jobCount();
    const bad = csvOf([
      ['gz-a', '甲单位', '广州市', ''],
      ['gz-b', '乙单位', '广州市', 'gz-nowhere'],
    ]);
    const refused = await t
      .http()
      .post('/departments/import/jobs')
      .set(admin)
      .attach('file', bad, '部门名单.csv')
      .expect(422);
    expect(problem(refused.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '部门名单有 1 处错误（第 3 行），未导入任何部门：请改正后重新上传',
      details: [
        {
          pointer: '/rows/3/parentCode',
          path: '第3行“上级部门代码”',
          message:
            '第3行“上级部门代码”：没有部门代码为“gz-nowhere”的部门（系统中和本文件中都没有）：请填写上级部门的部门代码，或先导入上级部门',
        },
      ],
    });
    await t.http().post('/departments/import/jobs').set(evaluator).attach('file', bad, 'x.csv').expect(403);
    const none = await t.http().post('/departments/import/jobs').set(admin).field('x', '1').expect(422);
    expect(problem(none.body).details).toEqual([expect.objectContaining({ pointer: '/file' })]);
    expect(await jobCount()).toBe(before);
    expect(await count('department', "WHERE code IN ('gz-a', 'gz-b')")).toBe(0);
  });

  maybe('a clean list is stored with the job and applied by it, each change audited', async () => {
    const rows = [
      ['gz-p', '广州市某区财政局', '广州市', ''],
      ...Array.from({ length: 40 }, (_, i) => [`gz-p-u${i}`, `第${i + 1}预算单位`, '广州市', 'gz-p']),
      [code(5), '第5部门（更名）', '广州市', ''],
    ];
    const created = await t
      .http()
      .post('/departments/import/jobs')
      .set(admin)
      .attach('file', csvOf(rows), '部门名单.csv')
      .expect(202);
    expect(created.body).toMatchObject({
      kind: 'department-import',
      kindLabel: '部门名单导入',
      params: { fileName: '部门名单.csv', rows: 42, created: 41, updated: 1, unchanged: 0, skipped: 0 },
    });
    const done = await ended(created.body.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { done: 42, total: 42 },
      result: { dryRun: false, created: 41, updated: 1, unchanged: 0, skipped: 0 },
    });
    expect(done.result.rows[41]).toEqual({ row: 43, code: code(5), action: 'updated', changed: ['name'] });
    expect(await count('department', "WHERE code LIKE 'gz-p%'")).toBe(41);
    const renamed = (
      await t
        .http()
        .get(`/departments/${code(5)}`)
        .set(admin)
        .expect(200)
    ).body;
    expect(renamed.name).toBe('第5部门（更名）');
    expect(await count('audit_log', "WHERE action = 'department.created' AND entity_id LIKE 'gz-p%'")).toBe(41);
    const jobAudit = (await t.http().get('/audit?entityType=job&limit=500').set(admin).expect(200)).body.filter(
      (e: any) => e.entityId === created.body.id,
    );
    expect(jobAudit.map((e: any) => e.action).sort()).toEqual(['job.created', 'job.finished', 'job.started']);
    const list = (await t.http().get('/jobs?kind=department-import').set(admin).expect(200)).body;
    expect(list.map((j: any) => j.id)).toEqual([created.body.id]);
    // the list leaves out the rows (GET /jobs/{id} has them)
    expect(list[0].result).toEqual({ dryRun: false, created: 41, updated: 1, unchanged: 0, skipped: 0 });

    // the same list again: nothing to change, and the synchronous route still answers small files
    const same = await t.http().post('/departments/import').set(admin).attach('file', csvOf(rows), 'x.csv').expect(200);
    expect(same.body).toMatchObject({ created: 0, updated: 0, unchanged: 42 });
  });
  maybe(
    'rows checked on upload are checked again when applied: a parent retired meanwhile fails the job by row',
    async () => {
      await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ code: 'gz-r', name: '某街道办', region: '广州市' })
        .expect(201);
      // a re-scoring first, so that the import waits behind it (one job at a time) while its parent is retired
      const blocker = await t.http().post('/years/2021/rescore/jobs').set(admin).send({ reason: '排队' }).expect(202);
      const created = await t
        .http()
        .post('/departments/import/jobs')
        .set(admin)
        .attach('file', csvOf([['gz-r-u1', '某社区服务中心', '广州市', 'gz-r']]), 'list.csv')
        .expect(202);
      await t.http().post('/departments/gz-r/retire').set(admin).send({ reason: '机构改革' }).expect(200);
      expect((await job(blocker.body.id)).status).toMatch(/^(queued|running)$/);
      expect((await job(created.body.id)).status).toBe('queued');

      const failed = await ended(created.body.id);
      expect(failed).toMatchObject({
        status: 'failed',
        statusLabel: '失败',
        result: null,
        error: {
          code: 'VALIDATION_FAILED',
          message: '部门名单有 1 处错误（第 2 行），未导入任何部门：请改正后重新上传',
          details: [
            {
              pointer: '/rows/2/parentCode',
              path: '第2行“上级部门代码”',
              message: '第2行“上级部门代码”：上级部门“某街道办”（gz-r）已撤销，不能作为上级部门',
            },
          ],
        },
      });
      expect(await count('department', "WHERE code = 'gz-r-u1'")).toBe(0);
      const finishedAudit = (await t.http().get('/audit?action=job.finished&limit=500').set(admin).expect(200)).body;
      expect(finishedAudit.find((e: any) => e.entityId === created.body.id).details).toMatchObject({
        kind: 'department-import',
        status: 'failed',
        error: 'VALIDATION_FAILED',
      });
      expect(await ended(blocker.body.id)).toMatchObject({ status: 'succeeded' });
    },
  );
});
