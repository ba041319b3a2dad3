import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { GZ_2021, ROOT } from '../support/load';
import { seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/*
 * Issue 15's findings, replayed: each answered as the issue says it now must be, on SQLite and on MariaDB.
 */

jest.setTimeout(120_000);

const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const DEPARTMENT = bearer('demo-gz-kjj-key');
const SUBMISSIONS = '/departments/gz-kjj/years/2021/submissions';
const EVALUATIONS = '/departments/gz-kjj/years/2021/evaluations';

/** The error shape every refusal has. */
const errorBody = (statusCode: number, code: string) =>
  expect.objectContaining({ statusCode, code, message: expect.any(String), details: expect.any(Array) });

/** `[[[…]]]` nested `depth` deep, as raw JSON text. */
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('hardening on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;

  const count = async (table: string): Promise<number> =>
    Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

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

  maybe('JSON nested 1,500 deep answers 422 with a Chinese message on every route, any key or none', async () => {
    const body = `{"department":"gz-kjj","year":2021,"changes":[{"pointer":"/inputs/x","value":${nested(1500)}}]}`;
    for (const [path, key] of [
      ['/what-if', DEPARTMENT],
      ['/rule-sets', ADMIN],
      [SUBMISSIONS, DEPARTMENT],
      ['/departments', bearer('no-such-key')],
    ] as const) {
      const res = await t.http().post(path).set(key).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(errorBody(422, 'JSON_TOO_DEEP'));
      expect(res.body.message).toBe('请求内容的嵌套层数超过上限 64 层，未予处理');
      expect(res.body.details).toEqual([
        { pointer: '/changes/0/value' + '/0'.repeat(61), message: expect.stringContaining('嵌套超过 64 层') },
      ]);
    }
    const english = await t
      .http()
      .post('/what-if')
      .set(DEPARTMENT)
      .set('Accept-Language', 'en')
      .set('Content-Type', 'application/json')
      .send(nested(65));
    expect(english.body.message).toBe('the JSON body nests deeper than 64 levels; it was not processed');
    // 64 deep is parsed and answered as any other body
    const fine = await t
      .http()
      .post('/what-if')
      .set(DEPARTMENT)
      .set('Content-Type', 'application/json')
      .send(nested(64));
    expect(fine.body.code).toBe('VALIDATION_FAILED');
  });

  maybe(
    'a rule file calling toString(), valueOf(a, b) or constructor(x) is refused on upload, with its pointer',
    async () => {
      const rules = JSON.parse(readFileSync(join(ROOT, GZ_2021), 'utf8'));
      const { tests: _embedded, ...withoutTests } = rules; // the finding's file had no embedded test
      const leaf = findLeafWithFormula(withoutTests.indicators);
      for (const formula of ['toString()', 'valueOf(a, b)', 'constructor(x)']) {
        leaf.node.metric.formula = formula;
        const res = await t
          .http()
          .post('/rule-sets')
          .set(ADMIN)
          .send({ ...withoutTests, tests: [] });
        expect(res.status).toBe(422);
        expect(res.body).toEqual(errorBody(422, 'RULE_SET_INVALID'));
        expect(res.body.details.map((d: { pointer: string }) => d.pointer)).toContain(`${leaf.pointer}/metric/formula`);
      }
      expect(await count('rule_set')).toBe(2);
    },
  );

  maybe('adjustment reasons longer than their column together (~70 kB) answer 422, nothing stored', async () => {
    const latest = (await t.http().get(`${EVALUATIONS}/latest`).set(EVALUATOR).expect(200)).body;
    const reason = (i: number) => `${i}：` + '复核意见'.repeat(499); // 2,000 characters, 6 kB in UTF-8
    const adjustments = Array.from({ length: 12 }, (_, i) => ({
      pointer: '/inputs/budgetPreparation/preAssessment',
      value: true,
      reason: reason(i),
    }));
    const [evaluations, audit] = [await count('evaluation'), await count('audit_log')];
    const res = await t.http().post(`${EVALUATIONS}/${latest.id}/adjustments`).set(EVALUATOR).send({ adjustments });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(errorBody(422, 'VALIDATION_FAILED'));
    expect(res.body.details).toEqual([
      { pointer: '/adjustments/10/reason', message: '复核理由合计超过 65535 字节（UTF-8）' },
    ]);
    expect([await count('evaluation'), await count('audit_log')]).toEqual([evaluations, audit]);
    // ten of them fit, and are kept whole
    const kept = await t
      .http()
      .post(`${EVALUATIONS}/${latest.id}/adjustments`)
      .set(EVALUATOR)
      .send({ adjustments: adjustments.slice(0, 10) })
      .expect(201);
    expect(kept.body.total).toBe('95.622');
  });

  maybe('a 19-digit budget answers 422 with its pointer, and nothing is stored', async () => {
    // the demo year is submitted and scored: returned (退回) it takes year-end data again
    await t
      .http()
      .post('/departments/gz-kjj/years/2021/return')
      .set(EVALUATOR)
      .send({ reason: '请核对预算金额' })
      .expect(200);
    const { yearEnd } = seedSubmissionParts();
    const budget = yearEnd.budget as { columns: Record<string, { budgeted: string; executed: string }> };
    const huge = '1234567890123456789.00';
    for (const [code, value] of Object.entries({ fiscal: huge, other: '0.00', basic: huge, project: '0.00' })) {
      budget.columns[code].budgeted = value;
    }
    budget.columns.city.budgeted = huge;
    budget.columns.transfer.budgeted = '0.00';
    const before = await count('submission');
    const res = await t.http().post(SUBMISSIONS).set(DEPARTMENT).send(yearEnd);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(errorBody(422, 'VALIDATION_FAILED'));
    expect(res.body.details.map((d: { pointer: string }) => d.pointer)).toEqual([
      '/budget/columns/fiscal/budgeted',
      '/budget/columns/basic/budgeted',
      '/budget/columns/city/budgeted',
    ]);
    expect(res.body.details[0].message).toBe('金额超过可保存的上限（整数部分不超过 18 位）');
    expect(await count('submission')).toBe(before);
  });

  maybe('the largest amount the column holds is stored and read back exactly', async () => {
    const { yearEnd } = seedSubmissionParts();
    const budget = yearEnd.budget as { columns: Record<string, { budgeted: string; executed: string }> };
    const largest = '99999999999999999.99';
    for (const [code, value] of Object.entries({
      fiscal: largest,
      other: '0.00',
      basic: largest,
      project: '0.00',
      city: largest,
      transfer: '0.00',
    })) {
      budget.columns[code].budgeted = value;
    }
    const created = await t.http().post(SUBMISSIONS).set(DEPARTMENT).send(yearEnd).expect(201);
    expect(created.body.budgetTotal).toBe(largest);
    const read = await t.http().get(`${SUBMISSIONS}/${created.body.revision}`).set(DEPARTMENT).expect(200);
    expect(read.body.budgetTotal).toBe(largest);
  });

  maybe('a workbook whose zip lies about its sizes is refused, having inflated less than 50 MB', async () => {
    const lying = lyingZip(200 * 1024 * 1024, 1000);
    const res = await t.http().post(SUBMISSIONS).set(DEPARTMENT).attach('file', lying, 'bomb.xlsx');
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([{ pointer: '', message: expect.stringContaining('声明的大小不实') }]);
  });
});

