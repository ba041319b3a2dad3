import type { InputSpec, Interval, LeafNode, MethodSpec, RoundingMode } from '@jiping/rules';
import type { D } from '../decimal';
import type { NodeStatus } from '../score-report.types';
import type { ParsedSubmission } from '../submission/parsed-submission';

/** A leaf's metric after rounding to its display precision (what is shown is what is scored). */
export interface LeafMetric {
  value: D;
  /** As shown (84.48%); written on first read. */
  readonly shown: string;
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
  /** What follows "=" in a computation: the score, or the value before rounding and the step (8.62，取整得9分). */
  result(exact: D, score: D): string;
  /** "得…分" for a value that rounding may change: 得1.50分, or 得1.5分，取整得2分. */
  earns(exact: D, score: D): string;
  /** The rule set's declared input of that id. */
  input(inputId: string): InputSpec;
  mode: RoundingMode;
}

/**
 * What a method decided. The score comes first and costs only arithmetic; the words (评分依据's computation,
 * the rule's reading, why points were lost) are written by `explain`, which only a report calls — batch scoring
 * and impact analysis never pay for text they do not keep.
 */
export interface LeafOutcome {
  /** The rounded score. */
  score: D;
  /** Which rule decided the score. */
  rule: string;
  status?: NodeStatus;
  explain(): LeafExplanation;
}

/** A leaf's score in words. */
export interface LeafExplanation {
  /** The computation in words: 84.48%×2=1.69 */
  calc: string;
  /** How the deciding rule reads. */
  description: string;
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
