import type { Message } from '@jiping/rules';
import type { ImpactScoring, ScoreReport, ScoringProblem } from '@jiping/scoring';

/** What a worker sends back per submission and rule set: the scoring, or why the submission could not be scored. */
export type ScoringOutcome =
  | { ok: true; scoring: ImpactScoring; report?: ScoreReport }
  | { ok: false; error: ScoringFailure };

/** A submission that could not be scored: the ScoringError's code, message and pointed problems. */
export interface ScoringFailure {
  /** A ScoringErrorCode, RULE_SET_INVALID when the rule set did not load, or INTERNAL for an unexpected error. */
  code: string;
  /** Chinese first (a Localized message); render it in the reader's language with inLang. */
  message: Message;
  problems: ScoringProblem[];
}

/** What the worker returns per job: `scores` keeps the ImpactScoring only; `report` adds the whole ScoreReport. */
export type ScoringOutput = 'scores' | 'report';

/** Messages to a worker. They are handled strictly in order. */
export type ToWorker =
  /**
   * A rule file to validate and compile once, under its key. With `earlier`, submissions are scored under it as a
   * continuation of that earlier rule file (cross-year simulation: libs/scoring continueSubmission).
   */
  | { type: 'rule-set'; key: string; file: unknown; earlier?: unknown }
  /** Drop a rule set no run needs any more. */
  | { type: 'forget'; key: string }
  /** Score every submission under every named rule set. */
  | {
      type: 'chunk';
      chunk: number;
      ruleSets: string[];
      output: ScoringOutput;
      jobs: Array<{ id: string; submission: unknown }>;
    }
  /** Finish and exit once everything before it is handled. */
  | { type: 'close' };

/** Messages from a worker. */
export type FromWorker = {
  type: 'chunk';
  chunk: number;
  results: Array<{ id: string; outcomes: ScoringOutcome[] }>;
};
