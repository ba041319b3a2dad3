import { bearer, createTestApp, sqliteDatabase, type TestApp, type TestDatabase } from './support/test-app';

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
