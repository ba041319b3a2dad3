import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type DepartmentYearEntity,
  type Role,
  SubmissionEntity,
  TargetDeclarationEntity,
  YearDeadlinesEntity,
} from '@jiping/persistence';
import { inLang, type Lang, type Localized, localized } from '@jiping/rules';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import { declaredSections } from '../departments/targets.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import type { DepartmentYearDto, MissingItem, YearActionDto } from './dto/department-year.dto';
import { blankYear, YearStatusService } from './year-status.service';
import { isAllowedFor, refusal, STATUS_LABELS, WORKFLOW, type YearAction, YEAR_ACTIONS } from './year-workflow';

const ROLE_NAMES: Record<Role, Localized> = {
  admin: localized('管理员', 'admins'),
  evaluator: localized('绩效处（评审）', 'evaluators'),
  department: localized('填报部门', 'the department'),
};

const iso = (date: Date | null): string | null => (date ? new Date(date).toISOString() : null);

/** What the year view reads besides its row. */
interface YearFacts {
  row: DepartmentYearEntity;
  latestTargetRevision: number | null;
  firstDeclaredAt: Date | null;
  latestSubmission: Pick<SubmissionEntity, 'revision' | 'targetRevision'> | null;
  submittedTargetRevision: number | null;
  deadlines: YearDeadlinesEntity | null;
  /** Whether the year's rule set has declared sections; undefined when no rule set is published for the year. */
  declaresTargets: boolean | undefined;
}

/**
 * A department's year as a workflow (GET …/years/{year}, submit, return, review, finalise, reopen): reads what its
 * home page shows and takes the steps that are not a side effect of another action (declaring targets and keeping
 * year-end data start the year; official scoring moves it to 已评分; approving targets is TargetsService's).
 */
@Injectable()
export class DepartmentYearsService {
  constructor(
    private readonly years: YearStatusService,
    private readonly departments: DepartmentsService,
    private readonly loader: RuleSetLoader,
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
    @InjectRepository(TargetDeclarationEntity) private readonly declarations: Repository<TargetDeclarationEntity>,
    @InjectRepository(YearDeadlinesEntity) private readonly deadlines: Repository<YearDeadlinesEntity>,
  ) {}

  /** The department's year: status, targets, submitted revision, last 退回, official score, what is missing. */
  async view(code: string, fiscalYear: number, principal: Principal, lang: Lang): Promise<DepartmentYearDto> {
    const department = await this.departments.findVisible(code, principal);
    const facts = await this.facts(code, fiscalYear);
    const { row, deadlines } = facts;
    const approved = row.approvedTargetRevision;
    const latestTargets = facts.latestTargetRevision;
    const targetsDue = deadlines?.targetsDue ?? null;
    return {
      departmentCode: code,
      departmentName: department.name,
      fiscalYear,
      status: row.status,
      statusLabel: STATUS_LABELS[row.status],
      targets: {
        latestRevision: latestTargets,
        approvedRevision: approved,
        pendingRevision:
          latestTargets !== null && (approved === null || latestTargets > approved) ? latestTargets : null,
      },
      latestRevision: facts.latestSubmission?.revision ?? null,
      submitted:
        row.submittedRevision === null
          ? null
          : {
              revision: row.submittedRevision,
              targetRevision: facts.submittedTargetRevision,
              at: iso(row.submittedAt)!,
              by: row.submittedBy ?? '',
              late: row.submittedLate,
            },
      lastReturn:
        row.returnedReason === null
          ? null
          : { reason: row.returnedReason, at: iso(row.returnedAt)!, by: row.returnedBy ?? '' },
      score:
        row.evaluationId === null || row.scoredEvaluationId === null || row.selfTotal === null
          ? null
          : {
              evaluationId: row.evaluationId,
              scoredEvaluationId: row.scoredEvaluationId,
              selfScore: row.selfTotal,
              reviewScore: row.reviewedTotal,
              total: row.reviewedTotal ?? row.selfTotal,
              grade: row.grade ?? '',
              scoredAt: iso(row.scoredAt)!,
            },
      reviewed: row.reviewedAt ? { at: iso(row.reviewedAt)!, by: row.reviewedBy ?? '' } : null,
      finalised: row.finalisedAt ? { at: iso(row.finalisedAt)!, by: row.finalisedBy ?? '' } : null,
      deadlines: {
        targetsDue: iso(targetsDue),
        submissionDue: iso(deadlines?.submissionDue ?? null),
        blockLateSubmissions: deadlines?.blockLateSubmissions ?? false,
        targetsLate:
          targetsDue !== null &&
          (facts.firstDeclaredAt ? new Date(facts.firstDeclaredAt) > targetsDue : new Date() > targetsDue),
      },
      missing: missing(facts).map(({ item, message }) => ({ item, message: inLang(message, lang) })),
      actions: actions(facts, principal.role).map(({ action, reason }) => ({
        action,
        allowed: reason === undefined,
        ...(reason === undefined ? {} : { reason: inLang(reason, lang) }),
      })) as YearActionDto[],
    };
  }

