import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(120_000);

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec reads response bodies */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** supertest leaves unknown content types unread: collect the bytes. */
const asBuffer = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** 500 departments of 广州: 10 bureaus (区) with 49 units each under them, in file order parents first. */
function fiveHundred(): string[][] {
  const rows: string[][] = [];
  for (let b = 0; b < 10; b += 1) {
    rows.push([`gz-q${b}`, `广州市第${b + 1}区财政局`, `广州市第${b + 1}区`, '']);
    for (let u = 0; u < 49; u += 1) {
      rows.push([`gz-q${b}-u${u}`, `广州市第${b + 1}区第${u + 1}预算单位`, `广州市第${b + 1}区`, `gz-q${b}`]);
    }
  }
  return rows;
}

/** The import template with `rows` from row 2 (its example rows replaced). */
async function workbookOf(template: Buffer, rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('部门')!;
  sheet.spliceRows(2, 2);
  rows.forEach((values, i) => values.forEach((value, c) => (sheet.getCell(i + 2, c + 1).value = value)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvOf = (rows: string[][]): Buffer =>
  Buffer.from(['部门代码,部门名称,地区,上级部门代码', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n', 'utf8');

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('departments in bulk on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  let template: Buffer;

  const count = async (table: string, where = ''): Promise<number> => {
    const [row] = await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table} ${where}`);
    return Number(row.n);
  };
  const upload = (file: Buffer, name: string, query = '') =>
    t.http().post(`/departments/import${query}`).set(admin).attach('file', file, name);

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database);
    admin = bearer(t.adminKey);
    const created = await t.http().post('/api-keys').set(admin).send({ name: '评审专家', role: 'evaluator' });
    evaluator = bearer(created.body.key);
    await seedRuleSet(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('GET /departments/import-template.xlsx: the header row and an example, in Chinese (admin)', async () => {
    const res = await t
      .http()
      .get('/departments/import-template.xlsx')
      .set(admin)
      .buffer(true)
      .parse(asBuffer)
      .expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="department-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('部门名单导入模板.xlsx')}`,
    );
    template = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('部门')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '部门代码*', '部门名称*', '地区*', '上级部门代码']);
    expect(sheet.getRow(2).values).toEqual([undefined, '示例gz-kjj', '广州市科学技术局', '广州市', '']);
    await t.http().get('/departments/import-template.xlsx').set(evaluator).expect(403);
  });

  maybe('500 rows with 3 bad rows: 422 naming exactly those 3 rows, nothing stored', async () => {
    const rows = fiveHundred();
    rows[41][0] = 'GZ_Q0_U40'; // row 43: not a code
    rows[250][3] = 'gz-q99'; // row 252: no such parent, here or stored
    rows[499][1] = ''; // row 501: no name
    const res = await upload(await workbookOf(template, rows), '部门名单.xlsx').expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toBe('部门名单有 3 处错误（第 43、252、501 行），未导入任何部门：请改正后重新上传');
    expect(res.body.details).toEqual([
      {
        pointer: '/rows/43/code',
        path: '部门!A43',
        message:
          '第43行“部门代码”：“GZ_Q0_U40”不是有效的部门代码：应为小写字母、数字和连字符（-），不超过64个字符，如 gz-kjj',
      },
      {
        pointer: '/rows/252/parentCode',
        path: '第252行“上级部门代码”',
        message:
          '第252行“上级部门代码”：没有部门代码为“gz-q99”的部门（系统中和本文件中都没有）：请填写上级部门的部门代码，或先导入上级部门',
      },
      { pointer: '/rows/501/name', path: '部门!B501', message: '第501行“部门名称”：不能为空' },
    ]);
    expect(await count('department')).toBe(0);
    expect(await count('audit_log', "WHERE action = 'department.created'")).toBe(0);
    // The same in English on request.
    const en = await upload(await workbookOf(template, rows), 'list.xlsx')
      .set('Accept-Language', 'en')
      .expect(422);
    expect(en.body.message).toBe('the department list has 3 problem(s) (rows 43, 252, 501); nothing was imported');
    expect(en.body.details[2].message).toBe('row 501, 部门名称 (name): is required');
  });

  maybe('a dry run of the good file says what it would do and stores nothing', async () => {
    const res = await upload(csvOf(fiveHundred()), 'list.csv', '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ dryRun: true, created: 500, updated: 0, unchanged: 0, skipped: 0 });
    expect(await count('department')).toBe(0);
  });

  maybe('the good file stores 500 departments, each audited as created', async () => {
    const res = await upload(await workbookOf(template, fiveHundred()), '部门名单.xlsx').expect(200);
    expect(res.body).toMatchObject({ dryRun: false, created: 500, updated: 0, unchanged: 0 });
    expect(res.body.rows[1]).toEqual({ row: 3, code: 'gz-q0-u0', action: 'created' });
    expect(await count('department')).toBe(500);
    const list = (await t.http().get('/departments?region=广州市第3区').set(evaluator).expect(200)).body;
    expect(list).toHaveLength(50);
    expect(list.find((d: any) => d.code === 'gz-q2-u7')).toMatchObject({
      name: '广州市第3区第8预算单位',
      parentCode: 'gz-q2',
      status: 'active',
    });
    expect((await t.http().get('/departments?parentCode=gz-q9').set(admin).expect(200)).body).toHaveLength(49);
    expect(await count('audit_log', "WHERE action = 'department.created'")).toBe(500);
    const audit = (await t.http().get('/audit?entityType=department&entityId=gz-q9-u48').set(admin).expect(200)).body;
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'department.created',
        actor: 'bootstrap admin',
        departmentCode: 'gz-q9-u48',
        details: expect.objectContaining({ name: '广州市第10区第49预算单位', source: 'import', rows: 500 }),
      }),
    ]);
  });

  maybe('importing the list again renames and moves what differs, and leaves the rest', async () => {
    const rows = fiveHundred();
    rows[1][1] = '广州市第1区第1预算单位（更名）';
    rows[2][3] = 'gz-q1';
    const res = await upload(csvOf(rows), 'list.csv').expect(200);
    expect(res.body).toMatchObject({ created: 0, updated: 2, unchanged: 498 });
    expect(res.body.rows.filter((r: any) => r.action === 'updated')).toEqual([
      { row: 3, code: 'gz-q0-u0', action: 'updated', changed: ['name'] },
      { row: 4, code: 'gz-q0-u1', action: 'updated', changed: ['parentCode'] },
    ]);
    const audit = (await t.http().get('/audit?action=department.updated').set(admin).expect(200)).body;
    expect(audit.map((a: any) => [a.entityId, a.details.changes])).toEqual([
      ['gz-q0-u1', { parentCode: { from: 'gz-q0', to: 'gz-q1' } }],
      ['gz-q0-u0', { name: { from: '广州市第1区第1预算单位', to: '广州市第1区第1预算单位（更名）' } }],
    ]);
  });

  maybe('a cycle of parents in the file, and a parent in a later row', async () => {
    const cycle = await upload(
      csvOf([
        ['gz-x1', '甲', '广州市', 'gz-x2'],
        ['gz-x2', '乙', '广州市', 'gz-x1'],
        ['gz-x3', '丙', '广州市', 'gz-x4'],
        ['gz-x4', '丁', '广州市', ''],
      ]),
      'cycle.csv',
    ).expect(422);
    expect(cycle.body.details.map((d: any) => [d.pointer, d.message])).toEqual([
      ['/rows/2/parentCode', '第2行“上级部门代码”：上级部门形成循环（gz-x1 → gz-x2 → gz-x1）：部门不能是自己的下级'],
      ['/rows/3/parentCode', '第3行“上级部门代码”：上级部门形成循环（gz-x2 → gz-x1 → gz-x2）：部门不能是自己的下级'],
    ]);
    const later = await upload(
      csvOf([
        ['gz-x3', '丙', '广州市', 'gz-x4'],
        ['gz-x4', '丁', '广州市', ''],
      ]),
      'later.csv',
    ).expect(200);
    expect(later.body.created).toBe(2);
  });

  maybe('a file that is neither a workbook nor a list, and no file at all', async () => {
    const none = await t.http().post('/departments/import').set(admin).field('x', '1').expect(422);
    expect(none.body.details).toEqual([
      { pointer: '/file', message: '缺少文件：部门名单模板（GET /departments/import-template.xlsx）或 CSV' },
    ]);
    const junk = await upload(Buffer.from('hello'), 'a.csv').expect(422);
    expect(junk.body.details[0].pointer).toBe('/rows/1');
    await t.http().post('/departments/import').set(evaluator).attach('file', csvOf([]), 'a.csv').expect(403);
  });

  maybe('POST /departments is audited; PATCH renames and moves, audited with each change', async () => {
    await t
      .http()
      .post('/departments')
      .set(admin)
      .send({ code: 'gz-czj', name: '广州市财政局', region: '广州市' })
      .expect(201);
    const created = (await t.http().get('/audit?entityId=gz-czj').set(admin).expect(200)).body;
    expect(created).toEqual([
      expect.objectContaining({
        action: 'department.created',
        entityType: 'department',
        details: { name: '广州市财政局', region: '广州市', parentCode: null },
      }),
    ]);
    const renamed = await t
      .http()
      .patch('/departments/gz-czj')
      .set(admin)
      .send({ name: '广州市财政局（更名）', parentCode: 'gz-q0' })
      .expect(200);
    expect(renamed.body).toMatchObject({
      name: '广州市财政局（更名）',
      parentCode: 'gz-q0',
      updatedAt: expect.any(String),
    });
    const audit = (await t.http().get('/audit?entityId=gz-czj&action=department.updated').set(admin).expect(200)).body;
    expect(audit[0].details.changes).toEqual({
      name: { from: '广州市财政局', to: '广州市财政局（更名）' },
      parentCode: { from: null, to: 'gz-q0' },
    });
    // A cycle, itself, an unknown parent: 422 naming parentCode.
    const cycle = await t.http().patch('/departments/gz-q0').set(admin).send({ parentCode: 'gz-czj' }).expect(422);
    expect(cycle.body.details).toEqual([
      { pointer: '/parentCode', message: '“gz-czj”是本部门的下级部门，不能作为上级部门（会形成循环）' },
    ]);
    await t.http().patch('/departments/gz-czj').set(admin).send({ parentCode: 'gz-czj' }).expect(422);
    await t.http().patch('/departments/gz-czj').set(admin).send({ parentCode: 'gz-none' }).expect(422);
    await t.http().patch('/departments/gz-czj').set(admin).send({ parentCode: null }).expect(200);
    await t.http().patch('/departments/gz-czj').set(evaluator).send({ name: 'x' }).expect(403);
    await t.http().patch('/departments/gz-nope').set(admin).send({ name: 'x' }).expect(404);
  });

  maybe('a retired department is kept, marked in lists, and takes no new targets or submissions', async () => {
    const clerk = bearer(
      (
        await t
          .http()
          .post('/api-keys')
          .set(admin)
          .send({ name: '区财政填报', role: 'department', departmentCode: 'gz-q3-u1' })
          .expect(201)
      ).body.key,
    );
    const retired = await t
      .http()
      .post('/departments/gz-q3-u1/retire')
      .set(admin)
      .send({ reason: '机构改革，职能并入区财政局' })
      .expect(200);
    expect(retired.body).toMatchObject({
      code: 'gz-q3-u1',
      status: 'retired',
      statusLabel: '已撤销',
      retiredAt: expect.any(String),
      retiredReason: '机构改革，职能并入区财政局',
    });
    const list = (await t.http().get('/departments').set(admin).expect(200)).body;
    expect(list.find((d: any) => d.code === 'gz-q3-u1').status).toBe('retired');
    expect(list).toHaveLength(503);
    const active = (await t.http().get('/departments?status=active').set(admin).expect(200)).body;
    expect(active.map((d: any) => d.code)).not.toContain('gz-q3-u1');
    expect((await t.http().get('/departments?status=retired').set(admin).expect(200)).body).toHaveLength(1);

    const { targets, yearEnd } = seedSubmissionParts();
    const day = retired.body.retiredAt.slice(0, 10);
    const refused = await t
      .http()
      .put('/departments/gz-q3-u1/years/2021/targets')
      .set(clerk)
      .send({ targets })
      .expect(409);
    expect(refused.body.message).toBe(
      `部门“广州市第4区第2预算单位”（gz-q3-u1）已于 ${day} 撤销，不再接受新的填报：如需继续使用，请管理员先恢复该部门`,
    );
    await t.http().post('/departments/gz-q3-u1/years/2021/submissions').set(admin).send(yearEnd).expect(409);
    await t.http().post('/departments/gz-q3-u1/years/2021/submit').set(clerk).send({}).expect(409);
    await t.http().patch('/departments/gz-q3-u1').set(admin).send({ name: 'x' }).expect(409);
    await t.http().post('/departments/gz-q3-u1/retire').set(admin).send({ reason: '再次' }).expect(409);
    // Reading stays possible, and an import that repeats it unchanged is fine; one that changes it is refused.
    await t.http().get('/departments/gz-q3-u1').set(clerk).expect(200);
    expect((await upload(csvOf(fiveHundred().slice(150, 152)), 'a.csv').expect(200)).body.unchanged).toBe(2);
    const changed = fiveHundred().slice(152, 153);
    changed[0][1] = '改名';
    const refusedImport = await upload(csvOf(changed), 'a.csv').expect(422);
    expect(refusedImport.body.details[0].message).toBe(
      '第2行“部门代码”：部门“广州市第4区第2预算单位”（gz-q3-u1）已撤销，不能通过导入修改（本行修改了部门名称）：请先恢复该部门，或按原样填写',
    );

    const reinstated = await t
      .http()
      .post('/departments/gz-q3-u1/reinstate')
      .set(admin)
      .send({ reason: '撤销有误' })
      .expect(200);
    expect(reinstated.body).toMatchObject({ status: 'active', retiredAt: null, retiredReason: null });
    await t.http().post('/departments/gz-q3-u1/reinstate').set(admin).send({ reason: '再次' }).expect(409);
    const audit = (await t.http().get('/audit?entityId=gz-q3-u1').set(admin).expect(200)).body;
    expect(audit.map((a: any) => [a.action, a.reason])).toEqual([
      ['department.reinstated', '撤销有误'],
      ['department.retired', '机构改革，职能并入区财政局'],
      ['department.created', null],
    ]);
  });
});
