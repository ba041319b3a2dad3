import { localized, type RuleSet } from '@jiping/rules';
import { type CompiledRuleSet, compileRuleSet } from './compile-rule-set';
import { compiledStageRulesOf } from './compiled/compile-stage-rules';
import type { ImpactScoring } from './impact/impact-scoring';
import type { ScoreReport } from './score-report.types';
import { buildReport } from './scorer/build-report';
import { type ScoredSubmission, SubmissionScorer } from './scorer/submission-scorer';
import { summarize } from './scorer/summarize';
import { doesNotFit, ScoringError, ScoringErrorCode } from './scoring.error';
import type { ParsedSubmission } from './submission/parsed-submission';
import { parseSubmission } from './submission/validate-submission';

/** Which path scores: the compiled closures (the default) or json-rules-engine, the reference semantics. */
export interface ScoreOptions {
  /**
   * `compiled` (default): the rule set's conditions as synchronous closures (libs/scoring/src/compiled), proven
   * equal to json-rules-engine by the differential test; a rule set whose conditions cannot be compiled (a
   * JSONPath `path`) falls back to json-rules-engine. `json-rules-engine`: force the reference path.
   */
  engine?: 'compiled' | 'json-rules-engine';
}

/**
 * Scores a submission under a rule set: validates it against the declared inputs and targets (throwing
 * ScoringError INVALID_SUBMISSION with every problem), then scores every leaf, sums parents, and grades the total.
 * The compiled rule set is cached by checksum. The conditions are decided by compiled closures unless
 * `{ engine: 'json-rules-engine' }` asks for json-rules-engine (each call on its own pooled Engine); both give
 * the same report (docs/performance.md, "which path serves which endpoint").
 */
export async function scoreSubmission(
  ruleSet: RuleSet | CompiledRuleSet,
  submission: unknown,
  options: ScoreOptions = {},
): Promise<ScoreReport> {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const rules = options.engine === 'json-rules-engine' ? undefined : compiledStageRulesOf(compiled);
  const scorer = new SubmissionScorer(compiled, parseOrThrow(compiled, submission));
  return buildReport(rules ? scorer.scoreCompiled(rules) : await scorer.scoreWithEngine());
}

/**
 * The compiled path, synchronously: the same report as {@link scoreSubmission}, with no promise on the way —
 * for loops that score many submissions (impact analysis, headroom search, batch workers). Throws ScoringError
 * ENGINE_FAILURE for a rule set whose conditions cannot be compiled; score those with scoreSubmission.
 */
export function scoreSubmissionSync(ruleSet: RuleSet | CompiledRuleSet, submission: unknown): ScoreReport {
  return buildReport(scoreCompiledPath(ruleSet, submission));
}

/**
 * The scores only, on the compiled path: total, grade and the score of every leaf and declared section — what an
 * impact analysis or a batch re-scoring keeps — without writing the report's texts. The same numbers as
 * {@link scoreSubmissionSync}'s report (both are read off one scoring). Throws what scoreSubmissionSync throws.
 */
export function scoreSubmissionSummary(ruleSet: RuleSet | CompiledRuleSet, submission: unknown): ImpactScoring {
  return summarize(scoreCompiledPath(ruleSet, submission));
}

function scoreCompiledPath(ruleSet: RuleSet | CompiledRuleSet, submission: unknown): ScoredSubmission {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const rules = compiledStageRulesOf(compiled);
  if (!rules) {
    throw new ScoringError(
      ScoringErrorCode.ENGINE_FAILURE,
      localized(
        `规则集 ${compiled.ruleSet.id}@${compiled.ruleSet.version} 含有编译路径无法执行的条件（JSONPath），请用 scoreSubmission 评分`,
        `rule set ${compiled.ruleSet.id}@${compiled.ruleSet.version} has conditions the compiled path cannot run (JSONPath); score it with scoreSubmission`,
      ),
    );
  }
  return new SubmissionScorer(compiled, parseOrThrow(compiled, submission)).scoreCompiled(rules);
}

function parseOrThrow(compiled: CompiledRuleSet, submission: unknown): ParsedSubmission {
  const { problems, parsed } = parseSubmission(compiled.ruleSet, submission);
  if (!parsed) {
    throw new ScoringError(
      ScoringErrorCode.INVALID_SUBMISSION,
      doesNotFit(compiled.ruleSet, problems.length),
      problems,
    );
  }
  return parsed;
}
