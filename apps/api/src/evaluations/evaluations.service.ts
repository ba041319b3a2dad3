import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type DepartmentYearEntity,
  EvaluationEntity,
  fitsDecimalColumn,
  RuleSetEntity,
  SCORE_COLUMN,
  type SubmissionEntity,
} from '@jiping/persistence';
import { inLang, type Localized, localized } from '@jiping/rules';
import {
  type Adjustment,
  type CompiledRuleSet,
  type ScoreReport,
  ScoringError,
  scoreSubmission,
  scoreWithAdjustments,
} from '@jiping/scoring';
import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { insertWithNextNumber } from '../common/next-number';
import { DepartmentsService } from '../departments/departments.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { SubmissionsService } from '../submissions/submissions.service';
import { YearStatusService } from '../years/year-status.service';
import type { EvaluationDto, EvaluationSummaryDto } from './dto/evaluation.dto';
import type { ScoreEvaluationDto } from './dto/score-evaluation.dto';
import { Metrics } from '../observability/metrics';

/** How a caller (a re-scoring job) joins a scoring's transaction. */
export interface ScoreOptions {
  /**
   * Runs first in the transaction that stores the evaluation, its audit row and the year's new status: what it writes
   * is stored with them or not at all, and what it throws stores nothing.
   */
  within?: (
    manager: EntityManager,
    saved: EvaluationEntity,
    report: ScoreReport,
    carried: CarriedOver | undefined,
  ) => Promise<void>;
  /** Added to the evaluation.created audit row (the job that scored it and why). */
  audit?: { reason?: string; details?: Record<string, unknown> };
  /**
   * Re-applies the year's 复核 to the new scoring (a year re-scored after a rule fix): each adjusting evaluation of the
   * chain in force is made again on the new scoring — the same adjustments, values and reasons, in the name of the
   * evaluator who made them, audited as carried over — in the same transaction. A 已复核 year whose 复核分 and 等次
   * come out unchanged stays 已复核 (its reviewer and time kept); one whose result changed is 已评分 again, for the
   * evaluator to confirm. When an adjustment no longer fits the new rules (its value is gone, or its score no longer
   * fits the indicator's tiers) nothing is stored: {@link CarryOverRefused}.
   */
  carryOver?: boolean;
}

/** What a scoring with `carryOver` stored besides the scoring itself. */
export interface CarriedOver {
  /** The 复核 evaluations made again, oldest first (the last is the year's evaluation in force). */
  evaluations: Array<{
    id: string;
    sequence: number;
    total: string;
    grade: string;
    /** The evaluation it re-makes, and who made that one. */
    from: string;
    by: string;
  }>;
  /** How many adjustments are in force after it. */
  adjustments: number;
  /** The year's total and grade in force after it (the last 复核's, else the scoring's). */
  total: string;
  grade: string;
  /** For a 已复核 year: `kept` (unchanged result, still 已复核) or `to-confirm` (back to 已评分). */
  review: 'kept' | 'to-confirm' | null;
}

/** The year's 复核 cannot be re-applied under the new rules: the year is left as it was (409). */
export class CarryOverRefused extends ApiError {
  constructor(text: Localized) {
    super(ApiErrorCode.CONFLICT, text);
  }
}

/** A carry-over planned before the transaction: each 复核 evaluation of the chain with its new report. */
interface CarryOverPlan {
  links: Array<{
    id: string;
    from: EvaluationEntity;
    adjustments: Adjustment[];
    added: Adjustment[];
    report: ScoreReport;
  }>;
  review: CarriedOver['review'];
  year: DepartmentYearEntity;
}