  /**
   * 提交: the department hands in one revision (the latest unless named) for official scoring. It must be kept under
   * the approved targets (批复). Late submissions are flagged; a first one after the deadline is refused only when the
   * bureau blocks late submissions.
   */
  async submit(
    code: string,
    fiscalYear: number,
    revision: number | undefined,
    principal: Principal,
    lang: Lang,
  ): Promise<DepartmentYearDto> {
    this.departments.assertActive(await this.departments.findVisible(code, principal));
    const current = await this.years.assertAllowed(code, fiscalYear, 'submit');
    const submission = await this.submissions.findOne({
      select: ['revision', 'targetRevision'],
      where: { departmentCode: code, fiscalYear, ...(revision === undefined ? {} : { revision }) },
      order: { revision: 'DESC' },
    });
    if (!submission) {
      if (revision !== undefined)
        throw ApiError.notFound(
          localized(
            `部门 ${code} ${fiscalYear}年度第${revision}版填报数据`,
            `submission ${code} ${fiscalYear} revision ${revision}`,
          ),
        );
      throw ApiError.conflict(
        localized(
          `${code} ${fiscalYear}年度尚未填报年终数据，没有可提交的版本（POST …/submissions）`,
          `${code} ${fiscalYear} has no year-end data to submit (POST …/submissions)`,
        ),
      );
    }
    assertUnderApprovedTargets(code, fiscalYear, submission, current.approvedTargetRevision);
    const deadlines = await this.deadlines.findOneBy({ fiscalYear });
    const now = new Date();
    const late = deadlines?.submissionDue ? now > new Date(deadlines.submissionDue) : false;
    const first = current.status === 'in-progress';
    if (late && first && deadlines?.blockLateSubmissions) {
      throw ApiError.conflict(
        localized(
          `${fiscalYear}年度年终数据的提交截止时间（${beijing(deadlines.submissionDue!)}）已过，财政局不再接受逾期提交`,
          `the ${fiscalYear} submission deadline (${new Date(deadlines.submissionDue!).toISOString()}) has passed ` +
            'and the bureau refuses late submissions',
        ),
      );
    }
    await this.years.transition(principal, code, fiscalYear, 'submit', {
      check: (row) => assertUnderApprovedTargets(code, fiscalYear, submission, row.approvedTargetRevision),
      set: (row) => ({
        submittedRevision: submission.revision,
        submittedAt: now,
        submittedBy: principal.name,
        // a re-submission after a 退回 keeps the flag of the first submission
        submittedLate: row.status === 'in-progress' ? late : row.submittedLate,
      }),
      details: (row) => ({ revision: submission.revision, late: row.submittedLate }),
    });
    return this.view(code, fiscalYear, principal, lang);
  }

  /** 退回: the evaluator sends the submission back with a reason; its official score (if any) no longer stands. */
  async return(code: string, fiscalYear: number, reason: string, principal: Principal, lang: Lang) {
    await this.departments.findVisible(code, principal);
    await this.years.transition(principal, code, fiscalYear, 'return', {
      reason,
      set: () => ({
        returnedReason: reason,
        returnedAt: new Date(),
        returnedBy: principal.name,
        scoredEvaluationId: null,
        evaluationId: null,
        selfTotal: null,
        reviewedTotal: null,
        grade: null,
        scoredAt: null,
        reviewedAt: null,
        reviewedBy: null,
      }),
      details: (row) => ({ revision: row.submittedRevision }),
    });
    return this.view(code, fiscalYear, principal, lang);
  }

