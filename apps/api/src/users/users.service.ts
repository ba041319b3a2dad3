import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, DepartmentEntity, type Role, UserEntity } from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { randomUUID } from 'node:crypto';
import { type EntityManager, IsNull, Not, Repository } from 'typeorm';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ROLE_LABELS } from '../auth/roles';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { ListUsersQueryDto, UserDto } from './dto/user.dto';

type Editable = 'name' | 'contact' | 'role' | 'departmentCode';
type Changes = Partial<Record<Editable, { from: string | null; to: string | null }>>;

/**
 * The people who use the service (用户), managed by admins: a name, a contact, a role and, for a clerk, a department
 * (a department may have several clerks). A user signs in with named API keys (ApiKeysService) or the bureau's single
 * sign-on; a user is never deleted but disabled, which refuses all their keys and sign-ons. Every change is audited
 * in its transaction. The last active admin can be neither disabled nor demoted.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user; in `manager`'s transaction when given (a key created with its user). */
  async create(
    input: { name: string; contact?: string | null; role: Role; departmentCode?: string | null },
    actor: Principal,
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const departmentCode = await this.checkDepartment(input.role, input.departmentCode ?? null, manager);
    const user = this.users.create({
      id: randomUUID(),
      name: input.name,
      contact: input.contact ?? null,
      role: input.role,
      departmentCode,
      oidcSubject: null,
      createdAt: new Date(),
      createdBy: actor.name,
      updatedAt: null,
      disabledAt: null,
      lastSeenAt: null,
    });
    const write = async (m: EntityManager) => {
      await m.getRepository(UserEntity).insert(user);
      await this.audit.record(actor, userEntry('user.created', user, { role: user.role, departmentCode }), m);
    };
    if (manager) await write(manager);
    else await this.users.manager.transaction(write);
    return user;
  }

  async list(filter: ListUsersQueryDto = {}): Promise<UserDto[]> {
    const query = this.users.createQueryBuilder('u').orderBy('u.createdAt', 'ASC').addOrderBy('u.name', 'ASC');
    if (filter.role !== undefined) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.departmentCode !== undefined) {
      query.andWhere('u.departmentCode = :department', { department: filter.departmentCode });
    }
    if (filter.status === 'active') query.andWhere('u.disabledAt IS NULL');
    if (filter.status === 'disabled') query.andWhere('u.disabledAt IS NOT NULL');
    const users = await query.getMany();
    const active = await this.activeKeyCounts();
    return users.map((user) => toUserDto(user, active.get(user.id) ?? 0));
  }

  /** The user, or 404. */
  async find(id: string, manager?: EntityManager): Promise<UserEntity> {
    const repository = manager ? manager.getRepository(UserEntity) : this.users;
    const user = await repository.findOneBy({ id });
    if (!user) throw ApiError.notFound(localized(`用户“${id}”`, `user "${id}"`));
    return user;
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.find(id);
    return toUserDto(user, (await this.activeKeyCounts(id)).get(id) ?? 0);
  }

  /** Renames, changes the contact, role or department: what changes applies at once to every key of the user. */
  async update(
    id: string,
    dto: { name?: string; contact?: string | null; role?: Role; departmentCode?: string | null },
    actor: Principal,
  ): Promise<UserDto> {
    return this.users.manager.transaction(async (manager) => {
      const user = await this.find(id, manager);
      if (user.oidcSubject && (dto.role !== undefined || dto.departmentCode !== undefined)) {
        throw ApiError.conflict(
          localized(
            `用户“${user.name}”通过单点登录登录，其角色和部门由统一身份认证决定，不能在此修改`,
            `the role and department of "${user.name}" come from single sign-on and cannot be changed here`,
          ),
        );
      }
      const role = dto.role ?? user.role;
      const requested =
        dto.departmentCode !== undefined ? dto.departmentCode : role === 'department' ? user.departmentCode : null;
      const departmentCode =
        dto.role !== undefined || dto.departmentCode !== undefined
          ? await this.checkDepartment(role, requested, manager)
          : user.departmentCode;
      if (user.role === 'admin' && role !== 'admin') await this.assertNotLastAdmin(user, manager);
      const changes: Changes = {};
      const next = {
        name: dto.name ?? user.name,
        contact: dto.contact === undefined ? user.contact : dto.contact,
        role,
        departmentCode,
      };
      for (const field of ['name', 'contact', 'role', 'departmentCode'] as const) {
        const from = (user[field] ?? null) as string | null;
        const to = (next[field] ?? null) as string | null;
        if (from !== to) changes[field] = { from, to };
      }
      if (Object.keys(changes).length === 0) return this.dtoOf(user, manager);
      const patch: Partial<UserEntity> = { ...next, updatedAt: new Date() };
      await manager.getRepository(UserEntity).update({ id }, patch);
      Object.assign(user, patch);
      await this.audit.record(actor, userEntry('user.updated', user, { changes }), manager);
      return this.dtoOf(user, manager);
    });
  }

  /** 停用: none of the user's keys, nor their single sign-on, is accepted from now on. */
  async disable(id: string, reason: string, actor: Principal): Promise<UserDto> {
    return this.users.manager.transaction(async (manager) => {
      const user = await this.find(id, manager);
      if (user.disabledAt)
        throw ApiError.conflict(localized(`用户“${user.name}”已经停用`, `"${user.name}" is disabled already`));
      if (user.id === actor.userId) {
        throw ApiError.conflict(localized('不能停用自己的账号', 'you cannot disable your own account'));
      }
      if (user.role === 'admin') await this.assertNotLastAdmin(user, manager);
      const now = new Date();
      await manager.getRepository(UserEntity).update({ id }, { disabledAt: now, updatedAt: now });
      Object.assign(user, { disabledAt: now, updatedAt: now });
      await this.audit.record(actor, { ...userEntry('user.disabled', user), reason }, manager);
      return this.dtoOf(user, manager);
    });
  }

  /** 启用: the user's keys that are neither revoked nor expired are accepted again. */
  async enable(id: string, reason: string, actor: Principal): Promise<UserDto> {
    return this.users.manager.transaction(async (manager) => {
      const user = await this.find(id, manager);
      if (!user.disabledAt)
        throw ApiError.conflict(localized(`用户“${user.name}”未停用`, `"${user.name}" is not disabled`));
      if (user.role === 'department') await this.checkDepartment(user.role, user.departmentCode, manager);
      const now = new Date();
      await manager.getRepository(UserEntity).update({ id }, { disabledAt: null, updatedAt: now });
      Object.assign(user, { disabledAt: null, updatedAt: now });
      await this.audit.record(actor, { ...userEntry('user.enabled', user), reason }, manager);
      return this.dtoOf(user, manager);
    });
  }

  /**
   * A clerk's department must exist and not be retired (422 at /departmentCode); admins and evaluators have none.
   * Returns the department code to store.
   */
  async checkDepartment(role: Role, departmentCode: string | null, manager?: EntityManager): Promise<string | null> {
    const invalid = (zh: string, en: string): ApiError =>
      new ApiError(ApiErrorCode.VALIDATION_FAILED, localized(`部门有误：${zh}`, `invalid department: ${en}`), [
        { pointer: '/departmentCode', message: localized(zh, en) },
      ]);
    if (role !== 'department') {
      if (departmentCode) {
        throw invalid(
          `${ROLE_LABELS[role]}可以查看所有部门，不属于某个部门：请不要填写部门`,
          `a ${role} sees every department and belongs to none`,
        );
      }
      return null;
    }
    if (!departmentCode) {
      throw invalid('部门填报员须属于一个部门：请填写部门代码', 'a department clerk needs an existing department');
    }
    const repository = manager ? manager.getRepository(DepartmentEntity) : this.departments;
    const department = await repository.findOneBy({ code: departmentCode });
    if (!department) throw invalid(`没有部门代码为“${departmentCode}”的部门`, `no department "${departmentCode}"`);
    if (department.retiredAt) {
      throw invalid(`部门“${department.name}”（${departmentCode}）已撤销`, `department "${departmentCode}" is retired`);
    }
    return departmentCode;
  }

  private async assertNotLastAdmin(user: UserEntity, manager: EntityManager): Promise<void> {
    const others = await manager
      .getRepository(UserEntity)
      .countBy({ role: 'admin', disabledAt: IsNull(), id: Not(user.id) });
    if (others === 0) {
      throw ApiError.conflict(
        localized(
          `“${user.name}”是唯一在用的管理员：请先指定另一名管理员`,
          `"${user.name}" is the only active admin: make another user admin first`,
        ),
      );
    }
  }

  private async dtoOf(user: UserEntity, manager?: EntityManager): Promise<UserDto> {
    return toUserDto(user, (await this.activeKeyCounts(user.id, manager)).get(user.id) ?? 0);
  }

  /** Keys neither revoked nor expired, per user. */
  private async activeKeyCounts(userId?: string, manager?: EntityManager): Promise<Map<string, number>> {
    const repository = manager ? manager.getRepository(ApiKeyEntity) : this.keys;
    const query = repository
      .createQueryBuilder('k')
      .select('k.userId', 'userId')
      .addSelect('COUNT(*)', 'n')
      .where('k.revokedAt IS NULL')
      .andWhere('(k.expiresAt IS NULL OR k.expiresAt > :now)', { now: new Date() })
      .groupBy('k.userId');
    if (userId) query.andWhere('k.userId = :userId', { userId });
    const rows = await query.getRawMany<{ userId: string; n: string | number }>();
    return new Map(rows.map((row) => [row.userId, Number(row.n)]));
  }
}

function userEntry(
  action: 'user.created' | 'user.updated' | 'user.disabled' | 'user.enabled',
  user: UserEntity,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    action,
    entityType: 'user',
    entityId: user.id,
    departmentCode: user.departmentCode,
    details: { name: user.name, ...details },
  };
}

const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

export function toUserDto(user: UserEntity, activeKeys: number): UserDto {
  const disabled = Boolean(user.disabledAt);
  return {
    id: user.id,
    name: user.name,
    contact: user.contact ?? null,
    role: user.role,
    roleLabel: ROLE_LABELS[user.role],
    departmentCode: user.departmentCode ?? null,
    status: disabled ? 'disabled' : 'active',
    statusLabel: disabled ? '已停用' : '在用',
    source: user.oidcSubject ? 'oidc' : 'local',
    createdAt: new Date(user.createdAt).toISOString(),
    createdBy: user.createdBy ?? null,
    updatedAt: iso(user.updatedAt),
    disabledAt: iso(user.disabledAt),
    lastSeenAt: iso(user.lastSeenAt),
    activeKeys,
  };
}
