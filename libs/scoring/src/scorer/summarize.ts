import { type IndicatorNode, isDeclaredNode, isGroupNode } from '@jiping/rules';
import { type D, roundTo, ZERO, fixed } from '../decimal';
import { gradeFor } from '../grade-for';
import type { ImpactScoring } from '../impact/impact-scoring';
import { declaredTally } from './node-tally';
import type { ScoredSubmission } from './submission-scorer';

/**
 * The scores of a scored submission without its report: the total, the grade, and the score of every leaf and
 * declared section as the report shows it (a declared section's through the tally build-report.ts uses). The
 * groups above them are not summed one by one: the total is the exact sum of the leaves and sections under them.
 */
export function summarize(scored: ScoredSubmission): ImpactScoring {
  const { compiled } = scored;
  const { file } = compiled.ruleSet;
  const scores: Record<string, string> = {};
  let sum: D = ZERO;
  const visit = (node: IndicatorNode): void => {
    if (isGroupNode(node)) node.children.forEach(visit);
    else if (isDeclaredNode(node)) {
      const tally = declaredTally(scored, node);
      scores[node.code] = fixed(tally.score, tally.places);
      sum = sum.add(tally.score);
    } else {
      const score = scored.leaves.get(node.code)!.outcome.score;
      scores[node.code] = compiled.leaves.get(node.code)!.show(score);
      sum = sum.add(score);
    }
  };
  file.indicators.forEach(visit);
  const total = roundTo(sum, file.rounding.totalPlaces, compiled.mode);
  return { total: fixed(total, file.rounding.totalPlaces), grade: gradeFor(total, file.grades).label, scores };
}
