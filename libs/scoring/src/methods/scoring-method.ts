import type { InputSpec, Interval, LeafNode, MethodSpec, RoundingMode } from '@jiping/rules';
import type { D } from '../decimal';
import type { NodeStatus } from '../score-report.types';
import type { ParsedSubmission } from '../submission/parsed-submission';

/** A leaf's metric after rounding to its display precision (what is shown is what is scored). */
export interface LeafMetric {
  value: D;
  shown: string;
  unit: 'percent' | 'number';
  /** '%' for a percent metric, '' otherwise. */
  suffix: string;
}

/** The band json-rules-engine decided for a banded leaf. */
export interface DecidedBand {
  index: number;
  rule: string;
  interval: Interval;
  label: string;
}

export interface LeafContext {
  leaf: LeafNode;
  weight: D;
  metric?: LeafMetric;
  band?: DecidedBand;
  submission: ParsedSubmission;
  /** Rounds a score with the leaf's places and the rule set's mode. */
  round(value: D): D;
  /** Shows a rounded score with the leaf's places. */
  show(value: D): string;
  /** The rule set's declared input of that id. */
  input(inputId: string): InputSpec;
  mode: RoundingMode;
}

export interface LeafOutcome {
  /** The rounded score. */
  score: D;
  /** The computation in words: 84.48%×2=1.69 */
  calc: string;
  /** Which rule decided the score, and how it reads. */
  rule: string;
  description: string;
  status?: NodeStatus;
  lostReason?: string;
  figures?: Record<string, string>;
}

/** One scoring method of domain.md §3: one module, registered in methods/index.ts. */
export interface ScoringMethod<M extends MethodSpec = MethodSpec> {
  readonly type: M['type'];
  /** Chinese name of the method, for reports. */
  readonly label: string;
  score(method: M, context: LeafContext): LeafOutcome;
}