  /** 复核完成: the evaluator has reviewed the official score, with or without adjustments. */
  async review(code: string, fiscalYear: number, note: string | undefined, principal: Principal, lang: Lang) {
    await this.departments.findVisible(code, principal);
    await this.years.transition(principal, code, fiscalYear, 'review', {
      reason: note ?? null,
      set: () => ({ reviewedAt: new Date(), reviewedBy: principal.name }),
      details: (row) => ({ evaluation: row.evaluationId, total: row.reviewedTotal ?? row.selfTotal, grade: row.grade }),
    });
    return this.view(code, fiscalYear, principal, lang);
  }

  /** 定稿: locks the year; nothing changes it until an admin reopens it. */
  async finalise(code: string, fiscalYear: number, note: string | undefined, principal: Principal, lang: Lang) {
    await this.departments.findVisible(code, principal);
    await this.years.transition(principal, code, fiscalYear, 'finalise', {
      reason: note ?? null,
      set: () => ({ finalisedAt: new Date(), finalisedBy: principal.name }),
      details: (row) => ({ evaluation: row.evaluationId, total: row.reviewedTotal ?? row.selfTotal, grade: row.grade }),
    });
    return this.view(code, fiscalYear, principal, lang);
  }

  /** 重新开启: an admin lifts the lock of a finalised year, with a reason; it is 已复核 again. */
  async reopen(code: string, fiscalYear: number, reason: string, principal: Principal, lang: Lang) {
    await this.departments.findVisible(code, principal);
    await this.years.transition(principal, code, fiscalYear, 'reopen', {
      reason,
      set: () => ({ finalisedAt: null, finalisedBy: null }),
      details: (row) => ({ evaluation: row.evaluationId }),
    });
    return this.view(code, fiscalYear, principal, lang);
  }

  private async facts(code: string, fiscalYear: number): Promise<YearFacts> {
    const row = (await this.years.find(code, fiscalYear)) ?? blankYear(code, fiscalYear);
    const where = { departmentCode: code, fiscalYear };
    const [latestDeclaration, firstDeclaration, latestSubmission, submitted, deadlines] = await Promise.all([
      this.declarations.findOne({ select: ['revision'], where, order: { revision: 'DESC' } }),
      this.declarations.findOne({ select: ['createdAt'], where, order: { revision: 'ASC' } }),
      this.submissions.findOne({ select: ['revision', 'targetRevision'], where, order: { revision: 'DESC' } }),
      row.submittedRevision === null
        ? null
        : this.submissions.findOne({
            select: ['targetRevision'],
            where: { ...where, revision: row.submittedRevision },
          }),
      this.deadlines.findOneBy({ fiscalYear }),
    ]);
    return {
      row,
      latestTargetRevision: latestDeclaration?.revision ?? null,
      firstDeclaredAt: firstDeclaration?.createdAt ?? null,
      latestSubmission,
      submittedTargetRevision: submitted?.targetRevision ?? null,
      deadlines,
      declaresTargets: latestDeclaration ? true : await this.yearDeclaresTargets(fiscalYear),
    };
  }

  /** Whether the year's published rule set has sections a department declares; undefined when none is published. */
  private async yearDeclaresTargets(fiscalYear: number): Promise<boolean | undefined> {
    try {
      return declaredSections(this.loader.toRuleSet(await this.loader.findPublishedForYear(fiscalYear))).length > 0;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'RULE_SET_AMBIGUOUS') return true;
      if (error instanceof ApiError && error.code === 'PRECONDITION_MISSING') return undefined;
      throw error;
    }
  }
}

/** 409 unless the revision was kept under the approved targets (when its rule set declares targets at all). */
function assertUnderApprovedTargets(
  code: string,
  fiscalYear: number,
  submission: Pick<SubmissionEntity, 'revision' | 'targetRevision'>,
  approved: number | null,
): void {
  if (submission.targetRevision === null) return;
  if (approved === null) {
    throw ApiError.conflict(
      localized(
        `${code} ${fiscalYear}年度的绩效目标尚未批复：请绩效处批复（POST …/targets/{revision}/approve）后再提交`,
        `the targets of ${code} ${fiscalYear} are not approved yet: an evaluator approves them ` +
          '(POST …/targets/{revision}/approve) before the year-end data is submitted',
      ),
    );
  }
  if (submission.targetRevision !== approved) {
    throw ApiError.conflict(
      localized(
        `第${submission.revision}版年终数据按第${submission.targetRevision}版绩效目标填报，而批复的是第${approved}版：` +
          '请按批复的目标重新填报（POST …/submissions）后提交',
        `revision ${submission.revision} was kept under targets revision ${submission.targetRevision}, but ` +
          `revision ${approved} is approved: keep the year-end data again (POST …/submissions) and submit that`,
      ),
    );
  }
}

