import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type DepartmentEntity,
  fitsDecimalColumn,
  MONEY_COLUMN,
  RuleSetEntity,
  SubmissionEntity,
  type TargetDeclarationEntity,
} from '@jiping/persistence';
import { localized, type RuleSet, type Submission, toPointer } from '@jiping/rules';
import {
  D,
  type ParsedSubmission,
  parseSubmission,
  scoreSubmission,
  ScoringError,
  ScoringErrorCode,
} from '@jiping/scoring';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { insertWithNextNumber } from '../common/next-number';
import { DepartmentsService } from '../departments/departments.service';
import { declaredSections, TargetsService } from '../departments/targets.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { YearStatusService } from '../years/year-status.service';
import type { SubmissionDetailDto, SubmissionEstimateDto, SubmissionSummaryDto } from './dto/submission.dto';
import { type SubmissionBody, toEngineSubmission } from './engine-submission';

/** The columns of a submission row without its content (for lists, and for rows whose data is not read). */
const SUMMARY_COLUMNS: (keyof SubmissionEntity)[] = [
  'id',
  'departmentCode',
  'fiscalYear',
  'revision',
  'ruleSetRowId',
  'targetRevision',
  'budgetTotal',
  'executedTotal',
  'createdBy',
  'createdAt',
];

