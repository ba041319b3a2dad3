import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  ApiKeyEntity,
  DepartmentYearEntity,
  EvaluationEntity,
  RuleSetEntity,
  TargetDeclarationEntity,
} from '@jiping/persistence';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../../config/environment';
import { AppModule } from '../../apps/api/src/app.module';
import { hashApiKey } from '../../apps/api/src/auth/api-key-hash';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(60_000);

const ADMIN_KEY = 'bootstrap-admin-key-for-the-demo-test';
const DEMO = { JIPING_DEMO: 'true', JIPING_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, PORT: '3210' };
const LATEST = '/departments/gz-kjj/years/2021/evaluations/latest';
const GZ = 'guangzhou-department-overall';
const TABLES = [
  'api_key',
  'rule_set',
  'department',
  'target_declaration',
  'submission',
  'evaluation',
  'department_year',
];

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

/** Starts the app expecting the start to fail; returns the error (and closes what was opened). */
async function failedStart(database: TestDatabase): Promise<Error> {
  const env = validateEnvironment({ ...database.env, ...DEMO });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  try {
    await app.init();
  } catch (error) {
    await app.close();
    return error as Error;
  }
  await app.close();
  throw new Error('the start did not fail');
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Demo bootstrap on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp | undefined;
  let logged: string[];

  const start = async (): Promise<TestApp> => {
    logged = [];
    const spy = jest.spyOn(Logger.prototype, 'log').mockImplementation(function (this: Logger, message: unknown) {
      if ((this as unknown as { context?: string }).context === 'jiping') logged.push(String(message));
    });
    try {
      t = await createTestApp(database!, DEMO);
    } finally {
      spy.mockRestore();
    }
    return t;
  };

  beforeAll(async () => {
    database = await makeDatabase();
    if (database) await start();
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('loads the demo on a fresh database: gz-kjj 2021 scored 94.622 优', async () => {
    const res = await t!.http().get(LATEST).set(bearer(ADMIN_KEY)).expect(200);
    expect(res.body).toMatchObject({
      sequence: 1,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      submissionRevision: 1,
      targetRevision: 1,
      ruleSet: { ref: 'guangzhou-department-overall:2021:1' },
      total: '94.622',
      grade: '优',
      createdBy: '演示数据',
    });
    expect(res.body.report.department).toEqual({ code: 'gz-kjj', name: '广州市科学技术局', unitCount: 2 });
    const department = await t!.http().get('/departments/gz-kjj').set(bearer(ADMIN_KEY)).expect(200);
    expect(department.body).toMatchObject({ code: 'gz-kjj', name: '广州市科学技术局', region: '广州市' });
    // the year as the bureau runs it: targets approved, data submitted, scored — ready for 复核 and 定稿
    const year = await t!.http().get('/departments/gz-kjj/years/2021').set(bearer('demo-gz-kjj-key')).expect(200);
    expect(year.body).toMatchObject({
      status: 'scored',
      statusLabel: '已评分',
      targets: { latestRevision: 1, approvedRevision: 1, pendingRevision: null },
      submitted: { revision: 1, targetRevision: 1, by: '演示数据', late: false },
      score: { evaluationId: res.body.id, selfScore: '94.622', reviewScore: null, total: '94.622', grade: '优' },
      missing: [],
    });
  });

  maybe('publishes both shipped rule files', async () => {
    const res = await t!.http().get('/rule-sets').set(bearer(ADMIN_KEY)).expect(200);
    expect(res.body.map((r: { ref: string; status: string }) => [r.ref, r.status])).toEqual([
      ['guangzhou-department-overall:2021:1', 'published'],
      ['national-project-self-evaluation:2020:1', 'published'],
    ]);
  });

  maybe('makes the three demo keys, each held by a demo person with its role', async () => {
    const keys = await t!.http().get('/api-keys').set(bearer('demo-admin-key')).expect(200);
    type Key = { name: string; userName: string; role: string; departmentCode: string | null };
    expect(keys.body.map((k: Key) => [k.name, k.userName, k.role, k.departmentCode]).sort()).toEqual(
      [
        ['bootstrap admin', 'bootstrap admin', 'admin', null],
        ['演示管理员密钥', '陈静', 'admin', null],
        ['演示评价人员密钥', '王立新', 'evaluator', null],
        ['演示填报员密钥（广州市科学技术局）', '刘洋', 'department', 'gz-kjj'],
      ].sort(),
    );
    const evaluator = bearer('demo-evaluator-key');
    expect((await t!.http().get('/api-keys').set(evaluator).expect(403)).body.message).toBe(
      '此操作仅限管理员；您的角色是评价人员',
    );
    await t!.http().get(LATEST).set(evaluator).expect(200);
    const department = bearer('demo-gz-kjj-key');
    expect((await t!.http().get(LATEST).set(department).expect(200)).body.total).toBe('94.622');
    expect((await t!.http().get('/api-keys').set(department).expect(403)).body.message).toBe(
      '此操作仅限管理员；您的角色是部门填报员',
    );
    await t!.http().get('/departments/gz-other/years/2021/evaluations').set(department).expect(404);
  });

  maybe('logs the URL, the API docs, the demo keys and a curl example', async () => {
    const banner = logged.find((line) => line.includes('demo-admin-key'));
    expect(banner).toBeDefined();
    expect(banner).toContain('http://localhost:3210/docs');
    expect(banner).toMatch(/demo-admin-key\s+陈静, admin/);
    expect(banner).toMatch(/demo-evaluator-key\s+王立新, evaluator/);
    expect(banner).toMatch(/demo-gz-kjj-key\s+刘洋, department \(gz-kjj only\)/);
    expect(banner).toContain(
      "curl -H 'Authorization: Bearer demo-admin-key' " +
        'http://localhost:3210/departments/gz-kjj/years/2021/evaluations/latest',
    );
  });

  maybe('a restart on the same database keeps the data and duplicates nothing', async () => {
    const counts = await rowCounts(t!);
    expect(counts).toEqual({
      api_key: 4,
      rule_set: 2,
      department: 1,
      target_declaration: 1,
      submission: 1,
      evaluation: 1,
      department_year: 1,
    });
    const keys = (await t!.http().get('/api-keys').set(bearer(ADMIN_KEY)).expect(200)).body;
    const evaluation = (await t!.http().get(LATEST).set(bearer(ADMIN_KEY)).expect(200)).body;
    await t!.close();
    await start();
    expect(await rowCounts(t!)).toEqual(counts);
    expect((await t!.http().get('/api-keys').set(bearer(ADMIN_KEY)).expect(200)).body).toEqual(keys);
    expect((await t!.http().get(LATEST).set(bearer('demo-gz-kjj-key')).expect(200)).body).toEqual(evaluation);
    expect(logged.some((line) => line.includes('demo-admin-key'))).toBe(true);
  });

  maybe('a demo interrupted half-way stops the start, and the next start completes it', async () => {
    const counts = await rowCounts(t!);
    const dataSource = t!.app.get(DataSource);
    // As if the first start had stopped after declaring the targets, and the rule set had then been damaged.
    await dataSource.getRepository(EvaluationEntity).delete({ departmentCode: 'gz-kjj' });
    await dataSource.query('DELETE FROM submission');
    await dataSource.getRepository(DepartmentYearEntity).delete({ departmentCode: 'gz-kjj' });
    await dataSource
      .getRepository(TargetDeclarationEntity)
      .update({ departmentCode: 'gz-kjj' }, { approvedAt: null, approvedBy: null });
    await dataSource.getRepository(ApiKeyEntity).delete({ keyHash: hashApiKey('demo-gz-kjj-key') });
    const rows = dataSource.getRepository(RuleSetEntity);
    const { checksum } = await rows.findOneByOrFail({ ruleSetId: GZ });
    await rows.update({ ruleSetId: GZ }, { checksum: '0'.repeat(64) });
    await t!.close();
    t = undefined;

    const errors: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(String(message));
    });
    try {
      expect((await failedStart(database!)).message).toMatch(/does not match its checksum/);
    } finally {
      spy.mockRestore();
    }
    expect(errors.some((line) => line.startsWith('the demo could not be loaded'))).toBe(true);

    // Repair the rule set on a start without the demo (the database has keys: nothing is loaded), then start again.
    const repair = await createTestApp(database!, { ...DEMO, JIPING_DEMO: 'false' });
    await repair.app.get(DataSource).getRepository(RuleSetEntity).update({ ruleSetId: GZ }, { checksum });
    await repair.close();
    await start();
    expect(await rowCounts(t!)).toEqual(counts);
    const res = await t!.http().get(LATEST).set(bearer('demo-gz-kjj-key')).expect(200);
    expect(res.body).toMatchObject({ sequence: 1, submissionRevision: 1, targetRevision: 1, total: '94.622' });
  });

  maybe('JIPING_DEMO=false on an empty database loads no demo', async () => {
    const fresh = await makeDatabase();
    const plain = await createTestApp(fresh!, { JIPING_DEMO: 'false' });
    try {
      await plain.http().get('/api-keys').set(bearer('demo-admin-key')).expect(401);
      expect((await plain.http().get('/departments').set(bearer(plain.adminKey)).expect(200)).body).toEqual([]);
    } finally {
      await plain.close();
      await fresh!.drop();
    }
  });
});
