import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EvaluationEntity, fitsTextColumn, TEXT_COLUMN_BYTES } from '@jiping/persistence';
import {
  type Adjustment,
  type ScoreReport,
  ScoringError,
  ScoringErrorCode,
  scoreWithAdjustments,
} from '@jiping/scoring';
import { localized } from '@jiping/rules';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { insertWithNextNumber } from '../common/next-number';
import { DepartmentsService } from '../departments/departments.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { SubmissionsService } from '../submissions/submissions.service';
import { YearStatusService } from '../years/year-status.service';
import type { AdjustEvaluationDto } from './dto/adjust-evaluation.dto';
import type { EvaluationDto } from './dto/evaluation.dto';
import { assertTotalFits, toEvaluationDto } from './evaluations.service';
import { Metrics } from '../observability/metrics';

/**
 * Evaluator adjustments (复核): an evaluation re-scored by the engine with judgment-based values overridden, each with
 * its reason, under the very rule-set version, submission revision and declared targets it was scored with. The
 * result is a new evaluation linked to the one adjusted (adjustedFrom); the adjusted one is never changed.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    @InjectRepository(EvaluationEntity) private readonly evaluations: Repository<EvaluationEntity>,
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly submissions: SubmissionsService,
    private readonly audit: AuditService,
    private readonly years: YearStatusService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** The evaluation adjusted must be the year's official scoring or one of its adjustments (a later sequence). */
  private async assertOfficial(evaluation: EvaluationEntity, scoredEvaluationId: string | null): Promise<void> {
    const scored = scoredEvaluationId
      ? await this.evaluations.findOne({
          select: ['id', 'sequence', 'submissionRevision'],
          where: { id: scoredEvaluationId },
        })
      : null;
    if (
      !scored ||
      evaluation.sequence < scored.sequence ||
      evaluation.submissionRevision !== scored.submissionRevision
    ) {
      throw notOfficial(evaluation);
    }
  }

  /**
   * Load → score → persist → audit → map. Adjustments accumulate: those the adjusted evaluation was scored with are
   * applied first, then the new ones, and the new evaluation keeps the whole list.
   */
  async adjust(
    departmentCode: string,
    fiscalYear: number,
    id: string,
    dto: AdjustEvaluationDto,
    principal: Principal,
  ): Promise<EvaluationDto> {
    const department = await this.departments.findVisible(departmentCode, principal);
    const adjusted = await this.evaluations.findOneBy({ id, departmentCode, fiscalYear });
    if (!adjusted)
      throw ApiError.notFound(
        localized(
          `部门 ${departmentCode} ${fiscalYear}年度的评分记录“${id}”`,
          `evaluation "${id}" of "${departmentCode}" for ${fiscalYear}`,
        ),
      );
    const year = await this.years.assertAllowed(departmentCode, fiscalYear, 'adjust');
    await this.assertOfficial(adjusted, year.scoredEvaluationId);
    const ruleSet = await this.loader.findPinned(adjusted);
    const submission = await this.submissions.findRevision(departmentCode, fiscalYear, adjusted.submissionRevision);
    const earlier = adjusted.adjustments == null ? [] : (JSON.parse(adjusted.adjustments) as Adjustment[]);
    const added: Adjustment[] = dto.adjustments.map(({ pointer, value, reason }) => ({ pointer, value, reason }));
    const adjustments = [...earlier, ...added];
    const reason = auditReason(added);
    const report = await scoreWithAdjustments(
      this.loader.compiled(ruleSet),
      await this.submissions.engineSubmission(department, submission),
      adjustments,
    ).catch((error: unknown) => {
      throw pointIntoBody(error, earlier.length);
    });
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
          submissionRevision: adjusted.submissionRevision,
          targetRevision: adjusted.targetRevision,
          ruleSetRowId: adjusted.ruleSetRowId,
          ruleSetId: adjusted.ruleSetId,
          ruleSetVersionNo: adjusted.ruleSetVersionNo,
          ruleSetChecksum: adjusted.ruleSetChecksum,
          engineVersion: report.engine.version,
          total: report.total,
          grade: report.grade,
          adjustedFrom: adjusted.id,
          adjustments: JSON.stringify(adjustments),
          report: JSON.stringify(report),
          createdBy: principal.name,
          createdAt: new Date(),
        }),
      async (saved, manager) => {
        await this.audit.record(
          principal,
          {
            action: 'evaluation.adjusted',
            entityType: 'evaluation',
            entityId: saved.id,
            departmentCode,
            fiscalYear,
            reason,
            details: {
              adjustedFrom: adjusted.id,
              sequence: saved.sequence,
              pointers: added.map((a) => a.pointer),
              totalBefore: (JSON.parse(adjusted.report) as ScoreReport).total,
              total: report.total,
              grade: report.grade,
            },
          },
          manager,
        );
        await this.years.apply(manager, principal, departmentCode, fiscalYear, 'adjust', {
          check: (row) => {
            if (row.scoredEvaluationId !== year.scoredEvaluationId) throw notOfficial(adjusted);
          },
          set: () => ({ evaluationId: saved.id, reviewedTotal: report.total, grade: report.grade }),
        });
      },
    );
    this.metrics?.scorings.inc({ kind: 'adjustment' });
    // Read back: the response is exactly what a later GET returns.
    return toEvaluationDto(await this.evaluations.findOneByOrFail({ id: saved.id }), report);
  }
}

