import type { CompiledRuleSet } from '../compile-rule-set';
import { D } from '../decimal';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { ScoringError } from '../scoring.error';
import type { Submission } from '@jiping/rules';
import { applyChanges } from '../what-if/apply-changes';
import { changesKey } from './apply-changes';
import type { HeadroomChange } from './headroom.types';

/** What headroom keeps of one candidate's ScoreReport: the total and, per node, its score, metric and calc. */
export interface ScoredCandidate {
  total: string;
  grade: string;
  gradeCode: string;
  nodes: ReadonlyMap<string, Pick<NodeReport, 'score' | 'calc'> & { metric?: string }>;
}

/** Every node of a report by code (groups, leaves, declared sections, goals and targets). */
export function nodesByCode(sections: readonly NodeReport[]): Map<string, NodeReport> {
  const nodes = new Map<string, NodeReport>();
  const walk = (node: NodeReport): void => {
    nodes.set(node.code, node);
    node.children?.forEach(walk);
  };
  sections.forEach(walk);
  return nodes;
}

export function toScoredCandidate(report: ScoreReport): ScoredCandidate {
  const nodes = new Map<string, Pick<NodeReport, 'score' | 'calc'> & { metric?: string }>();
  for (const [code, node] of nodesByCode(report.sections)) {
    nodes.set(code, { score: node.score, calc: node.calc, metric: node.metric?.value });
  }
  return { total: report.total, grade: report.grade, gradeCode: report.gradeCode, nodes };
}

/**
 * Scores candidate submissions (the submission with some changes) with the real engine and one compiled rule set,
 * memoized by the changes. The changes are applied by what-if's applyChanges, so every change headroom suggests is
 * one a what-if takes verbatim. A candidate that what-if or the engine refuses (a pointer to nothing, an undefined
 * metric, a value out of range) is undefined: it is not a way to gain points.
 */
export class CandidateScorer {
  /** How many times the engine actually scored. */
  scorings = 0;
  private readonly memo = new Map<string, Promise<ScoredCandidate | undefined>>();

  constructor(
    private readonly compiled: CompiledRuleSet,
    private readonly submission: unknown,
  ) {}

  score(changes: readonly HeadroomChange[]): Promise<ScoredCandidate | undefined> {
    const key = changesKey(changes);
    let scored = this.memo.get(key);
    if (!scored) {
      scored = this.run(changes);
      this.memo.set(key, scored);
    }
    return scored;
  }

  /** The score of one node of a candidate, as a Decimal. */
  static scoreOf(candidate: ScoredCandidate, code: string): D {
    return new D(candidate.nodes.get(code)!.score);
  }

  private async run(changes: readonly HeadroomChange[]): Promise<ScoredCandidate | undefined> {
    this.scorings += 1;
    try {
      const changed = applyChanges(this.submission as Submission, changes);
      return toScoredCandidate(await scoreSubmission(this.compiled, changed));
    } catch (error) {
      if (error instanceof ScoringError) return undefined;
      throw error;
    }
  }
}
