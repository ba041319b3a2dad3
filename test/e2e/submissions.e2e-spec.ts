import { getRepositoryToken } from '@nestjs/typeorm';
import { SubmissionEntity } from '@jiping/persistence';
import type { Repository } from 'typeorm';
import { SubmissionsService } from '../../apps/api/src/submissions/submissions.service';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
  problem,
} from './support/test-app';

jest.setTimeout(60_000); // app start-up and database creation take several seconds under load

/* eslint-disable @typescript-eslint/no-explicit-any -- the specs edit parsed fixtures */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const GZ_REF = 'guangzhou-department-overall:2021:1';
const GZ_FILE = 'guangzhou-department-overall@2021.1.0';
/** The seed's 全年预算数 / 全年执行数 (domain.md §2). */
const BUDGET_TOTAL = '5683388811.03';
const EXECUTED_TOTAL = '5115068546.17';

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('submissions on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  let kjj: Record<string, string>;
  let czj: Record<string, string>;
  let rows: Repository<SubmissionEntity>;

  const newKey = async (body: Record<string, string>): Promise<Record<string, string>> =>
    bearer((await t.http().post('/api-keys').set(admin).send(body).expect(201)).body.key);
  const url = (code = 'gz-kjj', year: number | string = 2021) => `/departments/${code}/years/${year}/submissions`;
  const revisionsOf = async (code: string): Promise<number[]> =>
    (await rows.find({ where: { departmentCode: code, fiscalYear: 2021 }, order: { revision: 'ASC' } })).map(
      (r) => r.revision,
    );

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database);
    admin = bearer(t.adminKey);
    await seedRuleSet(t.app);
    rows = t.app.get(getRepositoryToken(SubmissionEntity));
    const departments = [
      { code: 'gz-kjj', name: '广州市科学技术局', region: '广州市' },
      { code: 'gz-czj', name: '广州市财政局', region: '广州市' },
      { code: 'gz-load', name: '并发测试单位', region: '广州市' },
    ];
    for (const department of departments) await t.http().post('/departments').set(admin).send(department).expect(201);
    evaluator = await newKey({ name: '评审专家', role: 'evaluator' });
    kjj = await newKey({ name: '科技局填报账号', role: 'department', departmentCode: 'gz-kjj' });
    czj = await newKey({ name: '财政局填报账号', role: 'department', departmentCode: 'gz-czj' });
    const { targets } = seedSubmissionParts();
    for (const code of ['gz-kjj', 'gz-load']) {
      await t.http().put(`/departments/${code}/years/2021/targets`).set(admin).send({ targets }).expect(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>, timeout?: number) =>
    it(name, async () => (database ? fn() : undefined), timeout);

  maybe(
    'Create [POST /departments/:code/years/:year/submissions] keeps the seed year-end data as revision 1',
    async () => {
      const { yearEnd } = seedSubmissionParts();
      const res = await t.http().post(url()).set(kjj).send(yearEnd).expect(201);
      expect(res.body).toEqual({
        revision: 1,
        departmentCode: 'gz-kjj',
        fiscalYear: 2021,
        ruleSet: GZ_REF,
        targetRevision: 1,
        budgetTotal: BUDGET_TOTAL,
        executedTotal: EXECUTED_TOTAL,
        createdBy: '科技局填报账号',
        createdAt: expect.stringMatching(ISO),
      });
      // Stored as accepted, unchanged; the totals are exact decimals in the database.
      const stored = await rows.findOneByOrFail({ departmentCode: 'gz-kjj', fiscalYear: 2021, revision: 1 });
      expect(stored.content).toBe(JSON.stringify(yearEnd));
      expect([stored.budgetTotal, stored.executedTotal]).toEqual([BUDGET_TOTAL, EXECUTED_TOTAL]);
      const got = await t.http().get(`${url()}/1`).set(evaluator).expect(200);
      expect(got.body).toEqual({ ...res.body, createdAt: expect.stringMatching(ISO), submission: yearEnd });
    },
  );

  maybe('Create appends a new revision under the latest declaration, never overwriting', async () => {
    const { yearEnd, targets } = seedSubmissionParts();
    await t.http().put('/departments/gz-kjj/years/2021/targets').set(kjj).send({ targets }).expect(200);
    delete yearEnd.budget;
    delete yearEnd.overview;
    const res = await t
      .http()
      .post(url())
      .set(admin)
      .send({ ...yearEnd, ruleSetId: 'guangzhou-department-overall' })
      .expect(201);
    expect(res.body).toMatchObject({ revision: 2, targetRevision: 2, budgetTotal: null, executedTotal: null });
    expect(res.body.createdBy).toBe('bootstrap admin');

    const list = await t.http().get(url()).set(kjj).expect(200);
    expect(list.body).toEqual([
      {
        revision: 2,
        departmentCode: 'gz-kjj',
        fiscalYear: 2021,
        ruleSet: GZ_REF,
        targetRevision: 2,
        budgetTotal: null,
        executedTotal: null,
        createdBy: 'bootstrap admin',
        createdAt: expect.stringMatching(ISO),
      },
      {
        revision: 1,
        departmentCode: 'gz-kjj',
        fiscalYear: 2021,
        ruleSet: GZ_REF,
        targetRevision: 1,
        budgetTotal: BUDGET_TOTAL,
        executedTotal: EXECUTED_TOTAL,
        createdBy: '科技局填报账号',
        createdAt: expect.stringMatching(ISO),
      },
    ]);
    // Revision 1 is still there, whole; revision 2 is stored without the envelope's ruleSetId.
    expect((await t.http().get(`${url()}/1`).set(kjj).expect(200)).body.submission).toEqual(
      seedSubmissionParts().yearEnd,
    );
    expect((await t.http().get(`${url()}/2`).set(kjj).expect(200)).body.submission).toEqual(yearEnd);
  });

  maybe(
    'Create answers 100 concurrent submissions with 100 distinct revisions 1…100',
    async () => {
      const { yearEnd } = seedSubmissionParts();
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => t.http().post(url('gz-load')).set(admin).send(yearEnd)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
      const numbers = responses.map((r) => r.body.revision as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await revisionsOf('gz-load')).toEqual(numbers);
      const list = await t.http().get(url('gz-load')).set(evaluator).expect(200);
      expect(list.body.map((s: { revision: number }) => s.revision)).toEqual([...numbers].reverse());
    },
    120_000,
  );

  maybe('Create refuses money as a JSON number, 3 decimals, a missing and an unknown input with 422', async () => {
    const { yearEnd } = seedSubmissionParts();
    const before = await revisionsOf('gz-kjj');
    yearEnd.unitCount = 0;
    yearEnd.inputs.procurementActual = 1388.29;
    yearEnd.inputs.procurementPlanned = '1643.425';
    delete yearEnd.inputs.fixedAssetsTotal;
    yearEnd.inputs.bogus = '1';
    const res = await t.http().post(url()).set(kjj).send(yearEnd).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'INVALID_SUBMISSION',
      message: `填报数据与规则集 ${GZ_FILE}（${GZ_REF}）不符：5 处问题`,
      details: [
        { pointer: '/unitCount', message: '应为正整数', path: '部门信息' },
        { pointer: '/inputs/bogus', message: '“bogus”不是规则集 guangzhou-department-overall 的填报项' },
        {
          pointer: '/inputs/procurementActual',
          message: '实际采购金额合计数（万元）要写成带引号的数字，如 "1388.29"，不能写成 JSON 数字',
          path: '填报项「实际采购金额合计数」',
        },
        {
          pointer: '/inputs/procurementPlanned',
          message: '采购计划金额合计数（万元）最多 2 位小数',
          path: '填报项「采购计划金额合计数」',
        },
        {
          pointer: '/inputs/fixedAssetsTotal',
          message: '缺少填报项“所有固定资产总额”（fixedAssetsTotal）',
          path: '填报项「所有固定资产总额」',
        },
      ],
    });
    const english = await t.http().post(url()).set(kjj).set('Accept-Language', 'en').send(yearEnd).expect(422);
    expect(english.body.message).toBe(`the submission does not fit rule set ${GZ_FILE} (${GZ_REF}): 5 problem(s)`);
    expect(english.body.details[2]).toEqual({
      pointer: '/inputs/procurementActual',
      message: '实际采购金额合计数（万元） is a decimal string such as "1388.29", not a JSON number',
      path: '填报项「实际采购金额合计数」',
    });
    expect(await revisionsOf('gz-kjj')).toEqual(before);
  });

  // 广州 2021 lets no indicator be 不适用: the field is read (not refused as unknown) and each mark refused by name.
  maybe(
    'Create reads notApplicable and refuses 不适用 where the rule set does not allow it, with the path',
    async () => {
      const { yearEnd } = seedSubmissionParts();
      const before = await revisionsOf('gz-kjj');
      const res = await t
        .http()
        .post(url())
        .set(kjj)
        .send({ ...yearEnd, notApplicable: { 'asset-systems': '本单位资产由机关事务管理局统一管理' } })
        .expect(422);
      expect(problem(res.body)).toMatchObject({
        code: 'INVALID_SUBMISSION',
        details: [
          {
            pointer: '/notApplicable/asset-systems',
            message: '“资产管理制度健全性”不可标为不适用：本规则集未允许该指标不适用',
            path: '管理效能 › 资产管理 › 资产管理制度健全性',
          },
        ],
      });
      expect(await revisionsOf('gz-kjj')).toEqual(before);
    },
  );

  maybe('Create refuses the budget and target results when they do not add up, with pointers', async () => {
    const { yearEnd } = seedSubmissionParts() as any;
    const before = await revisionsOf('gz-kjj');
    yearEnd.budget.columns.transfer.executed = '215410000.01';
    delete yearEnd.targetResults['rd-1'];
    const res = await t.http().post(url()).set(kjj).send(yearEnd).expect(422);
    expect(res.body.code).toBe('INVALID_SUBMISSION');
    expect(res.body.details).toEqual([
      {
        pointer: '/budget/columns/city/executed',
        message: '按预算级次合计 5115068546.18，与按资金来源合计 5115068546.17 不一致（相差 0.01）',
        path: '单位基本情况 › 市本级支出',
      },
      {
        pointer: '/targetResults/rd-1',
        message: '缺少“聚焦重点产业领域，支持重点主攻方向数量”的实际完成情况',
        path: expect.stringMatching(/^履职效能 › .+ › 聚焦重点产业领域，支持重点主攻方向数量$/),
      },
    ]);
    expect(await revisionsOf('gz-kjj')).toEqual(before);
  });

  maybe('Create refuses fields outside the body (the whole engine submission) with 422 VALIDATION_FAILED', async () => {
    const { yearEnd, targets } = seedSubmissionParts();
    const before = await revisionsOf('gz-kjj');
    const whole = { formatVersion: '1', department: { code: 'gz-kjj' }, fiscalYear: 2021, ...yearEnd, targets };
    const res = await t.http().post(url()).set(kjj).send(whole).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '请求有误：请按 details 修改所列字段',
      details: [
        { pointer: '/formatVersion', message: '不认识的字段 formatVersion：请删除它' },
        { pointer: '/department', message: '不认识的字段 department：请删除它' },
        { pointer: '/fiscalYear', message: '不认识的字段 fiscalYear：请删除它' },
        { pointer: '/targets', message: '不认识的字段 targets：请删除它' },
      ],
    });
    const envelope = await t.http().post(url()).set(kjj).send({ inputs: [], budget: 'x', unitCount: '2' }).expect(422);
    expect(envelope.body.details).toEqual([
      { pointer: '/unitCount', message: 'unitCount 应为整数' },
      { pointer: '/budget', message: 'budget 应为对象' },
      { pointer: '/inputs', message: 'inputs 应为对象' },
    ]);
    expect(await revisionsOf('gz-kjj')).toEqual(before);
  });

  maybe('Create before any target declaration answers 422 PRECONDITION_MISSING', async () => {
    const { yearEnd } = seedSubmissionParts();
    const res = await t.http().post(url('gz-czj')).set(czj).send(yearEnd).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'PRECONDITION_MISSING',
      message: `请先申报绩效目标（PUT /departments/gz-czj/years/2021/targets）：规则集 ${GZ_REF} 按部门申报的目标评分`,
      details: [],
    });
    expect(await revisionsOf('gz-czj')).toEqual([]);
    expect((await t.http().get(url('gz-czj')).set(czj).expect(200)).body).toEqual([]);
    // The service's own look-up says the same for evaluations: nothing submitted yet.
    const submissions = t.app.get(SubmissionsService);
    await expect(submissions.findRevision('gz-czj', 2021)).rejects.toMatchObject({
      code: 'PRECONDITION_MISSING',
      message: 'no submission for gz-czj 2021',
    });
    await expect(submissions.findRevision('gz-kjj', 2021)).resolves.toMatchObject({ revision: 2 });
  });

  maybe('Create needs a published rule set for the year', async () => {
    const { yearEnd } = seedSubmissionParts();
    const res = await t.http().post(url('gz-kjj', 2022)).set(kjj).send(yearEnd).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'PRECONDITION_MISSING',
      message: '2022年度还没有已发布的规则集：请管理员先发布',
      details: [],
    });
  });

  maybe('Create is for admins and the department itself: evaluator 403, another department 404', async () => {
    const { yearEnd } = seedSubmissionParts();
    const before = await revisionsOf('gz-kjj');
    const forbidden = await t.http().post(url()).set(evaluator).send(yearEnd).expect(403);
    expect(problem(forbidden.body)).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: '此操作仅限管理员或部门填报员；您的角色是评价人员',
      details: [],
    });
    const other = await t.http().post(url()).set(czj).send(yearEnd).expect(404);
    expect(problem(other.body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门“gz-kjj”',
      details: [],
    });
    expect((await t.http().post(url()).send(yearEnd).expect(401)).body.code).toBe('UNAUTHORIZED');
    expect(await revisionsOf('gz-kjj')).toEqual(before);
  });

  maybe('List and Get [GET …/submissions(/:revision)]: a department reading another department gets 404', async () => {
    expect(problem((await t.http().get(url()).set(czj).expect(404)).body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门“gz-kjj”',
      details: [],
    });
    expect((await t.http().get(`${url()}/1`).set(czj).expect(404)).body.message).toBe('未找到部门“gz-kjj”');
    expect((await t.http().get(url()).set(evaluator).expect(200)).body).toHaveLength(2);
    expect(problem((await t.http().get(`${url()}/99`).set(admin).expect(404)).body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门 gz-kjj 2021年度第99版填报数据',
      details: [],
    });
    expect(problem((await t.http().get(`${url()}/first`).set(admin).expect(422)).body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '路径参数 revision 不正确',
      details: [{ pointer: 'revision', message: '版本号应为正整数，如 1' }],
    });
    expect((await t.http().get(url('gz-kjj', 1999)).set(admin).expect(422)).body.details).toEqual([
      { pointer: 'year', message: '年度应为 2000 到 2100 之间的整数，如 2021' },
    ]);
  });

  maybe(
    'Estimate [POST …/submissions/estimate] scores unsaved data as a save would, before any revision; stores nothing',
    async () => {
      await t.http().post('/departments').set(admin).send({ code: 'gz-new', name: '新设单位', region: '广州市' });
      const { yearEnd, targets } = seedSubmissionParts();
      const fresh = await newKey({ name: '新设单位填报账号', role: 'department', departmentCode: 'gz-new' });
      await t.http().put(url('gz-new').replace('/submissions', '/targets')).set(fresh).send({ targets }).expect(200);
      const res = await t
        .http()
        .post(`${url('gz-new')}/estimate`)
        .set(fresh)
        .send(yearEnd)
        .expect(200);
      expect(res.body).toMatchObject({
        departmentCode: 'gz-new',
        fiscalYear: 2021,
        ruleSet: { ref: GZ_REF, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        targetRevision: 1,
        report: { total: '94.622', grade: '优', department: { code: 'gz-new', name: '新设单位' } },
      });
      // nothing kept: no revision, the year still 未填报 with no data
      expect(await revisionsOf('gz-new')).toEqual([]);
      const year = await t.http().get('/departments/gz-new/years/2021').set(fresh).expect(200);
      expect([year.body.latestRevision, year.body.submitted]).toEqual([null, null]);
      // a change moves it: 实际采购金额 at the plan scores 政府采购执行率 2.00 (94.932)
      const atPlan = { ...yearEnd, inputs: { ...yearEnd.inputs, procurementActual: '1643.42' } };
      const moved = await t
        .http()
        .post(`${url('gz-new')}/estimate`)
        .set(fresh)
        .send(atPlan)
        .expect(200);
      expect(moved.body.report.total).toBe('94.932');
      // an evaluator may ask too; the refusals are a save's, with pointers
      await t
        .http()
        .post(`${url('gz-new')}/estimate`)
        .set(evaluator)
        .send(yearEnd)
        .expect(200);
      const third = { ...yearEnd, inputs: { ...yearEnd.inputs, procurementActual: '1388.291' } };
      const refused = await t
        .http()
        .post(`${url('gz-new')}/estimate`)
        .set(fresh)
        .send(third)
        .expect(422);
      expect(refused.body.code).toBe('INVALID_SUBMISSION');
      expect(refused.body.details).toEqual([
        {
          pointer: '/inputs/procurementActual',
          message: '实际采购金额合计数（万元）最多 2 位小数',
          path: '填报项「实际采购金额合计数」',
        },
      ]);
      const noTargets = await t
        .http()
        .post(`${url('gz-czj')}/estimate`)
        .set(czj)
        .send(yearEnd)
        .expect(422);
      expect(noTargets.body.code).toBe('PRECONDITION_MISSING');
      expect(
        (
          await t
            .http()
            .post(`${url('gz-new')}/estimate`)
            .set(czj)
            .send(yearEnd)
            .expect(404)
        ).body.code,
      ).toBe('NOT_FOUND');
      expect(await revisionsOf('gz-new')).toEqual([]);
    },
  );
});
