import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RuleSet } from '@jiping/rules';
import type { FromWorker, ScoringOutcome, ScoringOutput, ToWorker } from './protocol';

/** One submission to score; `context` stays in this thread and comes back with the result. */
export interface ScoringJob<C = undefined> {
  id: string;
  submission: unknown;
  context?: C;
}

/** A job scored under every rule set of the run: `outcomes[i]` is its outcome under `ruleSets[i]`. */
export interface ScoredJob<C = undefined> {
  id: string;
  context: C | undefined;
  outcomes: ScoringOutcome[];
}

export interface ScoringProgress {
  /** Jobs whose results have been handed to the caller. */
  done: number;
  /** Of those, jobs that failed under at least one rule set. */
  failed: number;
}

export interface ScoringRun<C = undefined> {
  /** Validated rule sets; each worker compiles each one once (sent as its rule-file JSON). */
  ruleSets: readonly RuleSet[];
  /**
   * Per rule set, the earlier rule set the jobs' submissions were made under when `ruleSets[i]` continues it (its
   * `continues`): the submissions are then mapped onto `ruleSets[i]` before scoring (cross-year simulation), and each
   * outcome's scoring lists the assumed values it used in `assumed`. Absent or undefined: scored as they are.
   */
  continuations?: ReadonlyArray<RuleSet | undefined>;
  /** Read lazily, a chunk at a time, only while fewer than `maxChunksInFlight` chunks are outstanding. */
  jobs: Iterable<ScoringJob<C>> | AsyncIterable<ScoringJob<C>>;
  /** `scores` (default): the ImpactScoring of each outcome; `report`: the whole ScoreReport too. */
  output?: ScoringOutput;
  /** Submissions per message to a worker (default 25). */
  chunkSize?: number;
  /** Chunks read from `jobs` but not yet handed to the caller (default twice the workers). */
  maxChunksInFlight?: number;
  /** Called after each chunk has been handed to the caller. */
  onProgress?: (progress: ScoringProgress) => void;
}

export interface ScoringPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /**
   * The worker script (default: scoring-worker.ts or .js next to this module, whichever this module is). A .ts file
   * runs under ts-node with the tsconfig paths; a .js file — e.g. a bundle's scoring-worker.js — runs as it is.
   */
  workerFile?: string;
}

export enum ScoringPoolErrorCode {
  /** The pool was closed before or during the run. */
  POOL_CLOSED = 'POOL_CLOSED',
  /** A worker thread died (an uncaught error, or it exited) while it had work of the run. */
  WORKER_FAILED = 'WORKER_FAILED',
}

/** A failure of the pool itself (never of a submission: those are outcomes). */
export class ScoringPoolError extends Error {
  constructor(
    readonly code: ScoringPoolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScoringPoolError';
  }
}

const DEFAULT_CHUNK_SIZE = 25;
const CLOSE_TIMEOUT_MS = 10_000;

/** Under ts-node (specs, the bench) the worker is the .ts file and needs ts-node and the tsconfig paths itself. */
const TS_EXEC_ARGV = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

interface PoolWorker {
  worker: Worker;
  /** Rule-set keys the worker holds compiled. */
  loaded: Set<string>;
  /** Chunks sent and not yet answered. */
  pending: Set<number>;
  exited: boolean;
}

interface RunState {
  files: Map<string, { file: unknown; earlier?: unknown }>;
  /** Answered chunks not yet handed to the caller. */
  completed: ScoredJob<unknown>[][];
  /** Chunks sent and not yet handed to the caller. */
  inFlight: number;
  failure?: Error;
  wake?: () => void;
  finished: boolean;
}

interface SentChunk {
  run: RunState;
  contexts: unknown[];
}

/**
 * A pool of worker threads that score submissions with libs/scoring: each worker compiles each rule set once and
 * scores the chunks of submissions it is sent under every rule set of a run. Runs stream their results back in the
 * order chunks complete, read their jobs lazily with a bounded number of chunks in flight (backpressure), report
 * progress, and may overlap (runs share the workers). A submission that cannot be scored is an outcome with its
 * error, never a failure of the run. Workers start on first use; close() stops them.
 */
