import { DataSource } from 'typeorm';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
  problem,
} from './support/test-app';

jest.setTimeout(60_000);

const BASE = '/departments/gz-kjj/years/2021/evaluations';
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const DEPARTMENT = bearer('demo-gz-kjj-key');
const PRE_ASSESSMENT = '/inputs/budgetPreparation/preAssessment';
const PRE_ASSESSMENT_REASON = '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见';
const RESULT_APPLICATION_REASON = '绩效结果应用整改未全部落实，评为部分达成';

interface ReportNode {
  code: string;
  score: string;
  review?: unknown;
  children?: ReportNode[];
}
const walk = (nodes: ReportNode[]): ReportNode[] => nodes.flatMap((node) => [node, ...walk(node.children ?? [])]);
const nodeOf = (report: { sections: ReportNode[] }, code: string): ReportNode =>
  walk(report.sections).find((node) => node.code === code)!;
const reviewed = (report: { sections: ReportNode[] }): string[] =>
  walk(report.sections)
    .filter((node) => node.review)
    .map((node) => node.code);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Adjustments on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  /** The demo's official evaluation (94.622). */
  let original: { id: string; [key: string]: unknown };
  /** The first adjusted evaluation (95.622). */
  let first: { id: string; [key: string]: unknown };

  const rows = async (): Promise<{ evaluations: number; audit: number }> => {
    const dataSource = t.app.get(DataSource);
    const [evaluations] = await dataSource.query('SELECT COUNT(*) AS n FROM evaluation');
    const [audit] = await dataSource.query('SELECT COUNT(*) AS n FROM audit_log');
    return { evaluations: Number(evaluations.n), audit: Number(audit.n) };
  };
  const adjust = (id: string, body: object, key = EVALUATOR) =>
    t.http().post(`${BASE}/${id}/adjustments`).set(key).send(body);

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    original = (await t.http().get(`${BASE}/latest`).set(ADMIN).expect(200)).body;
    expect(original.total).toBe('94.622');
    await t.http().post('/departments').set(ADMIN).send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe(
    'Adjust [POST …/evaluations/:id/adjustments] marks a checklist point met: 95.622, a new evaluation',
    async () => {
      const adjustments = [{ pointer: PRE_ASSESSMENT, value: true, reason: PRE_ASSESSMENT_REASON }];
      const res = await adjust(original.id, { adjustments }).expect(201);
      first = res.body;
      expect(res.body).toMatchObject({
        sequence: 2,
        departmentCode: 'gz-kjj',
        fiscalYear: 2021,
        submissionRevision: original.submissionRevision,
        targetRevision: original.targetRevision,
        ruleSet: original.ruleSet,
        total: '95.622',
        grade: '优',
        adjustedFrom: original.id,
        adjustments,
        createdBy: '王立新',
      });
      expect(res.body.id).not.toBe(original.id);
      const leaf = nodeOf(res.body.report, 'budget-preparation');
      expect(leaf.score).toBe('3.00');
      expect(leaf.review).toEqual({
        selfScore: '2.00',
        reviewedScore: '3.00',
        reason: PRE_ASSESSMENT_REASON,
        changes: [{ pointer: PRE_ASSESSMENT, before: false, after: true }],
      });
      expect(reviewed(res.body.report)).toEqual(['budget-preparation']);
      expect(res.body.report.total).toBe('95.622');

      // Stored as returned; the original is untouched; the adjusted evaluation is now the latest.
      expect((await t.http().get(`${BASE}/${first.id}`).set(DEPARTMENT).expect(200)).body).toEqual(res.body);
      expect((await t.http().get(`${BASE}/${original.id}`).set(ADMIN).expect(200)).body).toEqual(original);
      expect((await t.http().get(`${BASE}/latest`).set(ADMIN).expect(200)).body.id).toBe(first.id);
      const list = (await t.http().get(BASE).set(ADMIN).expect(200)).body;
      expect(list.map((e: { sequence: number; adjustedFrom: string | null }) => [e.sequence, e.adjustedFrom])).toEqual([
        [2, original.id],
        [1, null],
      ]);
    },
  );

  maybe('adjusting an adjusted evaluation applies its adjustments first and keeps the whole list', async () => {
    const judgment = {
      pointer: '/inputs/resultApplication',
      value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
      reason: RESULT_APPLICATION_REASON,
    };
    const res = await adjust(first.id, { adjustments: [judgment] }, ADMIN).expect(201);
    expect(res.body).toMatchObject({
      sequence: 3,
      adjustedFrom: first.id,
      total: '95.022',
      adjustments: [{ pointer: PRE_ASSESSMENT, value: true, reason: PRE_ASSESSMENT_REASON }, judgment],
      createdBy: '陈静',
    });
    expect(nodeOf(res.body.report, 'result-application').review).toMatchObject({
      selfScore: '2.00',
      reviewedScore: '1.40',
      reason: RESULT_APPLICATION_REASON,
    });
    expect(nodeOf(res.body.report, 'budget-preparation').review).toMatchObject({
      selfScore: '2.00',
      reviewedScore: '3.00',
    });
    expect(reviewed(res.body.report)).toEqual(['budget-preparation', 'result-application']);
    expect((await t.http().get(`${BASE}/${first.id}`).set(ADMIN).expect(200)).body).toEqual(first);
  });

  maybe('rules a quantitative target unmet: below its weight, and 绩效目标完成率 counts it', async () => {
    const ruling = { pointer: '/targetResults/rd-1/ruling', value: 'unmet', reason: '支持方向数量佐证不足' };
    const res = await adjust(original.id, { adjustments: [ruling] }).expect(201);
    const target = nodeOf(res.body.report, 'rd-1');
    expect(target.score).toBe('2.99');
    expect(target.review).toMatchObject({ selfScore: '3.00', reviewedScore: '2.99' });
    expect(nodeOf(res.body.report, 'target-completion-rate').score).toBe('1.90');
    expect(res.body.total).toBe('94.512');
  });

  maybe('refuses an adjustment without a reason: 422 with its pointer, nothing stored', async () => {
    const before = await rows();
    const missing = await adjust(original.id, { adjustments: [{ pointer: PRE_ASSESSMENT, value: true }] }).expect(422);
    expect(missing.body).toMatchObject({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '请求有误：请按 details 修改所列字段',
    });
    expect(missing.body.details.map((d: { pointer: string }) => d.pointer)).toContain('/adjustments/0/reason');
    const blank = await adjust(original.id, {
      adjustments: [
        { pointer: PRE_ASSESSMENT, value: true, reason: '复核' },
        { pointer: PRE_ASSESSMENT, value: true, reason: '  ' },
      ],
    }).expect(422);
    expect(blank.body.details).toEqual([
      { pointer: '/adjustments/1/reason', message: 'a reason (复核理由) is required' },
    ]);
    const none = await adjust(original.id, { adjustments: [] }).expect(422);
    expect(none.body.details).toEqual([{ pointer: '/adjustments', message: 'adjustments 至少应有 1 项' }]);
    expect(await rows()).toEqual(before);
  });

  maybe(
    'refuses a figure that is not judgment-based: 422 INVALID_ADJUSTMENT with its pointer, nothing stored',
    async () => {
      const before = await rows();
      const res = await adjust(original.id, {
        adjustments: [{ pointer: '/inputs/procurementActual', value: '1643.42', reason: '按采购计划金额' }],
      }).expect(422);
      expect(problem(res.body)).toEqual({
        statusCode: 422,
        code: 'INVALID_ADJUSTMENT',
        message: '复核调整有 1 处问题，未重新评分',
        details: [
          {
            pointer: '/adjustments/0/pointer',
            message:
              '“实际采购金额合计数”（money）是部门填报的数据，不是评议值，不能复核（可用模拟查看其他数值的得分）',
          },
        ],
      });
      // On an adjusted evaluation, the pointer still names the place in this request, not in the stored list.
      const again = await adjust(first.id, {
        adjustments: [
          { pointer: '/inputs/assetSystems', value: true, reason: '确认' },
          { pointer: '/targetResults/rd-1/actual', value: '25', reason: '更正' },
        ],
      }).expect(422);
      expect(again.body.details.map((d: { pointer: string }) => d.pointer)).toEqual(['/adjustments/1/pointer']);
      expect(await rows()).toEqual(before);
    },
  );

  maybe('refuses an adjusted value that does not fit, pointing into the submission, nothing stored', async () => {
    const before = await rows();
    const res = await adjust(original.id, {
      adjustments: [{ pointer: '/inputs/resultApplication/tier', value: 'partial', reason: '部分达成' }],
    }).expect(422);
    expect(res.body).toMatchObject({
      code: 'INVALID_SUBMISSION',
      details: [{ pointer: '/inputs/resultApplication/score', message: '“部分达成”档的分数在 1.2 到 1.6 之间' }],
    });
    expect(await rows()).toEqual(before);
  });

  maybe('refuses a department key (403) and hides another department’s evaluation (404)', async () => {
    const body = { adjustments: [{ pointer: PRE_ASSESSMENT, value: true, reason: '自行复核' }] };
    const before = await rows();
    expect(problem((await adjust(original.id, body, DEPARTMENT).expect(403)).body)).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: '此操作仅限评价人员或管理员；您的角色是部门填报员',
      details: [],
    });
    const other = await t
      .http()
      .post(`/departments/gz-czj/years/2021/evaluations/${original.id}/adjustments`)
      .set(EVALUATOR)
      .send(body)
      .expect(404);
    expect(other.body).toMatchObject({ code: 'NOT_FOUND' });
    await adjust('00000000-0000-4000-8000-000000000000', body).expect(404);
    await t.http().post(`${BASE}/not-a-uuid/adjustments`).set(EVALUATOR).send(body).expect(422);
    expect(await rows()).toEqual(before);
  });

  maybe('a submission does not rule its own targets', async () => {
    const submission = (await t.http().get('/departments/gz-kjj/years/2021/submissions/1').set(ADMIN).expect(200)).body
      .submission;
    submission.targetResults['rd-1'].ruling = 'met';
    // the demo year is scored, so its data is locked (409): gz-czj is still open
    const res = await t
      .http()
      .post('/departments/gz-czj/years/2021/submissions')
      .set(ADMIN)
      .send(submission)
      .expect(422);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ pointer: '/targetResults/rd-1/ruling' }],
    });
  });
});