/**
 * Official evaluations: a submission revision scored under a published rule-set version, stored whole and pinned to
 * that version's checksum and the engine version. Append-only: re-scoring adds an evaluation, none is ever edited.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    @InjectRepository(EvaluationEntity) private readonly evaluations: Repository<EvaluationEntity>,
    @InjectRepository(RuleSetEntity) private readonly ruleSetRows: Repository<RuleSetEntity>,
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly submissions: SubmissionsService,
    private readonly audit: AuditService,
    private readonly years: YearStatusService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /**
   * Load → score → persist → map. Scores the revision the department submitted (提交), under the targets it was
   * submitted with (the approved ones); the year moves to 已评分 and the evaluation becomes its official score.
   * Refused (409) before a submission and once the year is finalised. Callable per department by anyone who
   * re-scores a year.
   */
  async score(
    departmentCode: string,
    fiscalYear: number,
    dto: ScoreEvaluationDto | undefined,
    principal: Principal,
    options: ScoreOptions = {},
  ): Promise<EvaluationDto> {
    const department = await this.departments.findVisible(departmentCode, principal);
    const year = await this.years.assertAllowed(departmentCode, fiscalYear, 'score');
    const revision = year.submittedRevision!;
    if (dto?.submissionRevision !== undefined && dto.submissionRevision !== revision) {
      throw ApiError.conflict(
        localized(
          `${departmentCode} ${fiscalYear}年度提交的是第${revision}版年终数据：正式评分只对提交的版本评分，` +
            `不能对第${dto.submissionRevision}版评分（可用模拟 POST /what-if 试算其他版本）`,
          `${departmentCode} ${fiscalYear} submitted revision ${revision}: official scoring scores the submitted ` +
            `revision, not revision ${dto.submissionRevision} (a what-if, POST /what-if, scores others)`,
        ),
      );
    }
    const submission = await this.submissions.findRevision(departmentCode, fiscalYear, revision);
    const ruleSet = await this.ruleSetFor(submission, fiscalYear, dto?.ruleSetRef);
    const compiled = this.loader.compiled(ruleSet);
    const engineSubmission = await this.submissions.engineSubmission(department, submission);
    const report = await scoreSubmission(compiled, engineSubmission);
    assertTotalFits(report);
    const plan = options.carryOver ? await this.planCarryOver(year, compiled, engineSubmission, report) : undefined;
    const saved = await insertWithNextNumber(
      this.evaluations,
      { departmentCode, fiscalYear },
      'sequence',
      (sequence) =>
        this.evaluations.create({
          id: randomUUID(),
          departmentCode,
          fiscalYear,
          sequence,
          submissionRevision: submission.revision,
          targetRevision: submission.targetRevision,
          ruleSetRowId: ruleSet.id,
          ruleSetId: ruleSet.ruleSetId,
          ruleSetVersionNo: ruleSet.versionNo,
          ruleSetChecksum: ruleSet.checksum,
          engineVersion: report.engine.version,
          total: report.total,
          grade: report.grade,
          adjustedFrom: null,
          adjustments: null,
          report: JSON.stringify(report),
          createdBy: principal.name,
          createdAt: new Date(),
        }),
      async (saved, manager) => {
        const carried = plan && carriedOver(plan, saved, report);
        // first: a re-scoring job's step record, so that a second run of the same step stops here
        await options.within?.(manager, saved, report, carried);
        await this.audit.record(
          principal,
          {
            action: 'evaluation.created',
            entityType: 'evaluation',
            entityId: saved.id,
            departmentCode,
            fiscalYear,
            reason: options.audit?.reason ?? null,
            details: {
              ...options.audit?.details,
              sequence: saved.sequence,
              submissionRevision: saved.submissionRevision,
              ruleSet: formatRuleSetRef(ruleSet),
              total: report.total,
              grade: report.grade,
            },
          },
          manager,
        );
        await this.years.apply(manager, principal, departmentCode, fiscalYear, 'score', {
          check: (row) => {
            // submitted again meanwhile (after a 退回): this scoring is of a revision no longer submitted
            if (row.submittedRevision !== submission.revision) {
              throw ApiError.conflict(
                localized(
                  `${departmentCode} ${fiscalYear}年度提交的版本已变为第${row.submittedRevision}版，请重新评分`,
                  `${departmentCode} ${fiscalYear} now submits revision ${row.submittedRevision}: score again`,
                ),
              );
            }
            // adjusted meanwhile: the 复核 carried over is no longer the one in force
            if (plan && row.evaluationId !== plan.year.evaluationId) {
              throw new CarryOverRefused(
                localized(
                  `${departmentCode} ${fiscalYear}年度在重新评分期间又有复核调整，未重新评分，请稍后再试`,
                  `${departmentCode} ${fiscalYear} was adjusted meanwhile; not re-scored, try again`,
                ),
              );
            }
          },
          set: () => ({
            scoredEvaluationId: saved.id,
            evaluationId: saved.id,
            selfTotal: report.total,
            reviewedTotal: null,
            grade: report.grade,
            scoredAt: new Date(),
            reviewedAt: null,
            reviewedBy: null,
          }),
          details: () => ({ evaluation: saved.id, revision: submission.revision, total: report.total }),
        });
        if (plan) await this.storeCarryOver(manager, principal, plan, saved, options.audit);
      },
    );
    this.metrics?.scorings.inc({ kind: 'official' });
    // Read back: the response is exactly what a later GET returns (MySQL DATETIME keeps whole seconds).
    return toEvaluationDto(await this.evaluations.findOneByOrFail({ id: saved.id }), report);
  }

  /**
   * The 复核 chain in force (the year's evaluation back to its official scoring), each link scored again on the new
   * scoring's rule set: refused (CarryOverRefused, nothing stored) when one no longer fits.
   */
  private async planCarryOver(
    year: DepartmentYearEntity,
    compiled: CompiledRuleSet,
    engineSubmission: unknown,
    scored: ScoreReport,
  ): Promise<CarryOverPlan> {
    const chain: EvaluationEntity[] = [];
    let id = year.evaluationId;
    for (let hops = 0; id && id !== year.scoredEvaluationId && hops < 10_000; hops += 1) {
      const row = await this.evaluations.findOneBy({ id, departmentCode: year.departmentCode });
      if (!row || row.adjustedFrom === null) break;
      chain.unshift(row);
      id = row.adjustedFrom;
    }
    const links: CarryOverPlan['links'] = [];
    let before: Adjustment[] = [];
    for (const from of chain) {
      const adjustments = JSON.parse(from.adjustments ?? '[]') as Adjustment[];
      const report = await scoreWithAdjustments(compiled, engineSubmission, adjustments).catch((error: unknown) => {
        if (error instanceof ScoringError) throw refusedCarryOver(year, from, compiled, error);
        throw error;
      });
      assertTotalFits(report);
      links.push({ id: randomUUID(), from, adjustments, added: adjustments.slice(before.length), report });
      before = adjustments;
    }
    const final = links.at(-1)?.report ?? scored;
    const inForce = year.reviewedTotal ?? year.selfTotal;
    const unchanged =
      inForce !== null && new Decimal(inForce).equals(final.total) && (year.grade ?? null) === (final.grade ?? null);
    return { links, year, review: year.status === 'reviewed' ? (unchanged ? 'kept' : 'to-confirm') : null };
  }

  /** Stores the planned carry-over in the scoring's transaction: the 复核 evaluations, their audit rows, the year. */
  private async storeCarryOver(
    manager: EntityManager,
    principal: Principal,
    plan: CarryOverPlan,
    saved: EvaluationEntity,
    audit: ScoreOptions['audit'],
  ): Promise<void> {
    const { departmentCode, fiscalYear } = saved;
    let previous: { id: string; total: string } = { id: saved.id, total: saved.total };
    for (const [i, link] of plan.links.entries()) {
      const row = this.evaluations.create({
        ...saved,
        id: link.id,
        sequence: saved.sequence + i + 1,
        engineVersion: link.report.engine.version,
        total: link.report.total,
        grade: link.report.grade,
        adjustedFrom: previous.id,
        adjustments: JSON.stringify(link.adjustments),
        report: JSON.stringify(link.report),
        // the adjustment stays the evaluator's: made again in their name
        createdBy: link.from.createdBy,
        createdAt: new Date(),
      });
      await manager.getRepository(EvaluationEntity).insert(row);
      await this.audit.record(
        principal,
        {
          action: 'evaluation.adjusted',
          entityType: 'evaluation',
          entityId: row.id,
          departmentCode,
          fiscalYear,
          reason: [...new Set(link.added.map((a) => a.reason))].join('；'),
          details: {
            ...audit?.details,
            carriedOver: true,
            carriedOverFrom: link.from.id,
            adjustedBy: link.from.createdBy,
            adjustedAt: new Date(link.from.createdAt).toISOString(),
            adjustedFrom: previous.id,
            sequence: row.sequence,
            pointers: link.added.map((a) => a.pointer),
            totalBefore: previous.total,
            total: link.report.total,
            grade: link.report.grade,
          },
        },
        manager,
      );
      await this.years.apply(manager, principal, departmentCode, fiscalYear, 'adjust', {
        set: () => ({ evaluationId: row.id, reviewedTotal: link.report.total, grade: link.report.grade }),
      });
      previous = { id: row.id, total: link.report.total };
    }
    if (plan.review === 'kept') {
      const { reviewedAt, reviewedBy } = plan.year;
      await this.years.apply(manager, principal, departmentCode, fiscalYear, 'review', {
        reason: '重新评分后复核分与等次未变，沿用原复核',
        set: () => ({ reviewedAt, reviewedBy }),
        details: (row) => ({
          ...audit?.details,
          carriedOver: true,
          reviewedBy,
          reviewedAt: reviewedAt && new Date(reviewedAt).toISOString(),
          evaluation: row.evaluationId,
          total: row.reviewedTotal ?? row.selfTotal,
          grade: row.grade,
        }),
      });
    }
  }

  /** Newest first, without the reports. */
  async list(departmentCode: string, fiscalYear: number, principal: Principal): Promise<EvaluationSummaryDto[]> {
    await this.departments.findVisible(departmentCode, principal);
    const rows = await this.evaluations.find({ where: { departmentCode, fiscalYear }, order: { sequence: 'DESC' } });
    return rows.map((row) => toEvaluationSummaryDto(row, parseReport(row)));
  }

  async latest(departmentCode: string, fiscalYear: number, principal: Principal): Promise<EvaluationDto> {
    await this.departments.findVisible(departmentCode, principal);
    const row = await this.evaluations.findOne({ where: { departmentCode, fiscalYear }, order: { sequence: 'DESC' } });
    if (!row)
      throw ApiError.notFound(
        localized(
          `部门 ${departmentCode} ${fiscalYear}年度的评分记录`,
          `an evaluation of "${departmentCode}" for ${fiscalYear}`,
        ),
      );
    return toEvaluationDto(row, parseReport(row));
  }

  async findOne(departmentCode: string, fiscalYear: number, id: string, principal: Principal): Promise<EvaluationDto> {
    await this.departments.findVisible(departmentCode, principal);
    const row = await this.evaluations.findOneBy({ id, departmentCode, fiscalYear });
    if (!row)
      throw ApiError.notFound(
        localized(
          `部门 ${departmentCode} ${fiscalYear}年度的评分记录“${id}”`,
          `evaluation "${id}" of "${departmentCode}" for ${fiscalYear}`,
        ),
      );
    return toEvaluationDto(row, parseReport(row));
  }

  /**
   * For an adjusted evaluation (复核): the report as the department submitted it, i.e. of the official evaluation the
   * chain of adjustments started from (adjustments accumulate on the same submission, rule-set version and targets).
   * Undefined for an evaluation that is not adjusted.
   */
  async selfReportOf(
    evaluation: Pick<EvaluationDto, 'adjustedFrom' | 'departmentCode' | 'fiscalYear'>,
  ): Promise<ScoreReport | undefined> {
    const { departmentCode, fiscalYear } = evaluation;
    let from = evaluation.adjustedFrom;
    let report: ScoreReport | undefined;
    for (let hops = 0; from && hops < 10_000; hops += 1) {
      const row = await this.evaluations.findOneBy({ id: from, departmentCode, fiscalYear });
      if (!row) break;
      report = parseReport(row);
      from = row.adjustedFrom;
    }
    return report;
  }

  /**
   * The rule-set version to score with: the one named (published or superseded, for this year), or else the
   * version in force for the year of the rule set the submission was validated with.
   */
  private async ruleSetFor(
    submission: SubmissionEntity,
    fiscalYear: number,
    ref: string | undefined,
  ): Promise<RuleSetEntity> {
    if (ref === undefined) {
      // its id only: the rule file (some 50 kB) is not needed here
      const validatedWith = await this.ruleSetRows.findOne({
        select: ['id', 'ruleSetId'],
        where: { id: submission.ruleSetRowId },
      });
      if (!validatedWith) {
        throw new ApiError(
          ApiErrorCode.INTERNAL,
          `submission revision ${submission.revision} names rule-set row ${submission.ruleSetRowId}, which is missing`,
        );
      }
      return this.loader.findPublishedForYear(fiscalYear, validatedWith.ruleSetId);
    }
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer: '/ruleSetRef' });
    if (row.status === 'draft') {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `规则集“${ref}”是草稿：正式评分只用已发布的规则（请先发布，或用 what-if 试算）`,
          `rule set "${ref}" is a draft: official evaluations use published rules (publish it, or ask a what-if)`,
        ),
        [
          {
            pointer: '/ruleSetRef',
            message: localized(
              '指向的是草稿：请写已发布或已被取代的版本',
              'names a draft; name a published or superseded version',
            ),
          },
        ],
      );
    }
    if (row.fiscalYear !== fiscalYear) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `规则集“${ref}”是 ${row.fiscalYear} 年度的，不是 ${fiscalYear} 年度的`,
          `rule set "${ref}" is for ${row.fiscalYear}, not ${fiscalYear}`,
        ),
        [
          {
            pointer: '/ruleSetRef',
            message: localized(`请写 ${fiscalYear} 年度的规则集`, `name a rule set for ${fiscalYear}`),
          },
        ],
      );
    }
    return row;
  }
}

