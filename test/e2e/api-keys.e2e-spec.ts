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

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('API keys and health on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;

  beforeAll(async () => {
    database = await makeDatabase();
    if (database) t = await createTestApp(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('Health [GET /health] pings the database without a key', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });

  maybe('Liveness [GET /health/live] answers without a key and without the database', async () => {
    const res = await t.http().get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  maybe('refuses a request without a key (401) and with an unknown key (401)', async () => {
    expect(problem((await t.http().get('/api-keys').expect(401)).body)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
      details: [],
    });
    expect((await t.http().get('/api-keys').set(bearer('nope-nope')).expect(401)).body.code).toBe('UNAUTHORIZED');
  });

  maybe('Create [POST /api-keys] shows the key once and stores only its hash', async () => {
    const created = await t
      .http()
      .post('/api-keys')
      .set(bearer(t.adminKey))
      .send({ name: '评审专家', role: 'evaluator' })
      .expect(201);
    expect(created.body.key).toMatch(/^jp_/);
    const listed = await t.http().get('/api-keys').set(bearer(t.adminKey)).expect(200);
    const row = listed.body.find((k: { id: string }) => k.id === created.body.id);
    expect(row).toMatchObject({ name: '评审专家', role: 'evaluator', departmentCode: null });
    expect(row.key).toBeUndefined();
    // The new key works, and its role is enforced: an evaluator may not manage keys.
    const forbidden = await t.http().get('/api-keys').set(bearer(created.body.key)).expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    await t.http().delete(`/api-keys/${created.body.id}`).set(bearer(t.adminKey)).expect(204);
    await t.http().get('/api-keys').set(bearer(created.body.key)).expect(401);
  });

  maybe('refuses unknown fields and a department key without a department, naming the field', async () => {
    const unknown = await t
      .http()
      .post('/api-keys')
      .set(bearer(t.adminKey))
      .send({ name: 'x', role: 'admin', extra: 1 })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ pointer: '/extra' }] });
    const noDept = await t
      .http()
      .post('/api-keys')
      .set(bearer(t.adminKey))
      .send({ name: 'x', role: 'department' })
      .expect(422);
    expect(noDept.body.details[0].pointer).toBe('/departmentCode');
  });

  maybe('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t
      .http()
      .post('/api-keys')
      .set(bearer(t.adminKey))
      .set('Content-Type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });
});
