import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(60_000); // app start-up and database creation take several seconds under load

describe('Error messages: Chinese first, English on request (Accept-Language)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = sqliteDatabase();
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const malformed = (lang?: string) => {
    const call = t.http().post('/departments').set(bearer(t.adminKey)).set('Content-Type', 'application/json');
    return (lang ? call.set('Accept-Language', lang) : call).send('{"code": ').expect(400);
  };

  it('answers in Chinese when no language is asked for', async () => {
    const { body } = await malformed();
    expect(body.code).toBe('MALFORMED_JSON');
    expect(body.message).toMatch(/^请求内容不是有效的 JSON/);
    expect(body.details).toEqual([{ pointer: '', message: '请求内容不是有效的 JSON' }]);
  });

  it('answers in Chinese for a browser that prefers Chinese', async () => {
    const { body } = await malformed('zh-CN,zh;q=0.9,en;q=0.8');
    expect(body.details).toEqual([{ pointer: '', message: '请求内容不是有效的 JSON' }]);
  });

  it('answers in English with Accept-Language: en', async () => {
    const { body } = await malformed('en-US,en;q=0.9');
    expect(body.message).toMatch(/^the body is not valid JSON/);
    expect(body.details).toEqual([{ pointer: '', message: 'not valid JSON' }]);
  });
});

/**
 * English leaking into what users read: the common error paths, asked without a language, must answer in Chinese
 * (message, title and every detail), naming the field; with Accept-Language: en, in English. A message "leaks" when
 * it has no Chinese at all, or when it carries a run of four or more English words (identifiers like gz-kjj,
 * guangzhou-department-overall:2021:1 or /inputs/x are not words).
 */
const CJK = /[\u3400-\u9fff]/;
const ENGLISH_RUN = /(?:^|[\s（(“"：:，,])(?:[A-Za-z]{2,}[\s,.;:]+){3,}[A-Za-z]{2,}/;
const leaks = (text: string): boolean => !CJK.test(text) || ENGLISH_RUN.test(text);

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)(
  'No English leaks on common error paths (%s)',
  (_, make) => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    const GZ = 'guangzhou-department-overall';
    const RULES = readFileSync(join(__dirname, '../../rules/guangzhou/department-overall/2021.json'), 'utf8');

    beforeAll(async () => {
      database = await make();
      if (!database) return;
      t = await createTestApp(database);
      const admin = bearer(t.adminKey);
      await t
        .http()
        .post('/departments')
        .set(admin)
        .send({ code: 'gz-kjj', name: '广州市科学技术局', region: '广州市' });
      await t.http().post('/rule-sets').set(admin).send(JSON.parse(RULES)).expect(201);
      await t.http().post(`/rule-sets/${GZ}:2021:1/publish`).set(admin).expect(200);
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });

    type Call = (lang?: string) => ReturnType<ReturnType<TestApp['http']>['get']>;
    const admin = () => bearer(t.adminKey);
    const as = (call: ReturnType<ReturnType<TestApp['http']>['get']>, lang?: string) =>
      lang ? call.set('Accept-Language', lang) : call;
    const PATHS: Array<[string, number, Call]> = [
      ['an unknown department', 404, (l) => as(t.http().get('/departments/gz-nope').set(admin()), l)],
      ['a department code that is not one', 422, (l) => as(t.http().get('/departments/GZ_KJJ!').set(admin()), l)],
      ['a fiscal year out of range', 422, (l) => as(t.http().get('/departments/gz-kjj/years/1999').set(admin()), l)],
      ['an unknown rule-set version', 404, (l) => as(t.http().get(`/rule-sets/${GZ}:2021:99`).set(admin()), l)],
      ['a rule-set reference that is not one', 422, (l) => as(t.http().get('/rule-sets/gz-2021').set(admin()), l)],
      ['a diff without against', 422, (l) => as(t.http().get(`/rule-sets/${GZ}:2021:1/diff`).set(admin()), l)],
      ['a query value not allowed', 422, (l) => as(t.http().get('/rule-sets?status=bogus&year=1').set(admin()), l)],
      ['an audit limit too large', 422, (l) => as(t.http().get('/audit?limit=9999').set(admin()), l)],
      [
        'a department body with an unknown field and a missing name',
        422,
        (l) => as(t.http().post('/departments').set(admin()).send({ code: 'gz-x', extra: 1 }), l),
      ],
      [
        'a change to a published rule set',
        409,
        (l) => as(t.http().put(`/rule-sets/${GZ}:2021:1`).set(admin()).send(JSON.parse(RULES)), l),
      ],
      ['what-if sent as a list', 422, (l) => as(t.http().post('/what-if').set(admin()).send([]), l)],
      [
        'what-if for an unknown department',
        404,
        (l) => as(t.http().post('/what-if').set(admin()).send({ department: 'gz-nope', year: 2021 }), l),
      ],
      [
        'what-if for a department with no submission',
        422,
        (l) => as(t.http().post('/what-if').set(admin()).send({ department: 'gz-kjj', year: 2021 }), l),
      ],
      [
        'an evaluation id that is not a UUID',
        422,
        (l) => as(t.http().get('/departments/gz-kjj/years/2021/evaluations/x').set(admin()), l),
      ],
      ['no key', 401, (l) => as(t.http().get('/departments'), l)],
      [
        'a body that is not JSON',
        400,
        (l) =>
          as(
            t.http().post('/departments').set(admin()).set('Content-Type', 'application/json').send('{"code": "gz-x",'),
            l,
          ),
      ],
      ['an unknown route', 404, (l) => as(t.http().get('/no-such-route').set(admin()), l)],
    ];

    const check = async (status: number, call: Call): Promise<void> => {
      const zh = await call().expect(status);
      const texts: string[] = [
        zh.body.message,
        zh.body.title,
        ...zh.body.details.map((d: { message: string }) => d.message),
      ];
      expect(texts.filter(leaks)).toEqual([]);
      const en = await call('en').expect(status);
      const english: string[] = [en.body.message, ...en.body.details.map((d: { message: string }) => d.message)];
      expect(english.filter((text) => CJK.test(text))).toEqual([]);
    };
    // MySQL unreachable outside CI: the MySQL cases are skipped (they fail with CI=true)
    it.each(PATHS)('%s: Chinese by default, naming what is wrong; English on request', (_name, status, call) =>
      database ? check(status, call) : undefined,
    );
  },
);
