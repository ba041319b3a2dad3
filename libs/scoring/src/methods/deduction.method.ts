import type { DeductionMethod } from '@jiping/rules';
import { constant, maxOf, minOf, plain, ZERO } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** Full marks up to the reference; perUnit points off per unit beyond it in the bad direction; never below 0. */
export const deductionMethod: ScoringMethod<DeductionMethod> = {
  type: 'deduction',
  label: '扣分法',
  score(method, { weight, metric, round, show, result }) {
    const reference = constant(method.reference);
    const value = metric!.value;
    const below = method.direction === 'below';
    const excess = below ? reference.sub(value) : value.sub(reference);
    const description = (): string =>
      writtenOnce(method, () => {
        const unit = metric!.suffix === '%' ? '个百分点' : '';
        return below
          ? `${plain(reference)}${metric!.suffix}得满分，每低1${unit || '个单位'}扣${method.perUnit}分，扣完为止`
          : `≤${plain(reference)}${metric!.suffix}得满分，每高1${unit || '个单位'}扣${method.perUnit}分，扣完为止`;
      });
    if (excess.lte(0)) {
      const score = round(weight);
      return {
        score,
        rule: 'deduction:full',
        explain: () => ({
          calc: `${metric!.shown}${below ? '≥' : '≤'}${plain(reference)}${metric!.suffix}，得满分${show(score)}`,
          description: description(),
        }),
      };
    }
    const deducted = excess.mul(constant(method.perUnit));
    const exact = maxOf(ZERO, weight.sub(deducted));
    const score = round(exact);
    return {
      score,
      rule: 'deduction:deducted',
      explain: () => {
        const gap = below ? `(${plain(reference)}-${plain(value)})` : `(${plain(value)}-${plain(reference)})`;
        return {
          calc: score.isZero()
            ? `${plain(weight)}-${gap}×${method.perUnit}≤0，得0分`
            : `${plain(weight)}-${gap}×${method.perUnit}=${result(exact, score)}`,
          description: description(),
          lostReason: `${metric!.shown}${below ? '低于' : '高于'}${plain(reference)}${metric!.suffix}，扣${plain(minOf(deducted, weight))}分`,
        };
      },
    };
  },
};