export class ScoringPool {
  readonly size: number;
  private readonly workerFile: string;
  private readonly workers: PoolWorker[] = [];
  private readonly chunks = new Map<number, SentChunk>();
  private readonly runs = new Set<RunState>();
  private nextChunk = 1;
  private closed = false;

  constructor(options: ScoringPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
    this.workerFile =
      options.workerFile ?? join(__dirname, `scoring-worker${extname(__filename) === '.ts' ? '.ts' : '.js'}`);
  }

  /** Worker threads running now. */
  get running(): number {
    return this.workers.filter((w) => !w.exited).length;
  }

  /**
   * Scores every job under every rule set and yields each job's outcomes as its chunk comes back. Stopping early
   * (break, return) abandons the chunks in flight and closes the job source. Throws ScoringPoolError when the pool is
   * closed or a worker dies.
   */
  async *score<C>(run: ScoringRun<C>): AsyncGenerator<ScoredJob<C>, void, undefined> {
    if (this.closed) throw new ScoringPoolError(ScoringPoolErrorCode.POOL_CLOSED, 'the scoring pool is closed');
    const chunkSize = Math.max(1, run.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const maxInFlight = Math.max(1, run.maxChunksInFlight ?? 2 * this.size);
    const output = run.output ?? 'scores';
    const keys = run.ruleSets.map((ruleSet, i) => keyOf(ruleSet, run.continuations?.[i]));
    const state: RunState = {
      files: new Map(
        run.ruleSets.map((ruleSet, i) => {
          const earlier = run.continuations?.[i];
          return [keys[i], { file: ruleSet.file, ...(earlier && { earlier: earlier.file }) }];
        }),
      ),
      completed: [],
      inFlight: 0,
      finished: false,
    };
    const source = iteratorOf(run.jobs);
    let exhausted = false;
    const progress: ScoringProgress = { done: 0, failed: 0 };
    this.runs.add(state);
    try {
      for (;;) {
        while (!exhausted && state.inFlight < maxInFlight && !state.failure) {
          const jobs = await take(source, chunkSize);
          if (jobs.length < chunkSize) exhausted = true;
          if (jobs.length > 0) this.send(state, keys, output, jobs);
        }
        if (state.inFlight === 0) break;
        const results = (await this.nextCompleted(state)) as ScoredJob<C>[];
        for (const result of results) {
          progress.done++;
          if (result.outcomes.some((outcome) => !outcome.ok)) progress.failed++;
          yield result;
        }
        state.inFlight--;
        run.onProgress?.({ ...progress });
      }
    } finally {
      state.finished = true;
      this.runs.delete(state);
      this.forgetUnused(state);
      if (!exhausted) await source.return?.();
    }
  }

  /** Stops the workers once they have finished what they were sent; runs still going fail with POOL_CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.runs) {
      this.fail(run, new ScoringPoolError(ScoringPoolErrorCode.POOL_CLOSED, 'the scoring pool was closed'));
    }
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.exited) return;
        const exited = new Promise<void>((resolve) => w.worker.once('exit', () => resolve()));
        w.worker.ref();
        w.worker.postMessage({ type: 'close' } satisfies ToWorker);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>(
          (resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)),
        );
        if ((await Promise.race([exited, timeout])) === 'timeout') await w.worker.terminate();
        clearTimeout(timer);
      }),
    );
  }

  private send(state: RunState, keys: string[], output: ScoringOutput, jobs: ScoringJob<unknown>[]): void {
    const target = this.leastBusyWorker();
    for (const key of keys) {
      if (target.loaded.has(key)) continue;
      target.worker.postMessage({ type: 'rule-set', key, ...state.files.get(key)! } satisfies ToWorker);
      target.loaded.add(key);
    }
    const chunk = this.nextChunk++;
    const message: ToWorker = {
      type: 'chunk',
      chunk,
      ruleSets: keys,
      output,
      jobs: jobs.map((job) => ({ id: job.id, submission: job.submission })),
    };
    target.worker.postMessage(message);
    this.chunks.set(chunk, { run: state, contexts: jobs.map((job) => job.context) });
    target.pending.add(chunk);
    target.worker.ref();
    state.inFlight++;
  }

  private leastBusyWorker(): PoolWorker {
    for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i].exited) this.workers.splice(i, 1);
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    return this.workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
  }

  private spawn(): PoolWorker {
    const ts = extname(this.workerFile) === '.ts';
    const worker = new Worker(
      this.workerFile,
      ts
        ? {
            execArgv: TS_EXEC_ARGV,
            env: { ...process.env, TS_NODE_PROJECT: process.env.TS_NODE_PROJECT ?? tsconfigNextTo(__dirname) },
          }
        : {},
    );
    const pooled: PoolWorker = { worker, loaded: new Set(), pending: new Set(), exited: false };
    worker.on('message', (message: FromWorker) => this.received(pooled, message));
    worker.on('error', (error) => this.died(pooled, `a scoring worker failed: ${error.message}`));
    worker.on('exit', (code) => this.died(pooled, `a scoring worker exited with code ${code}`));
    worker.unref();
    return pooled;
  }

  private received(from: PoolWorker, message: FromWorker): void {
    const sent = this.chunks.get(message.chunk);
    this.chunks.delete(message.chunk);
    from.pending.delete(message.chunk);
    if (from.pending.size === 0) from.worker.unref();
    if (!sent || sent.run.finished) return;
    sent.run.completed.push(
      message.results.map((result, i) => ({ id: result.id, context: sent.contexts[i], outcomes: result.outcomes })),
    );
    sent.run.wake?.();
  }

  private died(worker: PoolWorker, message: string): void {
    if (worker.exited) return;
    worker.exited = true;
    for (const chunk of worker.pending) {
      const sent = this.chunks.get(chunk);
      this.chunks.delete(chunk);
      if (sent) this.fail(sent.run, new ScoringPoolError(ScoringPoolErrorCode.WORKER_FAILED, message));
    }
    worker.pending.clear();
  }

  private fail(run: RunState, error: Error): void {
    run.failure ??= error;
    run.wake?.();
  }

  private async nextCompleted(state: RunState): Promise<ScoredJob<unknown>[]> {
    for (;;) {
      if (state.failure) throw state.failure;
      const next = state.completed.shift();
      if (next) return next;
      await new Promise<void>((resolve) => (state.wake = resolve));
      state.wake = undefined;
    }
  }

  /** Tells the workers to drop the rule sets of a finished run that no other run uses. */
  private forgetUnused(finished: RunState): void {
    for (const key of finished.files.keys()) {
      if ([...this.runs].some((run) => run.files.has(key))) continue;
      for (const w of this.workers) {
        if (w.exited || !w.loaded.delete(key)) continue;
        w.worker.postMessage({ type: 'forget', key } satisfies ToWorker);
      }
    }
  }
}

/** A rule set's key in the workers: its checksum, and the earlier one's when it scores as a continuation of it. */
const keyOf = (ruleSet: RuleSet, earlier?: RuleSet): string =>
  earlier ? `${ruleSet.checksum}<${earlier.checksum}` : ruleSet.checksum;

/** The repository's tsconfig.json, three levels above libs/scoring-workers/src. */
const tsconfigNextTo = (dir: string): string => join(dir, '..', '..', '..', 'tsconfig.json');

function iteratorOf<T>(jobs: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in jobs) return jobs[Symbol.asyncIterator]();
  const iterator = jobs[Symbol.iterator]();
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  };
}

async function take<T>(source: AsyncIterator<T>, count: number): Promise<T[]> {
  const taken: T[] = [];
  while (taken.length < count) {
    const next = await source.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}
