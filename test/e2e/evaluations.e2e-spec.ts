import type { Submission } from '@jiping/rules';
import { ENGINE_VERSION } from '@jiping/scoring';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const RULE_FILE = readJson<Record<string, unknown> & { title: string }>('rules/guangzhou/department-overall/2021.json');
const SEED = readJson<Submission>('test/fixtures/gz-kjj-2021/submission.json');
/** The seed split as the API takes it: declared targets, and the year-end data (SubmissionBody). */
const TARGETS = SEED.targets;
const SUBMISSION = {
  unitCount: SEED.department.unitCount,
  overview: SEED.overview,
  budget: SEED.budget,
  inputs: SEED.inputs,
  evidence: SEED.evidence,
  targetResults: SEED.targetResults,
};
const BASE = '/departments/gz-kjj/years/2021/evaluations';
const OTHER = '/departments/gz-czj/years/2021/evaluations';
const V1 = 'guangzhou-department-overall:2021:1';
const V2 = 'guangzhou-department-overall:2021:2';
const DECIMAL = /^-?\d+(\.\d+)?$/;

interface ReportNode {
  name: string;
  score: string;
  children?: ReportNode[];
}
const walk = (nodes: ReportNode[]): ReportNode[] => nodes.flatMap((node) => [node, ...walk(node.children ?? [])]);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Evaluations on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let evaluatorKey: string;
  let departmentKey: string;
  let checksumV1: string;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database);
    const admin = bearer(t.adminKey);
    const uploaded = await t.http().post('/rule-sets').set(admin).send(RULE_FILE).expect(201);
    expect(uploaded.body.ref).toBe(V1);
    checksumV1 = uploaded.body.checksum;
    await t.http().post(`/rule-sets/${V1}/publish`).set(admin).expect(200);
    for (const [code, name] of [
      ['gz-kjj', '广州市科学技术局'],
      ['gz-czj', '广州市财政局'],
    ]) {
      await t.http().post('/departments').set(admin).send({ code, name, region: '广州市' }).expect(201);
    }
    await t.http().put('/departments/gz-kjj/years/2021/targets').set(admin).send({ targets: TARGETS }).expect(200);
    const submitted = await t
      .http()
      .post('/departments/gz-kjj/years/2021/submissions')
      .set(admin)
      .send(SUBMISSION)
      .expect(201);
    expect(submitted.body.revision).toBe(1);
    const key = async (body: object): Promise<string> =>
      (await t.http().post('/api-keys').set(admin).send(body).expect(201)).body.key;
    evaluatorKey = await key({ name: '评审专家', role: 'evaluator' });
    departmentKey = await key({ name: '科技局填报账号', role: 'department', departmentCode: 'gz-kjj' });
    // Official scoring scores the revision the department submits, under approved targets.
    await t.http().post('/departments/gz-kjj/years/2021/targets/1/approve').set(admin).send({}).expect(200);
    await t.http().post('/departments/gz-kjj/years/2021/submit').set(bearer(departmentKey)).send({}).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('Score [POST …/evaluations] scores the seed 94.622 优, pinned to the stored rule set', async () => {
    const res = await t.http().post(BASE).set(bearer(evaluatorKey)).send({}).expect(201);
    expect(res.body).toMatchObject({
      sequence: 1,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      submissionRevision: 1,
      targetRevision: 1,
      ruleSet: { ref: V1, ruleSetId: 'guangzhou-department-overall', versionNo: 1, checksum: checksumV1 },
      engineVersion: ENGINE_VERSION,
      total: '94.622',
      grade: '优',
      createdBy: '评审专家',
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    const report = res.body.report;
    expect(report).toMatchObject({
      total: '94.622',
      grade: '优',
      department: { code: 'gz-kjj', name: '广州市科学技术局' },
    });
    expect(report.ruleSet.checksum).toBe(checksumV1);
    expect(report.sections.map((s: ReportNode) => [s.name, s.score])).toEqual([
      ['管理效能', '42.122'],
      ['履职效能', '50.00'],
      ['加减分项', '2.5'],
    ]);
    const nodes = walk(report.sections);
    expect(nodes.length).toBeGreaterThan(40);
    for (const node of nodes) {
      expect(typeof node.name).toBe('string');
      expect(node.name.length).toBeGreaterThan(0);
      expect(node.score).toMatch(DECIMAL);
    }
  });

  maybe('Latest, list and get [GET …/evaluations/latest, …/evaluations, …/evaluations/:id]', async () => {
    const latest = await t.http().get(`${BASE}/latest`).set(bearer(t.adminKey)).expect(200);
    expect(latest.body).toMatchObject({ sequence: 1, total: '94.622', grade: '优' });
    expect(latest.body.report.total).toBe('94.622');
    const list = await t.http().get(BASE).set(bearer(evaluatorKey)).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toEqual({ ...latest.body, report: undefined });
    expect(list.body[0]).not.toHaveProperty('report');
    const one = await t.http().get(`${BASE}/${latest.body.id}`).set(bearer(evaluatorKey)).expect(200);
    expect(one.body).toEqual(latest.body);
  });

  maybe('re-scoring adds sequence 2 and leaves sequence 1 unchanged', async () => {
    const first = (await t.http().get(`${BASE}/latest`).set(bearer(t.adminKey)).expect(200)).body;
    const second = await t.http().post(BASE).set(bearer(t.adminKey)).expect(201);
    expect(second.body).toMatchObject({ sequence: 2, total: '94.622', createdBy: 'bootstrap admin' });
    expect(second.body.id).not.toBe(first.id);
    expect((await t.http().get(`${BASE}/${first.id}`).set(bearer(t.adminKey)).expect(200)).body).toEqual(first);
    const list = await t.http().get(BASE).set(bearer(t.adminKey)).expect(200);
    expect(list.body.map((e: { sequence: number }) => e.sequence)).toEqual([2, 1]);
    expect((await t.http().get(`${BASE}/latest`).set(bearer(t.adminKey)).expect(200)).body.id).toBe(second.body.id);
  });

  maybe('answers a scoring with what a later GET returns', async () => {
    const created = await t.http().post(BASE).set(bearer(evaluatorKey)).send({}).expect(201);
    const read = await t.http().get(`${BASE}/${created.body.id}`).set(bearer(evaluatorKey)).expect(200);
    expect(read.body).toEqual(created.body);
  });

  maybe('numbers concurrent scorings 1, 2, 3… without a gap or a clash', async () => {
    const before = (await t.http().get(BASE).set(bearer(t.adminKey)).expect(200)).body[0].sequence;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => t.http().post(BASE).set(bearer(evaluatorKey)).send({})),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(results.map((r) => r.body.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4].map((n) => before + n));
    expect(results.map((r) => r.body.total)).toEqual(['94.622', '94.622', '94.622', '94.622']);
  });

  maybe('a department key reads its own (200), cannot score (403), and finds no other department (404)', async () => {
    const own = bearer(departmentKey);
    expect((await t.http().get(`${BASE}/latest`).set(own).expect(200)).body.total).toBe('94.622');
    const list = (await t.http().get(BASE).set(own).expect(200)).body;
    await t.http().get(`${BASE}/${list[0].id}`).set(own).expect(200);
    const forbidden = await t.http().post(BASE).set(own).send({}).expect(403);
    expect(problem(forbidden.body)).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: '此操作仅限评价人员或管理员；您的角色是部门填报员',
      details: [],
    });
    const hidden = await t.http().get(OTHER).set(own).expect(404);
    expect(problem(hidden.body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '未找到部门“gz-czj”',
      details: [],
    });
    await t.http().get(`${OTHER}/latest`).set(own).expect(404);
    await t.http().get(`${OTHER}/${list[0].id}`).set(own).expect(404);
    expect((await t.http().get('/api-keys').set(own).expect(403)).body.code).toBe('FORBIDDEN');
  });

  maybe('an evaluation is found only under its own department and year (404)', async () => {
    const { id } = (await t.http().get(`${BASE}/latest`).set(bearer(t.adminKey)).expect(200)).body;
    const other = await t.http().get(`${OTHER}/${id}`).set(bearer(t.adminKey)).expect(404);
    expect(other.body.code).toBe('NOT_FOUND');
    await t.http().get(`/departments/gz-kjj/years/2022/evaluations/${id}`).set(bearer(t.adminKey)).expect(404);
    const latest = await t.http().get(`${OTHER}/latest`).set(bearer(t.adminKey)).expect(404);
    expect(latest.body.code).toBe('NOT_FOUND');
    expect((await t.http().get(OTHER).set(bearer(t.adminKey)).expect(200)).body).toEqual([]);
  });

  maybe('scores the submitted revision: after a 退回 and a new submission, the new one; no other (409)', async () => {
    const year = '/departments/gz-kjj/years/2021';
    await t.http().post(`${year}/return`).set(bearer(evaluatorKey)).send({ reason: '请核对表彰次数' }).expect(200);
    await t
      .http()
      .post(`${year}/submissions`)
      .set(bearer(departmentKey))
      .send({ ...SUBMISSION, inputs: { ...SUBMISSION.inputs, commendations: 0 } })
      .expect(201);
    await t.http().post(`${year}/submit`).set(bearer(departmentKey)).send({}).expect(200);
    const submitted = await t.http().post(BASE).set(bearer(evaluatorKey)).send({}).expect(201);
    expect(submitted.body).toMatchObject({ submissionRevision: 2, total: '92.122', grade: '优' });
    const other = await t.http().post(BASE).set(bearer(evaluatorKey)).send({ submissionRevision: 1 }).expect(409);
    expect(problem(other.body)).toEqual({
      statusCode: 409,
      code: 'CONFLICT',
      message:
        'gz-kjj 2021年度提交的是第2版年终数据：正式评分只对提交的版本评分，不能对第1版评分（可用模拟 POST /what-if 试算其他版本）',
      details: [],
    });
    await t.http().post(BASE).set(bearer(evaluatorKey)).send({ submissionRevision: 99 }).expect(409);
    // the department submits revision 1 again (named), and that is what is scored
    await t.http().post(`${year}/return`).set(bearer(evaluatorKey)).send({ reason: '表彰次数以第1版为准' }).expect(200);
    await t.http().post(`${year}/submit`).set(bearer(departmentKey)).send({ revision: 1 }).expect(200);
    const first = await t.http().post(BASE).set(bearer(evaluatorKey)).send({ submissionRevision: 1 }).expect(201);
    expect(first.body).toMatchObject({ submissionRevision: 1, total: '94.622', sequence: submitted.body.sequence + 1 });
  });

  maybe('answers a department that has submitted nothing with 409', async () => {
    const res = await t.http().post(OTHER).set(bearer(evaluatorKey)).send({}).expect(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('「未填报」') });
  });

  maybe('refuses a malformed body, naming the field (422)', async () => {
    const bad = await t
      .http()
      .post(BASE)
      .set(bearer(evaluatorKey))
      .send({ submissionRevision: 'one', extra: true })
      .expect(422);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual([
      '/extra',
      '/submissionRevision',
      '/submissionRevision',
    ]);
    const ref = await t.http().post(BASE).set(bearer(evaluatorKey)).send({ ruleSetRef: 'latest' }).expect(422);
    expect(ref.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ pointer: '/ruleSetRef' }] });
    const id = await t.http().get(`${BASE}/not-a-uuid`).set(bearer(evaluatorKey)).expect(422);
    expect(id.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ pointer: 'id' }] });
  });

  maybe('refuses to score officially with a draft rule set (422)', async () => {
    const draft = { ...RULE_FILE, version: '2021.2.0', title: `${RULE_FILE.title}（修订）` };
    const uploaded = await t.http().post('/rule-sets').set(bearer(t.adminKey)).send(draft).expect(201);
    expect(uploaded.body).toMatchObject({ ref: V2, status: 'draft' });
    const before = (await t.http().get(BASE).set(bearer(t.adminKey)).expect(200)).body.length;
    const res = await t.http().post(BASE).set(bearer(evaluatorKey)).send({ ruleSetRef: V2 }).expect(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      details: [{ pointer: '/ruleSetRef', message: '指向的是草稿：请写已发布或已被取代的版本' }],
    });
    expect((await t.http().get(BASE).set(bearer(t.adminKey)).expect(200)).body).toHaveLength(before);
    const missing = await t
      .http()
      .post(BASE)
      .set(bearer(evaluatorKey))
      .send({ ruleSetRef: 'guangzhou-department-overall:2021:9' })
      .expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  maybe('scores with the version in force by default, and with a superseded version when named', async () => {
    await t.http().post(`/rule-sets/${V2}/publish`).set(bearer(t.adminKey)).expect(200);
    const current = await t.http().post(BASE).set(bearer(evaluatorKey)).send({ submissionRevision: 1 }).expect(201);
    expect(current.body.ruleSet).toMatchObject({ ref: V2, versionNo: 2 });
    expect(current.body.ruleSet.checksum).not.toBe(checksumV1);
    expect(current.body.report.ruleSet.checksum).toBe(current.body.ruleSet.checksum);
    const superseded = await t
      .http()
      .post(BASE)
      .set(bearer(evaluatorKey))
      .send({ submissionRevision: 1, ruleSetRef: V1 })
      .expect(201);
    expect(superseded.body).toMatchObject({ ruleSet: { ref: V1, checksum: checksumV1 }, total: '94.622' });
  });

  maybe('refuses requests without a key (401)', async () => {
    const res = await t.http().post(BASE).send({}).expect(401);
    expect(problem(res.body)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
      details: [],
    });
    await t.http().get(`${BASE}/latest`).expect(401);
    await t.http().get(BASE).set(bearer('not-a-key')).expect(401);
  });
});
