import type { DepartmentYearStatus, Role } from '@jiping/persistence';
import { type Localized, localized } from '@jiping/rules';

/** The words users see for each status (统一术语). */
export const STATUS_LABELS: Record<DepartmentYearStatus, string> = {
  'not-started': '未填报',
  'in-progress': '填报中',
  submitted: '已提交',
  returned: '已退回',
  scored: '已评分',
  reviewed: '已复核',
  finalised: '已定稿',
};

/**
 * What can be done to a department's year. `edit` is a department's own work (declaring targets, keeping year-end
 * data); the others are the workflow's steps.
 */
export const YEAR_ACTIONS = [
  'edit',
  'approve-targets',
  'submit',
  'return',
  'score',
  'adjust',
  'review',
  'finalise',
  'reopen',
] as const;
export type YearAction = (typeof YEAR_ACTIONS)[number];

interface Step {
  /** The statuses the action may be taken in. */
  from: readonly DepartmentYearStatus[];
  /** The status after it; undefined: unchanged. */
  to?: DepartmentYearStatus;
  /** The roles that may take it (the routes' @Roles are these). */
  roles: readonly Role[];
  /** The action in words, as a button or a refusal names it. */
  verb: Localized;
}

/**
 * The workflow: 未填报 → 填报中 → 已提交 → (已退回 → 已提交 …) → 已评分 → 已复核 → 已定稿, and 已定稿 → 已复核 only by
 * an admin with a reason (reopen). 退回 is possible from 已提交, 已评分 and 已复核; scoring again from 已评分 or 已复核
 * goes back to 已评分 (the review is then to be done again).
 */
export const WORKFLOW: Record<YearAction, Step> = {
  edit: {
    from: ['not-started', 'in-progress', 'returned'],
    roles: ['admin', 'department'],
    verb: localized('修改绩效目标或年终数据', 'change the targets or the year-end data'),
  },
  'approve-targets': {
    from: ['not-started', 'in-progress', 'returned'],
    roles: ['evaluator', 'admin'],
    verb: localized('批复绩效目标', 'approve targets'),
  },
  submit: {
    from: ['in-progress', 'returned'],
    to: 'submitted',
    roles: ['department', 'admin'],
    verb: localized('提交', 'submit'),
  },
  return: {
    from: ['submitted', 'scored', 'reviewed'],
    to: 'returned',
    roles: ['evaluator', 'admin'],
    verb: localized('退回', 'return it'),
  },
  score: {
    from: ['submitted', 'scored', 'reviewed'],
    to: 'scored',
    roles: ['evaluator', 'admin'],
    verb: localized('正式评分', 'score it officially'),
  },
  adjust: {
    from: ['scored', 'reviewed'],
    roles: ['evaluator', 'admin'],
    verb: localized('复核调整', 'adjust its evaluation'),
  },
  review: {
    from: ['scored'],
    to: 'reviewed',
    roles: ['evaluator', 'admin'],
    verb: localized('完成复核', 'mark it reviewed'),
  },
  finalise: {
    from: ['reviewed'],
    to: 'finalised',
    roles: ['evaluator', 'admin'],
    verb: localized('定稿', 'finalise it'),
  },
  reopen: {
    from: ['finalised'],
    to: 'reviewed',
    roles: ['admin'],
    verb: localized('重新开启', 'reopen it'),
  },
};

/** The status after `action` taken in `status` (the first edit of a year starts it: 未填报 → 填报中). */
export function nextStatus(action: YearAction, status: DepartmentYearStatus): DepartmentYearStatus {
  if (action === 'edit' && status === 'not-started') return 'in-progress';
  return WORKFLOW[action].to ?? status;
}

export function isAllowedIn(action: YearAction, status: DepartmentYearStatus): boolean {
  return WORKFLOW[action].from.includes(status);
}

export function isAllowedFor(action: YearAction, role: Role): boolean {
  return WORKFLOW[action].roles.includes(role);
}

/** Facts a refusal names. */
export interface RefusalContext {
  departmentCode: string;
  fiscalYear: number;
  submittedRevision?: number | null;
}

const LOCKED = localized(
  '已定稿，任何提交、目标、复核和评分都不能再改变它；如确需修改，请管理员重新开启（POST …/reopen）并说明理由',
  'it is finalised: no submission, target, adjustment or scoring changes it; an admin may reopen it with a reason ' +
    '(POST …/reopen)',
);

/** Why `action` cannot be taken in `status` (the status allows it: undefined). Chinese first, with what to do. */
export function refusal(
  action: YearAction,
  status: DepartmentYearStatus,
  context: RefusalContext,
): Localized | undefined {
  if (isAllowedIn(action, status)) return undefined;
  const { departmentCode, fiscalYear, submittedRevision } = context;
  const verb = WORKFLOW[action].verb;
  const hint = status === 'finalised' && action !== 'finalise' ? LOCKED : hintFor(action, status, submittedRevision);
  return localized(
    `${departmentCode} ${fiscalYear}年度当前为「${STATUS_LABELS[status]}」，不能${verb.zh}：${hint.zh}`,
    `${departmentCode} ${fiscalYear} is ${status}: cannot ${verb.en}: ${hint.en}`,
  );
}

function hintFor(action: YearAction, status: DepartmentYearStatus, revision?: number | null): Localized {
  const handedIn = revision
    ? localized(`已提交第${revision}版`, `revision ${revision} is submitted`)
    : localized('已提交', 'it is submitted');
  switch (action) {
    case 'edit':
    case 'approve-targets':
      return localized(
        `${handedIn.zh}，评审期间不能修改；如需修改，请绩效处退回（POST …/return）`,
        `${handedIn.en} and under review; to change it, an evaluator returns it (POST …/return)`,
      );
    case 'submit':
      if (status === 'not-started') {
        return localized(
          '尚未填报年终数据：先申报绩效目标并填报年终数据（POST …/submissions）',
          'no year-end data yet: declare targets and keep year-end data first (POST …/submissions)',
        );
      }
      if (status === 'submitted') return localized(`${handedIn.zh}，无需重复提交`, `${handedIn.en} already`);
      return localized(
        `${handedIn.zh}并已评分；如需重新提交，请绩效处先退回`,
        `${handedIn.en} and scored; to submit again, an evaluator returns it first`,
      );
    case 'return':
      return localized('尚未提交，没有可退回的版本', 'nothing is submitted, so there is nothing to return');
    case 'score':
      return localized(
        '尚未提交：正式评分只对部门提交的版本评分（POST …/submit）',
        'nothing is submitted: official scoring scores the revision a department submits (POST …/submit)',
      );
    case 'adjust':
      return localized('尚未正式评分，没有可复核的评分', 'it is not scored officially, so there is nothing to adjust');
    case 'review':
      return status === 'reviewed'
        ? localized('已完成复核', 'it is reviewed already')
        : localized(
            '尚未正式评分：先评分（POST …/evaluations），再复核',
            'it is not scored: score it (POST …/evaluations), then review it',
          );
    case 'finalise':
      return status === 'finalised'
        ? localized('已定稿', 'it is finalised already')
        : localized(
            '须先完成复核（POST …/review）才能定稿',
            'it must be reviewed (POST …/review) before it is finalised',
          );
    case 'reopen':
      return localized('未定稿，无需重新开启', 'it is not finalised, so there is nothing to reopen');
  }
}
