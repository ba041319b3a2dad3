import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { insertGeneratedYears } from '../support/generated-years';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  problem,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the checks read JSON answers */

jest.setTimeout(180_000);

const ADMIN = bearer('demo-admin-key');
const EVAL = bearer('demo-evaluator-key');
const DEPT = bearer('demo-gz-kjj-key');
const GENERATED = 1000;

async function readXlsx(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as any);
  return workbook.getWorksheet('汇总表')!;
}

const binary = (res: any, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('The year overview on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('lists the demo department: total "94.622", grade 优, rank 1, with counts, mean and median', async () => {
    const res = await t.http().get('/years/2021/overview').set(EVAL).expect(200);
    expect(res.body).toMatchObject({ fiscalYear: 2021, total: 1, next: null });
    expect(res.body.items).toEqual([
      {
        departmentCode: 'gz-kjj',
        departmentName: '广州市科学技术局',
        region: '广州市',
        retired: false,
        status: 'scored',
        statusLabel: '已评分',
        submittedRevision: 1,
        submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        late: false,
        evaluationId: expect.any(String),
        selfScore: '94.622',
        reviewScore: null,
        total: '94.622',
        grade: '优',
        rank: 1,
      },
    ]);
    const summary = res.body.summary;
    expect(summary).toMatchObject({ departments: 1, scored: 1, late: 0, mean: '94.622', median: '94.622' });
    expect(summary.byGrade).toEqual([
      { grade: '优', count: 1 },
      { grade: '良', count: 0 },
      { grade: '中', count: 0 },
      { grade: '差', count: 0 },
    ]);
    expect(summary.byStatus.map((s: any) => [s.label, s.count])).toEqual([
      ['未填报', 0],
      ['填报中', 0],
      ['已提交', 0],
      ['已退回', 0],
      ['已评分', 1],
      ['已复核', 0],
      ['已定稿', 0],
    ]);
    // the evaluation it names is the stored one, total and all
    const evaluation = await t
      .http()
      .get(`/departments/gz-kjj/years/2021/evaluations/${res.body.items[0].evaluationId}`)
      .set(EVAL)
      .expect(200);
    expect(evaluation.body.total).toBe('94.622');
    await t.http().get('/years/2021/overview').set(ADMIN).expect(200);
  });

  maybe('the 汇总表 reads back with those cells, printable, named for curl -OJ', async () => {
    const res = await t.http().get('/years/2021/overview.xlsx').set(EVAL).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="2021-huizongbiao.xlsx"; filename*=UTF-8''2021-${encodeURIComponent('汇总表')}.xlsx`,
    );
    const sheet = await readXlsx(res.body);
    expect(sheet.getCell('A1').value).toBe('2021年度部门整体支出绩效自评结果汇总表');
    expect(sheet.getRow(3).values).toEqual([
      undefined,
      '序号',
      '部门',
      '自评分',
      '复核分',
      '等次',
      '排名',
      '状态',
      '提交时间',
    ]);
    const row = sheet.getRow(4);
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => row.getCell(c).value)).toEqual([
      1,
      '广州市科学技术局',
      94.622,
      '',
      '优',
      1,
      '已评分',
    ]);
    expect(row.getCell(3).numFmt).toBe('0.000');
    expect(String(row.getCell(8).value)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(String(sheet.getCell('A6').value)).toBe(
      '部门 1 个，已评分 1 个，逾期提交 0 个；平均分 94.622，中位数 94.622，最高分 94.622，最低分 94.622',
    );
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, printTitlesRow: '3:3' });
    expect(sheet.getCell('B4').font).toMatchObject({ name: '宋体' });

    const csv = await t.http().get('/years/2021/overview.csv').set(ADMIN).expect(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="2021-huizongbiao.csv"/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('\uFEFF2021年度部门整体支出绩效自评结果汇总表');
    expect(lines[1]).toBe('序号,部门,自评分,复核分,等次,排名,状态,提交时间,部门代码,地区,是否逾期');
    expect(lines[2]).toMatch(/^1,广州市科学技术局,94\.622,,优,1,已评分,\d{4}-\d\d-\d\d \d\d:\d\d,gz-kjj,广州市,否$/);
  });

  maybe('is the bureau’s: a department key gets 403, no key 401', async () => {
    for (const path of ['/years/2021/overview', '/years/2021/overview.xlsx', '/years/2021/overview.csv']) {
      const res = await t.http().get(path).set(DEPT).expect(403);
      expect(problem(res.body)).toMatchObject({ code: 'FORBIDDEN' });
      await t.http().get(path).expect(401);
    }
  });

  maybe('names each bad query parameter in Chinese (422), in English on request', async () => {
    const res = await t.http().get('/years/2021/overview?status=done&limit=9999&sort=score&page=2').set(EVAL);
    expect(res.status).toBe(422);
    const body = problem(res.body) as any;
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toBe('查询参数有误：page、status、sort、limit');
    expect(body.details).toEqual(
      expect.arrayContaining([
        { pointer: 'limit', message: '每页条数（limit）应为1到500的整数，如 50' },
        expect.objectContaining({ pointer: 'status', message: expect.stringMatching(/^状态“done”不存在/) }),
        expect.objectContaining({ pointer: 'sort', message: expect.stringMatching(/^排序字段“score”不存在/) }),
      ]),
    );
    const en = await t.http().get('/years/2021/overview.xlsx?late=maybe').set(EVAL).set('Accept-Language', 'en');
    expect(en.status).toBe(422);
    expect(en.body.details).toEqual([{ pointer: 'late', message: 'late is true or false' }]);
    await t.http().get('/years/1999/overview').set(EVAL).expect(422);
  });

  maybe('shows 自评分 and 复核分 side by side once an evaluator adjusts', async () => {
    const latest = await t.http().get('/departments/gz-kjj/years/2021/evaluations/latest').set(EVAL).expect(200);
    await t
      .http()
      .post(`/departments/gz-kjj/years/2021/evaluations/${latest.body.id}/adjustments`)
      .set(EVAL)
      .send({
        adjustments: [
          { pointer: '/inputs/budgetPreparation/preAssessment', value: true, reason: '已开展事前绩效评估，见评审意见' },
        ],
      })
      .expect(201);
    const res = await t.http().get('/years/2021/overview').set(EVAL).expect(200);
    expect(res.body.items[0]).toMatchObject({ selfScore: '94.622', reviewScore: '95.622', total: '95.622', rank: 1 });
    const sheet = await readXlsx(
      (await t.http().get('/years/2021/overview.xlsx').set(EVAL).buffer(true).parse(binary).expect(200)).body,
    );
    expect([3, 4, 5].map((c) => sheet.getRow(4).getCell(c).value)).toEqual([94.622, 95.622, '优']);
  });

  maybe('is documented in OpenAPI: its query parameters, answers and errors', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const get = doc.paths['/years/{year}/overview'].get;
    expect(get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['year', 'status', 'grade', 'region', 'late', 'sort', 'offset', 'limit']),
    );
    expect(Object.keys(get.responses)).toEqual(['200', '401', '403', '422']);
    expect(get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/YearOverviewDto',
    });
    expect(Object.keys(doc.components.schemas.YearOverviewDto.properties)).toEqual([
      'fiscalYear',
      'items',
      'total',
      'next',
      'summary',
    ]);
    for (const path of ['/years/{year}/overview.xlsx', '/years/{year}/overview.csv']) {
      expect(Object.keys(doc.paths[path].get.responses)).toEqual(['200', '401', '403', '422']);
    }
  });

  maybe('ranks and pages 1,000 generated departments correctly, ties included', async () => {
    await insertGeneratedYears(t.app.get(DataSource), GENERATED, 2021);

    // every page of 137, in rank order, gathered
    const items: any[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const res: any = await t.http().get(`/years/2021/overview?limit=137&offset=${offset}`).set(EVAL).expect(200);
      expect(res.body.total).toBe(GENERATED + 1);
      expect(res.body.items.length).toBe(Math.min(137, GENERATED + 1 - offset));
      items.push(...res.body.items);
      offset = res.body.next;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil((GENERATED + 1) / 137));
    expect(new Set(items.map((i) => i.departmentCode)).size).toBe(GENERATED + 1);

    // the ranks, worked out here: 1 + the totals strictly above (competition ranking)
    const totals = items.filter((i) => i.total !== null).map((i) => new Decimal(i.total));
    for (const item of items) {
      if (item.total === null) expect(item.rank).toBeNull();
      else expect(item.rank).toBe(totals.filter((t) => t.gt(item.total)).length + 1);
    }
    // in rank order, ties by code, the unscored last
    const scored = items.filter((i) => i.rank !== null);
    expect(items.slice(scored.length).every((i) => i.rank === null)).toBe(true);
    for (let i = 1; i < scored.length; i += 1) {
      const [a, b] = [scored[i - 1], scored[i]];
      expect(a.rank < b.rank || (a.rank === b.rank && a.departmentCode < b.departmentCode)).toBe(true);
    }
    // ties exist and share their rank; the rank after a tie skips
    const first = scored.filter((i) => i.rank === scored[0].rank);
    expect(first.length).toBeGreaterThan(1);
    expect(scored[first.length].rank).toBe(first.length + 1);
    // the adjusted ones rank by 复核分
    const adjusted = items.find((i) => i.departmentCode === 'gen-0050');
    expect(adjusted).toMatchObject({ status: 'reviewed', selfScore: '93.0', reviewScore: '95.0', total: '95.0' });

    // filters narrow the list and the summary, not the ranks
    const sz = await t.http().get('/years/2021/overview?region=深圳市&grade=优&sort=-total&limit=500').set(EVAL);
    expect(sz.status).toBe(200);
    const expected = items.filter((i) => i.region === '深圳市' && i.grade === '优');
    expect(sz.body.total).toBe(expected.length);
    expect(sz.body.items.map((i: any) => [i.departmentCode, i.rank])).toEqual(
      expected.map((i) => [i.departmentCode, i.rank]),
    );
    expect(sz.body.summary.byGrade.find((g: any) => g.grade === '优').count).toBe(expected.length);

    const all = (await t.http().get('/years/2021/overview?limit=1').set(EVAL).expect(200)).body.summary;
    expect(all).toMatchObject({ departments: GENERATED + 1, scored: totals.length, late: 143 });
    const sum = Decimal.sum(...totals);
    const sorted = [...totals].sort((a, b) => a.comparedTo(b));
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : sorted[mid - 1].plus(sorted[mid]).div(2);
    expect(all.mean).toBe(sum.div(totals.length).toFixed(3, Decimal.ROUND_HALF_UP));
    expect(all.median).toBe(median.toFixed(3, Decimal.ROUND_HALF_UP));
    expect(all.byStatus.find((s: any) => s.status === 'submitted').count).toBe(100);

    // the 汇总表 holds every one of them, in rank order
    const sheet = await readXlsx(
      (await t.http().get('/years/2021/overview.xlsx').set(EVAL).buffer(true).parse(binary).expect(200)).body,
    );
    expect(sheet.getCell(4 + GENERATED, 1).value).toBe(GENERATED + 1);
    expect(sheet.getCell(4, 6).value).toBe(1);
    expect(sheet.getCell(4, 2).value).toBe(items[0].departmentName);
  });
});
