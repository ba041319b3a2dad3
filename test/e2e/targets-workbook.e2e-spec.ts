import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { type Submission, toRuleSet } from '@jiping/rules';
import { templateLayout } from '../../libs/reports/src/template-layout';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  problem,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const YEAR = '/departments/gz-kjj/years/2021';
const TARGETS = `${YEAR}/targets`;
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const KJJ = bearer('demo-gz-kjj-key');
const ruleSet = toRuleSet(JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')));
const SHEET = templateLayout(ruleSet).targets[0].sheet;
const submission = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'),
) as Submission;

const asBuffer = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('The 绩效目标申报表 on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let downloaded: Buffer;

  const download = async (path = `${TARGETS}/template.xlsx`, key = KJJ): Promise<Buffer> =>
    (await t.http().get(path).set(key).buffer(true).parse(asBuffer).expect(200)).body as Buffer;
  const edit = async (change: (sheet: ExcelJS.Worksheet) => void, from = downloaded): Promise<Buffer> => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(from as unknown as ArrayBuffer);
    change(workbook.getWorksheet(SHEET)!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  const importing = (buffer: Buffer, query = '', key = KJJ) =>
    t.http().post(`${TARGETS}/workbook-import${query}`).set(key).attach('file', buffer, '申报表.xlsx');
  const revisions = async (): Promise<number> =>
    (await t.http().get(TARGETS).set(ADMIN).expect(200)).body.history.length as number;

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

  maybe('downloads prefilled with the latest declaration, named for curl -OJ', async () => {
    const res = await t.http().get(`${TARGETS}/template.xlsx`).set(KJJ).buffer(true).parse(asBuffer).expect(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="gz-kjj-2021-mubiao-shenbao.xlsx"; filename*=UTF-8''gz-kjj-2021-${encodeURIComponent('绩效目标申报表')}.xlsx`,
    );
    downloaded = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(downloaded as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(SHEET)!;
    expect([sheet.getCell('A3').value, sheet.getCell('D3').value, sheet.getCell('I3').value]).toEqual([
      'rd',
      'rd-1',
      20,
    ]);
    expect(workbook.getWorksheet('说明')!.getCell('A3').value).toMatch(/^已按第1版申报（已批复）预填/);
    await download(`${TARGETS}/template.xlsx`, EVALUATOR);
  });

  maybe('a dry run previews the declaration it reads, storing nothing', async () => {
    const res = await importing(downloaded, '?dryRun=true').expect(200);
    expect(res.body).toEqual({
      valid: true,
      ruleSet: 'guangzhou-department-overall:2021:1',
      targets: submission.targets,
      summary: [{ section: 'performance', goals: submission.targets!.performance.length, indicators: 21 }],
      problems: [],
    });
    expect(await revisions()).toBe(1);
  });

  maybe('every unreadable cell is named in Chinese with its pointer; so is a rule the declaration breaks', async () => {
    const unreadable = await edit((sheet) => {
      sheet.getCell('H3').value = '大于';
      sheet.getCell('F4').value = '两分';
    });
    const preview = await importing(unreadable, '?dryRun=true').expect(200);
    expect(preview.body).toMatchObject({
      valid: false,
      targets: null,
      problems: [
        {
          pointer: '/targets/performance/0/indicators/0/comparator',
          path: `${SHEET}!H3`,
          message: '应为比较方式之一：≥、≤、=、区间',
        },
        { pointer: '/targets/performance/0/indicators/1/weight', path: `${SHEET}!F4`, message: '应为数值' },
      ],
    });
    const refused = await importing(unreadable).expect(422);
    expect(problem(refused.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '绩效目标申报表有 2 处问题，未保存',
      details: preview.body.problems,
    });

    // readable, but the weights of the first goal no longer add up and a code repeats
    const wrong = await edit((sheet) => {
      sheet.getCell('F4').value = 5;
      sheet.getCell('D5').value = 'rd-1';
    });
    const checked = await importing(wrong, '?dryRun=true').expect(200);
    expect(checked.body).toMatchObject({ valid: false, targets: null });
    expect(checked.body.problems).toEqual([
      {
        pointer: '/targets/performance/0/indicators/2/code',
        path: `${SHEET}!D5`,
        message: expect.stringMatching(/^代码“rd-1”重复/),
      },
      {
        pointer: '/targets/performance/0/weight',
        path: `${SHEET}!C3`,
        message: expect.stringMatching(/分值为 12，但其指标分值之和为 15$/),
      },
    ]);
    await importing(wrong).expect(422);
    expect(await revisions()).toBe(1);
  });

  maybe('without dryRun a new revision is declared, approved (批复) as any declaration, and used', async () => {
    const changed = await edit((sheet) => {
      sheet.getCell('I3').value = 22; // 年度指标值 of rd-1: 20 → 22
    });
    // the demo year is scored: targets wait until the evaluator returns it
    const locked = await importing(changed).expect(409);
    expect(locked.body.message).toMatch(/已评分/);
    await t.http().post(`${YEAR}/return`).set(EVALUATOR).send({ reason: '请调整科技攻关目标' }).expect(200);
    const res = await importing(changed).expect(201);
    expect(res.body).toMatchObject({ revision: 2, approval: 'pending', departmentCode: 'gz-kjj' });
    expect(res.body.targets.performance[0].indicators[0]).toMatchObject({ code: 'rd-1', target: '22' });
    const audit = await t.http().get('/audit?action=targets.declared&departmentCode=gz-kjj').set(ADMIN).expect(200);
    expect(audit.body[0]).toMatchObject({ entityId: 'gz-kjj:2021:2', actor: expect.any(String) });

    await t.http().post(`${TARGETS}/2/approve`).set(EVALUATOR).send({ note: '同意调整' }).expect(200);
    const overview = await t.http().get(TARGETS).set(KJJ).expect(200);
    expect([overview.body.current.revision, overview.body.approved.revision]).toEqual([2, 2]);
    // the department's own workbook now lists the approved target
    const own = new ExcelJS.Workbook();
    await own.xlsx.load((await download(`${YEAR}/template.xlsx`)) as unknown as ArrayBuffer);
    expect(own.getWorksheet(SHEET)!.getCell('I3').value).toBe(22);
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await download()) as unknown as ArrayBuffer);
    expect(again.getWorksheet('说明')!.getCell('A3').value).toMatch(/^已按第2版申报（已批复）预填/);
  });

  maybe('departments import for themselves only; evaluators approve, not declare; a file is required', async () => {
    await importing(downloaded, '?dryRun=true', EVALUATOR).expect(403);
    const created = await t
      .http()
      .post('/api-keys')
      .set(ADMIN)
      .send({ name: '财政局填报', role: 'department', departmentCode: 'gz-kjj' })
      .expect(201);
    await t.http().post('/departments').set(ADMIN).send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' });
    const czj = await t
      .http()
      .post('/api-keys')
      .set(ADMIN)
      .send({ name: '财政局填报员', role: 'department', departmentCode: 'gz-czj' })
      .expect(201);
    expect(created.body.key).toEqual(expect.any(String));
    await importing(downloaded, '?dryRun=true', bearer(czj.body.key)).expect(404);
    const none = await t.http().post(`${TARGETS}/workbook-import?dryRun=true`).set(KJJ).expect(422);
    expect(none.body.details).toEqual([
      { pointer: '/file', message: '缺少文件：填好的绩效目标申报表（GET …/targets/template.xlsx 下载）' },
    ]);
    const notAWorkbook = await importing(Buffer.from('not a workbook'), '?dryRun=true').expect(200);
    expect(notAWorkbook.body).toMatchObject({
      valid: false,
      problems: [{ pointer: '', message: '不是 Excel 工作簿（.xlsx）文件' }],
    });
    await t.http().post(`${TARGETS}/workbook-import?dryRun=maybe`).set(KJJ).expect(422);
  });
});
