import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  DepartmentEntity,
  DepartmentYearEntity,
  type DepartmentYearStatus,
  JobItemEntity,
  RuleSetEntity,
  SubmissionEntity,
} from '@jiping/persistence';
import { inLang, type Lang, type Localized, localized } from '@jiping/rules';
import Decimal from 'decimal.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CarryOverRefused, EvaluationsService } from '../evaluations/evaluations.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { isAllowedIn, refusal, STATUS_LABELS } from '../years/year-workflow';
import { readSteps, recordStep, recordStepAlone, StepAlreadyDone } from './job-items';
import type { RescoreRequestDto } from './dto/rescore-request.dto';

/** What a re-scoring job was asked (its params, shown): the year, the rule set named or the ones in force, why. */
export interface RescoreJobParams {
  year: number;
  /** The version named, or "in-force". */
  ruleSet: string;
  /** The versions it scores with, by rule-set id (pinned when the job was created). */
  ruleSets: Record<string, string>;
  reason: string;
  lang: Lang;
}

interface Score {
  total: string;
  grade: string | null;
}

/** One department's step, as stored in job_item. */
type Step =
  | {
      code: string;
      name: string;
      status: DepartmentYearStatus;
      action: 'rescored';
      old: (Score & { evaluationId: string | null }) | null;
      /** The year's score in force after it: the new scoring, or the last 复核 carried over onto it. */
      new: Score & { evaluationId: string; sequence: number; ruleSet: string };
      /** The 复核 re-applied to the new scoring (a year that had one). */
      carriedOver?: {
        /** 自评分: the new scoring's own total. */
        selfTotal: string;
        evaluations: number;
        adjustments: number;
        /** A 已复核 year: still 已复核 (result unchanged) or back to 已评分 for the evaluator to confirm. */
        review: 'kept' | 'to-confirm' | null;
      };
    }
  | {
      code: string;
      name: string;
      status: DepartmentYearStatus;
      action: 'skipped';
      reason: Localized;
      /** Left as it was because its 复核 does not fit the new rules (else: its status does not allow a scoring). */
      cause?: 'adjustments';
    };

/** What a page of a re-scoring's departments is asked: which ones, which page. */
export interface RescorePageQuery {
  outcome?: 'rescored' | 'skipped';
  move?: 'up' | 'down' | 'changed' | 'unchanged';
  before?: string;
  after?: string;
  offset?: number;
  limit?: number;
}

/** A page of a re-scoring's departments. */
export interface RescorePage {
  items: object[];
  total: number;
  offset: number;
  limit: number;
  next: number | null;
}

/** Whether a re-scoring changed the department's total or grade in force (a first scoring always does). */
const isChanged = (s: Extract<Step, { action: 'rescored' }>): boolean =>
  !s.old || !new Decimal(s.old.total).equals(s.new.total) || s.old.grade !== s.new.grade;

/** A step that the running job reports: the department's place and whether to stop. */
export type Progress = (done: number, total: number) => Promise<boolean>;

/**
 * Re-scoring a year after a rule fix, as a job: every department of the year whose status allows an official
 * scoring (已提交, 已评分, 已复核) is scored again — a new evaluation with its audit row, the year back to 已评分 —
 * and every other one (已定稿 above all) is skipped with the reason. Each department's scoring records the job's
 * step in its own transaction, so a run taken over after its instance died scores no department twice and ends
 * with the same result (read back from the steps).
 */
@Injectable()
export class RescoreJobService {
  constructor(
    @InjectRepository(DepartmentYearEntity) private readonly years: Repository<DepartmentYearEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
    @InjectRepository(RuleSetEntity) private readonly ruleSets: Repository<RuleSetEntity>,
    @InjectRepository(JobItemEntity) private readonly items: Repository<JobItemEntity>,
    private readonly loader: RuleSetLoader,
    private readonly evaluations: EvaluationsService,
  ) {}

