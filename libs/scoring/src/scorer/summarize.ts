import { type DeclaredNode, type IndicatorNode, isDeclaredNode, isGroupNode } from '@jiping/rules';
import type { CompiledLeaf, CompiledRuleSet } from '../compile-rule-set';
import { fixed } from '../decimal';
import { vetoOutcome } from './veto-outcome';
import type { ImpactScoring } from '../impact/impact-scoring';
import { declaredScore } from './node-tally';
import type { ScoredSubmission } from './submission-scorer';

/** What a summary reads, in the rule set's order: its leaves and declared sections. */
type Part = { code: string; leaf: CompiledLeaf } | { code: string; section: DeclaredNode };
const partsByRuleSet = new WeakMap<CompiledRuleSet, Part[]>();

function partsOf(compiled: CompiledRuleSet): Part[] {
  let parts = partsByRuleSet.get(compiled);
  if (!parts) {
    const found: Part[] = [];
    const visit = (node: IndicatorNode): void => {
      if (isGroupNode(node)) node.children.forEach(visit);
      else if (isDeclaredNode(node)) found.push({ code: node.code, section: node });
      else found.push({ code: node.code, leaf: compiled.leaves.get(node.code)! });
    };
    compiled.ruleSet.file.indicators.forEach(visit);
    partsByRuleSet.set(compiled, (parts = found));
  }
  return parts;
}

/**
 * The scores of a scored submission without its report: the total, the grade, and the score of every leaf and
 * declared section as the report shows it (a declared section's as build-report.ts tallies it). The groups above
 * them are not summed one by one: the total is the exact sum of the leaves and sections under them.
 */
export function summarize(scored: ScoredSubmission): ImpactScoring {
  const { compiled } = scored;
  const { file } = compiled.ruleSet;
  const scores: Record<string, string> = {};
  for (const part of partsOf(compiled)) {
    const figure = scored.submission.notApplicable.size > 0 ? scored.tree?.nodes.get(part.code) : undefined;
    if (figure) {
      scores[part.code] = fixed(figure.score, figure.places);
    } else if ('section' in part) {
      const { score, places } = declaredScore(scored, part.section);
      scores[part.code] = fixed(score, places);
    } else {
      const score = scored.leaves.get(part.code)!.outcome.score;
      scores[part.code] = part.leaf.show(score);
    }
  }
  const { total, grade } = vetoOutcome(file, scored.scoredTotal, scored.vetoes);
  return {
    total: fixed(total, file.rounding.totalPlaces),
    grade: grade.label,
    scores,
    ...(scored.vetoes.length > 0 && { vetoes: [...scored.vetoes] }),
    ...(scored.tree &&
      scored.submission.notApplicable.size > 0 && { notApplicable: [...scored.submission.notApplicable.keys()] }),
  };
}
