import type { ProportionalMethod } from '@jiping/rules';
import { constant, HUNDRED, maxOf, minOf, plain, ZERO } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** score = w × min(r, cap); r in percentage points, cap 100 % unless declared. Multiplies before dividing. */
export const proportionalMethod: ScoringMethod<ProportionalMethod> = {
  type: 'proportional',
  label: '按比例计分',
  score(method, { weight, metric, round, show }) {
    const cap = method.cap === undefined ? HUNDRED : constant(method.cap);
    const rate = maxOf(ZERO, minOf(metric!.value, cap));
    const score = round(weight.mul(rate).div(HUNDRED));
    return {
      score,
      rule: 'proportional',
      explain: () => ({
        calc: rate.eq(metric!.value)
          ? `${metric!.shown}×${plain(weight)}=${show(score)}`
          : `${metric!.shown}按${plain(rate)}%计，${plain(rate)}%×${plain(weight)}=${show(score)}`,
        description: writtenOnce(
          method,
          () => `得分=分值×${metric!.unit === 'percent' ? '比率' : '指标值'}（上限${plain(cap)}%）`,
        ),
        lostReason: score.lt(weight) ? `${metric!.shown}未达${plain(cap)}%` : undefined,
      }),
    };
  },
};
