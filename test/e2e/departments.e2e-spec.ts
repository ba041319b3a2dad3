import { getRepositoryToken } from '@nestjs/typeorm';
import { TargetDeclarationEntity } from '@jiping/persistence';
import type { Repository } from 'typeorm';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
  problem,
} from './support/test-app';

jest.setTimeout(60_000); // app start-up and database creation take several seconds under load

/* eslint-disable @typescript-eslint/no-explicit-any -- the specs edit parsed fixtures */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const GZ_REF = 'guangzhou-department-overall:2021:1';
const KJJ = { code: 'gz-kjj', name: '广州市科学技术局', region: '广州市' };
const CZJ = { code: 'gz-czj', name: '广州市财政局', region: '广州市' };

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)(
  'departments and targets on %s',
  (_kind, makeDatabase) => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    let admin: Record<string, string>;
    let evaluator: Record<string, string>;
    let kjj: Record<string, string>;
    let czj: Record<string, string>;
    let declarations: Repository<TargetDeclarationEntity>;

    const newKey = async (body: Record<string, string>): Promise<Record<string, string>> =>
      bearer((await t.http().post('/api-keys').set(admin).send(body).expect(201)).body.key);

    beforeAll(async () => {
      database = await makeDatabase();
      if (!database) return;
      t = await createTestApp(database);
      admin = bearer(t.adminKey);
      await seedRuleSet(t.app);
      declarations = t.app.get(getRepositoryToken(TargetDeclarationEntity));
      for (const department of [KJJ, CZJ]) await t.http().post('/departments').set(admin).send(department).expect(201);
      evaluator = await newKey({ name: '评审专家', role: 'evaluator' });
      kjj = await newKey({ name: '科技局填报账号', role: 'department', departmentCode: 'gz-kjj' });
      czj = await newKey({ name: '财政局填报账号', role: 'department', departmentCode: 'gz-czj' });
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });
    const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));
    const targetsUrl = (code = 'gz-kjj', year: number | string = 2021) => `/departments/${code}/years/${year}/targets`;
    const revisionsOf = async (code: string) =>
      (await declarations.find({ where: { departmentCode: code, fiscalYear: 2021 }, order: { revision: 'ASC' } })).map(
        (r) => r.revision,
      );

    maybe('Create [POST /departments] stores a department (admin)', async () => {
      const res = await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ code: 'gz-sfj', name: '广州市司法局', region: '广州市' })
        .expect(201);
      expect(res.body).toEqual({
        code: 'gz-sfj',
        name: '广州市司法局',
        region: '广州市',
        parentCode: null,
        status: 'active',
        statusLabel: '在用',
        createdAt: expect.stringMatching(ISO),
        updatedAt: null,
        retiredAt: null,
        retiredReason: null,
      });
      const got = await t.http().get('/departments/gz-sfj').set(admin).expect(200);
      expect(got.body).toEqual({ ...res.body, createdAt: expect.stringMatching(ISO) });
    });

    maybe('Create [POST /departments] refuses a duplicate code with 409', async () => {
      const res = await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ ...KJJ, name: '另一个名称' })
        .expect(409);
      expect(problem(res.body)).toEqual({
        statusCode: 409,
        code: 'CONFLICT',
        message: '部门代码“gz-kjj”已存在；部门代码一经创建不能更改，也不能重复使用',
        details: [],
      });
      expect((await t.http().get('/departments/gz-kjj').set(admin).expect(200)).body.name).toBe('广州市科学技术局');
    });

    maybe('Create [POST /departments] refuses a malformed body with 422, naming every field', async () => {
      const res = await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ code: 'GZ KJJ', name: '', extra: true })
        .expect(422);
      expect(problem(res.body)).toEqual({
        statusCode: 422,
        code: 'VALIDATION_FAILED',
        message: '请求有误：请按 details 修改所列字段',
        details: [
          { pointer: '/extra', message: '不认识的字段 extra：请删除它' },
          { pointer: '/code', message: 'code 应为部门代码（小写字母、数字和连字符，如 gz-kjj）' },
          { pointer: '/name', message: 'name 至少 1 个字符' },
          {
            pointer: '/region',
            message: 'region 至少 1 个字符',
          },
          { pointer: '/region', message: 'region 应为文本' },
        ],
      });
      const tooLong = await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ code: 'a'.repeat(65), name: 'x', region: 'y' })
        .expect(422);
      expect(tooLong.body.details).toEqual([{ pointer: '/code', message: 'code 最多 64 个字符' }]);
    });

    maybe('Create [POST /departments] is for admins: evaluator and department keys get 403, no key 401', async () => {
      const body = { code: 'gz-gaj', name: '广州市公安局', region: '广州市' };
      const forbidden = await t.http().post('/departments').set(evaluator).send(body).expect(403);
      expect(problem(forbidden.body)).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: '此操作仅限管理员；您的角色是评价人员',
        details: [],
      });
      expect((await t.http().post('/departments').set(kjj).send(body).expect(403)).body.code).toBe('FORBIDDEN');
      const anonymous = await t.http().post('/departments').send(body).expect(401);
      expect(problem(anonymous.body)).toEqual({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
        details: [],
      });
      await t.http().get('/departments/gz-gaj').set(admin).expect(404);
    });

    maybe(
      'List [GET /departments] shows every department to admins and evaluators, only its own to a department',
      async () => {
        const codes = (res: { body: Array<{ code: string }> }) => res.body.map((d) => d.code);
        const all = await t.http().get('/departments').set(admin).expect(200);
        expect(codes(all)).toEqual(['gz-czj', 'gz-kjj', 'gz-sfj']);
        expect(codes(await t.http().get('/departments').set(evaluator).expect(200))).toEqual(codes(all));
        const own = await t.http().get('/departments').set(kjj).expect(200);
        expect(own.body).toEqual([expect.objectContaining({ ...KJJ, status: 'active', parentCode: null })]);
        await t.http().get('/departments').expect(401);
      },
    );

    maybe(
      'Get [GET /departments/:code] answers 404 for another department, an unknown one and 422 for a bad code',
      async () => {
        expect((await t.http().get('/departments/gz-kjj').set(kjj).expect(200)).body).toMatchObject(KJJ);
        expect((await t.http().get('/departments/gz-kjj').set(evaluator).expect(200)).body).toMatchObject(KJJ);
        const other = await t.http().get('/departments/gz-czj').set(kjj).expect(404);
        expect(problem(other.body)).toEqual({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: '未找到部门“gz-czj”',
          details: [],
        });
        // An unknown department looks exactly like another department's.
        const unknown = await t.http().get('/departments/gz-nope').set(admin).expect(404);
        expect(problem(unknown.body)).toEqual({ ...problem(other.body), message: '未找到部门“gz-nope”' });
        const bad = await t.http().get('/departments/GZ_KJJ').set(admin).expect(422);
        expect(problem(bad.body)).toEqual({
          statusCode: 422,
          code: 'VALIDATION_FAILED',
          message: '路径参数 code 不正确',
          details: [{ pointer: 'code', message: '部门代码由小写字母、数字和连字符组成，最多 64 个字符，如 gz-kjj' }],
        });
      },
    );

    maybe(
      'Declare [PUT /departments/:code/years/:year/targets] keeps every declaration as a new revision',
      async () => {
        const { targets } = seedSubmissionParts();
        const first = await t.http().put(targetsUrl()).set(admin).send({ targets }).expect(200);
        expect(first.body).toEqual({
          revision: 1,
          fiscalYear: 2021,
          departmentCode: 'gz-kjj',
          ruleSet: GZ_REF,
          targets,
          createdBy: 'bootstrap admin',
          createdAt: expect.stringMatching(ISO),
          approval: 'pending',
          approvedBy: null,
          approvedAt: null,
        });
        const second = await t
          .http()
          .put(targetsUrl())
          .set(kjj)
          .send({ ruleSetId: 'guangzhou-department-overall', targets })
          .expect(200);
        expect(second.body).toMatchObject({ revision: 2, createdBy: '科技局填报账号', ruleSet: GZ_REF, targets });

        const overview = await t.http().get(targetsUrl()).set(evaluator).expect(200);
        expect(overview.body).toEqual({
          current: { ...second.body, createdAt: expect.stringMatching(ISO) },
          approved: null,
          history: [
            { revision: 2, ruleSet: GZ_REF, createdBy: '科技局填报账号', createdAt: expect.stringMatching(ISO) },
            { revision: 1, ruleSet: GZ_REF, createdBy: 'bootstrap admin', createdAt: expect.stringMatching(ISO) },
          ].map((summary) => ({ ...summary, approval: 'pending', approvedBy: null, approvedAt: null })),
        });
        const one = await t.http().get(`${targetsUrl()}/1`).set(kjj).expect(200);
        expect(one.body).toEqual({ ...first.body, createdAt: expect.stringMatching(ISO) });
        // The stored content is exactly the engine Submission's `targets` object.
        const stored = await declarations.findOneByOrFail({ departmentCode: 'gz-kjj', fiscalYear: 2021, revision: 1 });
        expect(stored.content).toBe(JSON.stringify(targets));
        expect(problem((await t.http().get(`${targetsUrl()}/3`).set(admin).expect(404)).body)).toEqual({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: '未找到部门 gz-kjj 2021年度第3版绩效目标申报',
          details: [],
        });
      },
    );

    maybe('Declare refuses weights that do not sum with 422 and the pointer, storing nothing', async () => {
      const { targets } = seedSubmissionParts() as any;
      targets.performance[0].indicators[0].weight = '4'; // 研发 goal weighs 12; its indicators now sum to 13
      const res = await t.http().put(targetsUrl()).set(kjj).send({ targets }).expect(422);
      expect(problem(res.body)).toEqual({
        statusCode: 422,
        code: 'VALIDATION_FAILED',
        message: `申报的绩效目标与规则集 guangzhou-department-overall@2021.1.0（${GZ_REF}）不符：1 处问题`,
        details: [
          {
            pointer: '/targets/performance/0/weight',
            message: `“${targets.performance[0].name}”分值为 12，但其指标分值之和为 13`,
            path: `履职效能 › ${targets.performance[0].name}`,
          },
        ],
      });
      // English on request: the same problem, its pointer and path.
      const english = await t.http().put(targetsUrl()).set(kjj).set('Accept-Language', 'en').send({ targets });
      expect(english.body).toMatchObject({
        message: `the declared targets do not fit rule set guangzhou-department-overall@2021.1.0 (${GZ_REF}): 1 problem(s)`,
        details: [
          {
            pointer: '/targets/performance/0/weight',
            message: `"${targets.performance[0].name}" weighs 12 but its indicators sum to 13`,
            path: `履职效能 › ${targets.performance[0].name}`,
          },
        ],
      });
      // The goals no longer sum to the section weight either.
      targets.performance[0].weight = '13';
      const sum = await t.http().put(targetsUrl()).set(kjj).send({ targets }).expect(422);
      expect(sum.body.details).toContainEqual({
        pointer: '/targets/performance',
        message: '“履职效能”申报的分值之和为 51，但该项分值为 50',
        path: '履职效能',
      });
      expect(await revisionsOf('gz-kjj')).toEqual([1, 2]);
    });

    maybe('Declare names a missing section, an unknown section and a malformed envelope', async () => {
      const { targets } = seedSubmissionParts();
      const res = await t
        .http()
        .put(targetsUrl('gz-czj'))
        .set(admin)
        .send({ targets: { results: targets.performance } })
        .expect(422);
      expect(res.body.details).toEqual([
        {
          pointer: '/targets/results',
          message: '“results”不是规则集 guangzhou-department-overall 中申报目标的指标；可申报：performance',
        },
        { pointer: '/targets/performance', message: '必填：“履职效能”的绩效目标', path: '履职效能' },
      ]);
      const envelope = await t
        .http()
        .put(targetsUrl('gz-czj'))
        .set(admin)
        .send({ targets: [], ruleSetId: 'X' })
        .expect(422);
      expect(problem(envelope.body)).toEqual({
        statusCode: 422,
        code: 'VALIDATION_FAILED',
        message: '请求有误：请按 details 修改所列字段',
        details: [
          {
            pointer: '/ruleSetId',
            message: 'ruleSetId 应为规则集标识（小写字母、数字和连字符，如 guangzhou-department-overall）',
          },
          { pointer: '/targets', message: 'targets 应为对象' },
        ],
      });
      expect(await revisionsOf('gz-czj')).toEqual([]);
    });

    maybe('Declare is for admins and the department itself: evaluator 403, another department 404', async () => {
      const { targets } = seedSubmissionParts();
      const forbidden = await t.http().put(targetsUrl()).set(evaluator).send({ targets }).expect(403);
      expect(problem(forbidden.body)).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: '此操作仅限管理员或部门填报员；您的角色是评价人员',
        details: [],
      });
      expect((await t.http().put(targetsUrl()).set(czj).send({ targets }).expect(404)).body.message).toBe(
        '未找到部门“gz-kjj”',
      );
      expect((await t.http().get(targetsUrl()).set(czj).expect(404)).body.code).toBe('NOT_FOUND');
      expect(await revisionsOf('gz-kjj')).toEqual([1, 2]);
    });

    maybe('Declare needs a published rule set for the year and a valid year', async () => {
      const { targets } = seedSubmissionParts();
      const none = await t.http().put(targetsUrl('gz-kjj', 2022)).set(admin).send({ targets }).expect(422);
      expect(problem(none.body)).toEqual({
        statusCode: 422,
        code: 'PRECONDITION_MISSING',
        message: '2022年度还没有已发布的规则集：请管理员先发布',
        details: [],
      });
      const named = await t
        .http()
        .put(targetsUrl())
        .set(admin)
        .send({ ruleSetId: 'national-project-self-evaluation', targets })
        .expect(422);
      expect(named.body.message).toBe('2021年度还没有已发布的规则集“national-project-self-evaluation”：请管理员先发布');
      for (const year of ['1999', '2101', 'twenty']) {
        const bad = await t.http().get(targetsUrl('gz-kjj', year)).set(admin).expect(422);
        expect(problem(bad.body)).toEqual({
          statusCode: 422,
          code: 'VALIDATION_FAILED',
          message: '路径参数 year 不正确',
          details: [{ pointer: 'year', message: '年度应为 2000 到 2100 之间的整数，如 2021' }],
        });
      }
      expect((await t.http().get(targetsUrl('gz-kjj', 2022)).set(admin).expect(200)).body).toEqual({
        current: null,
        approved: null,
        history: [],
      });
    });
  },
);
