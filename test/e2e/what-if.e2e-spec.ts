import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const ROOT = join(__dirname, '..', '..');
/* eslint-disable @typescript-eslint/no-explicit-any -- the spec edits parsed rule files and reads bodies */
type Json = any;
const ruleFile = (): Json =>
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8'));

/** The demo's keys (JIPING_DEMO=true). */
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const GZ_KJJ = bearer('demo-gz-kjj-key');
const V1 = 'guangzhou-department-overall:2021:1';
const V2 = 'guangzhou-department-overall:2021:2';
/** The tables every spec of the service knows; audit_log joins them when it exists. */
const TABLES = ['rule_set', 'department', 'target_declaration', 'submission', 'evaluation', 'api_key'];

const PROCUREMENT_AT_PLAN = { pointer: '/inputs/procurementActual', value: '1643.42' };
const SCENARIO = { department: 'gz-kjj', year: 2021, changes: [PROCUREMENT_AT_PLAN] };

/** 固定资产利用率 (management › asset-management › fixed-asset-utilization) in the 广州 2021 file. */
const fixedAssets = (file: Json): Json => file.indicators[0].children[3].children[2];

/**
 * A draft of 广州 2021 with 固定资产利用率's first band lowered from 90 % to 84 % (the second band now ends at 84 %,
 * so the bands stay contiguous). Its first embedded test (84.30 %) now scores 2.00, total 95.122: fixed here too.
 */
function loweredBandFile(): Json {
  const file = ruleFile();
  file.version = '2021.2.0-draft';
  const bands = fixedAssets(file).method.bands;
  bands[0].when.all[0].value = '84';
  bands[1].when.all[1].value = '84';
  file.tests[0].expected.scores['fixed-asset-utilization'] = '2.00';
  file.tests[0].expected.total = '95.122';
  return file;
}

