/**
 * The worker thread of a ScoringPool: compiles each rule file it is sent once, then scores the chunks of submissions
 * it receives with libs/scoring and posts the results back. Every message is handled in order, one at a time.
 * Started by ScoringPool only (from this .ts file under ts-node, or from the bundle's scoring-worker.js).
 */
import { parentPort } from 'node:worker_threads';
import { RuleSetError, toRuleSet } from '@jiping/rules';
import { compileRuleSet, type CompiledRuleSet, impactScoringOf, scoreSubmission, ScoringError } from '@jiping/scoring';
import type { FromWorker, ScoringFailure, ScoringOutcome, ScoringOutput, ToWorker } from './protocol';

type Loaded = { compiled: CompiledRuleSet } | { failure: ScoringFailure };

const ruleSets = new Map<string, Loaded>();

function load(file: unknown): Loaded {
  try {
    return { compiled: compileRuleSet(toRuleSet(file)) };
  } catch (error) {
    return { failure: failureOf(error) };
  }
}

function failureOf(error: unknown): ScoringFailure {
  if (error instanceof ScoringError) return { code: error.code, message: error.message, problems: error.problems };
  if (error instanceof RuleSetError) return { code: error.code, message: error.message, problems: error.problems };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), problems: [] };
}

async function scoreOne(
  loaded: Loaded | undefined,
  submission: unknown,
  output: ScoringOutput,
): Promise<ScoringOutcome> {
  if (!loaded) return { ok: false, error: { code: 'INTERNAL', message: 'the rule set was not loaded', problems: [] } };
  if ('failure' in loaded) return { ok: false, error: loaded.failure };
  try {
    const report = await scoreSubmission(loaded.compiled, submission);
    return output === 'report'
      ? { ok: true, scoring: impactScoringOf(report), report }
      : { ok: true, scoring: impactScoringOf(report) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'rule-set':
      ruleSets.set(message.key, load(message.file));
      return;
    case 'forget':
      ruleSets.delete(message.key);
      return;
    case 'chunk': {
      const loaded = message.ruleSets.map((key) => ruleSets.get(key));
      const results: FromWorker['results'] = [];
      for (const job of message.jobs) {
        const outcomes: ScoringOutcome[] = [];
        for (const ruleSet of loaded) outcomes.push(await scoreOne(ruleSet, job.submission, message.output));
        results.push({ id: job.id, outcomes });
      }
      parentPort!.postMessage({ type: 'chunk', chunk: message.chunk, results } satisfies FromWorker);
      return;
    }
    case 'close':
      parentPort!.close();
      return;
  }
}

if (parentPort) {
  let queue = Promise.resolve();
  parentPort.on('message', (message: ToWorker) => {
    queue = queue.then(() => handle(message));
  });
}
