import { getRepositoryToken } from '@nestjs/typeorm';
import { ApiKeyEntity } from '@jiping/persistence';
import type { Repository } from 'typeorm';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(60_000);

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec reads response bodies */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const KJJ = bearer('demo-gz-kjj-key');

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('people and their keys on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;

  beforeAll(async () => {
    database = await makeDatabase();
    if (database) t = await createTestApp(database, { JIPING_DEMO: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  maybe('the demo keys keep working, each as a demo person with a Chinese name', async () => {
    const sessions = await Promise.all(
      [ADMIN, EVALUATOR, KJJ].map(async (key) => (await t.http().get('/session').set(key).expect(200)).body),
    );
    expect(sessions.map((s) => [s.user.name, s.role, s.roleLabel, s.departmentCode, s.via, s.expiresAt])).toEqual([
      ['陈静', 'admin', '管理员', null, 'key', null],
      ['王立新', 'evaluator', '评价人员', null, 'key', null],
      ['刘洋', 'department', '部门填报员', 'gz-kjj', 'key', null],
    ]);
    expect(sessions[2].keyName).toBe('演示填报员密钥（广州市科学技术局）');
    const users = (await t.http().get('/users').set(ADMIN).expect(200)).body;
    expect(users.map((u: any) => u.name)).toEqual(
      expect.arrayContaining(['陈静', '王立新', '刘洋', 'bootstrap admin']),
    );
    // What the demo's people did is in their names.
    const scored = (await t.http().get('/audit?action=evaluation.created').set(ADMIN).expect(200)).body;
    expect(scored[0]).toMatchObject({ actor: '演示数据', actorUserId: null });
  });

  maybe('a department may have several clerks, each with named keys; the audit log names the person', async () => {
    const zhang = (
      await t
        .http()
        .post('/users')
        .set(ADMIN)
        .send({ name: '张敏', contact: '020-83120010', role: 'department', departmentCode: 'gz-kjj' })
        .expect(201)
    ).body;
    expect(zhang).toEqual({
      id: expect.any(String),
      name: '张敏',
      contact: '020-83120010',
      role: 'department',
      roleLabel: '部门填报员',
      departmentCode: 'gz-kjj',
      status: 'active',
      statusLabel: '在用',
      source: 'local',
      createdAt: expect.stringMatching(ISO),
      createdBy: '陈静',
      updatedAt: null,
      disabledAt: null,
      lastSeenAt: null,
      activeKeys: 0,
    });
    const key = (
      await t
        .http()
        .post(`/users/${zhang.id}/api-keys`)
        .set(ADMIN)
        .send({ name: '办公室电脑', expiresAt: '2099-12-31T16:00:00Z' })
        .expect(201)
    ).body;
    expect(key).toMatchObject({
      name: '办公室电脑',
      userId: zhang.id,
      userName: '张敏',
      role: 'department',
      departmentCode: 'gz-kjj',
      expiresAt: '2099-12-31T16:00:00.000Z',
      lastUsedAt: null,
      status: 'active',
      statusLabel: '有效',
      key: expect.stringMatching(/^jp_/),
    });
    const clerk = bearer(key.key);
    const session = (await t.http().get('/session').set(clerk).expect(200)).body;
    expect(session).toEqual({
      role: 'department',
      roleLabel: '部门填报员',
      departmentCode: 'gz-kjj',
      user: { id: zhang.id, name: '张敏' },
      via: 'key',
      keyName: '办公室电脑',
      expiresAt: '2099-12-31T16:00:00.000Z',
    });
    // The clerk acts as the department, and the audit log names the person.
    await t.http().post('/departments/gz-kjj/years/2021/return').set(EVALUATOR).send({ reason: '请补充' }).expect(200);
    const declared = await t.http().get('/departments/gz-kjj/years/2021/targets').set(clerk).expect(200);
    await t
      .http()
      .put('/departments/gz-kjj/years/2021/targets')
      .set(clerk)
      .send({ targets: declared.body.current.targets })
      .expect(200);
    const audit = (await t.http().get('/audit?action=targets.declared').set(ADMIN).expect(200)).body;
    expect(audit[0]).toMatchObject({ actor: '张敏', actorUserId: zhang.id, actorKeyId: key.id });
    const byUser = (await t.http().get(`/audit?userId=${zhang.id}`).set(ADMIN).expect(200)).body;
    expect(byUser.map((a: any) => a.action)).toContain('targets.declared');
    // Last use is recorded, to the minute.
    const detail = (await t.http().get(`/users/${zhang.id}`).set(ADMIN).expect(200)).body;
    expect(detail.keys[0].lastUsedAt).toMatch(ISO);
    expect(detail.lastSeenAt).toMatch(ISO);
    expect(detail.activeKeys).toBe(1);
    const clerks = (await t.http().get('/users?departmentCode=gz-kjj').set(ADMIN).expect(200)).body;
    expect(clerks.map((u: any) => u.name)).toEqual(['刘洋', '张敏']);
  });

  maybe('an expired key gets 401, a revoked one too, and so does every key of a disabled user', async () => {
    const user = (await t.http().post('/users').set(ADMIN).send({ name: '临时评审', role: 'evaluator' }).expect(201))
      .body;
    const created = (
      await t
        .http()
        .post(`/users/${user.id}/api-keys`)
        .set(ADMIN)
        .send({ name: '三月评审', expiresAt: new Date(Date.now() + 60_000).toISOString() })
        .expect(201)
    ).body;
    await t.http().get('/session').set(bearer(created.key)).expect(200);
    // Let it expire: move its expiry into the past (the API refuses to set one there).
    const keys = t.app.get<Repository<ApiKeyEntity>>(getRepositoryToken(ApiKeyEntity));
    await keys.update({ id: created.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await t.http().get('/session').set(bearer(created.key)).expect(401);
    expect(expired.body.code).toBe('UNAUTHORIZED');
    expect(expired.body.message).toMatch(/^API 密钥“三月评审”已于 \d{4}-\d{2}-\d{2} 过期：请向管理员申请新的密钥$/);
    expect(
      (await t.http().get('/session').set(bearer(created.key)).set('Accept-Language', 'en').expect(401)).body.message,
    ).toMatch(/^the API key "三月评审" expired on /);
    const listed = (await t.http().get(`/api-keys?userId=${user.id}`).set(ADMIN).expect(200)).body;
    expect(listed.map((k: any) => [k.name, k.status, k.statusLabel])).toEqual([['三月评审', 'expired', '已过期']]);

    const second = (await t.http().post(`/users/${user.id}/api-keys`).set(ADMIN).send({ name: '备用' }).expect(201))
      .body;
    await t.http().delete(`/api-keys/${second.id}`).set(ADMIN).expect(204);
    const revoked = await t.http().get('/session').set(bearer(second.key)).expect(401);
    expect(revoked.body.message).toMatch(/^API 密钥“备用”已于 .* 吊销/);
    await t.http().delete(`/api-keys/${second.id}`).set(ADMIN).expect(409);
    expect((await t.http().get(`/api-keys?userId=${user.id}&status=revoked`).set(ADMIN).expect(200)).body).toEqual([
      expect.objectContaining({ id: second.id, revokedBy: '陈静', revokedAt: expect.stringMatching(ISO) }),
    ]);

    const third = (await t.http().post(`/users/${user.id}/api-keys`).set(ADMIN).send({ name: '第三把' }).expect(201))
      .body;
    await t.http().post(`/users/${user.id}/disable`).set(ADMIN).send({ reason: '评审结束' }).expect(200);
    const disabled = await t.http().get('/session').set(bearer(third.key)).expect(401);
    expect(disabled.body.message).toBe('用户“临时评审”的账号已停用：请联系管理员');
    await t.http().post(`/users/${user.id}/api-keys`).set(ADMIN).send({ name: 'x' }).expect(409);
    await t.http().post(`/users/${user.id}/enable`).set(ADMIN).send({ reason: '继续评审' }).expect(200);
    await t.http().get('/session').set(bearer(third.key)).expect(200);

    const audit = (await t.http().get(`/audit?entityType=user&entityId=${user.id}`).set(ADMIN).expect(200)).body;
    expect(audit.map((a: any) => [a.action, a.reason])).toEqual([
      ['user.enabled', '继续评审'],
      ['user.disabled', '评审结束'],
      ['user.created', null],
    ]);
    const keyAudit = (await t.http().get(`/audit?entityType=api-key&entityId=${second.id}`).set(ADMIN).expect(200))
      .body;
    expect(keyAudit.map((a: any) => a.action)).toEqual(['api-key.revoked', 'api-key.created']);
  });

  maybe('a role or department change applies to every key at once; the last admin stays an admin', async () => {
    const user = (
      await t
        .http()
        .post('/users')
        .set(ADMIN)
        .send({ name: '周涛', role: 'department', departmentCode: 'gz-kjj' })
        .expect(201)
    ).body;
    const key = bearer(
      (await t.http().post(`/users/${user.id}/api-keys`).set(ADMIN).send({ name: '笔记本' }).expect(201)).body.key,
    );
    await t.http().get('/users').set(key).expect(403);
    const promoted = await t
      .http()
      .patch(`/users/${user.id}`)
      .set(ADMIN)
      .send({ role: 'evaluator', departmentCode: null })
      .expect(200);
    expect(promoted.body).toMatchObject({ role: 'evaluator', departmentCode: null, updatedAt: expect.any(String) });
    expect((await t.http().get('/session').set(key).expect(200)).body).toMatchObject({ role: 'evaluator' });
    const audit = (await t.http().get(`/audit?entityId=${user.id}&action=user.updated`).set(ADMIN).expect(200)).body;
    expect(audit[0].details.changes).toEqual({
      role: { from: 'department', to: 'evaluator' },
      departmentCode: { from: 'gz-kjj', to: null },
    });

    const admins = (await t.http().get('/users?role=admin&status=active').set(ADMIN).expect(200)).body;
    for (const admin of admins.filter((u: any) => u.name !== '陈静')) {
      await t.http().post(`/users/${admin.id}/disable`).set(ADMIN).send({ reason: '测试' }).expect(200);
    }
    const me = admins.find((u: any) => u.name === '陈静');
    const self = await t.http().post(`/users/${me.id}/disable`).set(ADMIN).send({ reason: 'x' }).expect(409);
    expect(self.body.message).toBe('不能停用自己的账号');
    const last = await t.http().patch(`/users/${me.id}`).set(ADMIN).send({ role: 'evaluator' }).expect(409);
    expect(last.body.message).toBe('“陈静”是唯一在用的管理员：请先指定另一名管理员');
    for (const admin of admins.filter((u: any) => u.name !== '陈静')) {
      await t.http().post(`/users/${admin.id}/enable`).set(ADMIN).send({ reason: '测试结束' }).expect(200);
    }
  });

  maybe('refuses a clerk without a department, an evaluator with one, a past expiry; admins only', async () => {
    const noDept = await t.http().post('/users').set(ADMIN).send({ name: 'x', role: 'department' }).expect(422);
    expect(noDept.body.details.map((d: any) => d.pointer)).toEqual(['/departmentCode']);
    const unknown = await t
      .http()
      .post('/users')
      .set(ADMIN)
      .send({ name: 'x', role: 'department', departmentCode: 'gz-none' })
      .expect(422);
    expect(unknown.body.details).toEqual([{ pointer: '/departmentCode', message: '没有部门代码为“gz-none”的部门' }]);
    const evaluator = await t
      .http()
      .post('/users')
      .set(ADMIN)
      .send({ name: 'x', role: 'evaluator', departmentCode: 'gz-kjj' })
      .expect(422);
    expect(evaluator.body.details[0].message).toBe('评价人员可以查看所有部门，不属于某个部门：请不要填写部门');
    const someone = (await t.http().get('/users').set(ADMIN).expect(200)).body[0];
    const past = await t
      .http()
      .post(`/users/${someone.id}/api-keys`)
      .set(ADMIN)
      .send({ name: 'x', expiresAt: '2020-01-01T00:00:00Z' })
      .expect(422);
    expect(past.body.details).toEqual([
      { pointer: '/expiresAt', message: '有效期应晚于现在（填的是 2020-01-01T00:00:00Z）' },
    ]);
    await t.http().get('/users').set(EVALUATOR).expect(403);
    await t.http().post('/users').set(KJJ).send({ name: 'x', role: 'evaluator' }).expect(403);
    await t.http().get('/users/not-a-uuid').set(ADMIN).expect(422);
    await t.http().get('/users/0b6c9c1e-3c1e-4d47-a7b2-0f4c1f6a9d21').set(ADMIN).expect(404);
  });

  maybe('POST /api-keys as before users: a user of the key’s name, role and department, with its key', async () => {
    const created = (
      await t
        .http()
        .post('/api-keys')
        .set(ADMIN)
        .send({ name: '科技局对接系统', role: 'department', departmentCode: 'gz-kjj' })
        .expect(201)
    ).body;
    expect(created).toMatchObject({ name: '科技局对接系统', userName: '科技局对接系统', role: 'department' });
    const session = (await t.http().get('/session').set(bearer(created.key)).expect(200)).body;
    expect(session.user).toEqual({ id: created.userId, name: '科技局对接系统' });
    const both = await t
      .http()
      .post('/api-keys')
      .set(ADMIN)
      .send({ name: 'x', userId: created.userId, role: 'admin' })
      .expect(422);
    expect(both.body.details[0].pointer).toBe('/role');
    const another = await t.http().post('/api-keys').set(ADMIN).send({ name: '第二把', userId: created.userId });
    expect(another.status).toBe(201);
    expect(another.body).toMatchObject({ userId: created.userId, userName: '科技局对接系统' });
  });

  maybe('GET /session without a credential or with an unknown one: 401', async () => {
    expect((await t.http().get('/session').expect(401)).body.message).toBe(
      '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
    );
    expect((await t.http().get('/session').set(bearer('nope')).expect(401)).body.message).toBe(
      'API 密钥无效：没有这个密钥',
    );
    // A JWT while single sign-on is not configured.
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    expect((await t.http().get('/session').set(bearer(jwt)).expect(401)).body.message).toBe(
      '未启用单点登录：请使用 API 密钥（Authorization: Bearer <API 密钥>）',
    );
  });
});