  /** Checks the request now (404, 422) and pins the versions the job scores with. */
  async check(year: number, dto: RescoreRequestDto, lang: Lang): Promise<RescoreJobParams> {
    const reason = dto.reason.trim();
    if (reason.length === 0) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, localized('请说明重新评分的原因', 'say why'), [
        { pointer: '/reason', message: localized('原因不能为空白', 'the reason is blank') },
      ]);
    }
    if (dto.ruleSetRef !== undefined) {
      const row = await this.loader.findByRef(dto.ruleSetRef, { includeDrafts: true, pointer: '/ruleSetRef' });
      if (row.status === 'draft') {
        throw new ApiError(
          ApiErrorCode.VALIDATION_FAILED,
          localized(
            `规则集“${dto.ruleSetRef}”是草稿：正式评分只用已发布的规则（请先发布，或用影响分析试算）`,
            `rule set "${dto.ruleSetRef}" is a draft: official evaluations use published rules (publish it, or run an impact analysis)`,
          ),
          [{ pointer: '/ruleSetRef', message: localized('指向的是草稿', 'names a draft') }],
        );
      }
      if (row.fiscalYear !== year) {
        throw new ApiError(
          ApiErrorCode.VALIDATION_FAILED,
          localized(
            `规则集“${dto.ruleSetRef}”是 ${row.fiscalYear} 年度的，不是 ${year} 年度的`,
            `rule set "${dto.ruleSetRef}" is for ${row.fiscalYear}, not ${year}`,
          ),
          [{ pointer: '/ruleSetRef', message: localized(`请写 ${year} 年度的规则集`, `name a rule set for ${year}`) }],
        );
      }
      const ref = formatRuleSetRef(row);
      return { year, ruleSet: ref, ruleSets: { [row.ruleSetId]: ref }, reason, lang };
    }
    const inForce = await this.loader.findAllPublishedForYear(year);
    if (inForce.length === 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(`${year} 年度没有已发布的规则集，无法重新评分`, `no rule set is published for ${year}`),
        [{ pointer: '/ruleSetRef', message: localized('没有生效的规则集', 'no rule set in force') }],
      );
    }
    const ruleSets = Object.fromEntries(inForce.map((row) => [row.ruleSetId, formatRuleSetRef(row)]));
    return { year, ruleSet: 'in-force', ruleSets, reason, lang };
  }

  /**
   * Runs the job: the departments of the year (those with a status row: a department that never started the year
   * has nothing to score) in code order; a department done by an earlier run is not scored again. Returns the result
   * read back from the steps, `complete` false when it stopped early (cancelled).
   */
  async run(
    jobId: string,
    params: RescoreJobParams,
    actor: Principal,
    progress: Progress,
  ): Promise<object | undefined> {
    const rows = await this.years.find({ where: { fiscalYear: params.year }, order: { departmentCode: 'ASC' } });
    const names = new Map(
      (await this.departments.find({ select: ['code', 'name'] })).map((d) => [d.code, d.name] as const),
    );
    const done = await readSteps<Step>(this.items, jobId);
    const seriesOf = new Map<string, string>(); // rule_set row id → rule-set id
    const total = rows.length;
    if (await progress(0, total)) return this.result(jobId, params, false);
    let stopped = false;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!done.has(row.departmentCode)) {
        await this.step(jobId, i, row, names.get(row.departmentCode) ?? row.departmentCode, params, actor, seriesOf);
        // On SQLite every query answers synchronously: without a turn of the event loop between departments, the
        // requests this instance receives (a cancel among them) would wait until the whole year is scored.
        await yieldToEventLoop();
      }
      if (await progress(i + 1, total)) {
        stopped = i + 1 < total;
        break;
      }
    }
    return this.result(jobId, params, !stopped);
  }

  /**
   * The result as the steps recorded it (the same whichever run did each step): a summary of counts, small whatever
   * the number of departments; each department's outcome is paged by {@link page}.
   */
  async result(jobId: string, params: RescoreJobParams, complete: boolean): Promise<object> {
    const lang = params.lang;
    const steps = [...(await readSteps<Step>(this.items, jobId)).values()];
    const label = (status: DepartmentYearStatus) => (lang === 'en' ? status : STATUS_LABELS[status]);
    const rescored = steps.filter((s) => s.action === 'rescored');
    const skipped = steps.filter((s) => s.action === 'skipped');
    const changed = rescored.filter(isChanged);
    const byStatus = new Map<DepartmentYearStatus, number>();
    for (const s of skipped) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    const carried = rescored.filter((s) => (s.carriedOver?.evaluations ?? 0) > 0);
    return {
      year: params.year,
      ruleSet: params.ruleSet,
      complete,
      counts: {
        departments: steps.length,
        rescored: rescored.length,
        changed: changed.length,
        unchanged: rescored.length - changed.length,
        skipped: skipped.length,
        // 复核 re-applied onto the new scoring; left as they were because their 复核 no longer fits
        carriedOver: carried.length,
        notCarriedOver: skipped.filter((s) => s.cause === 'adjustments').length,
        // 已复核 years whose result changed: 已评分 again, for the evaluator to confirm
        toConfirm: rescored.filter((s) => s.carriedOver?.review === 'to-confirm').length,
      },
      skippedByStatus: [...byStatus].map(([status, count]) => ({ status, statusLabel: label(status), count })),
    };
  }

  /**
   * A page of the job's departments in code order, each as re-scored (old and new total and grade, what became of
   * its 复核) or skipped (with the reason), in the job's language; filtered by outcome and, for the re-scored, by the
   * move of the total or the grades before and after.
   */
  async page(jobId: string, params: RescoreJobParams, query: RescorePageQuery): Promise<RescorePage> {
    const lang = params.lang;
    const label = (status: DepartmentYearStatus) => (lang === 'en' ? status : STATUS_LABELS[status]);
    const all = [...(await readSteps<Step>(this.items, jobId)).values()];
    const matching = all.filter((s) => {
      if (query.outcome && s.action !== query.outcome) return false;
      if (!query.move && query.before === undefined && query.after === undefined) return true;
      if (s.action !== 'rescored') return false;
      if (query.before !== undefined && (s.old?.grade ?? null) !== query.before) return false;
      if (query.after !== undefined && s.new.grade !== query.after) return false;
      const delta = s.old ? new Decimal(s.new.total).minus(s.old.total) : null;
      switch (query.move) {
        case 'up':
          return delta !== null && delta.gt(0);
        case 'down':
          return delta !== null && delta.lt(0);
        case 'changed':
          return isChanged(s);
        case 'unchanged':
          return !isChanged(s);
        default:
          return true;
      }
    });
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 20;
    const items = matching.slice(offset, offset + limit).map((s) =>
      s.action === 'rescored'
        ? (() => {
            const after: DepartmentYearStatus = s.carriedOver?.review === 'kept' ? 'reviewed' : 'scored';
            return {
              code: s.code,
              name: s.name,
              outcome: 'rescored' as const,
              status: s.status,
              statusLabel: label(s.status),
              statusAfter: after,
              statusAfterLabel: label(after),
              old: s.old && { total: s.old.total, grade: s.old.grade },
              new: s.new,
              changed: isChanged(s),
              ...(s.carriedOver && {
                carriedOver: { ...s.carriedOver, note: inLang(carryOverNote(s.carriedOver, s.old, s.new), lang) },
              }),
            };
          })()
        : {
            code: s.code,
            name: s.name,
            outcome: 'skipped' as const,
            status: s.status,
            statusLabel: label(s.status),
            reason: inLang(s.reason, lang),
            ...(s.cause && { cause: s.cause }),
          },
    );
    const next = offset + limit < matching.length ? offset + limit : null;
    return { items, total: matching.length, offset, limit, next };
  }

  /** One department: skipped with the reason, or scored with the step recorded in the scoring's transaction. */
  private async step(
    jobId: string,
    position: number,
    row: DepartmentYearEntity,
    name: string,
    params: RescoreJobParams,
    actor: Principal,
    seriesOf: Map<string, string>,
  ): Promise<void> {
    const code = row.departmentCode;
    const skip = (reason: Localized, cause?: 'adjustments') =>
      recordStepAlone(this.items, jobId, code, position, {
        code,
        name,
        status: row.status,
        action: 'skipped',
        reason,
        ...(cause && { cause }),
      } satisfies Step);
    if (!isAllowedIn('score', row.status)) {
      return skip(refusal('score', row.status, row)!);
    }
    const submission = await this.submissions.findOne({
      select: ['ruleSetRowId'],
      where: { departmentCode: code, fiscalYear: params.year, revision: row.submittedRevision! },
    });
    let series = submission ? seriesOf.get(submission.ruleSetRowId) : undefined;
    if (submission && series === undefined) {
      series = (await this.ruleSets.findOne({ select: ['ruleSetId'], where: { id: submission.ruleSetRowId } }))
        ?.ruleSetId;
      if (series) seriesOf.set(submission.ruleSetRowId, series);
    }
    const ref = series === undefined ? undefined : params.ruleSets[series];
    if (ref === undefined) {
      return skip(
        params.ruleSet === 'in-force'
          ? localized(
              `提交的年终数据所用的规则集（${series ?? '未知'}）在创建任务时没有 ${params.year} 年度的生效版本`,
              `the rule set its submission was validated with (${series ?? 'unknown'}) had no version in force for ${params.year} when the job was created`,
            )
          : localized(
              `提交的年终数据所用的规则集是 ${series ?? '未知'}，不是 ${params.ruleSet} 的规则集`,
              `its submission was validated with ${series ?? 'an unknown rule set'}, not with ${params.ruleSet}'s rule set`,
            ),
      );
    }
    try {
      await this.evaluations.score(
        code,
        params.year,
        { ruleSetRef: ref, submissionRevision: row.submittedRevision! },
        actor,
        {
          audit: { reason: params.reason, details: { job: jobId } },
          carryOver: true,
          within: async (manager, saved, report, carried) => {
            // the year as it stands in this transaction: its score in force before this one
            const before = await manager.getRepository(DepartmentYearEntity).findOneBy({
              departmentCode: code,
              fiscalYear: params.year,
            });
            const oldTotal = before?.reviewedTotal ?? before?.selfTotal ?? null;
            await recordStep(manager, jobId, code, position, {
              code,
              name,
              status: before?.status ?? row.status,
              action: 'rescored',
              old:
                oldTotal === null
                  ? null
                  : { total: oldTotal, grade: before?.grade ?? null, evaluationId: before?.evaluationId ?? null },
              new:
                carried && carried.evaluations.length > 0
                  ? {
                      total: carried.total,
                      grade: carried.grade ?? null,
                      evaluationId: carried.evaluations.at(-1)!.id,
                      sequence: carried.evaluations.at(-1)!.sequence,
                      ruleSet: ref,
                    }
                  : {
                      total: report.total,
                      grade: report.grade ?? null,
                      evaluationId: saved.id,
                      sequence: saved.sequence,
                      ruleSet: ref,
                    },
              ...(carried &&
                (carried.evaluations.length > 0 || carried.review !== null) && {
                  carriedOver: {
                    selfTotal: report.total,
                    evaluations: carried.evaluations.length,
                    adjustments: carried.adjustments,
                    review: carried.review,
                  },
                }),
            } satisfies Step);
          },
        },
      );
    } catch (error) {
      if (error instanceof StepAlreadyDone) return;
      // its 复核 does not fit the new rules: left as it was, listed with the reason
      if (error instanceof CarryOverRefused) return skip(localizedText(error.text), 'adjustments');
      // a refusal for this department (its status changed meanwhile, a total that cannot be stored, …): skipped
      if (error instanceof ApiError && error.code !== ApiErrorCode.SERVICE_UNAVAILABLE) {
        return skip(localizedText(error.text));
      }
      throw error;
    }
  }
}

