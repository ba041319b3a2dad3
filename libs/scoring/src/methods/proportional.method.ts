import type { ProportionalMethod } from '@jiping/rules';
import { constant, HUNDRED, maxOf, minOf, plain, ZERO } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** score = w × min(r, cap); r in percentage points, cap 100 % unless declared. Multiplies before dividing. */
export const proportionalMethod: ScoringMethod<ProportionalMethod> = {
  type: 'proportional',
  label: '按比例计分',
  score(method, { weight, metric, round, result }) {
    const cap = method.cap === undefined ? HUNDRED : constant(method.cap);
    const rate = maxOf(ZERO, minOf(metric!.value, cap));
    const exact = weight.mul(rate).div(HUNDRED);
    const score = round(exact);
    return {
      score,
      rule: 'proportional',
      explain: () => ({
        calc: rate.eq(metric!.value)
          ? `${metric!.shown}×${plain(weight)}=${result(exact, score)}`
          : `${metric!.shown}按${plain(rate)}%计，${plain(rate)}%×${plain(weight)}=${result(exact, score)}`,
        description: writtenOnce(
          method,
          () => `得分=分值×${metric!.unit === 'percent' ? '比率' : '指标值'}（上限${plain(cap)}%）`,
        ),
        lostReason: score.lt(weight) ? `${metric!.shown}未达${plain(cap)}%` : undefined,
      }),
    };
  },
};
