import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, type Role, UserEntity } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { randomUUID } from 'node:crypto';
import { type EntityManager, In, Repository } from 'typeorm';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import { generateApiKey, hashApiKey } from '../auth/api-key-hash';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { UsersService } from '../users/users.service';
import type { ApiKeyDto, ApiKeyStatus, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/create-api-key.dto';

const STATUS_LABELS: Record<ApiKeyStatus, string> = {
  active: '有效',
  expired: '已过期',
  revoked: '已吊销',
  disabled: '账号已停用',
};

/**
 * Named API keys of users: each acts as its user, with the user's role and department; only its sha256 is stored and
 * the key is shown once. A key may expire; it is revoked (吊销) rather than deleted, and kept with its history.
 * Creation and revocation are audited in their transaction.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly userRows: Repository<UserEntity>,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new key of a user; `key` may be given (bootstrap, demo), otherwise a random one is made. Refused for a
   * disabled user or a clerk of a retired department (409), and for an expiry in the past (422).
   */
  async createForUser(
    userId: string,
    input: { name: string; expiresAt?: string | null; key?: string },
    actor: Principal,
    manager?: EntityManager,
  ): Promise<CreatedApiKeyDto> {
    const run = async (m: EntityManager): Promise<CreatedApiKeyDto> => {
      const user = await this.users.find(userId, m);
      if (user.disabledAt) {
        throw ApiError.conflict(
          localized(`用户“${user.name}”的账号已停用，不能新建密钥`, `"${user.name}" is disabled: no new keys`),
        );
      }
      if (user.role === 'department') await this.users.checkDepartment(user.role, user.departmentCode, m);
      const expiresAt = expiryOf(input.expiresAt);
      const key = input.key ?? generateApiKey();
      const entity = this.keys.create({
        id: randomUUID(),
        name: input.name,
        userId: user.id,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, 7),
        createdAt: new Date(),
        createdBy: actor.name,
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        revokedBy: null,
      });
      await m.getRepository(ApiKeyEntity).insert(entity);
      await this.audit.record(actor, keyEntry('api-key.created', entity, user), m);
      return { ...toApiKeyDto(entity, user), key };
    };
    return manager ? run(manager) : this.keys.manager.transaction(run);
  }

  /**
   * POST /api-keys as before users existed: a key of a new user of the key's name, role and department (both in one
   * transaction), or, with `userId`, a key of that user.
   */
  async create(
    input: { name: string; userId?: string; role?: Role; departmentCode?: string; expiresAt?: string | null },
    actor: Principal,
  ): Promise<CreatedApiKeyDto> {
    if (input.userId !== undefined) {
      if (input.role !== undefined || input.departmentCode !== undefined) {
        throw new ApiError(
          ApiErrorCode.VALIDATION_FAILED,
          localized('密钥的角色和部门取自其用户', 'a key takes its role and department from its user'),
          [
            {
              pointer: input.role !== undefined ? '/role' : '/departmentCode',
              message: localized(
                '给出 userId 时不要填写 role 或 departmentCode：请修改用户的角色和部门',
                'give either userId or role (and departmentCode), not both',
              ),
            },
          ],
        );
      }
      return this.createForUser(input.userId, input, actor);
    }
    return this.createWithUser(
      { name: input.name, role: input.role!, departmentCode: input.departmentCode },
      input,
      actor,
    );
  }

  /** A new user and their first key, in one transaction (the bootstrap admin, the demo's people). */
  createWithUser(
    user: { name: string; contact?: string | null; role: Role; departmentCode?: string | null },
    key: { name: string; expiresAt?: string | null; key?: string },
    actor: Principal,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.manager.transaction(async (manager) => {
      const created = await this.users.create(user, actor, manager);
      return this.createForUser(created.id, key, actor, manager);
    });
  }

  async list(filter: ListApiKeysQueryDto = {}): Promise<ApiKeyDto[]> {
    const rows = await this.keys.find({
      where: filter.userId ? { userId: filter.userId } : {},
      order: { createdAt: 'ASC', name: 'ASC' },
    });
    const users = await this.usersOf(rows);
    const dtos = rows.map((row) => toApiKeyDto(row, users.get(row.userId)));
    return filter.status ? dtos.filter((dto) => dto.status === filter.status) : dtos;
  }

  /** 吊销: refused from now on (401), kept with its history. */
  async revoke(id: string, actor: Principal): Promise<ApiKeyDto> {
    return this.keys.manager.transaction(async (manager) => {
      const keys = manager.getRepository(ApiKeyEntity);
      const entity = await keys.findOneBy({ id });
      if (!entity) throw ApiError.notFound(localized(`API 密钥“${id}”`, `API key "${id}"`));
      if (entity.revokedAt) {
        throw ApiError.conflict(
          localized(`API 密钥“${entity.name}”已经吊销`, `the key "${entity.name}" is revoked already`),
        );
      }
      const patch = { revokedAt: new Date(), revokedBy: actor.name };
      await keys.update({ id }, patch);
      Object.assign(entity, patch);
      const user = (await manager.getRepository(UserEntity).findOneBy({ id: entity.userId })) ?? undefined;
      await this.audit.record(actor, keyEntry('api-key.revoked', entity, user), manager);
      return toApiKeyDto(entity, user);
    });
  }

  async count(): Promise<number> {
    return this.keys.count();
  }

  private async usersOf(rows: ApiKeyEntity[]): Promise<Map<string, UserEntity>> {
    const ids = [...new Set(rows.map((row) => row.userId))];
    if (ids.length === 0) return new Map();
    return new Map((await this.userRows.findBy({ id: In(ids) })).map((user) => [user.id, user]));
  }
}

