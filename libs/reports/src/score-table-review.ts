import type { NodeReport, ScoreReport } from '@jiping/scoring';

/**
 * The 自评分 and 复核分 of an adjusted evaluation (复核), side by side for every node and for the total: the 复核分 is
 * the adjusted report's score, the 自评分 the score of the same node in the report as the department submitted it
 * (the evaluation that was adjusted first). Without that report, a node's 自评分 is known only where no 复核 touched
 * it or below it (its review carries it for a touched leaf); elsewhere, and for the total, it is left empty.
 */
export interface ReviewScores {
  selfScore(node: NodeReport): string;
  selfTotal: string;
  selfGrade: string;
}

/** The review scores of a report, or undefined when no evaluator adjusted it. */
export function reviewScores(report: ScoreReport, self?: ScoreReport): ReviewScores | undefined {
  if (!hasReview(report.sections)) return undefined;
  const selfNodes = new Map<string, NodeReport>();
  const walk = (nodes: readonly NodeReport[]): void =>
    nodes.forEach((node) => {
      selfNodes.set(node.code, node);
      walk(node.children ?? []);
    });
  if (self) walk(self.sections);
  return {
    selfScore: (node) =>
      selfNodes.get(node.code)?.score ??
      node.review?.selfScore ??
      (self || hasReview(node.children ?? []) ? '' : node.score),
    selfTotal: self?.total ?? '',
    selfGrade: self?.grade ?? '',
  };
}

export function hasReview(nodes: readonly NodeReport[]): boolean {
  return nodes.some((node) => node.review !== undefined || hasReview(node.children ?? []));
}