/** A one-entry zip declaring `declared` bytes for `size` bytes of spaces (233 kB for 200 MB, as in the finding). */
function lyingZip(size: number, declared: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(size, 0x20), { level: 9 });
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

interface Node {
  code: string;
  children?: Node[];
  metric?: { formula: string };
}

/** The first leaf with a metric formula, and its JSON pointer. */
function findLeafWithFormula(
  nodes: Node[],
  base = '/indicators',
): { node: Node & { metric: { formula: string } }; pointer: string } {
  for (const [i, node] of nodes.entries()) {
    const pointer = `${base}/${i}`;
    if (node.metric) return { node: node as Node & { metric: { formula: string } }, pointer };
    const found = node.children ? findLeafWithFormula(node.children, `${pointer}/children`) : undefined;
    if (found) return found;
  }
  return undefined as never;
}

describe('rate limits (SQLite: they do not depend on the database)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = sqliteDatabase();
    t = await createTestApp(database, {
      JIPING_DEMO: 'true',
      RATE_LIMIT_FAILED_SIGNINS: '20',
      RATE_LIMIT_SIGNIN_BLOCK_SECONDS: '120',
      RATE_LIMIT_EXPENSIVE: '3',
      RATE_LIMIT_PER_KEY: '50',
    });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('wrong keys get 401 up to the limit, then 429 with Retry-After, even with a right key from that address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await t
        .http()
        .get('/departments')
        .set(bearer(`wrong-key-${i}`));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body).toEqual(errorBody(429, 'TOO_MANY_REQUESTS'));
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body.message).toMatch(/登录失败次数过多/);
      }
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    expect((await t.http().get('/departments').set(ADMIN)).status).toBe(429);
    // health stays open to probes
    await t.http().get('/health/live').expect(200);
  });
});

