import type { CountAdjustMethod } from '@jiping/rules';
import { constant, minOf, plain } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** +a per positive event up to +P, −b per negative event down to −N, then netted. */
export const countAdjustMethod: ScoringMethod<CountAdjustMethod> = {
  type: 'count-adjust',
  label: '加减分',
  score(method, { submission, round, show, input }) {
    const positives = submission.numbers.get(method.positive.input)!;
    const negatives = submission.numbers.get(method.negative.input)!;
    const bonus = minOf(positives.mul(constant(method.positive.each)), constant(method.positive.cap));
    const penalty = minOf(negatives.mul(constant(method.negative.each)), constant(method.negative.cap));
    const score = round(bonus.sub(penalty));
    return {
      score,
      rule: 'count-adjust',
      status: score.gt(0) ? 'bonus' : score.lt(0) ? 'penalty' : 'neutral',
      explain: () => {
        const [posLabel, negLabel] = [input(method.positive.input).label, input(method.negative.input).label];
        const parts = [
          `${posLabel}${positives.toFixed()}次，加${plain(bonus)}分${bonus.lt(positives.mul(method.positive.each)) ? `（上限${method.positive.cap}分）` : ''}`,
          `${negLabel}${negatives.toFixed()}次，减${plain(penalty)}分${penalty.lt(negatives.mul(method.negative.each)) ? `（上限${method.negative.cap}分）` : ''}`,
        ];
        return {
          calc: `${parts.join('；')}；合计${score.isNegative() ? '' : '+'}${show(score)}分`,
          description: writtenOnce(
            method,
            () =>
              `每项加${method.positive.each}分，最多加${method.positive.cap}分；每起扣${method.negative.each}分，最多扣${method.negative.cap}分`,
          ),
          lostReason: penalty.gt(0)
            ? `${negLabel}${negatives.toFixed()}次，扣${plain(penalty)}分`
            : bonus.lt(method.positive.cap)
              ? `加分${plain(bonus)}分，未达上限${method.positive.cap}分`
              : undefined,
          figures: { [posLabel]: positives.toFixed(), [negLabel]: negatives.toFixed() },
        };
      },
    };
  },
};
