import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(60_000);

const BASE = '/departments/gz-kjj/years/2021/evaluations';
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const KJJ = bearer('demo-gz-kjj-key');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PRE_ASSESSMENT = '/inputs/budgetPreparation/preAssessment';
const REASON = '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见';

/** supertest leaves unknown content types unread: collect the bytes. */
const asBuffer = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function sheetOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.getWorksheet('自评表')!;
}

/** The row whose first cell holds `text`. */
function rowOf(sheet: ExcelJS.Worksheet, text: string): ExcelJS.Row {
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row) => {
    if (row.getCell(1).value === text) rows.push(row);
  });
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Reports on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  /** The demo's official evaluation (94.622). */
  let id: string;
  let otherKey: { Authorization: string };

  const get = (path: string, key?: { Authorization: string }) => {
    const request = t.http().get(path).buffer(true).parse(asBuffer);
    return key ? request.set(key) : request;
  };

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    const latest = await t.http().get(`${BASE}/latest`).set(ADMIN).expect(200);
    expect(latest.body.total).toBe('94.622');
    id = latest.body.id;
    await t.http().post('/departments').set(ADMIN).send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' });
    const created = await t
      .http()
      .post('/api-keys')
      .set(ADMIN)
      .send({ name: '财政局填报账号', role: 'department', departmentCode: 'gz-czj' })
      .expect(201);
    otherKey = bearer(created.body.key);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('export.xlsx: the 自评表 workbook, total 94.622 as 0.000, named gz-kjj-2021-自评表.xlsx', async () => {
    const res = await get(`${BASE}/${id}/export.xlsx`, EVALUATOR).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="gz-kjj-2021-zipingbiao.xlsx"; filename*=UTF-8''${encodeURIComponent('gz-kjj-2021-自评表.xlsx')}`,
    );
    const sheet = await sheetOf(res.body as Buffer);
    const total = rowOf(sheet, '总分').getCell(9);
    expect([total.value, total.numFmt]).toEqual([94.622, '0.000']);
    expect(rowOf(sheet, '单位名称').getCell(2).value).toBe('广州市科学技术局');
    expect(sheet.pageSetup.orientation).toBe('landscape');
  });

  maybe('export.csv: UTF-8 with a BOM, the total 94.622', async () => {
    const res = await get(`${BASE}/${id}/export.csv`, ADMIN).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''gz-kjj-2021-`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text).toContain('\r\n,总分,,,,100,94.622\r\n');
    expect(text).toContain('budget-completion-rate,管理效能,资金管理,预算完成率,3,2,1.9320,');
  });

  maybe('the department’s own key exports; another department’s key gets 404, no key 401', async () => {
    const own = await get(`${BASE}/${id}/export.xlsx`, KJJ).expect(200);
    expect(rowOf(await sheetOf(own.body as Buffer), '总分').getCell(9).value).toBe(94.622);
    await get(`${BASE}/${id}/export.csv`, KJJ).expect(200);
    for (const format of ['xlsx', 'csv']) {
      const other = await get(`${BASE}/${id}/export.${format}`, otherKey).expect(404);
      expect(JSON.parse((other.body as Buffer).toString('utf8'))).toMatchObject({ code: 'NOT_FOUND' });
      await get(`${BASE}/${id}/export.${format}`).expect(401);
    }
    // Another department's path with this evaluation's id: not found either.
    await get(`/departments/gz-czj/years/2021/evaluations/${id}/export.xlsx`, ADMIN).expect(404);
    await get(`${BASE}/not-a-uuid/export.xlsx`, ADMIN).expect(422);
  });

  maybe('an adjusted evaluation shows 自评分 and 复核分 with the reason', async () => {
    const adjusted = await t
      .http()
      .post(`${BASE}/${id}/adjustments`)
      .set(EVALUATOR)
      .send({ adjustments: [{ pointer: PRE_ASSESSMENT, value: true, reason: REASON }] })
      .expect(201);
    const res = await get(`${BASE}/${adjusted.body.id}/export.xlsx`, KJJ).expect(200);
    const sheet = await sheetOf(res.body as Buffer);
    const header = sheet.getRow(Number(sheet.pageSetup.printTitlesRow!.split(':')[0]));
    expect(header.getCell(1).value).toBe('一级指标');
    expect([header.getCell(9).value, header.getCell(10).value]).toEqual(['自评分', '复核分']);
    let leaf: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(5).value === '部门预算编制情况') leaf = row;
    });
    expect([leaf!.getCell(9).value, leaf!.getCell(10).value, leaf!.getCell(12).value]).toEqual([2, 3, REASON]);
    // Every row shows both scores, untouched ones too; 总分 and 等次 side by side: 94.622 自评, 95.622 复核.
    sheet.eachRow((row) => {
      if (row.getCell(5).value === '预算完成率')
        expect([row.getCell(9).value, row.getCell(10).value]).toEqual([1.932, 1.932]);
    });
    const total = rowOf(sheet, '总分');
    expect([total.getCell(9).value, total.getCell(10).value]).toEqual([94.622, 95.622]);
    const grade = rowOf(sheet, '等次');
    expect([grade.getCell(9).value, grade.getCell(10).value]).toEqual(['优', '优']);

    // The CSV too, for every node: the section 管理效能 and the total.
    const csv = (await get(`${BASE}/${adjusted.body.id}/export.csv`, KJJ).expect(200)).body.toString('utf8');
    const lines = csv.slice(1).split('\r\n');
    expect(lines[3]).toContain(',分值,自评分,复核分,复核理由,');
    expect(lines).toContain(',总分,,,,100,94.622,95.622');
    expect(lines).toContain(',等次,,,,,优,优');
    expect(lines.find((l: string) => l.startsWith('budget-preparation,'))).toContain(`,2.00,3.00,${REASON},`);
    expect(lines.find((l: string) => l.startsWith('budget-completion-rate,'))).toContain(',1.9320,1.9320,,');
    const management = lines.find((l: string) => l.startsWith('management,'));
    expect(management).toMatch(/^management,管理效能,,,1,45,42\.122,43\.122,/);

    // An adjustment of the adjusted evaluation still compares with the department's own 94.622.
    const again = await t
      .http()
      .post(`${BASE}/${adjusted.body.id}/adjustments`)
      .set(EVALUATOR)
      .send({
        adjustments: [
          {
            pointer: '/inputs/resultApplication',
            value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
            reason: '绩效结果应用整改未全部落实，评为部分达成',
          },
        ],
      })
      .expect(201);
    const text = (await get(`${BASE}/${again.body.id}/export.csv`, KJJ).expect(200)).body.toString('utf8');
    expect(text).toContain(`,总分,,,,100,94.622,${again.body.total}\r\n`);
  });

  maybe('curl -OJ saves the export under its readable ASCII name (RFC 6266 fallback)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiping-curl-'));
    try {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      for (const format of ['xlsx', 'csv']) {
        // async: the server runs in this process, and a synchronous child would keep it from answering
        const url = `http://127.0.0.1:${port}${BASE}/${id}/export.${format}`;
        const curl = await promisify(execFile)(
          'curl',
          ['-sS', '-f', '-OJ', '-H', `Authorization: Bearer demo-gz-kjj-key`, url],
          {
            cwd: dir,
            encoding: 'utf8',
          },
        );
        expect(curl.stderr).toBe('');
      }
      expect(readdirSync(dir).sort()).toEqual(['gz-kjj-2021-zipingbiao.csv', 'gz-kjj-2021-zipingbiao.xlsx']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