const parseReport = (row: EvaluationEntity): ScoreReport => JSON.parse(row.report) as ScoreReport;

/** What the caller is told of a planned carry-over, once the scoring has its sequence. */
function carriedOver(plan: CarryOverPlan, saved: EvaluationEntity, scored: ScoreReport): CarriedOver {
  const evaluations = plan.links.map((link, i) => ({
    id: link.id,
    sequence: saved.sequence + i + 1,
    total: link.report.total,
    grade: link.report.grade,
    from: link.from.id,
    by: link.from.createdBy,
  }));
  const final = plan.links.at(-1)?.report ?? scored;
  return {
    evaluations,
    adjustments: plan.links.at(-1)?.adjustments.length ?? 0,
    total: final.total,
    grade: final.grade,
    review: plan.review,
  };
}

/**
 * Why a 复核 cannot be carried over, in the words of the people concerned: which evaluator's 复核 (the values it set,
 * by name, with its reasons), what the new rules say of it, and that the year was left as it was.
 */
function refusedCarryOver(
  year: DepartmentYearEntity,
  from: EvaluationEntity,
  compiled: CompiledRuleSet,
  error: ScoringError,
): CarryOverRefused {
  const adjustments = JSON.parse(from.adjustments ?? '[]') as Adjustment[];
  const name = (pointer: string): string => {
    const [, root, key] = pointer.split('/');
    if (root === 'inputs' && key) return compiled.inputs.get(key)?.label ?? pointer;
    return pointer;
  };
  const what = [...new Set(adjustments.map((a) => `“${name(a.pointer)}”（${a.pointer}）`))].join('、');
  const problems = error.problems.map((p) => `${p.path ?? name(p.pointer)}：${p.message.zh}`).join('；');
  const problemsEn = error.problems.map((p) => `${p.pointer}: ${p.message.en}`).join('; ');
  const { departmentCode, fiscalYear } = year;
  return new CarryOverRefused(
    localized(
      `${departmentCode} ${fiscalYear}年度第${from.sequence}次评分的复核调整（${from.createdBy}：${what}）` +
        `在新规则下无法沿用：${problems || inLang(error.text, 'zh')}。该部门未重新评分，原评分与复核保持不变，` +
        '请复核人员按新规则重新复核后再评分',
      `the adjustments of evaluation ${from.sequence} of ${departmentCode} ${fiscalYear} (${from.createdBy}) do not ` +
        `fit the new rules: ${problemsEn || String(error.message)}; it was not re-scored, its score and review stand`,
    ),
  );
}

