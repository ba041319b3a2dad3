import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { type Submission, toRuleSet } from '@jiping/rules';
import { fillTemplate } from '../../libs/reports/src/template-fill.testing';
import { templateLayout } from '../../libs/reports/src/template-layout';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the checks walk the rule file */

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const REF = 'guangzhou-department-overall:2021:published';
const YEAR = '/departments/gz-kjj/years/2021';
const SUBMISSIONS = `${YEAR}/submissions`;
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const KJJ = bearer('demo-gz-kjj-key');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RULE_FILE = JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8'));
const ruleSet = toRuleSet(RULE_FILE);
const TARGETS_SHEET = templateLayout(ruleSet).targets[0].sheet;
const submission = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'),
) as Submission;

/** supertest leaves unknown content types unread: collect the bytes. */
const asBuffer = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Workbooks on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let filled: Buffer;
  let otherKey: { Authorization: string };

  const get = (path: string, key: { Authorization: string }) =>
    t.http().get(path).set(key).buffer(true).parse(asBuffer);
  const upload = (buffer: Buffer, key: { Authorization: string }, path = SUBMISSIONS) =>
    t.http().post(path).set(key).attach('file', buffer, 'gz-kjj-2021.xlsx');
  const revisions = async (): Promise<number> =>
    (await t.http().get(SUBMISSIONS).set(ADMIN).expect(200)).body.length as number;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    await t.http().post('/departments').set(ADMIN).send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' });
    const created = await t
      .http()
      .post('/api-keys')
      .set(ADMIN)
      .send({ name: '财政局填报账号', role: 'department', departmentCode: 'gz-czj' })
      .expect(201);
    otherKey = bearer(created.body.key);
    // the demo year is scored: returned (退回), its department may upload again
    await t.http().post(`${YEAR}/return`).set(EVALUATOR).send({ reason: '请用模板重新填报' }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('a department downloads the template of the published rule set', async () => {
    const res = await get(`/rule-sets/${REF}/template.xlsx`, KJJ).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    const workbook = await load(res.body as Buffer);
    expect(workbook.getWorksheet('年终数据')!.getCell('B3').value).toBe(ruleSet.file.inputs[0].label);
    filled = await fillTemplate(ruleSet, res.body as Buffer, submission);
  });

  maybe('the filled template uploads as a new revision, which scores 94.622', async () => {
    const before = await revisions();
    const res = await upload(filled, KJJ).expect(201);
    expect(res.body.revision).toBe(before + 1);
    const stored = await t.http().get(`${SUBMISSIONS}/${res.body.revision}`).set(ADMIN).expect(200);
    expect(stored.body.submission.inputs.procurementActual).toBe('1388.29');
    expect(stored.body.submission.targets).toBeUndefined();
    await t.http().post(`${YEAR}/submit`).set(KJJ).send({ revision: res.body.revision }).expect(200);
    const evaluation = await t.http().post(`${YEAR}/evaluations`).set(EVALUATOR).send({}).expect(201);
    expect(evaluation.body).toMatchObject({ submissionRevision: res.body.revision, total: '94.622' });
    await t.http().post(`${YEAR}/return`).set(EVALUATOR).send({ reason: '继续测试上传' }).expect(200);
  });

  maybe('a bad workbook is a 422 naming the cell and the pointer, and nothing is stored', async () => {
    const before = await revisions();
    const workbook = await load(filled);
    const row = templateLayout(ruleSet).data.find((r) => r.input.id === 'procurementActual')!.row;
    workbook.getWorksheet('年终数据')!.getCell(`C${row}`).value = 1388.291;
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), KJJ).expect(422);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          pointer: '/inputs/procurementActual',
          path: `年终数据!C${row}`,
          message: '应为不超过两位小数的金额（万元）（填了3位小数）',
        },
      ],
    });
    const notAWorkbook = await upload(Buffer.from('not a workbook'), KJJ).expect(422);
    expect(notAWorkbook.body.details[0].message).toBe('不是 Excel 工作簿（.xlsx）文件');
    expect(await revisions()).toBe(before);
  });

  maybe('an engine problem of an uploaded workbook names its cell too', async () => {
    const before = await revisions();
    const workbook = await load(filled);
    const row = templateLayout(ruleSet).data.find((r) => r.input.id === 'procurementPlanned')!.row;
    workbook.getWorksheet('年终数据')!.getCell(`C${row}`).value = null;
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), KJJ).expect(422);
    expect(res.body.code).toBe('INVALID_SUBMISSION');
    expect(res.body.details).toContainEqual(
      expect.objectContaining({
        pointer: '/inputs/procurementPlanned',
        path: `年终数据!C${row}`,
        message: expect.stringMatching(/^缺少填报项“.+”（procurementPlanned）$/),
      }),
    );
    expect(await revisions()).toBe(before);
  });

  maybe('an upload over 5 MB is refused with 413', async () => {
    const res = await upload(Buffer.concat([filled, Buffer.alloc(6 * 1024 * 1024)]), KJJ).expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  maybe('a department uploads only for itself; an evaluator does not upload', async () => {
    await upload(filled, otherKey).expect(404);
    await upload(filled, EVALUATOR).expect(403);
  });

  maybe('the department’s own workbook: its approved targets read-only, its latest figures filled in', async () => {
    const res = await get(`${YEAR}/template.xlsx`, KJJ).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="gz-kjj-2021-tianbaobiao.xlsx"; filename*=UTF-8''gz-kjj-2021-${encodeURIComponent('填报表')}.xlsx`,
    );
    const workbook = await load(res.body as Buffer);
    const sheet = workbook.getWorksheet(TARGETS_SHEET)!;
    expect([sheet.getCell('A3').value, sheet.getCell('D3').value, sheet.getCell('I3').value]).toEqual([
      'rd',
      'rd-1',
      20,
    ]);
    expect(sheet.getCell('I3').protection?.locked).not.toBe(false);
    expect(sheet.getCell('L3')).toMatchObject({ value: 21, protection: { locked: false } });
    const row = templateLayout(ruleSet).data.find((r) => r.input.id === 'procurementActual')!.row;
    expect(workbook.getWorksheet('年终数据')!.getCell(`C${row}`).value).toBe(1388.29);
    await get(`${YEAR}/template.xlsx`, EVALUATOR).expect(200);
    await get(`${YEAR}/template.xlsx`, otherKey).expect(404);
    await get('/departments/gz-czj/years/2021/template.xlsx', otherKey).expect(422); // nothing declared yet
  });

  maybe('round trip: download → fill in the actual values → upload → the same score, 94.622', async () => {
    const before = await revisions();
    const workbook = await load((await get(`${YEAR}/template.xlsx`, KJJ).expect(200)).body as Buffer);
    const sheet = workbook.getWorksheet(TARGETS_SHEET)!;
    // the clerk's year-end work: every result cell emptied, then typed in
    const tiers = ruleSet.file.indicators.flatMap(function walk(n: any): any[] {
      return n.declared ? n.declared.qualitativeTiers : (n.children ?? []).flatMap(walk);
    });
    for (let r = 3; sheet.getCell(`D${r}`).value; r++) {
      for (const column of ['L', 'M', 'N', 'O', 'P']) sheet.getCell(`${column}${r}`).value = null;
      const result = submission.targetResults![String(sheet.getCell(`D${r}`).value)] ?? {};
      const typed = (v: string) => (String(Number(v)) === v ? Number(v) : v);
      if (result.actual !== undefined) sheet.getCell(`L${r}`).value = typed(result.actual);
      if (result.tier !== undefined) sheet.getCell(`M${r}`).value = tiers.find((t) => t.code === result.tier).label;
      if (result.score !== undefined) sheet.getCell(`N${r}`).value = typed(result.score);
      if (result.text !== undefined) sheet.getCell(`O${r}`).value = result.text;
      if (result.reason !== undefined) sheet.getCell(`P${r}`).value = result.reason;
    }
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), KJJ).expect(201);
    expect(res.body.revision).toBe(before + 1);
    const stored = await t.http().get(`${SUBMISSIONS}/${res.body.revision}`).set(ADMIN).expect(200);
    const { targets: _t, department, fiscalYear: _y, formatVersion: _f, ...figures } = submission;
    expect(stored.body.submission).toEqual({ unitCount: department.unitCount, ...figures });
    await t.http().post(`${YEAR}/submit`).set(KJJ).send({ revision: res.body.revision }).expect(200);
    const evaluation = await t.http().post(`${YEAR}/evaluations`).set(EVALUATOR).send({}).expect(201);
    expect(evaluation.body).toMatchObject({ submissionRevision: res.body.revision, total: '94.622' });
    await t.http().post(`${YEAR}/return`).set(EVALUATOR).send({ reason: '继续测试上传' }).expect(200);
  });

  maybe('a changed target cell is refused, naming the cell and the pointer; nothing is stored', async () => {
    const before = await revisions();
    const workbook = await load((await get(`${YEAR}/template.xlsx`, KJJ).expect(200)).body as Buffer);
    workbook.getWorksheet(TARGETS_SHEET)!.getCell('I3').value = 15;
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), KJJ).expect(422);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '工作簿中的绩效目标与批复的不一致：1 处，未保存（目标只能通过绩效目标申报修改）',
      details: [
        {
          pointer: '/targets/performance/0/indicators/0/target',
          path: `${TARGETS_SHEET}!I3`,
          message: expect.stringMatching(
            /^关键指标“聚焦重点产业领域，支持重点主攻方向数量”的年度指标值与批复的绩效目标（第1版）不一致：批复为“20”，工作簿中为“15”。/,
          ),
        },
      ],
    });
    // the rule set's blank template, its targets typed differently, is refused the same way
    const typed = structuredClone(submission);
    (typed.targets!.performance[0] as any).indicators[0].weight = '4';
    const blank = (await get(`/rule-sets/${REF}/template.xlsx`, KJJ).expect(200)).body as Buffer;
    const other = await upload(await fillTemplate(ruleSet, blank, typed), KJJ).expect(422);
    expect(other.body.details).toEqual([
      expect.objectContaining({ pointer: '/targets/performance/0/indicators/0/weight', path: `${TARGETS_SHEET}!F3` }),
    ]);
    expect(await revisions()).toBe(before);
  });

  maybe('the rule set exports for review, and a diff highlights a changed band', async () => {
    const exported = await get(`/rule-sets/${REF}/export.xlsx`, KJJ).expect(200);
    const sheet = (await load(exported.body as Buffer)).getWorksheet('指标体系')!;
    let standard: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(10).value === 'fixed-asset-utilization') standard = row.getCell(8).value;
    });
    expect(standard).toMatch(/^≥90%得2分；80%（含）-90%得1.5分/);

    const next = structuredClone(RULE_FILE);
    next.version = '2021.2.0';
    next.indicators[0].children[3].children[2].method.bands[3].score = '0.6';
    const uploaded = await t.http().post('/rule-sets').set(ADMIN).send(next).expect(201);
    const draft = `guangzhou-department-overall:2021:${uploaded.body.versionNo}`;
    const diff = await get(`/rule-sets/${draft}/diff.xlsx?against=${REF}`, ADMIN).expect(200);
    const workbook = await load(diff.body as Buffer);
    expect(workbook.getWorksheet('变更')!.getCell('A3').value).toBe('band-changed');
    const changed = workbook.getWorksheet('新版（2021.2.0）')!;
    changed.eachRow((row) => {
      if (row.getCell(10).value !== 'fixed-asset-utilization') return;
      expect(row.getCell(8).value).toContain('60%（含）-70%得0.6分');
      expect((row.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFFF00');
      standard = 'checked';
    });
    expect(standard).toBe('checked');
    await get(`/rule-sets/${draft}/export.xlsx`, KJJ).expect(404);
    await get(`/rule-sets/${REF}/diff.xlsx`, ADMIN).expect(422);
  });
});
