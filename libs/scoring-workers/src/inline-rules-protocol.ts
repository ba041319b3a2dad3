import type { Message, RuleProblem } from '@jiping/rules';
import type { ScoreReport } from '@jiping/scoring';
import type { ScoringFailure } from './protocol';

/** A rule file sent inline (what-if): checked, compiled and used to score submissions, off the request thread. */
export interface InlineRulesTask {
  id: number;
  /** The rule file as JSON text. */
  text: string;
  /** The submissions to score with it (engine submissions). */
  submissions: unknown[];
}

export type InlineRulesResult =
  /** Refused: too large (RULE_SET_TOO_LARGE), not JSON, or invalid (schema, meaning, embedded tests). */
  | { kind: 'refused'; code: string; message: Message; problems: RuleProblem[] }
  /** Checked and compiled: each submission's report, or why it could not be scored. */
  | {
      kind: 'scored';
      checksum: string;
      fiscalYear: number;
      outcomes: Array<{ ok: true; report: ScoreReport } | { ok: false; error: ScoringFailure }>;
    };

export interface InlineRulesReply {
  id: number;
  result: InlineRulesResult;
}