const localizedText = (text: string | Localized): Localized =>
  typeof text === 'string' ? localized(text, text) : text;

/** What became of a year's 复核 in a re-scoring, as the job's result says it. */
function carryOverNote(
  carried: NonNullable<Extract<Step, { action: 'rescored' }>['carriedOver']>,
  old: Score | null,
  now: Score,
): Localized {
  const adjusted =
    carried.evaluations > 0
      ? localized(
          `复核调整 ${carried.adjustments} 项已按原值、原理由沿用到新评分（自评分 ${carried.selfTotal}，复核分 ${now.total}）`,
          `${carried.adjustments} adjustment(s) re-applied with their values and reasons (self ${carried.selfTotal}, reviewed ${now.total})`,
        )
      : localized(`无复核调整（新评分 ${now.total}）`, `no adjustments (new score ${now.total})`);
  switch (carried.review) {
    case 'kept':
      return localized(
        `${adjusted.zh}；复核分与等次未变，保持“已复核”`,
        `${adjusted.en}; total and grade unchanged: still reviewed`,
      );
    case 'to-confirm':
      return localized(
        `${adjusted.zh}；结果由 ${old?.total ?? '—'}（${old?.grade ?? '—'}）变为 ${now.total}（${now.grade ?? '—'}），` +
          '已回到“已评分”，请复核人员确认后重新完成复核',
        `${adjusted.en}; the result moved from ${old?.total ?? '-'} (${old?.grade ?? '-'}) to ${now.total} ` +
          `(${now.grade ?? '-'}): back to scored, for the evaluator to confirm`,
      );
    default:
      return adjusted;
  }
}
