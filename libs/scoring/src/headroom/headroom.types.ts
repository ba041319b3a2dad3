/**
 * Headroom (提分空间): where a scored submission lost points and what it would take to gain them back, found by the
 * engine from the rule set. Every number is a decimal string; every figure was scored by the real engine.
 */
export interface Headroom {
  ruleSet: { id: string; version: string; checksum: string };
  department: { code: string; name: string };
  fiscalYear: number;
  /** The submission's total and grade as scored. */
  total: string;
  maxTotal: string;
  grade: string;
  gradeCode: string;
  /** Σ lost over `lost` = maxTotal − total. */
  totalLost: string;
  /** Every leaf and declared target that lost points, the largest loss first (ties in tree order). */
  lost: HeadroomLostLeaf[];
  /** The next grade above the current one; null at the top grade. */
  nextGrade: HeadroomNextGrade | null;
  /** Points between the total and the maximum (the room left, also at the top grade). */
  toMaximum: string;
  /** The cheapest combination of options that lifts the total to the next grade; null at the top grade. */
  plan: HeadroomPlan | null;
  /** How many times the engine scored a candidate submission to find all this. */
  scorings: number;
}

export interface HeadroomLostLeaf {
  code: string;
  name: string;
  score: string;
  max: string;
  lost: string;
  /** The scoring method (proportional, bands, checklist, …, target). */
  method: string;
  /** Why points were lost (扣分原因), as the ScoreReport says. */
  reason: string;
  /** The metric as scored, e.g. 84.48%, when the leaf has one. */
  metric?: string;
  /** Ways to gain points on this leaf, each on its own (alternatives, not steps). */
  options: HeadroomOption[];
}

/** A value to set in the submission: the same `{ pointer, value }` a what-if change takes. */
export interface HeadroomChange {
  /** JSON pointer into the submission, e.g. /inputs/procurementActual. */
  pointer: string;
  value: string | number | boolean;
}

/**
 * One way to gain points on a leaf. `figure`: a submitted figure to change (an input a metric formula reads, or a
 * target's actual value); `judgment`: a judgment-based value (a checklist point, a yes/no, a judged score, a count of
 * commendations or violations, a qualitative tier), not a figure to change.
 */
export interface HeadroomOption {
  kind: 'figure' | 'judgment';
  /**
   * first-gain: the smallest change that raises the score; next-level: the smallest change that reaches the next
   * band or level above the previous option; full: the smallest change that reaches the leaf's full score.
   */
  step: 'first-gain' | 'next-level' | 'full';
  /** The input id, or the target's code, that changes. */
  input: string;
  /** Its Chinese label (a checklist point's label for a point). */
  label: string;
  pointer: string;
  /** The value as submitted and the value proposed (decimal strings; true/false for points and yes/no). */
  from: string;
  to: string;
  /**
   * Whether an evaluator's 复核 (POST …/evaluations/:id/adjustments) takes `changes` as they are, each with a reason:
   * true for judgment-based values (checklist points, yes/no, judged scores and tiers, a qualitative target's tier or
   * score); false for figures (money, rates, counts, actual values), which only the department's data can change.
   * Every option's `changes` are taken by a what-if as they are.
   */
  adjustable: boolean;
  /** The leaf's metric before and after, as scored (rounded to its display precision), when it has one. */
  metricFrom?: string;
  metricTo?: string;
  /** The leaf's score with this change alone. */
  scoreTo: string;
  /** scoreTo − the leaf's score. */
  gain: string;
  /** The total with this change alone, as the engine scores it. */
  total: string;
  /** The engine's computation at `to`, e.g. 99.75%×2=2.00. */
  calc?: string;
  /** What to set in the submission (usable as what-if changes). */
  changes: HeadroomChange[];
}

export interface HeadroomNextGrade {
  code: string;
  label: string;
  /** The grade's inclusive lower bound. */
  min: string;
  /** min − total. */
  needed: string;
  /** Whether the options found can lift the total that far at all. */
  reachable: boolean;
}

export interface HeadroomPlanStep {
  code: string;
  name: string;
  option: HeadroomOption;
}

/**
 * The cheapest combination of options (at most one per leaf) whose gains lift the total to the next grade:
 * fewest leaves changed, then the smallest overshoot of the gain over what is needed, then fewer judgment-based
 * steps, then tree order. Verified by scoring all its changes together.
 */
export interface HeadroomPlan {
  /** The grade the plan aims at and the points needed to reach its lower bound. */
  grade: { code: string; label: string; min: string };
  needed: string;
  /** exact: every combination of up to 16 candidate leaves was considered; greedy: more candidates than that. */
  search: 'exact' | 'greedy';
  steps: HeadroomPlanStep[];
  leavesChanged: number;
  /** Σ of the steps' gains on the total, each scored alone. */
  expectedGain: string;
  /** expectedGain − needed. */
  overshoot: string;
  /** All the steps' changes scored together by the engine. */
  verified: { total: string; grade: string; gradeCode: string; reached: boolean };
}
