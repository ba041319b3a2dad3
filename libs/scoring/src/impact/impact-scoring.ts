import { type IndicatorNode, isGroupNode, type RuleSet } from '@jiping/rules';
import type { NodeReport, ScoreReport } from '../score-report.types';

/**
 * An indicator a rule-change impact compares across departments: a scored leaf of the rule set, or a declared-target
 * section (履职效能) taken whole — its goals and key indicators are each department's own, so only the section's score
 * means the same thing in every department.
 */
export interface ImpactIndicator {
  code: string;
  name: string;
}

/** What one rule set says about impact: its grade labels (highest first) and its comparable indicators. */
export interface ImpactFrame {
  grades: string[];
  indicators: ImpactIndicator[];
  /** The rule set's vetoes and caps (RuleFile.vetoes), to count the departments each held for. */
  vetoes?: ImpactVetoSpec[];
}

/** A veto or cap of a rule set, as an impact names it. */
export interface ImpactVetoSpec {
  code: string;
  name: string;
  reason: string;
}

/** What one scoring contributes to an impact analysis: total, grade, and the score of each comparable indicator. */
export interface ImpactScoring {
  total: string;
  grade: string;
  /** Score by indicator code: every leaf and declared section of the rule set ({@link ImpactIndicator}). */
  scores: Record<string, string>;
  /** In a simulation, the keys of the assumed values this department's scoring used (SimulationAssumption.key). */
  assumed?: string[];
  /** The codes of the rule set's vetoes and caps that held (`total` and `grade` are after them); absent when none. */
  vetoes?: string[];
  /** The codes of the leaves and declared key indicators the department marked 不适用; absent when none. */
  notApplicable?: string[];
}

/** The grade labels and the comparable indicators (leaves and declared sections) of a rule set, in its order. */
export function impactFrameOf(ruleSet: RuleSet): ImpactFrame {
  const indicators: ImpactIndicator[] = [];
  const walk = (nodes: readonly IndicatorNode[]): void => {
    for (const node of nodes) {
      if (isGroupNode(node)) walk(node.children);
      else indicators.push({ code: node.code, name: node.name });
    }
  };
  walk(ruleSet.file.indicators);
  const vetoes = (ruleSet.file.vetoes ?? []).map((veto) => ({
    code: veto.code,
    name:
      veto.name ?? (veto.setGrade !== undefined ? '一票否决' : veto.maxGrade !== undefined ? '等次上限' : '总分封顶'),
    reason: veto.reason,
  }));
  return {
    grades: ruleSet.file.grades.map((grade) => grade.label),
    indicators,
    ...(vetoes.length > 0 && { vetoes }),
  };
}

/**
 * The part of a ScoreReport an impact analysis keeps: the total, the grade, and the score of every leaf and
 * declared-target section by code (not the groups above them, which are sums, nor the department's own targets).
 */
export function impactScoringOf(report: ScoreReport): ImpactScoring {
  const scores: Record<string, string> = {};
  const walk = (nodes: NodeReport[]): void => {
    for (const node of nodes) {
      if (node.kind === 'leaf' || node.kind === 'declared-section') scores[node.code] = node.score;
      else if (node.children) walk(node.children);
    }
  };
  walk(report.sections);
  return {
    total: report.total,
    grade: report.grade,
    scores,
    ...(report.vetoes && { vetoes: report.vetoes.map((veto) => veto.code) }),
    ...(report.notApplicable && { notApplicable: report.notApplicable.indicators.map((i) => i.code) }),
  };
}
