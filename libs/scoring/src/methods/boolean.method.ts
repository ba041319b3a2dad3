import type { BooleanMethod } from '@jiping/rules';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** Met → the weight, else 0. */
export const booleanMethod: ScoringMethod<BooleanMethod> = {
  type: 'boolean',
  label: '是否计分',
  score(method, { weight, submission, round, earns, input }) {
    const met = submission.booleans.get(method.input)!;
    const points = met ? weight : weight.mul(0);
    const score = round(points);
    return {
      score,
      rule: met ? 'boolean:met' : 'boolean:unmet',
      explain: () => {
        const label = input(method.input).label;
        return {
          calc: met ? `${label}，${earns(points, score)}` : `${label}：否，不得分`,
          description: writtenOnce(method, () => `满足得${weight.toFixed()}分，否则不得分`),
          lostReason: met ? undefined : `未满足：${label}`,
          figures: { [label]: met ? '是' : '否' },
        };
      },
    };
  },
};
