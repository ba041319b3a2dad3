import { localized } from '@jiping/rules';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditLogEntity } from '@jiping/persistence';
import {
  Between,
  type EntityManager,
  type FindOptionsWhere,
  LessThanOrEqual,
  MoreThanOrEqual,
  Repository,
} from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { AuditEntryDto } from './dto/audit-entry.dto';
import type { ListAuditQueryDto } from './dto/list-audit-query.dto';
import { timeOrderedId } from './time-ordered-id';

export const AUDIT_ACTIONS = [
  'rule-set.uploaded',
  'rule-set.updated',
  'rule-set.published',
  'rule-set.deleted',
  'rule-set.drafted',
  'rule-set.imported',
  'targets.declared',
  'targets.approved',
  'submission.created',
  'evaluation.created',
  'evaluation.adjusted',
  'year.started',
  'year.submitted',
  'year.returned',
  'year.scored',
  'year.reviewed',
  'year.finalised',
  'year.reopened',
  'year.deadlines-set',
  'department.created',
  'department.updated',
  'department.retired',
  'department.reinstated',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'api-key.created',
  'api-key.revoked',
  /** Before keys were revoked rather than deleted. */
  'api-key.deleted',
  'job.created',
  'job.started',
  'job.finished',
  'job.cancelled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = [
  'rule-set',
  'targets',
  'submission',
  'evaluation',
  'api-key',
  'department-year',
  'year',
  'department',
  'user',
  'job',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** What an action records besides who did it and when. */
export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntityType;
  /** How the API names the entity: a rule-set ref, `<department>:<year>:<revision>`, an evaluation or key id. */
  entityId: string;
  departmentCode?: string | null;
  fiscalYear?: number | null;
  reason?: string | null;
  /** Small: revision, ref, total… Never a key, never a whole document. */
  details?: Record<string, unknown>;
}

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 500;

/** The service itself acting at start (the bootstrap admin key and the demo keys): an admin without a key. */
export const systemActor = (name: string): Principal => ({
  userId: 'system',
  name,
  role: 'admin',
  departmentCode: null,
  via: 'system',
  keyId: 'bootstrap',
});

/** The audit log: who did what, when and why, for every rule-set, target, submission, evaluation and key action. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>) {}

  /**
   * Writes one entry. Pass the EntityManager of the action's transaction where it has one, so the entry is kept
   * exactly when the action is.
   */
  async record(actor: Principal, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditLogEntity) : this.entries;
    await repository.insert(toRow(actor, entry, new Date()));
  }

  /** Writes several entries of one action (a bulk import), in order, in batches; in the action's transaction. */
  async recordMany(actor: Principal, entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditLogEntity) : this.entries;
    const at = new Date();
    const rows = entries.map((entry) => toRow(actor, entry, at));
    for (let i = 0; i < rows.length; i += AUDIT_INSERT_CHUNK) {
      await repository.insert(rows.slice(i, i + AUDIT_INSERT_CHUNK));
    }
  }

  /** Newest first; every filter optional, `from` and `to` inclusive. */
  async list(query: ListAuditQueryDto): Promise<AuditEntryDto[]> {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from > to) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, localized('时间范围为空', 'the time range is empty'), [
        {
          pointer: '/to',
          message: localized(`to 不能早于 from（${query.from}）`, `must not be before from (${query.from})`),
        },
      ]);
    }
    const where: FindOptionsWhere<AuditLogEntity> = {};
    if (query.entityType !== undefined) where.entityType = query.entityType;
    if (query.entityId !== undefined) where.entityId = query.entityId;
    if (query.actor !== undefined) where.actor = query.actor;
    if (query.userId !== undefined) where.actorUserId = query.userId;
    if (query.action !== undefined) where.action = query.action;
    if (query.departmentCode !== undefined) where.departmentCode = query.departmentCode;
    if (from && to) where.at = Between(from, to);
    else if (from) where.at = MoreThanOrEqual(from);
    else if (to) where.at = LessThanOrEqual(to);
    const rows = await this.entries.find({
      where,
      order: { at: 'DESC', id: 'DESC' },
      take: query.limit ?? DEFAULT_AUDIT_LIMIT,
    });
    return rows.map(toAuditEntryDto);
  }
}

/** Rows per INSERT of recordMany (12 parameters each: within SQLite's and MySQL's limits). */
const AUDIT_INSERT_CHUNK = 100;

function toRow(actor: Principal, entry: AuditEntry, at: Date): AuditLogEntity {
  return {
    id: timeOrderedId(),
    at,
    actor: actor.name,
    actorKeyId: actor.keyId,
    actorUserId: actor.via === 'system' ? null : actor.userId,
    actorRole: actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    departmentCode: entry.departmentCode ?? null,
    fiscalYear: entry.fiscalYear ?? null,
    reason: entry.reason ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}

function toAuditEntryDto(row: AuditLogEntity): AuditEntryDto {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    actorKeyId: row.actorKeyId,
    actorUserId: row.actorUserId ?? null,
    actorRole: row.actorRole,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    departmentCode: row.departmentCode,
    fiscalYear: row.fiscalYear,
    reason: row.reason,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