/** 409: an evaluation outside the year's official scoring (scored earlier, or of another revision). */
function notOfficial(evaluation: EvaluationEntity): ApiError {
  const { departmentCode, fiscalYear, sequence } = evaluation;
  return ApiError.conflict(
    localized(
      `第${sequence}次评分不是${departmentCode} ${fiscalYear}年度当前的正式评分：只能复核当前正式评分及其复核结果`,
      `evaluation ${sequence} is not the official scoring of ${departmentCode} ${fiscalYear} in force: only it and ` +
        'its adjustments can be adjusted',
    ),
  );
}

/**
 * The engine numbers adjustments in the whole list (earlier ones first); the caller's are those of the body, so a
 * refused adjustment's pointer is renumbered to its place in the request.
 */
function pointIntoBody(error: unknown, earlier: number): unknown {
  if (!(error instanceof ScoringError) || error.code !== ScoringErrorCode.INVALID_ADJUSTMENT) return error;
  const problems = error.problems.map((problem) => ({
    ...problem,
    pointer: problem.pointer.replace(/^\/adjustments\/(\d+)/, (_, i: string) => `/adjustments/${Number(i) - earlier}`),
  }));
  return new ScoringError(error.code, error.text, problems);
}

/**
 * The reasons of one request as the audit row keeps them (distinct, joined by ；). The column is TEXT on MySQL
 * (65,535 bytes): reasons that do not fit together are refused here (422, pointing at the first reason that does
 * not fit), the same on SQLite and MySQL, instead of MySQL refusing the row (500).
 */
function auditReason(added: Adjustment[]): string {
  const distinct: string[] = [];
  added.forEach(({ reason }, index) => {
    if (distinct.includes(reason)) return;
    distinct.push(reason);
    if (!fitsTextColumn(distinct.join('；'))) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `本次复核理由合计超过 ${TEXT_COLUMN_BYTES} 字节，未保存：请精简理由，或分几次提交复核`,
          `the reasons of this request exceed ${TEXT_COLUMN_BYTES} bytes together; nothing was stored: shorten them or adjust in several requests`,
        ),
        [
          {
            pointer: `/adjustments/${index}/reason`,
            message: localized(
              `复核理由合计超过 ${TEXT_COLUMN_BYTES} 字节（UTF-8）`,
              `the reasons exceed ${TEXT_COLUMN_BYTES} bytes (UTF-8) together`,
            ),
          },
        ],
      );
    }
  });
  return distinct.join('；');
}