/** [code, before, after, delta] of comparison rows. */
const rows = (nodes: Json[]) => nodes.map((n) => [n.code, n.before, n.after, n.delta]);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('What-if on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let checksumV1: string;
  let checksumV2: string;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    checksumV1 = (await t.http().get(`/rule-sets/${V1}`).set(ADMIN).expect(200)).body.checksum;
    // A stored draft of the lowered band, and a second department (without data) for the scoping tests.
    checksumV2 = (await t.http().post('/rule-sets').set(ADMIN).send(loweredBandFile()).expect(201)).body.checksum;
    await t
      .http()
      .post('/departments')
      .set(ADMIN)
      .send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));
  const whatIf = (body: unknown, key = EVALUATOR) =>
    t
      .http()
      .post('/what-if')
      .set(key)
      .send(body as object);

  /** Rows per table: the known tables, and audit_log when another feature has created it. */
  async function rowCounts(): Promise<Record<string, number>> {
    const dataSource = t.app.get(DataSource);
    const tables = new Set([...TABLES, ...dataSource.entityMetadatas.map((m) => m.tableName)]);
    const counts: Record<string, number> = {};
    for (const table of [...tables].sort()) {
      const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
      counts[table] = Number(row.n);
    }
    return counts;
  }

  maybe(
    'What-if [POST /what-if] 实际采购金额 at the plan: total 94.932, 政府采购执行率 1.69 → 2.00 (+0.31), 优 → 优',
    async () => {
      const res = await whatIf(SCENARIO).expect(200);
      expect(res.body).toMatchObject({
        department: 'gz-kjj',
        year: 2021,
        base: { revision: 1, targetRevision: 1, ruleSet: { ref: V1, checksum: checksumV1 } },
        ruleSet: { ref: V1, checksum: checksumV1 },
      });
      expect(res.body.report).toMatchObject({ total: '94.932', grade: '优', department: { code: 'gz-kjj' } });
      const { comparison } = res.body;
      expect(comparison.total).toEqual({ before: '94.622', after: '94.932', delta: '0.310' });
      expect(comparison.grade).toEqual({ before: '优', after: '优', changed: false });
      expect(comparison.changed).toEqual([
        {
          code: 'management',
          name: '管理效能',
          level: 1,
          kind: 'group',
          before: '42.122',
          after: '42.432',
          delta: '0.310',
        },
        {
          code: 'procurement-management',
          name: '采购管理',
          level: 2,
          kind: 'group',
          before: '1.69',
          after: '2.00',
          delta: '0.31',
        },
        {
          code: 'procurement-execution-rate',
          name: '政府采购执行率',
          level: 3,
          kind: 'leaf',
          before: '1.69',
          after: '2.00',
          delta: '0.31',
        },
      ]);
      expect(rows(comparison.sections)).toEqual([
        ['management', '42.122', '42.432', '0.310'],
        ['performance', '50.00', '50.00', '0.00'],
        ['bonus-penalty', '2.5', '2.5', '0.0'],
      ]);
      expect(comparison.nodes.length).toBeGreaterThan(40);
      expect(comparison.nodes.find((n: Json) => n.code === 'fixed-asset-utilization')).toMatchObject({
        before: '1.50',
        after: '1.50',
        delta: '0.00',
      });
    },
  );

  maybe('scores several scenarios in one request, answering in the order asked', async () => {
    const res = await whatIf({
      scenarios: [
        SCENARIO,
        {
          department: 'gz-kjj',
          year: 2021,
          base: 1,
          changes: [{ pointer: '/inputs/budgetPreparation/preAssessment', value: { met: true, evidence: '补充材料' } }],
        },
        { department: 'gz-kjj', year: 2021, base: 'latest' },
        {
          department: 'gz-kjj',
          year: 2021,
          ruleSet: 'published',
          changes: [{ pointer: '/targetResults/rd-1/actual', value: '15' }],
        },
      ],
    }).expect(200);
    expect(Object.keys(res.body)).toEqual(['scenarios']);
    expect(
      res.body.scenarios.map((s: Json) => [s.report.total, s.comparison.total.delta, s.comparison.grade.after]),
    ).toEqual([
      ['94.932', '0.310', '优'],
      ['95.622', '1.000', '优'],
      ['94.622', '0.000', '优'],
      ['93.772', '-0.850', '优'],
    ]);
    expect(res.body.scenarios[2].comparison.changed).toEqual([]);
    // rd-1 15 of ≥ 20: 3 × 15 / 20 = 2.25; and 绩效目标完成率 20/21 = 95.24 % × 2 = 1.90.
    expect(rows(res.body.scenarios[3].comparison.changed)).toEqual([
      ['management', '42.122', '42.022', '-0.100'],
      ['performance-management', '15.00', '14.90', '-0.10'],
      ['target-completion-rate', '2.00', '1.90', '-0.10'],
      ['performance', '50.00', '49.25', '-0.75'],
      ['rd', '12.00', '11.25', '-0.75'],
      ['rd-1', '3.00', '2.25', '-0.75'],
    ]);
  });

  maybe('scores under an inline draft rule file: 固定资产利用率 band from 90 % to 84 % moves 1.50 → 2.00', async () => {
    const res = await whatIf({ department: 'gz-kjj', year: 2021, ruleSet: loweredBandFile() }).expect(200);
    expect(res.body.ruleSet).toEqual({ ref: 'inline', checksum: checksumV2 });
    expect(res.body.base.ruleSet).toEqual({ ref: V1, checksum: checksumV1 });
    expect(res.body.report.total).toBe('95.122');
    expect(res.body.comparison.total).toEqual({ before: '94.622', after: '95.122', delta: '0.500' });
    expect(rows(res.body.comparison.changed)).toEqual([
      ['management', '42.122', '42.622', '0.500'],
      ['asset-management', '3.50', '4.00', '0.50'],
      ['fixed-asset-utilization', '1.50', '2.00', '0.50'],
    ]);
  });

  maybe(
    'scores under a stored draft by reference, with the changes; a department key sees no drafts (404)',
    async () => {
      const res = await whatIf({ ...SCENARIO, ruleSet: V2 }).expect(200);
      expect(res.body.ruleSet).toEqual({ ref: V2, checksum: checksumV2 });
      expect(res.body.report.total).toBe('95.432');
      expect(rows(res.body.comparison.changed).map(([code]: string[]) => code)).toEqual([
        'management',
        'procurement-management',
        'procurement-execution-rate',
        'asset-management',
        'fixed-asset-utilization',
      ]);
      const hidden = await whatIf({ ...SCENARIO, ruleSet: V2 }, GZ_KJJ).expect(404);
      expect(problem(hidden.body)).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: `未找到规则集“${V2}”`,
        details: [],
      });
    },
  );

  maybe('what-if never writes: every table keeps its row count through what-ifs that succeed and fail', async () => {
    const before = await rowCounts();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(TABLES));
    const evaluations = (await t.http().get('/departments/gz-kjj/years/2021/evaluations').set(ADMIN).expect(200)).body;
    await whatIf(SCENARIO).expect(200);
    await whatIf(SCENARIO, ADMIN).expect(200);
    await whatIf(SCENARIO, GZ_KJJ).expect(200);
    await whatIf({
      scenarios: [SCENARIO, { ...SCENARIO, ruleSet: loweredBandFile() }, { ...SCENARIO, ruleSet: V2 }],
    }).expect(200);
    await whatIf({ ...SCENARIO, changes: [{ pointer: '/inputs/procurementActual', value: 1643.42 }] }).expect(422);
    await whatIf({ ...SCENARIO, changes: [{ pointer: '/fiscalYear', value: 2022 }] }).expect(422);
    expect(await rowCounts()).toEqual(before);
    expect((await t.http().get('/departments/gz-kjj/years/2021/evaluations').set(ADMIN).expect(200)).body).toEqual(
      evaluations,
    );
  });

  maybe('a department key asks about its own department (200) and finds no other (404)', async () => {
    const own = await whatIf(SCENARIO, GZ_KJJ).expect(200);
    expect(own.body.report.total).toBe('94.932');
    const other = await whatIf({ department: 'gz-czj', year: 2021 }, GZ_KJJ).expect(404);
    expect(problem(other.body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门“gz-czj”',
      details: [],
    });
    // Hidden inside a list too, whatever the other scenarios are.
    await whatIf({ scenarios: [SCENARIO, { department: 'gz-czj', year: 2021 }] }, GZ_KJJ).expect(404);
    // The department exists: an evaluator is told it has no data yet.
    const evaluator = await whatIf({ department: 'gz-czj', year: 2021 }).expect(422);
    expect(evaluator.body).toMatchObject({
      code: 'PRECONDITION_MISSING',
      message: '部门 gz-czj 2021年度还没有填报数据',
    });
    await whatIf({ department: 'gz-nope', year: 2021 }).expect(404);
  });

  maybe('refuses changes it cannot apply: 422 with every pointer at once', async () => {
    const res = await whatIf({
      ...SCENARIO,
      changes: [
        PROCUREMENT_AT_PLAN,
        { pointer: '/targets/performance/0/weight', value: '13' },
        { pointer: 'inputs/procurementActual', value: '1' },
        { pointer: '/targetResults/rd-99/actual', value: '1' },
      ],
    }).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'INVALID_SUBMISSION',
      message: '有 3 项模拟修改无法应用，未评分',
      details: [
        {
          pointer: '/changes/1/pointer',
          message: '/targets 不能修改：申报的绩效目标不是模拟的输入：请在 /targetResults 下修改其完成情况',
        },
        {
          pointer: '/changes/2/pointer',
          message: '“inputs/procurementActual”不是 JSON 指针：指针以“/”开头（RFC 6901），如 /inputs/procurementActual',
        },
        {
          pointer: '/changes/3/pointer',
          message: '/targetResults/rd-99 不存在：一项修改只能新增指针的最后一级',
        },
      ],
    });
    const listed = await whatIf({
      scenarios: [SCENARIO, { ...SCENARIO, changes: [{ pointer: '/department/code', value: 'gz-czj' }] }],
    }).expect(422);
    expect(listed.body.details).toEqual([
      { pointer: '/scenarios/1/changes/0/pointer', message: expect.stringContaining('/department 不能修改') },
    ]);
  });

  maybe('refuses money as a JSON number at /inputs/…, naming the change', async () => {
    const res = await whatIf({
      ...SCENARIO,
      changes: [{ pointer: '/inputs/procurementActual', value: 1643.42 }],
    }).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'INVALID_SUBMISSION',
      message: '按模拟修改后，填报数据与规则集 guangzhou-department-overall@2021.1.0 不符：1 处问题',
      details: [
        {
          pointer: '/inputs/procurementActual',
          message:
            '实际采购金额合计数（万元）要写成带引号的数字，如 "1643.42"，不能写成 JSON 数字（由 /changes/0 修改）',
          path: '填报项「实际采购金额合计数」',
        },
      ],
    });
    const listed = await whatIf({
      scenarios: [SCENARIO, { ...SCENARIO, changes: [{ pointer: '/inputs/procurementActual', value: 1643.42 }] }],
    }).expect(422);
    expect(listed.body.details).toEqual([
      {
        pointer: '/inputs/procurementActual',
        message: expect.stringMatching(/（由 \/scenarios\/1\/changes\/0 修改）$/),
        path: '填报项「实际采购金额合计数」',
      },
    ]);
  });

  // The seed under a cap: 政府采购执行率 84.48 % < 85 % → 等次最高为良 (the total stays 94.622).
  maybe('scores under an inline draft with a grade cap (vetoes): 94.622 优 → 94.622 良, with the reason', async () => {
    const file = ruleFile();
    file.version = '2021.3.0-draft';
    file.vetoes = [
      {
        code: 'procurement-below-85',
        when: { all: [{ fact: 'metric:procurement-execution-rate', operator: 'decimalLessThan', value: '85' }] },
        maxGrade: 'good',
        reason: '政府采购执行率低于85%',
      },
    ];
    file.tests[0].expected.grade = '良';
    const res = await whatIf({ department: 'gz-kjj', year: 2021, ruleSet: file }).expect(200);
    expect(res.body.report).toMatchObject({
      total: '94.622',
      grade: '良',
      beforeVetoes: { total: '94.622', grade: '优', gradeCode: 'excellent' },
    });
    const text = '等次上限：政府采购执行率低于85%，等次最高为良，由优调整为良';
    expect(res.body.report.vetoes.map((v: Json) => v.text)).toEqual([text]);
    expect(res.body.comparison.grade).toEqual({ before: '优', after: '良', changed: true });
    expect(res.body.comparison.vetoes.after.map((v: Json) => v.text)).toEqual([text]);

    // a veto naming a grade by its label is refused, in Chinese, with the pointer under /ruleSet
    file.vetoes[0].maxGrade = '良';
    const refused = await whatIf({ department: 'gz-kjj', year: 2021, ruleSet: file }).expect(422);
    expect(refused.body.code).toBe('RULE_SET_INVALID');
    expect(refused.body.details).toEqual([
      expect.objectContaining({
        pointer: '/ruleSet/vetoes/0/maxGrade',
        message: expect.stringContaining('“良”是等次名称，请写等次代码 good'),
      }),
    ]);
  });

  // 资产管理制度健全性 (1) marked 不适用 under policy total: 实得分 93.622 ÷ 适用分值 99 × 100 = 94.5676… → 94.568.
  maybe(
    'scores 不适用 under an inline draft that allows it (policy total): 94.622 → 94.568, said in the 评分依据',
    async () => {
      const file = ruleFile();
      file.version = '2021.4.0-draft';
      file.notApplicable = { policy: 'total' };
      fixedAssets(file).allowNotApplicable = undefined;
      file.indicators[0].children[3].children[0].allowNotApplicable = true;
      const reason = '本单位资产由机关事务管理局统一管理';
      const res = await whatIf({
        department: 'gz-kjj',
        year: 2021,
        ruleSet: file,
        changes: [{ pointer: '/notApplicable', value: { 'asset-systems': reason } }],
      }).expect(200);
      expect(res.body.report.total).toBe('94.568');
      expect(res.body.report.notApplicable).toEqual({
        indicators: [{ code: 'asset-systems', name: '资产管理制度健全性', reason }],
        total: '不适用指标的分值1分不计入，适用分值99分；实得分93.622÷适用分值99×100=94.568分',
      });
      expect(res.body.comparison.total).toEqual({ before: '94.622', after: '94.568', delta: '-0.054' });
    },
  );

  maybe('refuses an invalid inline rule file with RULE_SET_INVALID under /ruleSet', async () => {
    const overlapping = ruleFile();
    fixedAssets(overlapping).method.bands[0].when.all[0].value = '84'; // overlaps the 80–90 band
    const res = await whatIf({ ...SCENARIO, ruleSet: overlapping }).expect(422);
    expect(res.body.code).toBe('RULE_SET_INVALID');
    expect(res.body.details.length).toBeGreaterThan(0);
    for (const detail of res.body.details)
      expect(detail.pointer).toMatch(/^\/ruleSet\/indicators\/0\/children\/3\/children\/2\/method/);
    const listed = await whatIf({ scenarios: [SCENARIO, { ...SCENARIO, ruleSet: overlapping }] }).expect(422);
    expect(listed.body.code).toBe('RULE_SET_INVALID');
    for (const detail of listed.body.details) expect(detail.pointer).toMatch(/^\/scenarios\/1\/ruleSet\/indicators\//);
    const otherYear = { ...loweredBandFile(), fiscalYear: 2022 };
    // The embedded tests move to the draft's year with it (a file needs at least one test).
    otherYear.tests = otherYear.tests.map((test: any) => ({
      ...test,
      submission: { ...test.submission, fiscalYear: 2022 },
    }));
    const year = await whatIf({ ...SCENARIO, ruleSet: otherYear }).expect(422);
    expect(year.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ pointer: '/ruleSet/fiscalYear' }] });
  });

  maybe('refuses a malformed body with VALIDATION_FAILED and pointers', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ year: 2021 }, ['/department']],
      [{ ...SCENARIO, base: 0 }, ['/base']],
      [{ ...SCENARIO, year: '2021' }, ['/year']],
      [{ ...SCENARIO, changes: [{ pointer: '/inputs/procurementActual' }] }, ['/changes/0/value']],
      [{ ...SCENARIO, ruleSet: 7 }, ['/ruleSet']],
      [{ ...SCENARIO, extra: true }, ['/extra']],
      [{ scenarios: [] }, ['/scenarios']],
      [{ scenarios: [SCENARIO, { year: 2021 }], department: 'gz-kjj' }, ['/department', '/scenarios/1/department']],
      [[SCENARIO], ['']],
    ];
    for (const [body, pointers] of cases) {
      const res = await whatIf(body).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect([...new Set(res.body.details.map((d: Json) => d.pointer))].sort()).toEqual(pointers);
    }
    const badRef = await whatIf({ ...SCENARIO, ruleSet: 'v2' }).expect(422);
    expect(badRef.body.details).toEqual([{ pointer: '/ruleSet', message: expect.stringContaining('<规则集标识>') }]);
    await whatIf({ ...SCENARIO, ruleSet: 'guangzhou-department-overall:2021:9' }).expect(404);
    await whatIf({ ...SCENARIO, base: 9 }).expect(404);
  });

  maybe('needs a key (401)', async () => {
    const res = await t.http().post('/what-if').send(SCENARIO).expect(401);
    expect(problem(res.body)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
      details: [],
    });
  });

  maybe('documents POST /what-if in OpenAPI with both body shapes, examples and error responses', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/what-if'].post;
    expect(Object.keys(operation.responses)).toEqual(['200', '400', '401', '404', '413', '422']);
    const body = operation.requestBody.content['application/json'];
    expect(body.schema.oneOf).toEqual([
      { $ref: '#/components/schemas/WhatIfScenarioDto' },
      { $ref: '#/components/schemas/WhatIfScenariosDto' },
    ]);
    expect(body.examples['procurement-at-plan'].value).toEqual({ ...SCENARIO, base: 'latest' });
    expect(doc.components.schemas.ReportComparisonDto).toBeDefined();
  });
});