/** What the department still has to do, in order. */
function missing(facts: YearFacts): Array<{ item: MissingItem; message: Localized }> {
  const { row, latestSubmission, declaresTargets } = facts;
  if (declaresTargets === undefined) {
    return [
      {
        item: 'rule-set',
        message: localized(
          `${row.fiscalYear}年度尚未发布指标体系：请管理员发布后再填报`,
          `no rule set is published for ${row.fiscalYear} yet: an admin publishes one first`,
        ),
      },
    ];
  }
  if (!['not-started', 'in-progress', 'returned'].includes(row.status)) return [];
  const items: Array<{ item: MissingItem; message: Localized }> = [];
  const approved = row.approvedTargetRevision;
  if (declaresTargets && facts.latestTargetRevision === null) {
    items.push({ item: 'targets', message: localized('尚未申报绩效目标', 'no targets are declared') });
  } else if (declaresTargets && approved === null) {
    items.push({
      item: 'targets-approval',
      message: localized(
        `绩效目标（第${facts.latestTargetRevision}版）尚未批复`,
        `the targets (revision ${facts.latestTargetRevision}) are not approved yet`,
      ),
    });
  }
  if (!latestSubmission) {
    items.push({ item: 'submission', message: localized('尚未填报年终数据', 'no year-end data is kept') });
    return items;
  }
  if (declaresTargets && approved !== null && latestSubmission.targetRevision !== approved) {
    items.push({
      item: 'resubmission',
      message: localized(
        `最新的年终数据（第${latestSubmission.revision}版）不是按批复的第${approved}版绩效目标填报的，请重新填报`,
        `the latest year-end data (revision ${latestSubmission.revision}) is not under the approved targets ` +
          `(revision ${approved}): keep it again`,
      ),
    });
  }
  items.push({
    item: 'submit',
    message:
      row.status === 'returned'
        ? localized('已退回，修改后请重新提交', 'returned: submit again once corrected')
        : localized(
            `年终数据（第${latestSubmission.revision}版）尚未提交`,
            `the year-end data (revision ${latestSubmission.revision}) is not submitted`,
          ),
  });
  return items;
}

/** Every workflow action and why the caller cannot take it now (none: allowed). */
function actions(facts: YearFacts, role: Role): Array<{ action: YearAction; reason?: Localized }> {
  const { row } = facts;
  return YEAR_ACTIONS.map((action) => {
    if (!isAllowedFor(action, role)) {
      const who = WORKFLOW[action].roles.map((r) => ROLE_NAMES[r]);
      const verb = WORKFLOW[action].verb;
      return {
        action,
        reason: localized(
          `仅${who.map((w) => w.zh).join('或')}可以${verb.zh}`,
          `only ${who.map((w) => w.en).join(' or ')} may ${verb.en}`,
        ),
      };
    }
    const why = refusal(action, row.status, row);
    if (why) return { action, reason: why };
    if (action === 'submit') {
      const blocking = missing(facts).find((m) => m.item !== 'submit');
      if (blocking) return { action, reason: blocking.message };
    }
    if (action === 'approve-targets' && facts.latestTargetRevision === null) {
      return { action, reason: localized('尚未申报绩效目标', 'no targets are declared') };
    }
    if (action === 'approve-targets' && facts.latestTargetRevision === row.approvedTargetRevision) {
      return { action, reason: localized('最新的绩效目标已批复', 'the latest targets are approved') };
    }
    return { action };
  });
}

/** A time as a Chinese reader of the bureau reads it: 北京时间 2022-03-31 23:59. */
export function beijing(date: Date): string {
  const shifted = new Date(new Date(date).getTime() + 8 * 3600_000).toISOString();
  return `北京时间 ${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}
