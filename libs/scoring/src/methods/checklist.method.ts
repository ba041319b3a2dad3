import type { ChecklistMethod } from '@jiping/rules';
import { constant, type D, ZERO } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** Named points, each worth its points; the score is the sum of the points met. */
export const checklistMethod: ScoringMethod<ChecklistMethod> = {
  type: 'checklist',
  label: '要点计分',
  score(method, { submission, round, earns, input }) {
    const spec = input(method.input);
    const points = spec.type === 'checklist' ? spec.points : [];
    const answers = submission.checklists.get(method.input)!;
    let total: D = ZERO;
    for (const point of points) if (answers.get(point.id)!.met) total = total.add(constant(point.points));
    const score = round(total);
    return {
      score,
      rule: 'checklist',
      explain: () => {
        const parts: string[] = [];
        const missed: string[] = [];
        points.forEach((point, i) => {
          const answer = answers.get(point.id)!;
          const evidence = answer.evidence ? `（${answer.evidence}）` : '';
          if (answer.met) parts.push(`${i + 1}.${point.label}，得${point.points}分${evidence}`);
          else {
            parts.push(`${i + 1}.${point.label}未满足，不得分${evidence}`);
            missed.push(`${point.label}（${point.points}分）`);
          }
        });
        return {
          calc: `${parts.join('；')}；共${points.length}项要点满足${points.length - missed.length}项，${earns(total, score)}`,
          description: writtenOnce(points, () => points.map((p) => `${p.label}${p.points}分`).join('；')),
          lostReason: missed.length > 0 ? `未满足：${missed.join('、')}` : undefined,
          figures: Object.fromEntries(points.map((p) => [p.label, answers.get(p.id)!.met ? '是' : '否'])),
        };
      },
    };
  },
};
