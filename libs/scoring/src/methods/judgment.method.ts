import type { JudgmentMethod } from '@jiping/rules';
import { plain } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** A judged score within [0, w] (and within its tier), with a mandatory reason; checked on submission. */
export const judgmentMethod: ScoringMethod<JudgmentMethod> = {
  type: 'judgment',
  label: '评议计分',
  score(method, { weight, submission, round, earns }) {
    const judgment = submission.judgments.get(method.input)!;
    const tier = method.tiers?.find((t) => t.code === judgment.tier);
    const score = round(judgment.score);
    return {
      score,
      rule: tier ? `judgment:${tier.code}` : 'judgment',
      explain: () => {
        const range = tier ? `${tier.label}（${plain(weight.mul(tier.min))}-${plain(weight.mul(tier.max))}分）` : '';
        return {
          calc: `${range ? `评议为${range}，` : ''}${earns(judgment.score, score)}。理由：${judgment.reason}`,
          description: writtenOnce(method, () =>
            method.tiers
              ? method.tiers
                  .map((t) => `${t.label}${plain(weight.mul(t.min))}-${plain(weight.mul(t.max))}分`)
                  .join('；')
              : `在0-${plain(weight)}分内评议`,
          ),
          lostReason: score.lt(weight) ? `评议扣分：${judgment.reason}` : undefined,
        };
      },
    };
  },
};
