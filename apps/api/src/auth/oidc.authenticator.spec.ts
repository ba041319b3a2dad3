import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigService } from '@nestjs/config';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { OidcAuthenticator, oidcSettings } from './oidc.authenticator';

/** A syntactically valid RS256 JWT (its signature is never reached: the key set cannot be fetched). */
const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl';

/** The authenticator with these settings; it reads the database only after a token verifies, never here. */
const authenticator = (env: Record<string, string>) =>
  new OidcAuthenticator(
    { get: (name: string) => env[name] } as unknown as ConfigService<never, true>,
    undefined as never,
    undefined as never,
  );

describe('OidcAuthenticator', () => {
  it('is off unless both the issuer and the audience are set', () => {
    expect(authenticator({}).enabled).toBe(false);
    expect(authenticator({ OIDC_ISSUER: 'https://sso.example.gov.cn' }).enabled).toBe(false);
    expect(authenticator({ OIDC_ISSUER: 'https://sso.example.gov.cn', OIDC_AUDIENCE: 'jiping' }).enabled).toBe(true);
  });

  it('maps the role values, several per role', () => {
    const settings = oidcSettings({
      OIDC_ISSUER: 'https://sso.example.gov.cn',
      OIDC_AUDIENCE: 'jiping',
      OIDC_ROLE_VALUES: 'admin=jiping-admin,evaluator=jxc|pingshen,department=tianbao',
    })!;
    expect([...settings.roleValues]).toEqual([
      ['jiping-admin', 'admin'],
      ['jxc', 'evaluator'],
      ['pingshen', 'evaluator'],
      ['tianbao', 'department'],
    ]);
  });

  it('answers 503, not 401, when the provider cannot be reached, and tries again on the next token', async () => {
    // A port that was just free: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const oidc = authenticator({ OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_AUDIENCE: 'jiping' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await oidc.authenticate(TOKEN).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect([(error as ApiError).code, (error as ApiError).status, (error as ApiError).retryAfterSeconds]).toEqual([
        ApiErrorCode.SERVICE_UNAVAILABLE,
        503,
        30,
      ]);
      expect((error as ApiError).text).toMatchObject({
        zh: '暂时无法连接统一身份认证（单点登录）服务，无法验证令牌：请稍后重试，或使用 API 密钥',
      });
    }
  });

  it('answers 503 when the JWKS itself cannot be fetched', async () => {
    const server = createServer((_request, response) => {
      response.statusCode = 500;
      response.end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const oidc = authenticator({
        OIDC_ISSUER: 'https://sso.example.gov.cn',
        OIDC_AUDIENCE: 'jiping',
        OIDC_JWKS_URI: `http://127.0.0.1:${port}/certs`,
      });
      const error = (await oidc.authenticate(TOKEN).catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe(ApiErrorCode.SERVICE_UNAVAILABLE);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