/** The expiry asked for: null for none; in the future, else 422 at /expiresAt. */
function expiryOf(text: string | null | undefined): Date | null {
  if (text === null || text === undefined) return null;
  const at = new Date(text);
  if (Number.isNaN(at.getTime()) || at <= new Date()) {
    throw new ApiError(ApiErrorCode.VALIDATION_FAILED, localized('有效期有误', 'invalid expiry'), [
      {
        pointer: '/expiresAt',
        message: localized(`有效期应晚于现在（填的是 ${text}）`, `must be in the future (it is ${text})`),
      },
    ]);
  }
  return at;
}

/** Never the key, nor its hash or prefix: whose key, and what it is for. */
function keyEntry(
  action: 'api-key.created' | 'api-key.revoked',
  entity: ApiKeyEntity,
  user: UserEntity | undefined,
): AuditEntry {
  return {
    action,
    entityType: 'api-key',
    entityId: entity.id,
    departmentCode: user?.departmentCode ?? null,
    details: {
      name: entity.name,
      userId: entity.userId,
      userName: user?.name ?? null,
      role: user?.role ?? null,
      expiresAt: entity.expiresAt ? new Date(entity.expiresAt).toISOString() : null,
    },
  };
}

export function keyStatus(entity: ApiKeyEntity, user: UserEntity | undefined, now = new Date()): ApiKeyStatus {
  if (entity.revokedAt) return 'revoked';
  if (entity.expiresAt && new Date(entity.expiresAt) <= now) return 'expired';
  if (!user || user.disabledAt) return 'disabled';
  return 'active';
}

const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

export function toApiKeyDto(entity: ApiKeyEntity, user: UserEntity | undefined): ApiKeyDto {
  const status = keyStatus(entity, user);
  return {
    id: entity.id,
    name: entity.name,
    userId: entity.userId,
    userName: user?.name ?? '',
    role: user?.role ?? 'department',
    departmentCode: user?.role === 'department' ? (user.departmentCode ?? null) : null,
    keyPrefix: entity.keyPrefix,
    createdAt: entity.createdAt,
    createdBy: entity.createdBy ?? null,
    expiresAt: iso(entity.expiresAt),
    lastUsedAt: iso(entity.lastUsedAt),
    revokedAt: iso(entity.revokedAt),
    revokedBy: entity.revokedBy ?? null,
    status,
    statusLabel: STATUS_LABELS[status],
  };
}
