import { roundTo, ZERO } from '../decimal';
import { gradeFor } from '../grade-for';
import type { ImpactScoring } from '../impact/impact-scoring';
import { tallyNode } from './node-tally';
import type { ScoredSubmission } from './submission-scorer';

/**
 * The scores of a scored submission without its report: the total, the grade, and the score of every leaf and
 * declared section as the report would show it (the same tallies build-report.ts uses).
 */
export function summarize(scored: ScoredSubmission): ImpactScoring {
  const { file } = scored.compiled.ruleSet;
  const scores: Record<string, string> = {};
  let sum = ZERO;
  for (const section of file.indicators) {
    const tally = tallyNode(scored, section, (node, t) => (scores[node.code] = t.score.toFixed(t.places)));
    sum = sum.add(tally.score);
  }
  const total = roundTo(sum, file.rounding.totalPlaces, scored.compiled.mode);
  return { total: total.toFixed(file.rounding.totalPlaces), grade: gradeFor(total, file.grades).label, scores };
}
