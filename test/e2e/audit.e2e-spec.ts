import type { Submission } from '@jiping/rules';
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
const RULE_FILE = JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8'));
const SEED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8')) as Submission;
const YEAR = '/departments/gz-kjj/years/2021';
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const DEPARTMENT = bearer('demo-gz-kjj-key');
const GZ_V1 = 'guangzhou-department-overall:2021:1';
const GZ_V2 = 'guangzhou-department-overall:2021:2';
const NATIONAL_V1 = 'national-project-self-evaluation:2020:1';
const REASON = '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见';
const RETURN_REASON = '请补充2021年部门预算编制情况的佐证材料';

interface Entry {
  id: string;
  at: string;
  actor: string;
  actorKeyId: string;
  actorUserId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  departmentCode: string | null;
  fiscalYear: number | null;
  reason: string | null;
  details: Record<string, unknown>;
}
/** What identifies an entry in these tests: the action, who, and the entity (a key by its name). */
const summary = (e: Entry): [string, string, string] => [
  e.action,
  e.actor,
  e.entityType === 'api-key' || e.entityType === 'user' ? String(e.details.name) : e.entityId,
];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Audit log on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  /** An instant after the demo and before the actions of this suite. */
  let between: string;
  let demoEvaluationId: string;
  let adjustedId: string;
  let scoredId: string;
  let createdKey: { id: string; key: string; userId: string };

  const audit = async (query = ''): Promise<Entry[]> =>
    (await t.http().get(`/audit${query}`).set(ADMIN).expect(200)).body;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    demoEvaluationId = (await t.http().get(`${YEAR}/evaluations/latest`).set(ADMIN).expect(200)).body.id;
    await pause(20);
    between = new Date().toISOString();
    await pause(20);

    // One of each audited action, through the API.
    await t.http().post('/rule-sets').set(ADMIN).send(RULE_FILE).expect(201);
    await t
      .http()
      .put(`/rule-sets/${GZ_V2}`)
      .set(ADMIN)
      .send({ ...RULE_FILE, title: `${RULE_FILE.title}（征求意见稿）` })
      .expect(200);
    await t.http().delete(`/rule-sets/${GZ_V2}`).set(ADMIN).expect(204);
    await t.http().post(`${YEAR}/return`).set(EVALUATOR).send({ reason: RETURN_REASON }).expect(200);
    await t.http().put(`${YEAR}/targets`).set(DEPARTMENT).send({ targets: SEED.targets }).expect(200);
    const body = {
      ...SEED,
      formatVersion: undefined,
      department: undefined,
      fiscalYear: undefined,
      targets: undefined,
    };
    await t
      .http()
      .post(`${YEAR}/submissions`)
      .set(DEPARTMENT)
      .send({ ...JSON.parse(JSON.stringify(body)), unitCount: SEED.department.unitCount })
      .expect(201);
    await t.http().post(`${YEAR}/submit`).set(DEPARTMENT).send({}).expect(200);
    scoredId = (await t.http().post(`${YEAR}/evaluations`).set(EVALUATOR).send({}).expect(201)).body.id;
    const adjusted = await t
      .http()
      .post(`${YEAR}/evaluations/${scoredId}/adjustments`)
      .set(EVALUATOR)
      .send({ adjustments: [{ pointer: '/inputs/budgetPreparation/preAssessment', value: true, reason: REASON }] })
      .expect(201);
    adjustedId = adjusted.body.id;
    createdKey = (await t.http().post('/api-keys').set(ADMIN).send({ name: '临时评审', role: 'evaluator' }).expect(201))
      .body;
    await t.http().delete(`/api-keys/${createdKey.id}`).set(ADMIN).expect(204);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('List [GET /audit] shows the demo’s actions, each once, newest first', async () => {
    const demo = await audit(`?to=${between}`);
    expect(demo.map(summary)).toEqual([
      ['year.scored', '演示数据', 'gz-kjj:2021'],
      ['evaluation.created', '演示数据', demoEvaluationId],
      ['year.submitted', '演示数据', 'gz-kjj:2021'],
      ['submission.created', '演示数据', 'gz-kjj:2021:1'],
      ['targets.approved', '演示数据', 'gz-kjj:2021:1'],
      ['year.started', '演示数据', 'gz-kjj:2021'],
      ['targets.declared', '演示数据', 'gz-kjj:2021:1'],
      ['api-key.created', 'bootstrap', '演示填报员密钥（广州市科学技术局）'],
      ['user.created', 'bootstrap', '刘洋'],
      ['department.created', '演示数据', 'gz-kjj'],
      ['rule-set.published', '演示数据', NATIONAL_V1],
      ['rule-set.uploaded', '演示数据', NATIONAL_V1],
      ['rule-set.published', '演示数据', GZ_V1],
      ['rule-set.uploaded', '演示数据', GZ_V1],
      ['api-key.created', 'bootstrap', '演示评价人员密钥'],
      ['user.created', 'bootstrap', '王立新'],
      ['api-key.created', 'bootstrap', 'bootstrap admin'],
      ['user.created', 'bootstrap', 'bootstrap admin'],
      ['api-key.created', 'bootstrap', '演示管理员密钥'],
      ['user.created', 'bootstrap', '陈静'],
    ]);
    expect(demo[1]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      actor: '演示数据',
      actorKeyId: 'bootstrap',
      actorUserId: null,
      actorRole: 'admin',
      action: 'evaluation.created',
      entityType: 'evaluation',
      entityId: demoEvaluationId,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      reason: null,
      details: { sequence: 1, submissionRevision: 1, ruleSet: GZ_V1, total: '94.622', grade: '优' },
    });
    const all = await audit();
    const times = all.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
  });

  maybe('records every action of the service once, with who did it', async () => {
    const actions = await audit(`?from=${between}`);
    expect(actions.map(summary)).toEqual([
      ['api-key.revoked', '陈静', '临时评审'],
      ['api-key.created', '陈静', '临时评审'],
      ['user.created', '陈静', '临时评审'],
      ['evaluation.adjusted', '王立新', adjustedId],
      ['year.scored', '王立新', 'gz-kjj:2021'],
      ['evaluation.created', '王立新', scoredId],
      ['year.submitted', '刘洋', 'gz-kjj:2021'],
      ['submission.created', '刘洋', 'gz-kjj:2021:2'],
      ['targets.declared', '刘洋', 'gz-kjj:2021:2'],
      ['year.returned', '王立新', 'gz-kjj:2021'],
      ['rule-set.deleted', '陈静', GZ_V2],
      ['rule-set.updated', '陈静', GZ_V2],
      ['rule-set.uploaded', '陈静', GZ_V2],
    ]);
    const roles = Object.fromEntries(actions.map((e) => [e.action, e.actorRole]));
    expect(roles).toMatchObject({
      'rule-set.uploaded': 'admin',
      'targets.declared': 'department',
      'evaluation.adjusted': 'evaluator',
    });
    const keys = await t.http().get('/api-keys').set(ADMIN).expect(200);
    const evaluator = keys.body.find((k: { name: string }) => k.name === '演示评价人员密钥');
    const adjustedEntry = actions.find((e) => e.action === 'evaluation.adjusted')!;
    expect([adjustedEntry.actorKeyId, adjustedEntry.actorUserId]).toEqual([evaluator.id, evaluator.userId]);
    const created = actions.find((e) => e.action === 'api-key.created')!;
    expect([created.entityId, created.details]).toEqual([
      createdKey.id,
      { name: '临时评审', userId: createdKey.userId, userName: '临时评审', role: 'evaluator', expiresAt: null },
    ]);
  });

  maybe('records an adjustment with its reason and what it changed', async () => {
    const [entry] = await audit('?action=evaluation.adjusted');
    expect(entry).toMatchObject({
      entityType: 'evaluation',
      entityId: adjustedId,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      reason: REASON,
      details: {
        adjustedFrom: scoredId,
        sequence: 3,
        pointers: ['/inputs/budgetPreparation/preAssessment'],
        totalBefore: '94.622',
        total: '95.622',
        grade: '优',
      },
    });
  });

  maybe('never records a key', async () => {
    const text = JSON.stringify(await audit());
    for (const key of ['demo-admin-key', 'demo-evaluator-key', 'demo-gz-kjj-key', t.adminKey, createdKey.key]) {
      expect(text).not.toContain(key);
    }
    expect(text).not.toContain(createdKey.key.slice(0, 7));
  });

  maybe('filters by entity, actor, action, department and time', async () => {
    const evaluations = await audit('?entityType=evaluation');
    expect(evaluations.map((e) => [e.action, e.entityId])).toEqual([
      ['evaluation.adjusted', adjustedId],
      ['evaluation.created', scoredId],
      ['evaluation.created', demoEvaluationId],
    ]);
    expect((await audit(`?entityType=rule-set&entityId=${GZ_V2}`)).map((e) => e.action)).toEqual([
      'rule-set.deleted',
      'rule-set.updated',
      'rule-set.uploaded',
    ]);
    const byEvaluator = await audit(`?actor=${encodeURIComponent('王立新')}`);
    expect(byEvaluator.map((e) => e.action)).toEqual([
      'evaluation.adjusted',
      'year.scored',
      'evaluation.created',
      'year.returned',
    ]);
    const department = await audit('?departmentCode=gz-kjj');
    expect(department.map((e) => e.action)).toEqual([
      'evaluation.adjusted',
      'year.scored',
      'evaluation.created',
      'year.submitted',
      'submission.created',
      'targets.declared',
      'year.returned',
      'year.scored',
      'evaluation.created',
      'year.submitted',
      'submission.created',
      'targets.approved',
      'year.started',
      'targets.declared',
      'api-key.created', // the demo department key
      'user.created', // its person
      'department.created',
    ]);
    expect(department.every((e) => e.departmentCode === 'gz-kjj')).toBe(true);
    const [adjusted] = await audit('?action=evaluation.adjusted');
    expect((await audit(`?from=${adjusted.at}&to=${adjusted.at}`)).map((e) => e.id)).toEqual([adjusted.id]);
    expect((await audit(`?from=${adjusted.at}&entityType=evaluation`)).map((e) => e.id)).toEqual([adjusted.id]);
    expect(await audit('?to=2000-01-01')).toEqual([]);
    expect((await audit('?limit=2')).map((e) => e.action)).toEqual(['api-key.revoked', 'api-key.created']);
    expect((await audit('?actor=nobody')).length).toBe(0);
  });

  maybe('refuses malformed filters with 422 naming them', async () => {
    const bad = async (query: string) => (await t.http().get(`/audit${query}`).set(ADMIN).expect(422)).body;
    expect((await bad('?limit=501')).details).toEqual([{ pointer: '/limit', message: 'limit 不能大于 500' }]);
    expect((await bad('?from=yesterday')).details[0].pointer).toBe('/from');
    expect((await bad('?from=2022-03-31T08:00:00')).details[0].pointer).toBe('/from');
    expect((await bad('?from=2022-02-01&to=2022-01-01')).details).toEqual([
      { pointer: '/to', message: 'to 不能早于 from（2022-02-01）' },
    ]);
    expect((await bad('?action=evaluation.deleted')).details[0].pointer).toBe('/action');
    expect((await bad('?who=demo')).details[0].pointer).toBe('/who');
  });

  maybe('is for admin keys only: evaluator and department keys get 403', async () => {
    expect(problem((await t.http().get('/audit').set(EVALUATOR).expect(403)).body)).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: '此操作仅限管理员；您的角色是评价人员',
      details: [],
    });
    await t.http().get('/audit').set(DEPARTMENT).expect(403);
    await t.http().get('/audit').expect(401);
  });
});
