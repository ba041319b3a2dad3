import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  EvaluationEntity,
  fitsDecimalColumn,
  RuleSetEntity,
  SCORE_COLUMN,
  type SubmissionEntity,
} from '@jiping/persistence';
import { localized } from '@jiping/rules';
import { type Adjustment, type ScoreReport, scoreSubmission } from '@jiping/scoring';
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
  within?: (manager: EntityManager, saved: EvaluationEntity, report: ScoreReport) => Promise<void>;
  /** Added to the evaluation.created audit row (the job that scored it and why). */
  audit?: { reason?: string; details?: Record<string, unknown> };
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
    const report = await scoreSubmission(
      this.loader.compiled(ruleSet),
      await this.submissions.engineSubmission(department, submission),
    );
    assertTotalFits(report);
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
        // first: a re-scoring job's step record, so that a second run of the same step stops here
        await options.within?.(manager, saved, report);
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
      },
    );
    this.metrics?.scorings.inc({ kind: 'official' });
    // Read back: the response is exactly what a later GET returns (MySQL DATETIME keeps whole seconds).
    return toEvaluationDto(await this.evaluations.findOneByOrFail({ id: saved.id }), report);
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