/**
 * Year-end data (submissions): checked by the engine against the published rule set and the latest declared
 * targets, then kept as a new revision; never overwritten.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
    @InjectRepository(RuleSetEntity) private readonly ruleSetRows: Repository<RuleSetEntity>,
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly targets: TargetsService,
    private readonly audit: AuditService,
    private readonly years: YearStatusService,
  ) {}

  async create(
    code: string,
    fiscalYear: number,
    body: SubmissionBody & { ruleSetId?: string },
    principal: Principal,
  ): Promise<SubmissionSummaryDto> {
    const department = await this.departments.findVisible(code, principal);
    this.departments.assertActive(department);
    await this.years.assertAllowed(code, fiscalYear, 'edit');
    const { row, ref, accepted, declaration, totals } = await this.check(code, fiscalYear, body, department);
    await this.years.ensure(code, fiscalYear);
    const saved = await insertWithNextNumber(
      this.submissions,
      { departmentCode: code, fiscalYear },
      'revision',
      (revision) =>
        this.submissions.create({
          id: randomUUID(),
          departmentCode: code,
          fiscalYear,
          revision,
          ruleSetRowId: row.id,
          targetRevision: declaration?.revision ?? null,
          budgetTotal: totals?.budgeted ?? null,
          executedTotal: totals?.executed ?? null,
          content: JSON.stringify(accepted),
          createdBy: principal.name,
          createdAt: new Date(),
        }),
      async (saved, manager) => {
        await this.audit.record(
          principal,
          {
            action: 'submission.created',
            entityType: 'submission',
            entityId: `${code}:${fiscalYear}:${saved.revision}`,
            departmentCode: code,
            fiscalYear,
            details: { revision: saved.revision, ruleSet: ref, targetRevision: saved.targetRevision },
          },
          manager,
        );
        await this.years.apply(manager, principal, code, fiscalYear, 'edit');
      },
    );
    return toSummaryDto(saved, ref);
  }

  /**
   * 预估得分: the year-end data checked exactly as a save would check it (the published rule set, the binding declared
   * targets) and scored by the engine; nothing is stored, not even an audit entry. Needs no stored revision (a fresh
   * year), and any year status: what the console shows beside the unsaved form.
   */
  async estimate(
    code: string,
    fiscalYear: number,
    body: SubmissionBody & { ruleSetId?: string },
    principal: Principal,
  ): Promise<SubmissionEstimateDto> {
    const department = await this.departments.findVisible(code, principal);
    const { row, ref, declaration, engineSubmission } = await this.check(code, fiscalYear, body, department);
    const report = await scoreSubmission(this.loader.compiled(row), engineSubmission);
    return {
      departmentCode: code,
      fiscalYear,
      ruleSet: { ref, checksum: row.checksum },
      targetRevision: declaration?.revision ?? null,
      report,
    };
  }

  /**
   * The checks of year-end data before it is kept or estimated: the published rule set, the binding declaration
   * (批复, else the newest), the engine's parse with every problem at its body pointer, amounts that fit the columns.
   */
  private async check(
    code: string,
    fiscalYear: number,
    body: SubmissionBody & { ruleSetId?: string },
    department: Pick<DepartmentEntity, 'code' | 'name'>,
  ): Promise<{
    row: RuleSetEntity;
    ref: string;
    accepted: SubmissionBody;
    declaration: TargetDeclarationEntity | null;
    engineSubmission: Submission;
    totals: { budgeted: string; executed: string } | undefined;
  }> {
    const row = await this.loader.findPublishedForYear(fiscalYear, body.ruleSetId);
    const ruleSet = this.loader.toRuleSet(row);
    const ref = formatRuleSetRef(row);
    const accepted = toSubmissionBody(body);
    assertNoRulings(accepted);

    const declaresTargets = declaredSections(ruleSet).length > 0;
    // the approved declaration (批复) once there is one: it is binding
    const declaration = declaresTargets ? await this.targets.binding(code, fiscalYear) : null;
    if (declaresTargets && !declaration) {
      throw new ApiError(
        ApiErrorCode.PRECONDITION_MISSING,
        localized(
          `请先申报绩效目标（PUT /departments/${code}/years/${fiscalYear}/targets）：规则集 ${ref} 按部门申报的目标评分`,
          `declare targets first (PUT /departments/${code}/years/${fiscalYear}/targets): rule set ${ref} scores ` +
            'the targets a department declares',
        ),
      );
    }
    const targets = declaration ? (JSON.parse(declaration.content) as Submission['targets']) : undefined;
    const engineSubmission = toEngineSubmission({ department, fiscalYear, body: accepted, targets });
    const { problems, parsed } = parseSubmission(ruleSet, engineSubmission);
    if (problems.length > 0 || !parsed) {
      throw new ScoringError(
        ScoringErrorCode.INVALID_SUBMISSION,
        localized(
          `填报数据与规则集 ${ruleSet.id}@${ruleSet.version}（${ref}）不符：${problems.length} 处问题`,
          `the submission does not fit rule set ${ruleSet.id}@${ruleSet.version} (${ref}): ${problems.length} problem(s)`,
        ),
        problems.map((p) => ({ ...p, pointer: toBodyPointer(p.pointer) })),
      );
    }
    const totals = budgetTotals(ruleSet, parsed);
    assertAmountsFit(parsed, totals);
    return { row, ref, accepted, declaration, engineSubmission, totals };
  }

  /** Every revision of a department's year, newest first, without the data. */
  async list(code: string, fiscalYear: number, principal: Principal): Promise<SubmissionSummaryDto[]> {
    await this.departments.findVisible(code, principal);
    const rows = await this.submissions.find({
      select: SUMMARY_COLUMNS,
      where: { departmentCode: code, fiscalYear },
      order: { revision: 'DESC' },
    });
    const refs = await this.ruleSetRefs(rows.map((r) => r.ruleSetRowId));
    return rows.map((r) => toSummaryDto(r, refs.get(r.ruleSetRowId) ?? r.ruleSetRowId));
  }

  /** One revision with the data as accepted. */
  async get(code: string, fiscalYear: number, revision: number, principal: Principal): Promise<SubmissionDetailDto> {
    await this.departments.findVisible(code, principal);
    const row = await this.findRevision(code, fiscalYear, revision);
    const refs = await this.ruleSetRefs([row.ruleSetRowId]);
    return {
      ...toSummaryDto(row, refs.get(row.ruleSetRowId) ?? row.ruleSetRowId),
      submission: JSON.parse(row.content) as SubmissionBody,
    };
  }

  /**
   * A revision of a department's year; the latest when `revision` is omitted. None at all → 422
   * PRECONDITION_MISSING; an unknown revision → 404. With `withContent: false` the row is read without its data
   * (`content` is left undefined).
   */
  async findRevision(
    code: string,
    fiscalYear: number,
    revision?: number,
    { withContent = true }: { withContent?: boolean } = {},
  ): Promise<SubmissionEntity> {
    const select = withContent ? undefined : SUMMARY_COLUMNS;
    if (revision === undefined) {
      const latest = await this.submissions.findOne({
        select,
        where: { departmentCode: code, fiscalYear },
        order: { revision: 'DESC' },
      });
      if (!latest) {
        throw new ApiError(
          ApiErrorCode.PRECONDITION_MISSING,
          localized(`部门 ${code} ${fiscalYear}年度还没有填报数据`, `no submission for ${code} ${fiscalYear}`),
        );
      }
      return latest;
    }
    const row = await this.submissions.findOne({ select, where: { departmentCode: code, fiscalYear, revision } });
    if (!row)
      throw ApiError.notFound(
        localized(
          `部门 ${code} ${fiscalYear}年度第${revision}版填报数据`,
          `submission ${code} ${fiscalYear} revision ${revision}`,
        ),
      );
    return row;
  }

  /**
   * The engine's Submission of a stored revision: its body with the declared targets it was validated under
   * (its targetRevision). Official scoring, review, what-if and headroom all score this.
   */
  async engineSubmission(
    department: Pick<DepartmentEntity, 'code' | 'name'>,
    row: SubmissionEntity,
  ): Promise<Submission> {
    const targets =
      row.targetRevision == null
        ? undefined
        : (JSON.parse(
            (await this.targets.findRevision(row.departmentCode, row.fiscalYear, row.targetRevision)).content,
          ) as Submission['targets']);
    return toEngineSubmission({
      department,
      fiscalYear: row.fiscalYear,
      body: JSON.parse(row.content) as SubmissionBody,
      targets,
    });
  }

  private async ruleSetRefs(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.ruleSetRows.findBy({ id: In(unique) });
    return new Map(rows.map((r) => [r.id, formatRuleSetRef(r)]));
  }
}

