import type { DeclarationInForce } from '@jiping/reports';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RuleSetEntity, TargetDeclarationEntity } from '@jiping/persistence';
import {
  type DeclaredNode,
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  localized,
  type RuleSet,
  suggestion,
  toPointer,
} from '@jiping/rules';
import { validateDeclaredTargets } from '@jiping/scoring';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { insertWithNextNumber } from '../common/next-number';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { YearStatusService } from '../years/year-status.service';
import { DepartmentsService } from './departments.service';
import type {
  DeclaredTargets,
  DeclareTargetsDto,
  TargetApproval,
  TargetDeclarationDto,
  TargetDeclarationSummaryDto,
  TargetsOverviewDto,
} from './dto/declare-targets.dto';

/** The sections of a rule set whose rows the department declares (广州 2021: performance, 履职效能). */
export function declaredSections(ruleSet: RuleSet): DeclaredNode[] {
  const sections: DeclaredNode[] = [];
  const walk = (nodes: readonly IndicatorNode[]): void => {
    for (const node of nodes) {
      if (isGroupNode(node)) walk(node.children);
      else if (isDeclaredNode(node)) sections.push(node);
    }
  };
  walk(ruleSet.file.indicators);
  return sections;
}

/**
 * Checks a declaration against the rule set: every declared section present and no other, each section checked by
 * the engine (its pointers are relative to the section, so they are prefixed with /targets/<section>).
 */
export function checkDeclaredTargets(ruleSet: RuleSet, targets: Record<string, unknown>): ErrorDetail[] {
  const sections = declaredSections(ruleSet);
  if (sections.length === 0) {
    return [
      {
        pointer: '/targets',
        message: localized(
          `规则集 ${ruleSet.id}@${ruleSet.version} 没有需要申报目标的指标`,
          `rule set ${ruleSet.id}@${ruleSet.version} has no declared-target sections`,
        ),
      },
    ];
  }
  const codes = sections.map((s) => s.code);
  const problems: ErrorDetail[] = Object.keys(targets)
    .filter((key) => !codes.includes(key))
    .map((key) => {
      const hint = suggestion(key, codes);
      return {
        pointer: toPointer('targets', key),
        message: localized(
          `“${key}”不是规则集 ${ruleSet.id} 中申报目标的指标${hint.zh || `；可申报：${codes.join('、')}`}`,
          `"${key}" is not a declared-target section of ${ruleSet.id}${hint.en || `; its sections are ${codes.join(', ')}`}`,
        ),
      };
    });
  for (const section of sections) {
    const base = toPointer('targets', section.code);
    for (const problem of validateDeclaredTargets(ruleSet, section.code, targets[section.code])) {
      problems.push({ ...problem, pointer: base + problem.pointer });
    }
  }
  return problems;
}

/** Declared targets (绩效目标申报): every PUT keeps a new revision; the latest is the one submissions are made under. */
@Injectable()
export class TargetsService {
  constructor(
    @InjectRepository(TargetDeclarationEntity) private readonly declarations: Repository<TargetDeclarationEntity>,
    @InjectRepository(RuleSetEntity) private readonly ruleSetRows: Repository<RuleSetEntity>,
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly audit: AuditService,
    private readonly years: YearStatusService,
  ) {}

