import { DEPARTMENT_YEAR_STATUSES, type DepartmentYearStatus } from '@jiping/persistence';
import {
  isAllowedFor,
  isAllowedIn,
  nextStatus,
  refusal,
  WORKFLOW,
  type YearAction,
  YEAR_ACTIONS,
} from './year-workflow';

const context = { departmentCode: 'gz-kjj', fiscalYear: 2021, submittedRevision: 2 };

describe('the year workflow', () => {
  it.each<[YearAction, DepartmentYearStatus, DepartmentYearStatus]>([
    ['edit', 'not-started', 'in-progress'],
    ['edit', 'in-progress', 'in-progress'],
    ['edit', 'returned', 'returned'],
    ['submit', 'in-progress', 'submitted'],
    ['submit', 'returned', 'submitted'],
    ['return', 'submitted', 'returned'],
    ['return', 'scored', 'returned'],
    ['return', 'reviewed', 'returned'],
    ['score', 'submitted', 'scored'],
    ['score', 'reviewed', 'scored'],
    ['adjust', 'scored', 'scored'],
    ['adjust', 'reviewed', 'reviewed'],
    ['review', 'scored', 'reviewed'],
    ['finalise', 'reviewed', 'finalised'],
    ['reopen', 'finalised', 'reviewed'],
  ])('%s in %s leads to %s', (action, from, to) => {
    expect(isAllowedIn(action, from)).toBe(true);
    expect(nextStatus(action, from)).toBe(to);
    expect(refusal(action, from, context)).toBeUndefined();
  });

  it('a finalised year allows nothing but reopening, and says so in Chinese and English', () => {
    for (const action of YEAR_ACTIONS.filter((a) => a !== 'reopen')) {
      const why = refusal(action, 'finalised', context)!;
      expect(why.zh).toMatch(/^gz-kjj 2021年度当前为「已定稿」，不能/);
      expect(why.en).toMatch(/^gz-kjj 2021 is finalised: cannot /);
    }
  });

  it('every status allows some action, and every other action has a refusal naming it', () => {
    for (const status of DEPARTMENT_YEAR_STATUSES) {
      const allowed = YEAR_ACTIONS.filter((action) => isAllowedIn(action, status));
      expect(allowed.length).toBeGreaterThan(0);
      for (const action of YEAR_ACTIONS.filter((a) => !allowed.includes(a))) {
        expect(refusal(action, status, context)?.zh).toContain(`不能${WORKFLOW[action].verb.zh}`);
      }
    }
  });

  it('names the submitted revision when a department tries to change a submitted year', () => {
    expect(refusal('edit', 'submitted', context)?.zh).toBe(
      'gz-kjj 2021年度当前为「已提交」，不能修改绩效目标或年终数据：已提交第2版，评审期间不能修改；如需修改，请绩效处退回（POST …/return）',
    );
  });

  it('gives each step to its roles: departments submit, evaluators return, score, review, finalise; admins reopen', () => {
    expect(YEAR_ACTIONS.filter((a) => isAllowedFor(a, 'department'))).toEqual(['edit', 'submit']);
    expect(YEAR_ACTIONS.filter((a) => isAllowedFor(a, 'evaluator'))).toEqual([
      'approve-targets',
      'return',
      'score',
      'adjust',
      'review',
      'finalise',
    ]);
    expect(YEAR_ACTIONS.filter((a) => isAllowedFor(a, 'admin'))).toEqual(YEAR_ACTIONS);
  });
});
