import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RuleSetEntity, TargetDeclarationEntity } from '@jiping/persistence';
import {
  type DeclaredNode,
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  type RuleSet,
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
import { DepartmentsService } from './departments.service';
import type {
  DeclaredTargets,
  DeclareTargetsDto,
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
      { pointer: '/targets', message: `rule set ${ruleSet.id}@${ruleSet.version} has no declared-target sections` },
    ];
  }
  const codes = sections.map((s) => s.code);
  const problems: ErrorDetail[] = Object.keys(targets)
    .filter((key) => !codes.includes(key))
    .map((key) => ({
      pointer: toPointer('targets', key),
      message: `"${key}" is not a declared-target section of ${ruleSet.id}; its sections are ${codes.join(', ')}`,
    }));
  for (const section of sections) {
    const base = toPointer('targets', section.code);
    for (const problem of validateDeclaredTargets(ruleSet, section.code, targets[section.code])) {
      problems.push({ pointer: base + problem.pointer, message: problem.message });
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
  ) {}

  async declare(
    code: string,
    fiscalYear: number,
    body: DeclareTargetsDto,
    principal: Principal,
  ): Promise<TargetDeclarationDto> {
    await this.departments.findVisible(code, principal);
    const row = await this.loader.findPublishedForYear(fiscalYear, body.ruleSetId);
    const ruleSet = this.loader.toRuleSet(row);
    const ref = formatRuleSetRef(row);
    const problems = checkDeclaredTargets(ruleSet, body.targets);
    if (problems.length > 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        `the declared targets do not fit rule set ${ruleSet.id}@${ruleSet.version} (${ref}): ${problems.length} problem(s)`,
        problems,
      );
    }
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
        }),
      (saved, manager) =>
        this.audit.record(
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
        ),
    );
    return toDeclarationDto(saved, ref);
  }

  /** The current declaration and every revision, newest first. */
  async overview(code: string, fiscalYear: number, principal: Principal): Promise<TargetsOverviewDto> {
    await this.departments.findVisible(code, principal);
    const rows = await this.declarations.find({
      select: ['id', 'revision', 'ruleSetRowId', 'createdBy', 'createdAt'],
      where: { departmentCode: code, fiscalYear },
      order: { revision: 'DESC' },
    });
    const refs = await this.ruleSetRefs(rows.map((r) => r.ruleSetRowId));
    const latest = rows.length > 0 ? await this.findRevision(code, fiscalYear, rows[0].revision) : null;
    return {
      current: latest ? toDeclarationDto(latest, refs.get(latest.ruleSetRowId) ?? latest.ruleSetRowId) : null,
      history: rows.map((r) => toSummaryDto(r, refs.get(r.ruleSetRowId) ?? r.ruleSetRowId)),
    };
  }

  /** One revision, for a caller who may see the department. */
  async get(code: string, fiscalYear: number, revision: number, principal: Principal): Promise<TargetDeclarationDto> {
    await this.departments.findVisible(code, principal);
    const row = await this.findRevision(code, fiscalYear, revision);
    const refs = await this.ruleSetRefs([row.ruleSetRowId]);
    return toDeclarationDto(row, refs.get(row.ruleSetRowId) ?? row.ruleSetRowId);
  }

  /** The latest declaration of a department's year, or null before any. */
  latest(code: string, fiscalYear: number): Promise<TargetDeclarationEntity | null> {
    return this.declarations.findOne({ where: { departmentCode: code, fiscalYear }, order: { revision: 'DESC' } });
  }

  async findRevision(code: string, fiscalYear: number, revision: number): Promise<TargetDeclarationEntity> {
    const row = await this.declarations.findOneBy({ departmentCode: code, fiscalYear, revision });
    if (!row) throw ApiError.notFound(`target declaration ${code} ${fiscalYear} revision ${revision}`);
    return row;
  }

  private async ruleSetRefs(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.ruleSetRows.findBy({ id: In(unique) });
    return new Map(rows.map((r) => [r.id, formatRuleSetRef(r)]));
  }
}

function toSummaryDto(row: TargetDeclarationEntity, ruleSet: string): TargetDeclarationSummaryDto {
  return {
    revision: row.revision,
    ruleSet,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toDeclarationDto(row: TargetDeclarationEntity, ruleSet: string): TargetDeclarationDto {
  return {
    revision: row.revision,
    fiscalYear: row.fiscalYear,
    departmentCode: row.departmentCode,
    ruleSet,
    targets: JSON.parse(row.content) as DeclaredTargets,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
