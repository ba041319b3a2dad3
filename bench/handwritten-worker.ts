/**
 * A bench-only worker for ScoringPool that scores with the hand-written decimal.js scorer (bench/handwritten-scorer.ts)
 * instead of libs/scoring. It speaks the pool's protocol (libs/scoring-workers/src/protocol.ts), so bench/batch.ts
 * runs (b) through the same ScoringPool as (c) — the same chunks, transport (structured clone both ways),
 * backpressure and progress — and only the scoring differs. Every rule set it is sent is taken to be 广州 2021, the
 * only rules the scorer knows; an outcome carries the total only (no grade, no indicator scores).
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ScoringOutcome, ToWorker } from '../libs/scoring-workers/src/protocol';
import type { Json } from './generate-submissions';
import { scoreHandwritten } from './handwritten-scorer';

function outcomeOf(submission: unknown): ScoringOutcome {
  try {
    return { ok: true, scoring: { total: scoreHandwritten(submission as Json), grade: '', scores: {} } };
  } catch (error) {
    return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message, problems: [] } };
  }
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'chunk': {
      const results = message.jobs.map((job) => ({
        id: job.id,
        outcomes: message.ruleSets.map(() => outcomeOf(job.submission)),
      }));
      parentPort!.postMessage({ type: 'chunk', chunk: message.chunk, results } satisfies FromWorker);
      return;
    }
    case 'close':
      parentPort!.close();
      return;
    default:
      // rule sets: nothing to compile
      return;
  }
}

parentPort?.on('message', handle);