describe('inline rule files in what-if (SQLite)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = sqliteDatabase();
    t = await createTestApp(database, { JIPING_DEMO: 'true', RATE_LIMIT_EXPENSIVE: '3', RATE_LIMIT_PER_KEY: '50' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const inline = () => JSON.parse(readFileSync(join(ROOT, GZ_2021), 'utf8'));

  it('are for evaluators and admins only (403 for a department key)', async () => {
    const res = await t
      .http()
      .post('/what-if')
      .set(DEPARTMENT)
      .send({ department: 'gz-kjj', year: 2021, ruleSet: inline() });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(errorBody(403, 'FORBIDDEN'));
    expect(res.body.details).toEqual([{ pointer: '/ruleSet', message: '部门账号不能发送内联规则文件' }]);
  });

  it('a flood is throttled: the expensive limit answers 429 with Retry-After, stored rule sets still answer', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t
        .http()
        .post('/what-if')
        .set(EVALUATOR)
        .send({ department: 'gz-kjj', year: 2021, ruleSet: inline() });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    // the same key without an inline file is not an expensive request
    await t.http().post('/what-if').set(EVALUATOR).send({ department: 'gz-kjj', year: 2021 }).expect(200);
  });

  it('a file that is not JSON is refused as the JSON parser refuses any body (400, its message), before the key', async () => {
    const file = JSON.stringify(inline());
    for (const broken of [
      file.replace('"indicators":', '"indicators"'), // a missing colon, deep in the file
      file.replace('"title":"', '"title":"\u0001'), // a control character in a string
      file.replace('"title":"', '"title":"\\x'), // an escape JSON does not have
      file.slice(0, -1), // cut short
    ]) {
      const body = `{"department":"gz-kjj","year":2021,"ruleSet":${broken}}`;
      const asked = await t.http().post('/what-if').set(EVALUATOR).set('Content-Type', 'application/json').send(body);
      const elsewhere = await t.http().post('/departments').set('Content-Type', 'application/json').send(body);
      expect(asked.status).toBe(400);
      expect(asked.body).toEqual(errorBody(400, 'MALFORMED_JSON'));
      expect([asked.body.message, asked.body.details]).toEqual([elsewhere.body.message, elsewhere.body.details]);
    }
  });

  it('the per-key limit refuses past its count', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) statuses.add((await t.http().get('/departments/gz-kjj').set(ADMIN)).status);
    expect([...statuses].sort()).toEqual([200, 429]);
  });
});
