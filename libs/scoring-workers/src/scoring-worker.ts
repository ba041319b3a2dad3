/**
 * The worker thread of a ScoringPool: compiles each rule file it is sent once, then scores the chunks of submissions
 * it receives with libs/scoring and posts the results back. Every message is handled in order, one at a time.
 * Started by ScoringPool only (from this .ts file under ts-node, or from the bundle's scoring-worker.js).
 *
 * Submissions are scored on the compiled path, synchronously (scoreSubmissionSummary for `scores`,
 * scoreSubmissionSync for `report`): a chunk is scored in one go, with no promise per submission. A rule set the
 * compiled path cannot run (JSONPath conditions) is found on its first submission and scored with the asynchronous
 * scoreSubmission from then on; both give the same outcome.
 */
import { parentPort } from 'node:worker_threads';
import { localized, type RuleSet, RuleSetError, type Submission, toRuleSet } from '@jiping/rules';
import {
  compileRuleSet,
  type CompiledRuleSet,
  continueSubmission,
  impactScoringOf,
  scoreContinuedSummary,
  scoreSubmission,
  scoreSubmissionSummary,
  scoreSubmissionSync,
  ScoringError,
  ScoringErrorCode,
  simulate,
  withSimulation,
} from '@jiping/scoring';
import type { FromWorker, ScoringFailure, ScoringOutcome, ScoringOutput, ToWorker } from './protocol';
import { lowerThisThreadsPriority } from './lower-thread-priority';

/**
 * A compiled rule set, whether its submissions can be scored on the synchronous compiled path, and the earlier rule set
 * they were made under when it scores them as a continuation (simulation).
 */
interface Compiled {
  compiled: CompiledRuleSet;
  sync: boolean;
  earlier?: RuleSet;
}
type Loaded = Compiled | { failure: ScoringFailure };

const ruleSets = new Map<string, Loaded>();

function load(file: unknown, earlier?: unknown): Loaded {
  try {
    const compiled = compileRuleSet(toRuleSet(file));
    return earlier === undefined ? { compiled, sync: true } : { compiled, sync: true, earlier: toRuleSet(earlier) };
  } catch (error) {
    return { failure: failureOf(error) };
  }
}

function failureOf(error: unknown): ScoringFailure {
  if (error instanceof ScoringError) return { code: error.code, message: error.text, problems: error.problems };
  if (error instanceof RuleSetError) return { code: error.code, message: error.text, problems: error.problems };
  const reason = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: localized(`评分时出现意外错误：${reason}`, reason), problems: [] };
}

const NOT_LOADED: ScoringOutcome = {
  ok: false,
  error: { code: 'INTERNAL', message: localized('规则集未能加载', 'the rule set was not loaded'), problems: [] },
};

/**
 * The outcome on the synchronous compiled path, or undefined when that path threw ENGINE_FAILURE: the rule set has
 * conditions it cannot run (or a fact is undefined, which scoreSubmission reports the same way).
 */
function scoreSync(loaded: Compiled, submission: unknown, output: ScoringOutput): ScoringOutcome | undefined {
  try {
    const { compiled, earlier } = loaded;
    if (earlier) {
      if (output === 'scores') {
        return { ok: true, scoring: scoreContinuedSummary(compiled, earlier, submission as Submission) };
      }
      const continued = continueSubmission(compiled.ruleSet, earlier, submission as Submission);
      const report = withSimulation(scoreSubmissionSync(compiled, continued.submission), continued.simulation);
      return { ok: true, scoring: withAssumed(impactScoringOf(report), continued.simulation), report };
    }
    if (output === 'scores') return { ok: true, scoring: scoreSubmissionSummary(compiled, submission) };
    const report = scoreSubmissionSync(compiled, submission);
    return { ok: true, scoring: impactScoringOf(report), report };
  } catch (error) {
    if (error instanceof ScoringError && error.code === ScoringErrorCode.ENGINE_FAILURE) return undefined;
    return { ok: false, error: failureOf(error) };
  }
}

/** The outcome on scoreSubmission, which runs json-rules-engine where the compiled path cannot. */
async function scoreAsync(loaded: Compiled, submission: unknown, output: ScoringOutput): Promise<ScoringOutcome> {
  try {
    const { compiled, earlier } = loaded;
    if (earlier) {
      const { report, simulation } = await simulate(compiled, earlier, submission as Submission);
      const scoring = withAssumed(impactScoringOf(report), simulation);
      return output === 'report' ? { ok: true, scoring, report } : { ok: true, scoring };
    }
    const report = await scoreSubmission(compiled, submission);
    return output === 'report'
      ? { ok: true, scoring: impactScoringOf(report), report }
      : { ok: true, scoring: impactScoringOf(report) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

/**
 * Scores a submission under a loaded rule set: synchronously when the compiled path can, returning the outcome
 * itself; otherwise a promise of it, remembering a rule set the compiled path cannot run at all.
 */
function scoreOne(
  loaded: Loaded | undefined,
  submission: unknown,
  output: ScoringOutput,
): ScoringOutcome | Promise<ScoringOutcome> {
  if (!loaded) return NOT_LOADED;
  if ('failure' in loaded) return { ok: false, error: loaded.failure };
  const outcome = loaded.sync ? scoreSync(loaded, submission, output) : undefined;
  if (outcome) return outcome;
  return scoreAsync(loaded, submission, output).then((fallback) => {
    // the compiled path failed where json-rules-engine succeeded: it cannot run this rule set
    if (fallback.ok) loaded.sync = false;
    return fallback;
  });
}

/** The scoring with the keys of the assumed values its simulation used. */
function withAssumed(
  scoring: ReturnType<typeof impactScoringOf>,
  simulation: { assumptions: Array<{ key: string }> },
): ReturnType<typeof impactScoringOf> {
  return simulation.assumptions.length > 0
    ? { ...scoring, assumed: simulation.assumptions.map((a) => a.key) }
    : scoring;
}

async function scoreChunk(message: Extract<ToWorker, { type: 'chunk' }>): Promise<FromWorker['results']> {
  const loaded = message.ruleSets.map((key) => ruleSets.get(key));
  const results: FromWorker['results'] = [];
  for (const job of message.jobs) {
    const outcomes: ScoringOutcome[] = [];
    for (const ruleSet of loaded) {
      const outcome = scoreOne(ruleSet, job.submission, message.output);
      outcomes.push(outcome instanceof Promise ? await outcome : outcome);
    }
    results.push({ id: job.id, outcomes });
  }
  return results;
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'rule-set':
      ruleSets.set(message.key, load(message.file, message.earlier));
      return;
    case 'forget':
      ruleSets.delete(message.key);
      return;
    case 'chunk': {
      const results = await scoreChunk(message);
      parentPort!.postMessage({ type: 'chunk', chunk: message.chunk, results } satisfies FromWorker);
      return;
    }
    case 'close':
      parentPort!.close();
      return;
  }
}

if (parentPort) {
  lowerThisThreadsPriority();
  let queue = Promise.resolve();
  parentPort.on('message', (message: ToWorker) => {
    queue = queue.then(() => handle(message));
  });
}
