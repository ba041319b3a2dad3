import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, UserEntity } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { Repository } from 'typeorm';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { hashApiKey } from './api-key-hash';
import type { Principal } from './principal';

/** How often a key's last use (and its user's last sign-in) is written: at most once a minute per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

const refused = (zh: string, en: string): ApiError => new ApiError(ApiErrorCode.UNAUTHORIZED, localized(zh, en));

/**
 * Resolves an API key to its user: 401 for an unknown or revoked key, an expired one, or a disabled user. Records
 * the key's last use and the user's last sign-in, to the minute.
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  async authenticate(key: string, now = new Date()): Promise<Principal> {
    const row = await this.keys.findOneBy({ keyHash: hashApiKey(key) });
    if (!row) throw refused('API 密钥无效：没有这个密钥', 'unknown or revoked API key');
    if (row.revokedAt) {
      throw refused(
        `API 密钥“${row.name}”已于 ${day(row.revokedAt)} 吊销：请向管理员申请新的密钥`,
        `the API key "${row.name}" was revoked on ${day(row.revokedAt)}`,
      );
    }
    if (row.expiresAt && new Date(row.expiresAt) <= now) {
      throw refused(
        `API 密钥“${row.name}”已于 ${day(row.expiresAt)} 过期：请向管理员申请新的密钥`,
        `the API key "${row.name}" expired on ${day(row.expiresAt)}`,
      );
    }
    const user = await this.users.findOneBy({ id: row.userId });
    if (!user) throw refused('API 密钥无效：没有这个密钥', 'unknown or revoked API key');
    if (user.disabledAt) {
      throw refused(`用户“${user.name}”的账号已停用：请联系管理员`, `the account of "${user.name}" is disabled`);
    }
    await this.touch(row, user, now);
    return {
      userId: user.id,
      name: user.name,
      role: user.role,
      departmentCode: user.role === 'department' ? user.departmentCode : null,
      via: 'key',
      keyId: row.id,
      keyName: row.name,
      expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
    };
  }

  /** Writes the last use when the stored one is older than a minute: one write a minute per key, not per request. */
  private async touch(row: ApiKeyEntity, user: UserEntity, now: Date): Promise<void> {
    const stale = (at: Date | null) => !at || now.getTime() - new Date(at).getTime() >= LAST_USED_RESOLUTION_MS;
    if (stale(row.lastUsedAt)) await this.keys.update({ id: row.id }, { lastUsedAt: now });
    if (stale(user.lastSeenAt)) await this.users.update({ id: user.id }, { lastSeenAt: now });
  }
}

const day = (date: Date): string => new Date(date).toISOString().slice(0, 10);