/**
 * The body as it is stored: the SubmissionBody fields that were sent (a plain JSON copy, in the order a person writes
 * them), without the envelope's ruleSetId.
 */
function toSubmissionBody(body: SubmissionBody & { ruleSetId?: string }): SubmissionBody {
  const { unitCount, overview, budget, inputs, evidence, targetResults, notApplicable } = body;
  return JSON.parse(
    JSON.stringify({ unitCount, overview, budget, inputs, evidence, targetResults, notApplicable }),
  ) as SubmissionBody;
}

/**
 * A met/unmet ruling (复核认定) of a target is an evaluator's, made through an audited adjustment with its reason
 * (POST …/evaluations/:id/adjustments); a department never submits one.
 */
function assertNoRulings(body: SubmissionBody): void {
  const results = body.targetResults;
  if (results === null || typeof results !== 'object') return;
  const details = Object.entries(results)
    .filter(([, result]) => result !== null && typeof result === 'object' && 'ruling' in result)
    .map(([code]) => ({
      pointer: toPointer('targetResults', code, 'ruling'),
      message: localized(
        '达成判定由评价人员复核时作出（POST …/evaluations/:id/adjustments），不在填报数据中',
        'a ruling is an evaluator’s adjustment (POST …/evaluations/:id/adjustments), not submitted data',
      ),
    }));
  if (details.length > 0) {
    throw new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized('填报数据不能自行判定目标达成或未达成', 'a submission does not rule its own targets met or unmet'),
      details,
    );
  }
}

/** Engine pointers are pointers into the body, except the department's unit count, which the body has at the top. */
function toBodyPointer(pointer: string): string {
  return pointer === '/department/unitCount' ? '/unitCount' : pointer;
}

/**
 * Every amount of the budget header and both totals fit the DECIMAL(20,2) columns (18 digits before the point):
 * checked here so that SQLite and MySQL answer the same 422 with the pointer, and MySQL never refuses the row (500).
 */
function assertAmountsFit(parsed: ParsedSubmission, totals: { budgeted: string; executed: string } | undefined): void {
  const limit = MONEY_COLUMN.precision - MONEY_COLUMN.scale;
  const tooLarge = localized(
    `金额超过可保存的上限（整数部分不超过 ${limit} 位）`,
    `the amount is larger than can be stored (at most ${limit} digits before the point)`,
  );
  const details: ErrorDetail[] = [];
  for (const [code, amounts] of parsed.budget?.columns ?? []) {
    for (const field of ['budgeted', 'executed'] as const) {
      if (!fitsDecimalColumn(amounts[field], MONEY_COLUMN)) {
        details.push({ pointer: toPointer('budget', 'columns', code, field), message: tooLarge });
      }
    }
  }
  if (details.length === 0 && totals) {
    for (const [field, label] of [
      ['budgeted', localized('全年预算数合计', 'the budget total')],
      ['executed', localized('全年执行数合计', 'the executed total')],
    ] as const) {
      if (!fitsDecimalColumn(totals[field], MONEY_COLUMN)) {
        details.push({
          pointer: '/budget/columns',
          message: localized(
            `${label.zh} ${totals[field]} 超过可保存的上限（整数部分不超过 ${limit} 位）`,
            `${label.en} ${totals[field]} is larger than can be stored (at most ${limit} digits before the point)`,
          ),
        });
      }
    }
  }
  if (details.length > 0) {
    throw new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized(
        '预算金额超过可保存的上限，未保存',
        'an amount of the budget is too large to store; nothing was stored',
      ),
      details,
    );
  }
}

/** 全年预算数 / 全年执行数: the sums of the first breakdown (every breakdown sums alike: the engine checked it). */
function budgetTotals(ruleSet: RuleSet, parsed: ParsedSubmission): { budgeted: string; executed: string } | undefined {
  const first = ruleSet.file.budgetHeader?.breakdowns[0];
  if (!parsed.budget || !first) return undefined;
  const columns = parsed.budget.columns;
  const sum = (field: 'budgeted' | 'executed'): string =>
    first.columns.reduce((total, column) => total.add(columns.get(column.code)![field]), new D(0)).toFixed(2);
  return { budgeted: sum('budgeted'), executed: sum('executed') };
}

function toSummaryDto(row: SubmissionEntity, ruleSet: string): SubmissionSummaryDto {
  return {
    revision: row.revision,
    departmentCode: row.departmentCode,
    fiscalYear: row.fiscalYear,
    ruleSet,
    targetRevision: row.targetRevision,
    budgetTotal: row.budgetTotal == null ? null : new D(row.budgetTotal).toFixed(2),
    executedTotal: row.executedTotal == null ? null : new D(row.executedTotal).toFixed(2),
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