/** The report's total is the one shown (with the rule set's total places); the column holds the same value. */
function toEvaluationSummaryDto(row: EvaluationEntity, report: ScoreReport): EvaluationSummaryDto {
  return {
    id: row.id,
    sequence: row.sequence,
    departmentCode: row.departmentCode,
    fiscalYear: row.fiscalYear,
    submissionRevision: row.submissionRevision,
    targetRevision: row.targetRevision,
    ruleSet: {
      ref: formatRuleSetRef({ ruleSetId: row.ruleSetId, fiscalYear: row.fiscalYear, versionNo: row.ruleSetVersionNo }),
      ruleSetId: row.ruleSetId,
      versionNo: row.ruleSetVersionNo,
      checksum: row.ruleSetChecksum,
    },
    engineVersion: row.engineVersion,
    total: report.total,
    grade: row.grade,
    adjustedFrom: row.adjustedFrom,
    adjustments: row.adjustments == null ? null : (JSON.parse(row.adjustments) as Adjustment[]),
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export function toEvaluationDto(row: EvaluationEntity, report: ScoreReport): EvaluationDto {
  return { ...toEvaluationSummaryDto(row, report), report };
}

/**
 * The total fits evaluation.total (DECIMAL(24,10)): rule-set uploads already refuse a larger total, so this only
 * guards rule sets stored before that check, with the same 422 on SQLite and MySQL.
 */
export function assertTotalFits(report: ScoreReport): void {
  if (fitsDecimalColumn(report.total, SCORE_COLUMN)) return;
  throw new ApiError(
    ApiErrorCode.VALIDATION_FAILED,
    localized(
      `总分 ${report.total} 超过可保存的范围，未保存：请检查规则集的总分`,
      `the total ${report.total} cannot be stored; nothing was stored: check the rule set's total`,
    ),
    [{ pointer: '/total', message: localized('总分超过可保存的范围', 'the total is out of the storable range') }],
  );
}
