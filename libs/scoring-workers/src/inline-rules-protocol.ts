import type { Message, RuleProblem } from '@jiping/rules';
import type { ScoreReport } from '@jiping/scoring';
import type { ScoringFailure } from './protocol';

/** A rule file sent inline (what-if): checked, compiled and used to score submissions, off the request thread. */
export interface InlineRulesTask {
  id: number;
  /** The rule file as JSON text… */
  text?: string;
  /**
   * …or as the bytes of its object in a request body (UTF-8, valid JSON, transferred): the worker decodes and parses
   * them and leaves the value as the validation pipe would (asValidationPipeLeavesIt) before checking it.
   */
  bytes?: Uint8Array;
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
      /** The file's JSON text as checked, when it was sent as bytes (the request thread compiles it from this). */
      text?: string;
      fiscalYear: number;
      outcomes: Array<{ ok: true; report: ScoreReport } | { ok: false; error: ScoringFailure }>;
    };

export interface InlineRulesReply {
  id: number;
  result: InlineRulesResult;
}
