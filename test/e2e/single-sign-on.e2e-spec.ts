import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
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

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec reads response bodies */

const AUDIENCE = 'jiping-console';

/**
 * The bureau's OpenID Connect provider, as far as jiping sees it: a key pair made here, its public half served as a
 * JWKS (with the discovery document pointing to it) by a tiny HTTP server on 127.0.0.1, and tokens signed with it.
 */
interface Provider {
  issuer: string;
  sign(
    claims: Record<string, unknown>,
    options?: { audience?: string; expiresIn?: string; key?: KeyLike },
  ): Promise<string>;
  /** A key the provider does not publish: a token signed with it has a wrong signature. */
  strangerKey: KeyLike;
  jwksRequests: number;
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bureau-2026', alg: 'RS256', use: 'sig' };
  let issuer = '';
  let jwksRequests = 0;
  const server: Server = createServer((request, response) => {
    response.setHeader('Content-Type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
    } else if (request.url === '/protocol/openid-connect/certs') {
      jwksRequests += 1;
      response.end(JSON.stringify({ keys: [jwk] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    strangerKey: stranger.privateKey,
    get jwksRequests() {
      return jwksRequests;
    },
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'bureau-2026', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '10m')
        .sign(options.key ?? privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)(
  'single sign-on (OpenID Connect) on %s',
  (_kind, makeDatabase) => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    let provider: Provider;

    beforeAll(async () => {
      database = await makeDatabase();
      if (!database) return;
      provider = await startProvider();
      t = await createTestApp(database, {
        JIPING_DEMO: 'true',
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_VALUES: 'admin=jiping-admin,evaluator=jiping-evaluator|performance-office,department=jiping-filler',
        OIDC_DEPARTMENT_CLAIM: 'dept',
      });
    });
    afterAll(async () => {
      await t?.close();
      await provider?.close();
      await database?.drop();
    });
    const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

    maybe('a JWT from the JWKS maps to its role and department, and the audit log names the person', async () => {
      const token = await provider.sign({
        sub: 'u-1001',
        name: '赵磊',
        groups: ['staff', 'jiping-filler'],
        dept: 'gz-kjj',
      });
      const session = (await t.http().get('/session').set(bearer(token)).expect(200)).body;
      expect(session).toEqual({
        role: 'department',
        roleLabel: '部门填报员',
        departmentCode: 'gz-kjj',
        user: { id: expect.any(String), name: '赵磊' },
        via: 'oidc',
        expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      // The clerk sees their department only.
      await t.http().get('/departments/gz-kjj').set(bearer(token)).expect(200);
      expect((await t.http().get('/departments').set(bearer(token)).expect(200)).body.map((d: any) => d.code)).toEqual([
        'gz-kjj',
      ]);
      await t.http().get('/users').set(bearer(token)).expect(403);

      const evaluatorToken = await provider.sign({ sub: 'u-2002', name: '孙丽', groups: 'performance-office' });
      const evaluator = (await t.http().get('/session').set(bearer(evaluatorToken)).expect(200)).body;
      expect(evaluator).toMatchObject({ role: 'evaluator', departmentCode: null, user: { name: '孙丽' } });
      const latest = await t
        .http()
        .get('/departments/gz-kjj/years/2021/evaluations/latest')
        .set(bearer(evaluatorToken));
      expect(latest.status).toBe(200);
      const adjusted = await t
        .http()
        .post(`/departments/gz-kjj/years/2021/evaluations/${latest.body.id}/adjustments`)
        .set(bearer(evaluatorToken))
        .send({
          adjustments: [{ pointer: '/inputs/budgetPreparation/preAssessment', value: true, reason: '已开展事前评估' }],
        })
        .expect(201);
      expect(adjusted.body.createdBy).toBe('孙丽');
      const audit = (await t.http().get('/audit?action=evaluation.adjusted').set(bearer('demo-admin-key')).expect(200))
        .body;
      expect(audit[0]).toMatchObject({ actor: '孙丽', actorUserId: evaluator.user.id, actorKeyId: 'oidc' });

      // The person is a user of source oidc, kept up to date with the token.
      const users = (await t.http().get('/users').set(bearer('demo-admin-key')).expect(200)).body;
      expect(users.find((u: any) => u.id === evaluator.user.id)).toMatchObject({
        name: '孙丽',
        source: 'oidc',
        role: 'evaluator',
        createdBy: '单点登录',
      });
      const renamed = await provider.sign({
        sub: 'u-2002',
        name: '孙丽华',
        groups: ['performance-office', 'jiping-admin'],
      });
      expect((await t.http().get('/session').set(bearer(renamed)).expect(200)).body).toMatchObject({
        role: 'admin',
        user: { id: evaluator.user.id, name: '孙丽华' },
      });
      expect(provider.jwksRequests).toBe(1); // fetched once, then cached
    });

    maybe('a wrong audience, a wrong signature, another issuer or an expired token: 401', async () => {
      const claims = { sub: 'u-1001', name: '赵磊', groups: 'jiping-filler', dept: 'gz-kjj' };
      const audience = await t
        .http()
        .get('/session')
        .set(bearer(await provider.sign(claims, { audience: 'another-app' })))
        .expect(401);
      expect(problem(audience.body)).toEqual({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: '单点登录令牌不是签发给绩评的（aud 应为 jiping-console）',
        details: [],
      });
      const signature = await t
        .http()
        .get('/session')
        .set(bearer(await provider.sign(claims, { key: provider.strangerKey })))
        .expect(401);
      expect(signature.body.message).toBe('单点登录令牌签名无效');
      const expired = await t
        .http()
        .get('/session')
        .set(bearer(await provider.sign(claims, { expiresIn: '-5m' })))
        .expect(401);
      expect(expired.body.message).toBe('单点登录令牌已过期：请重新登录');
      // A token whose payload was edited after signing.
      const token = await provider.sign(claims);
      const [header, , sig] = token.split('.');
      const forged = [
        header,
        Buffer.from(JSON.stringify({ ...claims, groups: 'jiping-admin' })).toString('base64url'),
        sig,
      ];
      expect(
        (
          await t
            .http()
            .get('/session')
            .set(bearer(forged.join('.')))
            .expect(401)
        ).body.message,
      ).toBe('单点登录令牌签名无效');
    });

    maybe('a token without a jiping role, a clerk without a department, a disabled person: 401', async () => {
      const none = await provider.sign({ sub: 'u-3003', name: '钱多', groups: ['staff'] });
      expect((await t.http().get('/session').set(bearer(none)).expect(401)).body.message).toBe(
        '单点登录令牌未授予绩评的角色（声明 groups）：请联系管理员在统一身份认证中授权',
      );
      const noDept = await provider.sign({ sub: 'u-3004', name: '吴凡', groups: 'jiping-filler' });
      expect((await t.http().get('/session').set(bearer(noDept)).expect(401)).body.message).toBe(
        '单点登录令牌缺少部门（声明 dept）：部门填报员须属于一个部门',
      );
      const unknownDept = await provider.sign({
        sub: 'u-3004',
        name: '吴凡',
        groups: 'jiping-filler',
        dept: 'gz-none',
      });
      expect((await t.http().get('/session').set(bearer(unknownDept)).expect(401)).body.message).toBe(
        '单点登录令牌中的部门“gz-none”不存在：请联系管理员',
      );

      const token = await provider.sign({ sub: 'u-4004', name: '郑好', groups: 'jiping-evaluator' });
      const { user } = (await t.http().get('/session').set(bearer(token)).expect(200)).body;
      await t
        .http()
        .post(`/users/${user.id}/disable`)
        .set(bearer('demo-admin-key'))
        .send({ reason: '离职' })
        .expect(200);
      expect((await t.http().get('/session').set(bearer(token)).expect(401)).body.message).toBe(
        '用户“郑好”的账号已停用：请联系管理员',
      );
      // API keys keep working beside single sign-on.
      await t.http().get('/session').set(bearer('demo-evaluator-key')).expect(200);
    });
  },
);
