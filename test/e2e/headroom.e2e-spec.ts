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

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec reads response bodies */
type Json = any;

/** The demo's keys (JIPING_DEMO=true). */
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const GZ_KJJ = bearer('demo-gz-kjj-key');
const BASE = '/departments/gz-kjj/years/2021/evaluations';
const TABLES = ['rule_set', 'department', 'target_declaration', 'submission', 'evaluation', 'api_key'];

/** How many rows each table holds. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const dataSource = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row.n);
  }
  return counts;
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Headroom on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let id: string;
  let otherDepartmentKey: string;
  let headroom: Json;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    id = (await t.http().get(`${BASE}/latest`).set(EVALUATOR).expect(200)).body.id;
    await t
      .http()
      .post('/departments')
      .set(ADMIN)
      .send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' })
      .expect(201);
    otherDepartmentKey = (
      await t
        .http()
        .post('/api-keys')
        .set(ADMIN)
        .send({ name: '财政局填报账号', role: 'department', departmentCode: 'gz-czj' })
        .expect(201)
    ).body.key;
    headroom = (await t.http().get(`${BASE}/${id}/headroom`).set(EVALUATOR).expect(200)).body;
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('Headroom [GET …/evaluations/:id/headroom] ranks exactly the six leaves the demo lost, Σ 5.378', async () => {
    expect(headroom).toMatchObject({
      evaluationId: id,
      ruleSet: { id: 'guangzhou-department-overall', version: '2021.1.0' },
      department: { code: 'gz-kjj', name: '广州市科学技术局' },
      fiscalYear: 2021,
      total: '94.622',
      maxTotal: '100',
      grade: '优',
      gradeCode: 'excellent',
      totalLost: '5.378',
      toMaximum: '5.378',
      nextGrade: null,
      plan: null,
    });
    expect(headroom.lost.map((l: Json) => [l.name, l.lost])).toEqual([
      ['工作受表彰或批评', '2.5'],
      ['部门预算编制情况', '1.00'],
      ['财政拨款收入预决算差异率', '1.00'],
      ['固定资产利用率', '0.50'],
      ['政府采购执行率', '0.31'],
      ['预算完成率', '0.0680'],
    ]);
    const checksum = (await t.http().get(`${BASE}/${id}`).set(EVALUATOR).expect(200)).body.ruleSet.checksum;
    expect(headroom.ruleSet.checksum).toBe(checksum);
  });

  maybe(
    'Headroom [GET …/evaluations/:id/headroom] gives the 政府采购执行率 options, scored by the engine',
    async () => {
      const procurement = headroom.lost.find((l: Json) => l.name === '政府采购执行率');
      expect(procurement).toMatchObject({ score: '1.69', max: '2', method: 'proportional', metric: '84.48%' });
      const actual = procurement.options.filter((o: Json) => o.input === 'procurementActual');
      expect(actual).toEqual([
        {
          kind: 'figure',
          step: 'first-gain',
          input: 'procurementActual',
          label: '实际采购金额合计数',
          pointer: '/inputs/procurementActual',
          from: '1388.29',
          to: '1392.72',
          adjustable: false,
          metricFrom: '84.48',
          metricTo: '84.75',
          scoreTo: '1.70',
          gain: '0.01',
          total: '94.632',
          calc: '84.75%×2=1.70',
          changes: [{ pointer: '/inputs/procurementActual', value: '1392.72' }],
        },
        {
          kind: 'figure',
          step: 'full',
          input: 'procurementActual',
          label: '实际采购金额合计数',
          pointer: '/inputs/procurementActual',
          from: '1388.29',
          to: '1639.23',
          adjustable: false,
          metricFrom: '84.48',
          metricTo: '99.75',
          scoreTo: '2.00',
          gain: '0.31',
          total: '94.932',
          calc: '99.75%×2=2.00',
          changes: [{ pointer: '/inputs/procurementActual', value: '1639.23' }],
        },
      ]);
      const fixedAssets = headroom.lost.find((l: Json) => l.name === '固定资产利用率');
      expect(fixedAssets.options[0]).toMatchObject({ to: '10924.54', metricTo: '90.00', gain: '0.50' });
      const commendations = headroom.lost.find((l: Json) => l.name === '工作受表彰或批评');
      expect(commendations.options).toEqual([
        expect.objectContaining({ kind: 'judgment', input: 'commendations', from: '1', to: '2', gain: '2.5' }),
      ]);
    },
  );

  maybe(
    'every suggestion round-trips: a what-if takes its changes verbatim, and so does a 复核 when it is adjustable',
    async () => {
      const options: Json[] = headroom.lost.flatMap((leaf: Json) => leaf.options);
      // The demo's 部门预算编制情况 point is submitted as { met, note }: headroom names its `met`.
      expect(options).toContainEqual(
        expect.objectContaining({
          adjustable: true,
          changes: [{ pointer: '/inputs/budgetPreparation/preAssessment/met', value: true }],
          total: '95.622',
        }),
      );
      expect(options.filter((o) => o.adjustable).length).toBeGreaterThan(0);
      for (const option of options) {
        const whatIf = await t
          .http()
          .post('/what-if')
          .set(EVALUATOR)
          .send({ department: 'gz-kjj', year: 2021, changes: option.changes });
        expect({ label: option.label, status: whatIf.status, total: whatIf.body.report?.total }).toEqual({
          label: option.label,
          status: 200,
          total: option.total,
        });
        const adjustments = option.changes.map((change: Json) => ({ ...change, reason: `复核：${option.label}` }));
        const review = await t.http().post(`${BASE}/${id}/adjustments`).set(EVALUATOR).send({ adjustments });
        if (option.adjustable) {
          expect({ label: option.label, status: review.status, total: review.body.total }).toEqual({
            label: option.label,
            status: 201,
            total: option.total,
          });
        } else {
          expect({ label: option.label, status: review.status, code: review.body.code }).toEqual({
            label: option.label,
            status: 422,
            code: 'INVALID_ADJUSTMENT',
          });
        }
      }
    },
  );

  maybe('Headroom of an adjusted evaluation starts from the reviewed scores (复核)', async () => {
    const adjusted = await t
      .http()
      .post(`${BASE}/${id}/adjustments`)
      .set(EVALUATOR)
      .send({
        adjustments: [{ pointer: '/inputs/budgetPreparation/preAssessment', value: true, reason: '已开展事前评估' }],
      })
      .expect(201);
    const reviewed = (await t.http().get(`${BASE}/${adjusted.body.id}/headroom`).set(EVALUATOR).expect(200)).body;
    expect(reviewed).toMatchObject({ evaluationId: adjusted.body.id, total: '95.622', totalLost: '4.378' });
    expect(reviewed.lost.map((l: Json) => l.name)).not.toContain('部门预算编制情况');
  });

  maybe('Headroom for the department’s own key, and nothing is stored', async () => {
    const before = await rowCounts(t);
    const own = await t.http().get(`${BASE}/${id}/headroom`).set(GZ_KJJ).expect(200);
    expect(own.body).toEqual(headroom);
    await t.http().get(`${BASE}/${id}/headroom`).set(ADMIN).expect(200);
    expect(await rowCounts(t)).toEqual(before);
  });

  maybe('another department’s key gets 404, and the demo key gets 404 on another department', async () => {
    const res = await t.http().get(`${BASE}/${id}/headroom`).set(bearer(otherDepartmentKey)).expect(404);
    expect(problem(res.body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门“gz-kjj”',
      details: [],
    });
    await t.http().get(`/departments/gz-czj/years/2021/evaluations/${id}/headroom`).set(GZ_KJJ).expect(404);
  });

  maybe('no key gets 401; an unknown evaluation 404; a malformed id 422', async () => {
    const unauthorized = await t.http().get(`${BASE}/${id}/headroom`).expect(401);
    expect(unauthorized.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    const missing = '00000000-0000-4000-8000-000000000000';
    const notFound = await t.http().get(`${BASE}/${missing}/headroom`).set(EVALUATOR).expect(404);
    expect(notFound.body.message).toBe(`未找到部门 gz-kjj 2021年度的评分记录“${missing}”`);
    await t.http().get(`/departments/gz-czj/years/2021/evaluations/${id}/headroom`).set(EVALUATOR).expect(404);
    const malformed = await t.http().get(`${BASE}/latest/headroom`).set(EVALUATOR).expect(422);
    expect(malformed.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ pointer: 'id', message: '应为 UUID' }],
    });
  });

  maybe('OpenAPI documents the route with the seed example', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const route = doc.paths['/departments/{code}/years/{year}/evaluations/{id}/headroom'].get;
    expect(Object.keys(route.responses).sort()).toEqual(['200', '401', '404', '422']);
    const schema = doc.components.schemas.HeadroomDto;
    expect(schema.properties.total.example).toBe('94.622');
    expect(JSON.stringify(schema.properties.lost.example)).toContain('1639.23');
  });
});
