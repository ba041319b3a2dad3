import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { DepartmentEntity, type Role, UserEntity } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import type { EnvironmentVariables } from '../../../../config/environment';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { Principal } from './principal';

/** Asymmetric signatures only: a provider never signs with a secret jiping would share. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clock skew tolerated on exp, nbf and iat. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** How long a discovery or JWKS request may take. */
const FETCH_TIMEOUT_MS = 5_000;
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** When a token's claim holds several roles, the highest wins. */
const PRECEDENCE: Role[] = ['admin', 'evaluator', 'department'];

type Jwks = ReturnType<typeof createRemoteJWKSet>;

const refused = (zh: string, en: string): ApiError => new ApiError(ApiErrorCode.UNAUTHORIZED, localized(zh, en));

/** The settings of single sign-on, from the environment. */
export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUri?: string;
  roleClaim: string;
  roleValues: Map<string, Role>;
  departmentClaim: string;
  nameClaim: string;
}

export function oidcSettings(env: Partial<EnvironmentVariables>): OidcSettings | undefined {
  if (!env.OIDC_ISSUER || !env.OIDC_AUDIENCE) return undefined;
  const roleValues = new Map<string, Role>();
  for (const pair of (env.OIDC_ROLE_VALUES ?? 'admin=admin,evaluator=evaluator,department=department').split(',')) {
    const [role, values] = pair.split('=') as [Role, string];
    for (const value of values.split('|')) roleValues.set(value.trim(), role);
  }
  return {
    issuer: env.OIDC_ISSUER,
    audience: env.OIDC_AUDIENCE,
    jwksUri: env.OIDC_JWKS_URI,
    roleClaim: env.OIDC_ROLE_CLAIM ?? 'jiping_role',
    roleValues,
    departmentClaim: env.OIDC_DEPARTMENT_CLAIM ?? 'jiping_department',
    nameClaim: env.OIDC_NAME_CLAIM ?? 'name',
  };
}

/**
 * Single sign-on with the bureau's OpenID Connect provider: a bearer JWT (an ID or access token) is verified with
 * `jose` against the provider's JWKS (fetched once and cached, fetched again for an unknown key id, so key rotation
 * needs no restart): signature (asymmetric algorithms only), issuer, audience, expiry and not-before. Its claims give
 * the role (OIDC_ROLE_CLAIM, mapped by OIDC_ROLE_VALUES) and a clerk's department (OIDC_DEPARTMENT_CLAIM, an existing
 * department that is not retired). The person is kept as a user (by `sub`), created at the first sign-in and brought
 * up to date with the token's name, role and department at each one, so the audit log names them; an admin may
 * disable them (401 from then on).
 */
