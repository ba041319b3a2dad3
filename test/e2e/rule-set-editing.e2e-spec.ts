import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleFile, valueAtPointer } from '@jiping/rules';
import { RULE_WORKBOOK_SHEETS as SHEETS } from '@jiping/reports';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const BASE = 'guangzhou-department-overall:2021:published';
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const GUANGZHOU = JSON.parse(
  readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8'),
) as RuleFile;
const BAND_2 = '/indicators/0/children/3/children/2/method/bands/1';

/** supertest leaves unknown content types unread: collect the bytes. */
const asBuffer = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Opens a workbook, types into it as a person would in Excel, and saves it. */
async function edited(buffer: Buffer, edit: (sheet: (name: string) => ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  edit((name) => workbook.getWorksheet(name)!);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
const rowOf = (sheet: ExcelJS.Worksheet, column: string, text: string, after = 3): number => {
  for (let r = after; r <= sheet.rowCount; r++) if (sheet.getCell(`${column}${r}`).value === text) return r;
  throw new Error(`${sheet.name}: no ${text}`);
};

/** The three edits of issue 14: a weight moved between two siblings, a band threshold, a deduction rate. */
const threeEdits = (sheet: (name: string) => ExcelJS.Worksheet): void => {
  const tree = sheet(SHEETS.indicators);
  tree.getCell(`F${rowOf(tree, 'D', 'public-expense-control')}`).value = 2.5;
  tree.getCell(`F${rowOf(tree, 'D', 'three-public-expense-control')}`).value = 1.5;
  const bands = sheet(SHEETS.bands);
  bands.getCell(`E${rowOf(bands, 'B', 'fixed-asset-utilization')}`).value = 95;
  const parameters = sheet(SHEETS.parameters);
  parameters.getCell(`D${rowOf(parameters, 'C', '每差1个百分点扣分')}`).value = 0.3;
};
const THREE_CHANGES = [
  ['parameter-changed', 'budget-completion-rate', '0.2', '0.3'],
  ['band-changed', 'fixed-asset-utilization', '≥90% 得2分', '≥95% 得2分'],
  ['band-changed', 'fixed-asset-utilization', '90%（含）-95% 得2分；80%（含）-90% 得1.5分', '80%（含）-95% 得1.5分'],
  ['weight-changed', 'public-expense-control', '2', '2.5'],
  ['weight-changed', 'three-public-expense-control', '2', '1.5'],
];
const changesOf = (diff: { changes: Array<{ kind: string; code?: string; before?: string; after?: string }> }) =>
  diff.changes.map((c) => [c.kind, c.code, c.before, c.after]);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Rule editing on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let exported: Buffer;

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
  const importWorkbook = (buffer: Buffer, query = '', key = ADMIN) =>
    t.http().post(`/rule-sets/${BASE}/workbook-import${query}`).set(key).attach('file', buffer, '指标体系.xlsx');
  const versions = async (): Promise<string[]> =>
    (await t.http().get('/rule-sets?id=guangzhou-department-overall').set(ADMIN).expect(200)).body.map(
      (r: { ref: string }) => r.ref,
    );

  maybe('GET …/workbook.xlsx: the editable workbook of a version', async () => {
    const res = await t
      .http()
      .get(`/rule-sets/${BASE}/workbook.xlsx`)
      .set(ADMIN)
      .buffer(true)
      .parse(asBuffer)
      .expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain(
      'guangzhou-department-overall-2021-1-zhibiao-tixi-editable.xlsx',
    );
    exported = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported as unknown as ArrayBuffer);
    expect(workbook.getWorksheet(SHEETS.indicators)!.getCell('F12').value).toBe(2);
    expect(workbook.getWorksheet(SHEETS.mapping)!.state).toBe('veryHidden');
  });

  maybe('an unchanged workbook previews as no change, and nothing is stored', async () => {
    const before = await versions();
    const res = await importWorkbook(exported, '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({
      baseRef: 'guangzhou-department-overall:2021:1',
      valid: true,
      problems: [],
      testUpdates: [],
      diff: { fromRef: 'guangzhou-department-overall:2021:1', changes: [] },
    });
    expect(res.body.draft.version).toBe('2021.2.0');
    expect({ ...res.body.draft, version: GUANGZHOU.version }).toEqual(GUANGZHOU);
    expect(await versions()).toEqual(before);
  });

  maybe('three edits: the preview diffs as exactly those changes; saved, the draft is stored and audited', async () => {
    const buffer = await edited(exported, threeEdits);
    const preview = await importWorkbook(buffer, '?dryRun=true&updateTests=true').expect(200);
    expect(preview.body.valid).toBe(true);
    expect(changesOf(preview.body.diff)).toEqual(THREE_CHANGES);
    expect(preview.body.testUpdates[0].message).toMatch(/^内嵌测试“.+”：预期/);

    const saved = await importWorkbook(buffer, '?updateTests=true').expect(201);
    const ref = saved.body.ruleSet.ref as string;
    expect(saved.body.ruleSet).toMatchObject({
      status: 'draft',
      fileVersion: '2021.2.0',
      ruleSetId: 'guangzhou-department-overall',
    });
    expect(saved.body.baseRef).toBe('guangzhou-department-overall:2021:1');
    expect(changesOf(saved.body.diff)).toEqual(THREE_CHANGES);
    // stored: read back through the API
    const diff = await t.http().get(`/rule-sets/${ref}/diff?against=${BASE}`).set(ADMIN).expect(200);
    expect(changesOf(diff.body)).toEqual(THREE_CHANGES);
    const audit = await t.http().get(`/audit?action=rule-set.imported&entityId=${ref}`).set(ADMIN).expect(200);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0].details).toMatchObject({
      basedOn: 'guangzhou-department-overall:2021:1',
      fileVersion: '2021.2.0',
    });
  });

  maybe('a cell it cannot read: named in the preview; saving answers 422 and stores nothing', async () => {
    const buffer = await edited(exported, (sheet) => {
      sheet(SHEETS.indicators).getCell('F12').value = '两分';
    });
    const preview = await importWorkbook(buffer, '?dryRun=true').expect(200);
    expect(preview.body.valid).toBe(false);
    expect(preview.body.problems).toEqual([
      {
        pointer: '/indicators/0/children/1/weight',
        cell: '指标体系!F12',
        path: '管理效能 › 采购管理',
        message: '应为不超过两位小数的分值（填了“两分”）',
      },
    ]);
    const before = await versions();
    const refused = await importWorkbook(buffer).expect(422);
    expect(refused.body).toMatchObject({
      code: 'RULE_SET_INVALID',
      message: '工作簿有 1 处问题，未保存草稿：可先用 ?dryRun=true 查看差异和问题',
      details: [
        {
          pointer: '/indicators/0/children/1/weight',
          path: '指标体系!F12（管理效能 › 采购管理）',
          message: '应为不超过两位小数的分值（填了“两分”）',
        },
      ],
    });
    const english = await importWorkbook(buffer).set('Accept-Language', 'en').expect(422);
    expect(english.body.details[0].message).toBe('must be a score with at most 2 decimal places (found "两分")');
    expect(await versions()).toEqual(before);
  });

  maybe('refuses what is not a workbook, a missing file, and keys other than admins', async () => {
    const notXlsx = await importWorkbook(Buffer.from('hello'), '?dryRun=true').expect(200);
    expect(notXlsx.body.problems[0].message).toBe('不是 Excel 工作簿（.xlsx）文件');
    const missing = await t.http().post(`/rule-sets/${BASE}/workbook-import`).set(ADMIN).field('x', '1').expect(422);
    expect(missing.body.details[0].pointer).toBe('/file');
    await importWorkbook(exported, '?dryRun=true', EVALUATOR).expect(403);
    await t.http().post(`/rule-sets/${BASE}/drafts`).set(EVALUATOR).send({}).expect(403);
    await t.http().post('/rule-sets/validate').set(EVALUATOR).send(GUANGZHOU).expect(403);
    await importWorkbook(exported, '?dryRun=maybe').expect(422);
  });

  maybe(
    'the editor: a draft 以2021年为基础, the band 80 %（含）–90 % at 1, validated, saved, scored 94.122',
    async () => {
      // 1. start from the published version: a draft of the same year, next version
      const created = await t.http().post(`/rule-sets/${BASE}/drafts`).set(ADMIN).send({}).expect(201);
      const ref = created.body.ref as string;
      expect(created.body).toMatchObject({ status: 'draft', fiscalYear: 2021, warnings: expect.any(Array) });
      expect(created.body.content.version).not.toBe('2021.1.0');
      // 2. the form changes one band's score; the check answers live, with the diff against the base
      const content = structuredClone(created.body.content) as RuleFile;
      (valueAtPointer(content, BAND_2) as { score: string }).score = '1';
      const failing = await t
        .http()
        .post(`/rule-sets/validate?against=${BASE}&replaces=${ref}`)
        .set(ADMIN)
        .send(content)
        .expect(200);
      expect(failing.body.valid).toBe(false);
      expect(failing.body.problems[0]).toMatchObject({
        pointer: '/tests/0/expected/total',
        path: '内嵌测试「2021年自评数据（履职效能简化为一个目标）」',
      });
      expect(changesOf(failing.body.diff)).toEqual([
        ['band-changed', 'fixed-asset-utilization', '80%（含）-90% 得1.5分', '80%（含）-90% 得1分'],
      ]);
      const checked = await t
        .http()
        .post(`/rule-sets/validate?against=${BASE}&replaces=${ref}&updateTests=true`)
        .set(ADMIN)
        .send(content)
        .expect(200);
      expect(checked.body.valid).toBe(true);
      expect(
        checked.body.testUpdates.map((u: { pointer: string; after: string }) => [u.pointer, u.after]),
      ).toContainEqual(['/tests/0/expected/total', '94.122']);
      expect(changesOf(checked.body.diff)).toHaveLength(1);
      // 3. save the checked file as the draft's content, and score the seed department under it
      await t.http().put(`/rule-sets/${ref}`).set(ADMIN).send(checked.body.file).expect(200);
      const whatIf = await t
        .http()
        .post('/what-if')
        .set(EVALUATOR)
        .send({ department: 'gz-kjj', year: 2021, ruleSet: ref })
        .expect(200);
      expect(whatIf.body.report.total).toBe('94.122'); // 84.30 % lies in that band: 94.622 − 0.5
      const diff = await t.http().get(`/rule-sets/${ref}/diff?against=${BASE}`).set(ADMIN).expect(200);
      expect(changesOf(diff.body)).toEqual([
        ['band-changed', 'fixed-asset-utilization', '80%（含）-90% 得1.5分', '80%（含）-90% 得1分'],
      ]);
      // 4. the JSON for experts, as a download
      const file = await t.http().get(`/rule-sets/${ref}/rule-file.json`).set(ADMIN).expect(200);
      expect(file.headers['content-disposition']).toContain(`${ref.replace(/:/g, '-')}.json`);
      expect(JSON.parse(file.text)).toEqual(checked.body.file);
      const audit = await t.http().get(`/audit?action=rule-set.drafted&entityId=${ref}`).set(ADMIN).expect(200);
      expect(audit.body[0].details).toMatchObject({ basedOn: 'guangzhou-department-overall:2021:1' });
    },
  );

  maybe('next year: a 2022 draft continues 2021, its tests carry 2022, and it previews on 2021 data', async () => {
    const created = await t.http().post(`/rule-sets/${BASE}/drafts`).set(ADMIN).send({ fiscalYear: 2022 }).expect(201);
    expect(created.body).toMatchObject({
      ref: 'guangzhou-department-overall:2022:1',
      fiscalYear: 2022,
      fileVersion: '2022.1.0',
    });
    expect(created.body.title).toBe('广州市部门整体支出绩效自评指标体系（2022年度）');
    expect(created.body.content.continues).toEqual({
      id: 'guangzhou-department-overall',
      version: '2021.1.0',
      fiscalYear: 2021,
    });
    const whatIf = await t
      .http()
      .post('/what-if')
      .set(EVALUATOR)
      .send({ department: 'gz-kjj', year: 2021, ruleSet: created.body.ref })
      .expect(200);
    expect(whatIf.body.report.total).toBe('94.622');
    await t.http().post(`/rule-sets/${BASE}/drafts`).set(ADMIN).send({ fiscalYear: 'next' }).expect(422);
  });

  maybe(
    'validate: a broken file is 200 with its problems by Chinese path; a stored one warns it is identical',
    async () => {
      const broken = structuredClone(GUANGZHOU);
      broken.indicators[0].weight = '46';
      const res = await t.http().post('/rule-sets/validate').set(ADMIN).send(broken).expect(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.problems).toContainEqual(expect.objectContaining({ pointer: '/total', path: '总分' }));
      const same = await t.http().post('/rule-sets/validate').set(ADMIN).send(GUANGZHOU).expect(200);
      expect(same.body).toMatchObject({ valid: true, problems: [] });
      expect(same.body.warnings.map((w: { kind: string }) => w.kind)).toContain('identical-upload');
    },
  );
});
