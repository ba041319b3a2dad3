import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DepartmentYearEntity, type DepartmentYearStatus } from '@jiping/persistence';
import { type EntityManager, Repository } from 'typeorm';
import { type AuditAction, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { nextStatus, refusal, type YearAction } from './year-workflow';

/** The audit action of each move (a status change); an action that keeps the status records none of its own. */
const MOVE_ACTIONS: Partial<Record<YearAction, AuditAction>> = {
  edit: 'year.started',
  submit: 'year.submitted',
  return: 'year.returned',
  score: 'year.scored',
  review: 'year.reviewed',
  finalise: 'year.finalised',
  reopen: 'year.reopened',
};

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/** What a step changes besides the status, and what its audit entry says. */
export interface StepChange {
  /** Checks more than the status allows (e.g. the revision submitted), before anything is written: throw to refuse. */
  check?: (row: DepartmentYearEntity) => void;
  /** Columns to set along with the status. */
  set?: (row: DepartmentYearEntity) => Partial<DepartmentYearEntity>;
  reason?: string | null;
  details?: (row: DepartmentYearEntity) => Record<string, unknown>;
}

/**
 * The status of each department's year, and the one place it changes: `apply` checks in the caller's transaction
 * that the action is allowed in the year's current status (a 409 with a Chinese message saying why and what to do
 * otherwise), sets the new status and the columns the step changes, and records the move in the audit log in the
 * same transaction. The row is locked for the transaction (SELECT … FOR UPDATE on MySQL; SQLite serialises
 * transactions), so a submission and a 定稿 racing each other cannot both win.
 */
@Injectable()
export class YearStatusService {
  constructor(
    @InjectRepository(DepartmentYearEntity) private readonly rows: Repository<DepartmentYearEntity>,
    private readonly audit: AuditService,
  ) {}

  /** The row of a department's year; null before anything happened in it (未填报). */
  find(departmentCode: string, fiscalYear: number, manager?: EntityManager): Promise<DepartmentYearEntity | null> {
    const repository = manager ? manager.getRepository(DepartmentYearEntity) : this.rows;
    return repository.findOneBy({ departmentCode, fiscalYear });
  }

  /** The rows of a year (a department without one has not started). */
  findYear(fiscalYear: number): Promise<DepartmentYearEntity[]> {
    return this.rows.findBy({ fiscalYear });
  }

  /**
   * Refuses early (409), outside any transaction, an action the year's status does not allow: a clear answer before
   * expensive work. `apply` checks again in the transaction that makes the change.
   */
  async assertAllowed(departmentCode: string, fiscalYear: number, action: YearAction): Promise<DepartmentYearEntity> {
    const row = (await this.find(departmentCode, fiscalYear)) ?? blankYear(departmentCode, fiscalYear);
    assertStatus(row, action);
    return row;
  }

  /**
   * Makes sure the year has its row (未填报), so that `apply` can lock it. Outside any transaction: two requests
   * creating it at once both succeed (the second finds the first's row).
   */
  async ensure(departmentCode: string, fiscalYear: number): Promise<void> {
    if (await this.rows.existsBy({ departmentCode, fiscalYear })) return;
    try {
      await this.rows.insert(blankYear(departmentCode, fiscalYear));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /**
   * Takes `action` on the year in the caller's transaction: locks its row, refuses (409) when the status does not
   * allow it, applies the change and the new status, and records the move (when the status changes) in the audit log.
   * Call `ensure` before the transaction.
   */
  async apply(
    manager: EntityManager,
    principal: Principal,
    departmentCode: string,
    fiscalYear: number,
    action: YearAction,
    change: StepChange = {},
  ): Promise<DepartmentYearEntity> {
    const repository = manager.getRepository(DepartmentYearEntity);
    const mysql = manager.connection.options.type === 'mysql';
    const row = await repository.findOne({
      where: { departmentCode, fiscalYear },
      ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) throw new Error(`department_year ${departmentCode} ${fiscalYear} is missing: call ensure() first`);
    assertStatus(row, action);
    change.check?.(row);
    const from = row.status;
    const to = nextStatus(action, from);
    const patch: Partial<DepartmentYearEntity> = { ...change.set?.(row), status: to, updatedAt: new Date() };
    await repository.update({ departmentCode, fiscalYear }, patch);
    const updated = Object.assign(row, patch);
    const move = MOVE_ACTIONS[action];
    if (move && from !== to) {
      await this.audit.record(
        principal,
        {
          action: move,
          entityType: 'department-year',
          entityId: `${departmentCode}:${fiscalYear}`,
          departmentCode,
          fiscalYear,
          reason: change.reason ?? null,
          details: { from, to, ...change.details?.(updated) },
        },
        manager,
      );
    }
    return updated;
  }

  /** `apply` in a transaction of its own (refused early, without creating the row, when the status forbids it). */
  async transition(
    principal: Principal,
    departmentCode: string,
    fiscalYear: number,
    action: YearAction,
    change: StepChange = {},
  ): Promise<DepartmentYearEntity> {
    await this.assertAllowed(departmentCode, fiscalYear, action);
    await this.ensure(departmentCode, fiscalYear);
    return this.rows.manager.transaction((manager) =>
      this.apply(manager, principal, departmentCode, fiscalYear, action, change),
    );
  }
}

/** 409 when the year's status does not allow the action. */
export function assertStatus(row: DepartmentYearEntity, action: YearAction): void {
  const why = refusal(action, row.status, row);
  if (why) throw ApiError.conflict(why);
}

/** A year nothing happened in yet (未填报), as a row. */
export function blankYear(departmentCode: string, fiscalYear: number): DepartmentYearEntity {
  const row = new DepartmentYearEntity();
  Object.assign(row, {
    departmentCode,
    fiscalYear,
    status: 'not-started' satisfies DepartmentYearStatus,
    approvedTargetRevision: null,
    submittedRevision: null,
    submittedAt: null,
    submittedBy: null,
    submittedLate: false,
    returnedReason: null,
    returnedAt: null,
    returnedBy: null,
    scoredEvaluationId: null,
    evaluationId: null,
    selfTotal: null,
    reviewedTotal: null,
    grade: null,
    scoredAt: null,
    reviewedAt: null,
    reviewedBy: null,
    finalisedAt: null,
    finalisedBy: null,
    updatedAt: new Date(),
  });
  return row;
}