@Injectable()
export class OidcAuthenticator {
  private readonly settings: OidcSettings | undefined;
  private jwks: Promise<Jwks> | undefined;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
  ) {
    this.settings = oidcSettings({
      OIDC_ISSUER: config.get('OIDC_ISSUER', { infer: true }),
      OIDC_AUDIENCE: config.get('OIDC_AUDIENCE', { infer: true }),
      OIDC_JWKS_URI: config.get('OIDC_JWKS_URI', { infer: true }),
      OIDC_ROLE_CLAIM: config.get('OIDC_ROLE_CLAIM', { infer: true }),
      OIDC_ROLE_VALUES: config.get('OIDC_ROLE_VALUES', { infer: true }),
      OIDC_DEPARTMENT_CLAIM: config.get('OIDC_DEPARTMENT_CLAIM', { infer: true }),
      OIDC_NAME_CLAIM: config.get('OIDC_NAME_CLAIM', { infer: true }),
    });
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  async authenticate(token: string, now = new Date()): Promise<Principal> {
    const settings = this.settings!;
    const payload = await this.verify(settings, token);
    const subject = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    if (!subject) throw refused('单点登录令牌缺少用户标识（sub）', 'the token has no subject (sub)');
    const role = roleOf(settings, payload[settings.roleClaim]);
    if (!role) {
      throw refused(
        `单点登录令牌未授予绩评的角色（声明 ${settings.roleClaim}）：请联系管理员在统一身份认证中授权`,
        `the token grants no jiping role (claim ${settings.roleClaim})`,
      );
    }
    let departmentCode: string | null = null;
    if (role === 'department') {
      const claimed = payload[settings.departmentClaim];
      departmentCode = typeof claimed === 'string' ? claimed : null;
      const department = departmentCode ? await this.departments.findOneBy({ code: departmentCode }) : null;
      if (!department || department.retiredAt) {
        throw refused(
          departmentCode
            ? `单点登录令牌中的部门“${departmentCode}”${department ? '已撤销' : '不存在'}：请联系管理员`
            : `单点登录令牌缺少部门（声明 ${settings.departmentClaim}）：部门填报员须属于一个部门`,
          departmentCode
            ? `the token's department "${departmentCode}" ${department ? 'is retired' : 'does not exist'}`
            : `the token names no department (claim ${settings.departmentClaim})`,
        );
      }
    }
    const name = nameOf(settings, payload, subject);
    const user = await this.upsertUser(subject, { name, role, departmentCode }, now);
    if (user.disabledAt) {
      throw refused(`用户“${user.name}”的账号已停用：请联系管理员`, `the account of "${user.name}" is disabled`);
    }
    return {
      userId: user.id,
      name: user.name,
      role,
      departmentCode,
      via: 'oidc',
      keyId: 'oidc',
      expiresAt: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null,
    };
  }

  private async verify(settings: OidcSettings, token: string): Promise<JWTPayload> {
    const jwks = await this.keySet(settings);
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return payload;
    } catch (error) {
      throw tokenRefused(error, settings);
    }
  }

  /** The provider's key set: from OIDC_JWKS_URI, or its discovery document (fetched once; again after a failure). */
  private keySet(settings: OidcSettings): Promise<Jwks> {
    this.jwks ??= (async () => {
      const uri = settings.jwksUri ?? (await discoverJwksUri(settings.issuer));
      return createRemoteJWKSet(new URL(uri), { timeoutDuration: FETCH_TIMEOUT_MS });
    })();
    this.jwks.catch(() => (this.jwks = undefined));
    return this.jwks;
  }

  /** The user of a subject, created at the first sign-in and kept up to date with the token. */
  private async upsertUser(
    subject: string,
    claims: { name: string; role: Role; departmentCode: string | null },
    now: Date,
  ): Promise<UserEntity> {
    let user = await this.users.findOneBy({ oidcSubject: subject });
    if (!user) {
      const created = this.users.create({
        id: randomUUID(),
        ...claims,
        contact: null,
        oidcSubject: subject,
        createdAt: now,
        createdBy: '单点登录',
        updatedAt: null,
        disabledAt: null,
        lastSeenAt: now,
      });
      try {
        await this.users.insert(created);
        return created;
      } catch {
        // a concurrent first sign-in of the same person inserted it first
        user = await this.users.findOneBy({ oidcSubject: subject });
        if (!user) throw new Error(`the user of OIDC subject ${subject} could not be stored`);
      }
    }
    const changed =
      user.name !== claims.name || user.role !== claims.role || (user.departmentCode ?? null) !== claims.departmentCode;
    const stale = !user.lastSeenAt || now.getTime() - new Date(user.lastSeenAt).getTime() >= LAST_SEEN_RESOLUTION_MS;
    if (changed || stale) {
      const patch = { ...(changed ? { ...claims, updatedAt: now } : {}), lastSeenAt: now };
      await this.users.update({ id: user.id }, patch);
      Object.assign(user, patch);
    }
    return user;
  }
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: { jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as { jwks_uri?: unknown };
  } catch (error) {
    throw unavailable(`${url}: ${(error as Error).message}`);
  }
  if (typeof document.jwks_uri !== 'string') throw unavailable(`${url} names no jwks_uri`);
  return document.jwks_uri;
}

/** How long a caller should wait before trying again when the provider cannot be reached. */
const RETRY_AFTER_SECONDS = 30;

const unavailable = (reason: string): ApiError =>
  new ApiError(
    ApiErrorCode.SERVICE_UNAVAILABLE,
    localized(
      '暂时无法连接统一身份认证（单点登录）服务，无法验证令牌：请稍后重试，或使用 API 密钥',
      `the single sign-on provider cannot be reached to verify the token (${reason})`,
    ),
    [],
    RETRY_AFTER_SECONDS,
  );

/** Why a token was refused, in words a user can act on; the provider being unreachable is not the token's fault. */
function tokenRefused(error: unknown, settings: OidcSettings): ApiError {
  if (error instanceof ApiError) return error;
  // The key set could not be fetched or read: the provider's fault, not the token's.
  if (
    !(error instanceof joseErrors.JOSEError) ||
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    // the key set answered, but not with 200 OK and a JSON body
    (error as joseErrors.JOSEError).code === 'ERR_JOSE_GENERIC'
  ) {
    return unavailable((error as Error)?.message ?? String(error));
  }
  if (error instanceof joseErrors.JWTExpired) {
    return refused('单点登录令牌已过期：请重新登录', 'the token has expired');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'aud') {
      return refused(
        `单点登录令牌不是签发给绩评的（aud 应为 ${settings.audience}）`,
        `the token is not for this service (aud must be ${settings.audience})`,
      );
    }
    if (claim === 'iss') {
      return refused(
        `单点登录令牌不是由本局统一身份认证签发的（iss 应为 ${settings.issuer}）`,
        `the token is not from the bureau's provider (iss must be ${settings.issuer})`,
      );
    }
    return refused(`单点登录令牌无效（${claim}）`, `the token is invalid (${claim}: ${error.message})`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  ) {
    return refused('单点登录令牌签名无效', 'the token signature does not verify');
  }
  return refused('单点登录令牌无效', `the token is invalid: ${(error as Error)?.message}`);
}

function roleOf(settings: OidcSettings, claim: unknown): Role | undefined {
  const values = Array.isArray(claim) ? claim : [claim];
  const roles = values.filter((v): v is string => typeof v === 'string').map((v) => settings.roleValues.get(v));
  return PRECEDENCE.find((role) => roles.includes(role));
}

function nameOf(settings: OidcSettings, payload: JWTPayload, subject: string): string {
  for (const claim of [settings.nameClaim, 'preferred_username']) {
    const value = payload[claim];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 64);
  }
  return subject.slice(0, 64);
}
