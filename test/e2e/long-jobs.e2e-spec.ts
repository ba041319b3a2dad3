import { DepartmentYearEntity } from '@jiping/persistence';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DataSource } from 'typeorm';
import Decimal from 'decimal.js';
import { movedBandDraft } from '../support/moved-band-draft';
import { DepartmentImportJobService } from '../../apps/api/src/jobs/department-import-job.service';
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
/** 复核 as an evaluator makes them: 结果应用 judged 部分达成 (1.5 of 2: fits 0.6–0.8 of the indicator), 事前评估 met. */
const RESULT_APPLICATION = {
  pointer: '/inputs/resultApplication',
  value: { score: '1.5', tier: 'partial', reason: '整改措施部分落实' },
  reason: '绩效结果应用整改未全部落实，评为部分达成',
};
const PRE_ASSESSMENT = {
  pointer: '/inputs/budgetPreparation/preAssessment',
  value: true,
  reason: '已开展事前绩效评估，佐证见预算评审意见',
};

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

const pick = ({ selfScore, reviewScore, total, grade }: Record<string, unknown>) => ({
  selfScore,
  reviewScore,
  total,
  grade,
});

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
  /** Every department of a re-scoring's result, read a page at a time: re-scored and skipped apart. */
  const outcomes = async (id: string, limit = 500) => {
    const items: any[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page: { items: any[]; next: number | null } = (
        await t.http().get(`/jobs/${id}/result/departments?limit=${limit}&offset=${offset}`).set(evaluator).expect(200)
      ).body;
      items.push(...page.items);
      offset = page.next;
    }
    return {
      items,
      departments: items.filter((i) => i.outcome === 'rescored'),
      skipped: items.filter((i) => i.outcome === 'skipped'),
    };
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
    // … jobs-00001, -00002, -00003, -00005 and -00006 are scored under version 1; -00002 is adjusted (复核), reviewed
    // and 已定稿; -00003 is 已退回; -00005 (固定资产利用率 87 %: the fix leaves it) and -00006 (94 %: the fix costs it
    // 0.5) are adjusted — -00005 twice, by two people — and 已复核
    const scored: Record<string, string> = {};
    for (const c of [code(1), code(2), code(3), code(5), code(6)]) {
      scored[c] = (
        await t.http().post(`/departments/${c}/years/2021/evaluations`).set(evaluator).send({}).expect(201)
      ).body.id;
    }
    const adjust = async (c: string, from: string, adjustments: object[], headers = evaluator) =>
      (
        await t
          .http()
          .post(`/departments/${c}/years/2021/evaluations/${from}/adjustments`)
          .set(headers)
          .send({ adjustments })
          .expect(201)
      ).body.id as string;
    await adjust(code(2), scored[code(2)], [RESULT_APPLICATION]);
    const firstReview = await adjust(code(5), scored[code(5)], [RESULT_APPLICATION]);
    await adjust(code(5), firstReview, [PRE_ASSESSMENT], admin);
    await adjust(code(6), scored[code(6)], [RESULT_APPLICATION]);
    for (const c of [code(5), code(6)]) {
      await t.http().post(`/departments/${c}/years/2021/review`).set(evaluator).send({}).expect(200);
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
    const yearOf = async (c: string) =>
      (await t.http().get(`/departments/${c}/years/2021`).set(evaluator).expect(200)).body;
    const evaluationsOf = async (c: string) =>
      (await t.http().get(`/departments/${c}/years/2021/evaluations`).set(evaluator).expect(200)).body;
    const [year5, year6, evaluations5, evaluations2] = [
      await yearOf(code(5)),
      await yearOf(code(6)),
      await evaluationsOf(code(5)),
      await evaluationsOf(code(2)),
    ];
    expect(year5).toMatchObject({ status: 'reviewed' });
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
    // the result is a summary of counts; the departments are read a page at a time (pages of 7 here)
    expect(Object.keys(result).sort()).toEqual(['complete', 'counts', 'ruleSet', 'skippedByStatus', 'year']);
    expect(JSON.stringify(result).length).toBeLessThan(1_000);
    const { items, departments, skipped } = await outcomes(created.body.id, 7);
    expect(items.map((i: any) => i.code)).toEqual(Array.from({ length: N }, (_, i) => code(i + 1)));
    expect(await outcomes(created.body.id)).toEqual({ items, departments, skipped });
    expect(result).toMatchObject({
      year: 2021,
      ruleSet: 'in-force',
      complete: true,
      counts: { departments: N, rescored: N - 2, skipped: 2, carriedOver: 2, notCarriedOver: 0, toConfirm: 1 },
      skippedByStatus: expect.arrayContaining([
        { status: 'finalised', statusLabel: '已定稿', count: 1 },
        { status: 'returned', statusLabel: '已退回', count: 1 },
      ]),
    });
    expect(skipped.map((s: any) => [s.code, s.statusLabel])).toEqual([
      [code(2), '已定稿'],
      [code(3), '已退回'],
    ]);
    expect(skipped[0].reason).toMatch(/^jobs-00002 2021年度当前为「已定稿」，不能正式评分：已定稿/);
    // some departments move under the moved band, and exactly those are `changed`
    expect(result.counts.changed).toBeGreaterThan(0);
    expect(result.counts.changed + result.counts.unchanged).toBe(N - 2);
    const first = departments.find((d: any) => d.code === code(1));
    expect(first).toMatchObject({
      name: '第1部门',
      status: 'scored',
      statusLabel: '已评分',
      old: { total: old1.total, grade: old1.grade },
      new: { ruleSet: V2, sequence: 2 },
    });
    const never = departments.find((d: any) => d.code === code(4));
    expect(never).toMatchObject({ status: 'submitted', old: null, new: { sequence: 1 }, changed: true });

    // the 复核 of -00005 and -00006 is made again on the new scoring: the same adjustments, values and reasons, each
    // in the name of whoever made it, the chain rebuilt on the new scoring, audited as carried over
    const five = departments.find((d: any) => d.code === code(5));
    expect(five).toMatchObject({
      status: 'reviewed',
      statusAfter: 'reviewed',
      statusAfterLabel: '已复核',
      old: { total: year5.score.reviewScore, grade: year5.score.grade },
      new: { total: year5.score.reviewScore, grade: year5.score.grade, ruleSet: V2, sequence: 6 },
      changed: false,
      carriedOver: { evaluations: 2, adjustments: 2, review: 'kept', selfTotal: year5.score.selfScore },
    });
    expect(five.carriedOver.note).toBe(
      `复核调整 2 项已按原值、原理由沿用到新评分（自评分 ${year5.score.selfScore}，复核分 ${year5.score.reviewScore}）；` +
        '复核分与等次未变，保持“已复核”',
    );
    const after5 = await evaluationsOf(code(5));
    const [newest, middle, rescoring] = after5;
    expect(after5.slice(3).map((e: any) => e.id)).toEqual(evaluations5.map((e: any) => e.id));
    expect(rescoring).toMatchObject({ sequence: 4, adjustedFrom: null, adjustments: null, createdBy: '评审专家' });
    expect(middle).toMatchObject({
      sequence: 5,
      adjustedFrom: rescoring.id,
      adjustments: evaluations5[1].adjustments,
      createdBy: evaluations5[1].createdBy,
    });
    expect(newest).toMatchObject({
      id: five.new.evaluationId,
      adjustedFrom: middle.id,
      adjustments: [RESULT_APPLICATION, PRE_ASSESSMENT],
      createdBy: evaluations5[0].createdBy,
      ruleSet: { ref: V2 },
    });
    expect(evaluations5[0].createdBy).not.toBe(evaluations5[1].createdBy);
    expect(await yearOf(code(5))).toMatchObject({
      status: 'reviewed',
      score: { evaluationId: newest.id, scoredEvaluationId: rescoring.id, ...pick(year5.score) },
      reviewed: year5.reviewed,
    });
    // -00006 loses 0.5 under the fix: its 复核 is carried over and it is 已评分 again, for the evaluator to confirm
    const six = departments.find((d: any) => d.code === code(6));
    expect(six).toMatchObject({
      status: 'reviewed',
      statusAfter: 'scored',
      statusAfterLabel: '已评分',
      old: { total: year6.score.reviewScore },
      changed: true,
      carriedOver: { evaluations: 1, adjustments: 1, review: 'to-confirm' },
    });
    expect(new Decimal(year6.score.reviewScore).minus(six.new.total).toString()).toBe('0.5');
    expect(six.carriedOver.note).toMatch(/已回到“已评分”，请复核人员确认后重新完成复核$/);
    expect(await yearOf(code(6))).toMatchObject({
      status: 'scored',
      score: { selfScore: six.carriedOver.selfTotal, reviewScore: six.new.total, total: six.new.total },
      reviewed: null,
    });
    // the 已定稿 -00002 keeps its two evaluations, the adjusted one in force
    expect(await evaluationsOf(code(2))).toEqual(evaluations2);
    const adjustedAudit = (
      await t.http().get('/audit?action=evaluation.adjusted&limit=500').set(admin).expect(200)
    ).body.filter((e: any) => e.details?.job === created.body.id);
    expect(adjustedAudit).toHaveLength(3);
    expect(adjustedAudit.find((e: any) => e.entityId === newest.id)).toMatchObject({
      actor: '评审专家',
      departmentCode: code(5),
      reason: PRE_ASSESSMENT.reason,
      details: {
        carriedOver: true,
        carriedOverFrom: evaluations5[0].id,
        adjustedBy: evaluations5[0].createdBy,
        adjustedFrom: middle.id,
        pointers: [PRE_ASSESSMENT.pointer],
      },
    });
    const moves = (
      await t
        .http()
        .get(`/audit?departmentCode=${code(5)}&limit=500`)
        .set(admin)
        .expect(200)
    ).body
      .filter((e: any) => e.details?.job === created.body.id || e.action.startsWith('year.'))
      .filter((e: any) => new Date(e.at ?? e.createdAt) >= new Date(done.startedAt ?? 0));
    expect(moves.map((e: any) => e.action).sort()).toEqual(
      ['evaluation.adjusted', 'evaluation.adjusted', 'evaluation.created', 'year.reviewed', 'year.scored'].sort(),
    );
    expect(moves.find((e: any) => e.action === 'year.reviewed').details).toMatchObject({
      from: 'scored',
      to: 'reviewed',
      carriedOver: true,
      reviewedBy: year5.reviewed.by,
    });

    // one new evaluation per rescored department (and the 复核 carried over), none for the skipped; each the latest,
    // with its audit row
    expect(await count('evaluation')).toBe(evaluationsBefore + N - 2 + 3);
    expect(await count('evaluation', `WHERE department_code = '${code(2)}'`)).toBe(2);
    for (const d of departments.slice(0, 5)) {
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
    expect(listed.find((j: any) => j.id === created.body.id).result).toEqual(result);
    // filtered: the skipped, the changed; sorted by code only
    const page = (query: string) => t.http().get(`/jobs/${created.body.id}/result/departments?${query}`).set(evaluator);
    expect((await page('outcome=skipped').expect(200)).body).toMatchObject({ total: 2, next: null, items: skipped });
    const changed = (await page('move=changed&limit=500').expect(200)).body;
    expect(changed.total).toBe(result.counts.changed);
    expect(changed.items.every((d: any) => d.outcome === 'rescored' && d.changed)).toBe(true);
    const bySize = await page('sort=delta').expect(422);
    expect(problem(bySize.body).details).toEqual([{ pointer: '/sort', message: '只能为 code' }]);

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
      expect(await outcomes(created.body.id)).toEqual({ items, departments, skipped });
      expect(await count('evaluation')).toBe(evaluationsBefore + N - 2 + 3);
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
      const { departments } = await outcomes(created.body.id);
      expect(departments.every((d: any) => d.new.ruleSet === V1)).toBe(true);
      // back under version 1, its totals are the ones before the fix
      const back = departments.find((d: any) => d.code === code(1));
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
    const scored: Array<{ new: { evaluationId: string }; carriedOver?: { evaluations: number } }> = done.result
      ? (await outcomes(created.body.id)).departments
      : [];
    expect(scored.length).toBeLessThan(N - 2);
    expect(await count('evaluation')).toBe(
      evaluationsBefore + scored.reduce((n, d) => n + 1 + (d.carriedOver?.evaluations ?? 0), 0),
    );
    const audit = (await t.http().get('/audit?action=evaluation.created&limit=500').set(admin).expect(200)).body;
    expect(
      audit
        .filter((e: any) => e.details?.job === created.body.id)
        .map((e: any) => e.entityId)
        .sort(),
    ).toEqual(scored.map((d) => d.new.evaluationId).sort());
  });

  maybe(
    'a 复核 that no longer fits the new rules leaves its department as it was, listed with the reason in Chinese',
    async () => {
      // version 3 narrows 绩效结果应用's 部分达成 to 0.6–0.7 of its 2 分: the 1.5 the evaluator gave no longer fits
      const file = movedBandDraft() as any;
      const walk = (nodes: any[]): any[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
      const tiers = walk(file.indicators).find((n) => n.code === 'result-application').method.tiers;
      tiers.find((tier: any) => tier.code === 'achieved').min = '0.7';
      tiers.find((tier: any) => tier.code === 'partial').max = '0.7';
      file.version = '2021.3.0';
      const V3 = (await t.http().post('/rule-sets').set(admin).send(file).expect(201)).body.ref as string;
      await t.http().post(`/rule-sets/${V3}/publish`).set(admin).expect(200);
      const before = {
        five: (
          await t
            .http()
            .get(`/departments/${code(5)}/years/2021`)
            .set(evaluator)
            .expect(200)
        ).body,
        six: (
          await t
            .http()
            .get(`/departments/${code(6)}/years/2021`)
            .set(evaluator)
            .expect(200)
        ).body,
        evaluations: await count('evaluation', `WHERE department_code IN ('${code(5)}', '${code(6)}')`),
      };
      const created = await t.http().post('/years/2021/rescore/jobs').set(admin).send({ reason: '第3版' }).expect(202);
      const done = await ended(created.body.id);
      expect(done.status).toBe('succeeded');
      expect(done.result.counts).toMatchObject({ rescored: N - 4, skipped: 4, carriedOver: 0, notCarriedOver: 2 });
      const refused = (await outcomes(created.body.id)).skipped.filter((s: any) => s.cause === 'adjustments');
      expect(refused.map((s: any) => [s.code, s.status])).toEqual([
        [code(5), 'reviewed'],
        [code(6), 'scored'],
      ]);
      expect(refused[0].reason).toMatch(
        new RegExp(
          `^jobs-00005 2021年度第\\d+次评分的复核调整（评审专家：“绩效结果应用”（/inputs/resultApplication））` +
            '在新规则下无法沿用：.*1\\.2 到 1\\.4.*。该部门未重新评分，原评分与复核保持不变，请复核人员按新规则重新复核后再评分$',
        ),
      );
      // nothing stored for them: same evaluations, same year (已复核 stays 已复核)
      expect(await count('evaluation', `WHERE department_code IN ('${code(5)}', '${code(6)}')`)).toBe(
        before.evaluations,
      );
      expect(
        (
          await t
            .http()
            .get(`/departments/${code(5)}/years/2021`)
            .set(evaluator)
            .expect(200)
        ).body,
      ).toEqual(before.five);
      expect(
        (
          await t
            .http()
            .get(`/departments/${code(6)}/years/2021`)
            .set(evaluator)
            .expect(200)
        ).body,
      ).toEqual(before.six);
    },
  );

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
    // every progress the job reports: (written, checked) of 42
    const reported: Array<[number, number | undefined]> = [];
    const importer = t.app.get(DepartmentImportJobService);
    const run = importer.run.bind(importer);
    const spy = jest.spyOn(importer, 'run').mockImplementation((id, input, actor, progress) =>
      run(id, input, actor, (done, total, prepared) => {
        reported.push([done, prepared]);
        return progress(done, total, prepared);
      }),
    );
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
    spy.mockRestore();
    // checked (nothing written yet), then written by batch (the 41 new departments, then the change), never back
    expect(reported).toEqual([
      [0, 0],
      [0, 42],
      [41, 42],
      [41, 42],
      [42, 42],
    ]);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { done: 42, total: 42, prepared: 42, percent: 100 },
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
