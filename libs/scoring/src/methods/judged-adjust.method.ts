import type { JudgedAdjustMethod } from '@jiping/rules';
import { constant, plain } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** A judged 加减分: a signed score within [−penaltyCap, bonusCap] (checked on submission), with its reason. */
export const judgedAdjustMethod: ScoringMethod<JudgedAdjustMethod> = {
  type: 'judged-adjust',
  label: '评议加减分',
  score(method, { submission, round, show }) {
    const judgment = submission.judgments.get(method.input)!;
    const score = round(judgment.score);
    return {
      score,
      rule: 'judged-adjust',
      status: score.gt(0) ? 'bonus' : score.lt(0) ? 'penalty' : 'neutral',
      explain: () => ({
        calc: `${
          score.isZero() ? '评议不加分也不减分' : `评议${score.isNegative() ? '减' : '加'}${show(score.abs())}分`
        }。理由：${judgment.reason}`,
        description: writtenOnce(method, () => describeJudgedAdjust(method)),
        lostReason: score.isNegative() ? `评议减${show(score.abs())}分：${judgment.reason}` : undefined,
      }),
    };
  },
};

/** 评议加减分，最多加3分、最多减3分，须说明理由 */
export function describeJudgedAdjust(method: { bonusCap?: string; penaltyCap?: string }): string {
  const limits = [
    ...(method.bonusCap === undefined ? [] : [`最多加${plain(constant(method.bonusCap))}分`]),
    ...(method.penaltyCap === undefined ? [] : [`最多减${plain(constant(method.penaltyCap))}分`]),
  ];
  return `评议加减分，${limits.join('、')}，须说明理由`;
}