  async declare(
    code: string,
    fiscalYear: number,
    body: DeclareTargetsDto,
    principal: Principal,
  ): Promise<TargetDeclarationDto> {
    this.departments.assertActive(await this.departments.findVisible(code, principal));
    await this.years.assertAllowed(code, fiscalYear, 'edit');
    const row = await this.loader.findPublishedForYear(fiscalYear, body.ruleSetId);
    const ruleSet = this.loader.toRuleSet(row);
    const ref = formatRuleSetRef(row);
    const problems = checkDeclaredTargets(ruleSet, body.targets);
    if (problems.length > 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `申报的绩效目标与规则集 ${ruleSet.id}@${ruleSet.version}（${ref}）不符：${problems.length} 处问题`,
          `the declared targets do not fit rule set ${ruleSet.id}@${ruleSet.version} (${ref}): ${problems.length} problem(s)`,
        ),
        problems,
      );
    }
    await this.years.ensure(code, fiscalYear);
    const saved = await insertWithNextNumber(
      this.declarations,
      { departmentCode: code, fiscalYear },
      'revision',
      (revision) =>
        this.declarations.create({
          id: randomUUID(),
          departmentCode: code,
          fiscalYear,
          revision,
          ruleSetRowId: row.id,
          content: JSON.stringify(body.targets),
          createdBy: principal.name,
          createdAt: new Date(),
          approvedAt: null,
          approvedBy: null,
        }),
      async (saved, manager) => {
        await this.audit.record(
          principal,
          {
            action: 'targets.declared',
            entityType: 'targets',
            entityId: `${code}:${fiscalYear}:${saved.revision}`,
            departmentCode: code,
            fiscalYear,
            details: { revision: saved.revision, ruleSet: ref },
          },
          manager,
        );
        await this.years.apply(manager, principal, code, fiscalYear, 'edit');
      },
    );
    return toDeclarationDto(saved, ref, null);
  }

  /**
   * Approves (批复) a revision of the declaration: from now on it is binding. Year-end data is kept and submitted
   * under it, and scoring uses it; a later declaration awaits approval in turn. Only a revision newer than the one
   * approved can be approved (409 otherwise), and not while the year is submitted, under review or finalised.
   */
  async approve(
    code: string,
    fiscalYear: number,
    revision: number,
    note: string | undefined,
    principal: Principal,
  ): Promise<TargetDeclarationDto> {
    await this.departments.findVisible(code, principal);
    const declaration = await this.findRevision(code, fiscalYear, revision);
    await this.years.ensure(code, fiscalYear);
    const approvedAt = new Date();
    await this.declarations.manager.transaction(async (manager) => {
      await this.years.apply(manager, principal, code, fiscalYear, 'approve-targets', {
        check: (year) => {
          const approved = year.approvedTargetRevision;
          if (approved !== null && approved >= revision) {
            throw ApiError.conflict(
              approved === revision
                ? localized(
                    `${code} ${fiscalYear}年度的第${revision}版绩效目标已批复`,
                    `revision ${revision} of the targets of ${code} ${fiscalYear} is approved already`,
                  )
                : localized(
                    `${code} ${fiscalYear}年度已批复更新的第${approved}版绩效目标，不能再批复第${revision}版`,
                    `the newer revision ${approved} of the targets of ${code} ${fiscalYear} is approved; ` +
                      `revision ${revision} cannot be approved after it`,
                  ),
            );
          }
        },
        set: () => ({ approvedTargetRevision: revision }),
      });
      await manager
        .getRepository(TargetDeclarationEntity)
        .update({ id: declaration.id }, { approvedAt, approvedBy: principal.name });
      await this.audit.record(
        principal,
        {
          action: 'targets.approved',
          entityType: 'targets',
          entityId: `${code}:${fiscalYear}:${revision}`,
          departmentCode: code,
          fiscalYear,
          reason: note ?? null,
          details: { revision },
        },
        manager,
      );
    });
    const row = await this.findRevision(code, fiscalYear, revision);
    const refs = await this.ruleSetRefs([row.ruleSetRowId]);
    return toDeclarationDto(row, refs.get(row.ruleSetRowId) ?? row.ruleSetRowId, revision);
  }

  /** The current (latest) declaration, the binding (approved) one, and every revision, newest first. */
  async overview(code: string, fiscalYear: number, principal: Principal): Promise<TargetsOverviewDto> {
    await this.departments.findVisible(code, principal);
    const rows = await this.declarations.find({
      select: ['id', 'revision', 'ruleSetRowId', 'createdBy', 'createdAt', 'approvedAt', 'approvedBy'],
      where: { departmentCode: code, fiscalYear },
      order: { revision: 'DESC' },
    });
    const binding = (await this.years.find(code, fiscalYear))?.approvedTargetRevision ?? null;
    const refs = await this.ruleSetRefs(rows.map((r) => r.ruleSetRowId));
    const ref = (row: TargetDeclarationEntity) => refs.get(row.ruleSetRowId) ?? row.ruleSetRowId;
    const latest = rows.length > 0 ? await this.findRevision(code, fiscalYear, rows[0].revision) : null;
    const approved =
      binding === null
        ? null
        : latest?.revision === binding
          ? latest
          : await this.findRevision(code, fiscalYear, binding);
    return {
      current: latest ? toDeclarationDto(latest, ref(latest), binding) : null,
      approved: approved ? toDeclarationDto(approved, ref(approved), binding) : null,
      history: rows.map((r) => toSummaryDto(r, ref(r), binding)),
    };
  }

  /** One revision, for a caller who may see the department. */
  async get(code: string, fiscalYear: number, revision: number, principal: Principal): Promise<TargetDeclarationDto> {
    await this.departments.findVisible(code, principal);
    const row = await this.findRevision(code, fiscalYear, revision);
    const refs = await this.ruleSetRefs([row.ruleSetRowId]);
    const binding = (await this.years.find(code, fiscalYear))?.approvedTargetRevision ?? null;
    return toDeclarationDto(row, refs.get(row.ruleSetRowId) ?? row.ruleSetRowId, binding);
  }

  /** The latest declaration of a department's year, or null before any. */
  latest(code: string, fiscalYear: number): Promise<TargetDeclarationEntity | null> {
    return this.declarations.findOne({ where: { departmentCode: code, fiscalYear }, order: { revision: 'DESC' } });
  }

  /**
   * The declaration year-end data is kept under: the approved one (批复, binding) once there is one, else the latest
   * (a department works with its own declaration until the bureau approves one). Null before any declaration.
   */
  async binding(code: string, fiscalYear: number): Promise<TargetDeclarationEntity | null> {
    const approved = (await this.years.find(code, fiscalYear))?.approvedTargetRevision ?? null;
    return approved === null ? this.latest(code, fiscalYear) : this.findRevision(code, fiscalYear, approved);
  }

  /** The binding declaration's targets, its revision and whether it is approved (批复); null before any declaration. */
  async inForce(code: string, fiscalYear: number): Promise<DeclarationInForce | null> {
    const approved = (await this.years.find(code, fiscalYear))?.approvedTargetRevision ?? null;
    const row =
      approved === null ? await this.latest(code, fiscalYear) : await this.findRevision(code, fiscalYear, approved);
    if (!row) return null;
    return {
      targets: JSON.parse(row.content) as DeclarationInForce['targets'],
      revision: row.revision,
      approved: approved !== null,
    };
  }

  async findRevision(code: string, fiscalYear: number, revision: number): Promise<TargetDeclarationEntity> {
    const row = await this.declarations.findOneBy({ departmentCode: code, fiscalYear, revision });
    if (!row)
      throw ApiError.notFound(
        localized(
          `部门 ${code} ${fiscalYear}年度第${revision}版绩效目标申报`,
          `target declaration ${code} ${fiscalYear} revision ${revision}`,
        ),
      );
    return row;
  }

  private async ruleSetRefs(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.ruleSetRows.findBy({ id: In(unique) });
    return new Map(rows.map((r) => [r.id, formatRuleSetRef(r)]));
  }
}

/**
 * approved: the binding revision; superseded: approved once, replaced by a later approval; pending: newer than the
 * binding revision (or none is approved yet), awaiting approval; not-approved: older than the binding one, never
 * approved.
 */
function approvalOf(row: TargetDeclarationEntity, binding: number | null): TargetApproval {
  if (binding === row.revision) return 'approved';
  if (row.approvedAt) return 'superseded';
  return binding === null || row.revision > binding ? 'pending' : 'not-approved';
}

function toSummaryDto(
  row: TargetDeclarationEntity,
  ruleSet: string,
  binding: number | null,
): TargetDeclarationSummaryDto {
  return {
    revision: row.revision,
    ruleSet,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    approval: approvalOf(row, binding),
    approvedBy: row.approvedBy ?? null,
    approvedAt: row.approvedAt ? new Date(row.approvedAt).toISOString() : null,
  };
}

function toDeclarationDto(row: TargetDeclarationEntity, ruleSet: string, binding: number | null): TargetDeclarationDto {
  return {
    ...toSummaryDto(row, ruleSet, binding),
    fiscalYear: row.fiscalYear,
    departmentCode: row.departmentCode,
    targets: JSON.parse(row.content) as DeclaredTargets,
  };
}
