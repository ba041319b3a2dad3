import type { DeclaredNode } from '@jiping/rules';
import type { CompiledLeaf } from '../compile-rule-set';
import { D, ZERO } from '../decimal';
import type { ParsedDeclaredIndicator } from '../submission/parsed-submission';
import type { LeafResult, ScoredSubmission, TargetResult } from './submission-scorer';

/**
 * A node's score as numbers: what the report shows as `score`, `max`, `lost` and (for a group) its status, and
 * what the summary keeps. A parent's score is the exact sum of its children's rounded scores, never rounded again,
 * shown with as many decimals as its least precise child, more where the sum needs them (13.932, 50.00, 2.5).
 */
export interface NodeTally {
  score: D;
  max: D;
  /** Decimals the score is shown with. */
  places: number;
  /** Every leaf under the node is not applicable. */
  notApplicable: boolean;
}

export function leafTally(compiled: CompiledLeaf, result: LeafResult): NodeTally {
  return {
    score: result.outcome.score,
    max: compiled.adjustmentMax ?? compiled.weight,
    places: compiled.places,
    notApplicable: result.status === 'not-applicable',
  };
}

export function targetTally(indicator: ParsedDeclaredIndicator, result: TargetResult, places: number): NodeTally {
  return { score: result.outcome.score, max: indicator.weight, places, notApplicable: false };
}

export function sumTallies(children: NodeTally[]): NodeTally {
  let score: D = ZERO;
  let max: D = ZERO;
  let places = Infinity;
  let notApplicable = true;
  for (const child of children) {
    score = score.add(child.score);
    max = max.add(child.max);
    places = Math.min(places, child.places);
    notApplicable &&= child.notApplicable;
  }
  return { score, max, places: Math.max(places, score.decimalPlaces()), notApplicable };
}

/** The points a node lost (max − score, never below 0). */
export const lostOf = (tally: NodeTally): D => D.max(ZERO, tally.max.sub(tally.score));

/**
 * A declared section's score and the decimals it is shown with — what {@link sumTallies} gives for it over its goals
 * (two levels) or its targets (one level) — without the maxima and statuses only a report needs.
 */
export function declaredScore(scored: ScoredSubmission, node: DeclaredNode): { score: D; places: number } {
  const scorePlaces = scored.compiled.targetRounders.get(node.code)!.places;
  const results = scored.targets.get(node.code) ?? [];
  let score: D = ZERO;
  let places = scorePlaces;
  if (node.declared.levels === 1) {
    for (const result of results) score = score.add(result.outcome.score);
  } else {
    let next = 0;
    places = Infinity;
    for (const goal of scored.submission.declared.get(node.code) ?? []) {
      let goalScore: D = ZERO;
      for (let i = 0; i < goal.indicators.length; i++) goalScore = goalScore.add(results[next++].outcome.score);
      places = Math.min(places, Math.max(scorePlaces, goalScore.decimalPlaces()));
      score = score.add(goalScore);
    }
  }
  return { score, places: Math.max(places, score.decimalPlaces()) };
}
