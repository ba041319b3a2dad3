/**
 * Batch scoring on one and on two cores: N generated 广州 2021 submissions scored by (c) jiping's
 * `scoreSubmissionSummary` (compiled path, scores only) and by (b) the hand-written decimal.js scorer, run the same
 * way in three modes:
 * - `main` (1 core): in the main thread, one submission after the other;
 * - `pool` (2 cores): streamed from the main thread through a ScoringPool of 2 workers (libs/scoring-workers; for (b)
 *   the pool runs bench/handwritten-worker.ts, which speaks the same protocol): same chunks, transport, backpressure;
 * - `workers` (2 cores, engine only): 2 worker threads that generate their share of the submissions themselves and
 *   score them, with no transport at all.
 * The same submissions in every mode, generated a window at a time with the generation timed apart. Every
 * configuration runs in a fresh Node process so its peak RSS is its own; the totals of (b) and (c) are compared
 * submission by submission.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/batch.ts            # print the section
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/batch.ts --write    # and replace it in docs/performance.md
 *
 * Options: `--counts 1000,10000` (default 1000,10000,100000), `--modes main,pool` (default all three), `--reps 3`
 * (runs per configuration, the median reported; default 1), `--chunk 25` and `--in-flight 4` (the pool's chunkSize
 * and maxChunksInFlight; default the pool's), `--max-old-space 256` (Node's --max-old-space-size in each child;
 * default V8's), `--worker ts-node` (default: the bundle's scoring-worker.js when it is built and newer than the
 * sources, else ts-node).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { compileRuleSet, scoreSubmissionSummary } from '@jiping/scoring';
import { ScoringPool, type ScoredJob, type ScoringJob } from '@jiping/scoring-workers';
import { loadRuleSet, loadSeed, PLAIN_DIR, ROOT, SEED_TOTAL, writeDocSection, writePlain } from './common';
import { DEFAULT_SEED, generateSubmissions, type Json } from './generate-submissions';
import { scoreHandwritten } from './handwritten-scorer';
import { tuneV8ForScoring } from '../config/v8-tuning';

const DOC = join(ROOT, 'docs', 'performance.md');
const HEADING = '## Batch scoring';
/** Submissions generated at a time (each block from its own PRNG seed), as the service reads pages of 500. */
const BLOCK = 500;
/** Blocks generated before each timed scoring window: the generation is timed apart and never overlaps scoring. */
const WINDOW_BLOCKS = 5;
const MiB = 1024 * 1024;
const COUNTS = [1_000, 10_000, 100_000];
/** Built by `npx nest build cli` (or `npm run build`): the worker as it runs in production. */
const BUNDLED_WORKER = join(ROOT, 'dist', 'apps', 'cli', 'scoring-worker.js');
const TS_JIPING_WORKER = join(ROOT, 'libs', 'scoring-workers', 'src', 'scoring-worker.ts');
const TS_HANDWRITTEN_WORKER = join(__dirname, 'handwritten-worker.ts');
/** Totals travel between processes as thousandths in an Int32Array; these mark a submission without one. */
const FAILED = -2_147_483_648;
const MISSING = -2_147_483_647;

export type Scorer = 'jiping' | 'handwritten';
/** `main`: 1 core, no pool; `pool`: a ScoringPool of 2 workers; `workers`: 2 workers generating their own. */
export type BatchMode = 'main' | 'pool' | 'workers';
export type WorkerKind = 'bundle' | 'ts-node';
const MODES: BatchMode[] = ['main', 'pool', 'workers'];

interface Config {
  count: number;
  mode: BatchMode;
  scorer: Scorer;
  /** The pool's worker scripts: the bundle (and (b) transpiled to plain JavaScript), or both .ts under ts-node. */
  worker: WorkerKind;
  /** The pool's chunkSize; undefined: its default. */
  chunkSize?: number;
  /** The pool's maxChunksInFlight; undefined: its default. */
  maxChunksInFlight?: number;
  /** Node's --max-old-space-size for the process (every thread's old generation); undefined: V8's default. */
  maxOldSpaceMb?: number;
  /** Where the child writes its totals (Int32Array of thousandths, by submission index). */
  totalsFile: string;
}

/** One configuration, measured in its own process. */
export interface BatchMeasured extends Omit<Config, 'totalsFile'> {
  /** Compiling the rule set, and starting the workers (one-submission warm-up run in the pool), before the run. */
  startupSeconds: number;
  /**
   * Scoring only, generation excluded: the sum of the windows (`main`, `pool`), or the longer of the two workers'
   * scoring (`workers`).
   */
  seconds: number;
  /** `main`, `pool`: CPU time of the process (every thread) during the windows. */
  cpuSeconds?: number;
  /** Generating the submissions (both workers' in `workers`). */
  generateSeconds: number;
  /** Submissions per second of `seconds`. */
  perSecond: number;
  rssStartBytes: number;
  /** `process.memoryUsage.rss()` sampled every 25 ms and every 50 submissions in a scoring loop. */
  rssPeakBytes: number;
  /** getrusage's max RSS of the process (worker threads included). */
  maxRssBytes: number;
  heapUsedPeakBytes: number;
  /** The main thread's heap after a full GC at the end. */
  heapRetainedBytes: number;
  scored: number;
  failed: number;
}

/** (b) and (c) for one count and mode (the median of the repetitions). */
export interface BatchRow {
  count: number;
  mode: BatchMode;
  handwritten: BatchMeasured;
  jiping: BatchMeasured;
  /** (c) seconds / (b) seconds. */
  ratio: number;
  /** Submissions whose totals differ (or are missing) between (b) and (c), over every repetition. */
  mismatches: number;
  /** Node's --max-old-space-size of this row's runs, where it is not the batch's. */
  maxOldSpaceMb?: number;
}

export interface BatchBenchResult {
  rows: BatchRow[];
  worker: WorkerKind;
  chunkSize?: number;
  maxChunksInFlight?: number;
  maxOldSpaceMb?: number;
  reps: number;
  seconds: number;
  load: { before: number[]; after: number[] };
}

export interface BatchBenchOptions {
  counts?: number[];
  modes?: BatchMode[];
  reps?: number;
  chunkSize?: number;
  maxChunksInFlight?: number;
  maxOldSpaceMb?: number;
  worker?: WorkerKind;
  log?: (message: string) => void;
}

// ---------------------------------------------------------------------------------------------- the child process

/** Windows of the batch: window w is submissions [w × size, (w + 1) × size), generated a block at a time. */
const WINDOW = BLOCK * WINDOW_BLOCKS;
const windowCount = (count: number): number => Math.ceil(count / WINDOW);

/** The submissions of window `w`: block k generated from PRNG seed DEFAULT_SEED + k, as in every mode. */
function generateWindow(seed: Json, count: number, w: number): Json[] {
  const window: Json[] = [];
  for (let at = w * WINDOW; at < Math.min(count, (w + 1) * WINDOW); at += BLOCK) {
    window.push(...generateSubmissions(seed, Math.min(BLOCK, count - at), DEFAULT_SEED + at / BLOCK));
  }
  return window;
}

/** "94.622" → 94622; anything but a total with 3 decimals → FAILED. */
function thousandths(total: string | undefined): number {
  const match = total === undefined ? null : /^(-?)(\d+)\.(\d{3})$/.exec(total);
  if (!match) return FAILED;
  const value = Number(match[2]) * 1000 + Number(match[3]);
  return match[1] ? -value : value;
}

/** The peak RSS (cheap to read, sampled often) and heap used (dearer, sampled every `heapEvery` calls) seen. */
class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  private calls = 0;

  constructor(private readonly heapEvery = 1) {}

  readonly sample = (): void => {
    this.rss = Math.max(this.rss, process.memoryUsage.rss());
    if (++this.calls % this.heapEvery === 0) this.heapUsed = Math.max(this.heapUsed, process.memoryUsage().heapUsed);
  };
}

/** (c) or (b) as a function of one submission, for the main thread and the in-worker mode. */
function scorerOf(scorer: Scorer): (submission: Json) => string {
  if (scorer === 'handwritten') return scoreHandwritten;
  const compiled = compileRuleSet(loadRuleSet());
  return (submission) => scoreSubmissionSummary(compiled, submission).total;
}

/** Scores the submissions of a window in this thread, writing their totals from `index` on. */
function scoreInThread(
  score: (submission: Json) => string,
  window: Json[],
  index: number,
  totals: Int32Array,
  memory: MemoryPeak,
): void {
  for (let i = 0; i < window.length; i++) {
    let total: string | undefined;
    try {
      total = score(window[i]);
    } catch {
      total = undefined;
    }
    totals[index + i] = thousandths(total);
    // timers do not fire inside this loop: sample here
    if (i % 50 === 0) memory.sample();
  }
}

/** A window's scorer (main thread or pool), started and stopped around the timed windows. */
interface WindowScorer {
  scoreWindow(window: Json[], index: number): Promise<void>;
  finish(): Promise<void>;
}

function mainThreadScorer(config: Config, totals: Int32Array, memory: MemoryPeak): WindowScorer {
  const score = scorerOf(config.scorer);
  if (score(loadSeed()) !== SEED_TOTAL) throw new Error(`the seed must total ${SEED_TOTAL}`);
  return {
    scoreWindow: async (window, index) => scoreInThread(score, window, index, totals, memory),
    finish: async () => {},
  };
}

/** A ScoringPool of 2 workers running (c) jiping's worker or (b) the hand-written one, the rule set loaded. */
async function poolScorer(config: Config, totals: Int32Array, memory: MemoryPeak): Promise<WindowScorer> {
  const ruleSet = loadRuleSet();
  const plain = config.worker === 'bundle';
  const workerFile =
    config.scorer === 'jiping'
      ? plain
        ? BUNDLED_WORKER
        : TS_JIPING_WORKER
      : plain
        ? plainHandwrittenWorker()
        : TS_HANDWRITTEN_WORKER;
  const pool = new ScoringPool({ workers: 2, workerFile });
  const run = (jobs: ScoringJob<number>[]): AsyncGenerator<ScoredJob<number>> =>
    pool.score({
      ruleSets: [ruleSet],
      jobs,
      chunkSize: config.chunkSize,
      maxChunksInFlight: config.maxChunksInFlight,
      onProgress: memory.sample,
    });
  // A run with no jobs yet, open until the end: the workers keep the rule set compiled between the windows (a
  // pool drops a rule set once no run uses it), as they do through the single run of an impact analysis.
  let release!: () => void;
  const released = new Promise<IteratorResult<ScoringJob<number>>>(
    (resolve) => (release = () => resolve({ done: true, value: undefined })),
  );
  const held = pool.score({ ruleSets: [ruleSet], jobs: { [Symbol.asyncIterator]: () => ({ next: () => released }) } });
  const holding = held.next();
  for await (const { outcomes } of run([{ id: 'warm-up', submission: loadSeed(), context: -1 }])) {
    const [outcome] = outcomes;
    if (!outcome.ok || outcome.scoring.total !== SEED_TOTAL) throw new Error(`the seed must total ${SEED_TOTAL}`);
  }
  return {
    scoreWindow: async (window, index) => {
      const jobs = window.map((submission, i) => ({ id: String(index + i), submission, context: index + i }));
      for await (const { context, outcomes } of run(jobs)) {
        const [outcome] = outcomes;
        totals[context!] = thousandths(outcome.ok ? outcome.scoring.total : undefined);
      }
    },
    finish: async () => {
      release();
      await holding;
      await pool.close();
    },
  };
}

interface Timed {
  startupSeconds: number;
  seconds: number;
  cpuSeconds?: number;
  generateSeconds: number;
  rssStartBytes: number;
}

/** `main` and `pool`: the main thread generates a window, then scores it (timed), window after window. */
async function scoreWindows(config: Config, totals: Int32Array, memory: MemoryPeak): Promise<Timed> {
  const s0 = process.hrtime.bigint();
  const scorer =
    config.mode === 'main' ? mainThreadScorer(config, totals, memory) : await poolScorer(config, totals, memory);
  const startupSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
  const rssStartBytes = process.memoryUsage.rss();
  const seed = loadSeed();
  let [generateNs, scoreNs, cpuMicros] = [0n, 0n, 0];
  for (let w = 0; w < windowCount(config.count); w++) {
    const g0 = process.hrtime.bigint();
    const window = generateWindow(seed, config.count, w);
    const [t0, cpu0] = [process.hrtime.bigint(), process.cpuUsage()];
    await scorer.scoreWindow(window, w * WINDOW);
    const cpu = process.cpuUsage(cpu0);
    scoreNs += process.hrtime.bigint() - t0;
    generateNs += t0 - g0;
    cpuMicros += cpu.user + cpu.system;
  }
  await scorer.finish();
  const seconds = (ns: bigint): number => Number(ns) / 1e9;
  return {
    startupSeconds,
    seconds: seconds(scoreNs),
    cpuSeconds: cpuMicros / 1e6,
    generateSeconds: seconds(generateNs),
    rssStartBytes,
  };
}

/** What the main thread of the `workers` mode tells its workers. */
interface InWorkerData {
  batchWorker: true;
  count: number;
  scorer: Scorer;
  /** This worker scores windows index, index + of, index + 2 × of, … */
  index: number;
  of: number;
  totals: SharedArrayBuffer;
}
type FromInWorker =
  | { type: 'ready' }
  | { type: 'done'; seconds: number; generateSeconds: number; rssPeakBytes: number; heapUsedPeakBytes: number };

/** A worker of the `workers` mode: generates its windows and scores them in its thread, timing both apart. */
function inWorker(data: InWorkerData): void {
  const score = scorerOf(data.scorer);
  if (score(loadSeed()) !== SEED_TOTAL) throw new Error(`the seed must total ${SEED_TOTAL}`);
  const port = parentPort!;
  port.once('message', () => {
    const totals = new Int32Array(data.totals);
    const memory = new MemoryPeak(10);
    const seed = loadSeed();
    let [generateNs, scoreNs] = [0n, 0n];
    for (let w = data.index; w < windowCount(data.count); w += data.of) {
      const g0 = process.hrtime.bigint();
      const window = generateWindow(seed, data.count, w);
      const t0 = process.hrtime.bigint();
      scoreInThread(score, window, w * WINDOW, totals, memory);
      scoreNs += process.hrtime.bigint() - t0;
      generateNs += t0 - g0;
    }
    port.postMessage({
      type: 'done',
      seconds: Number(scoreNs) / 1e9,
      generateSeconds: Number(generateNs) / 1e9,
      rssPeakBytes: memory.rss,
      heapUsedPeakBytes: memory.heapUsed,
    } satisfies FromInWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromInWorker);
}

/**
 * `workers`: 2 worker threads (this file: as plain JavaScript with the bundle, else under ts-node) each generate and
 * score every other window of the batch; the scoring time is the longer of the two workers' scoring (generation
 * excluded), with no transport at all.
 */
async function scoreInWorkers(config: Config, totals: SharedArrayBuffer, memory: MemoryPeak): Promise<Timed> {
  const plain = config.worker === 'bundle' ? plainThisFile() : undefined;
  const s0 = process.hrtime.bigint();
  const workers = [0, 1].map(
    (index) =>
      new Worker(plain ?? __filename, {
        execArgv: plain ? [] : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
        workerData: { batchWorker: true, count: config.count, scorer: config.scorer, index, of: 2, totals },
      }),
  );
  const next = (worker: Worker): Promise<FromInWorker> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await Promise.all(workers.map(next));
  const startupSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
  const rssStartBytes = process.memoryUsage.rss();
  const done = workers.map(next);
  for (const worker of workers) worker.postMessage('go');
  const results = (await Promise.all(done)) as Array<Extract<FromInWorker, { type: 'done' }>>;
  await Promise.all(workers.map((worker) => worker.terminate()));
  for (const r of results) {
    memory.rss = Math.max(memory.rss, r.rssPeakBytes);
    memory.heapUsed = Math.max(memory.heapUsed, r.heapUsedPeakBytes);
  }
  return {
    startupSeconds,
    seconds: Math.max(...results.map((r) => r.seconds)),
    generateSeconds: results.reduce((sum, r) => sum + r.generateSeconds, 0),
    rssStartBytes,
  };
}

async function measure(config: Config): Promise<BatchMeasured> {
  const shared = new SharedArrayBuffer(4 * config.count);
  const totals = new Int32Array(shared).fill(MISSING);
  const memory = new MemoryPeak(10);
  const sampler = setInterval(memory.sample, 25);
  const timed =
    config.mode === 'workers'
      ? await scoreInWorkers(config, shared, memory)
      : await scoreWindows(config, totals, memory);
  clearInterval(sampler);
  memory.sample();
  (globalThis as { gc?: () => void }).gc?.();
  const heapRetainedBytes = process.memoryUsage().heapUsed;
  writeFileSync(config.totalsFile, new Uint8Array(shared));
  const failed = totals.filter((t) => t === FAILED || t === MISSING).length;
  const { totalsFile: _, ...rest } = config;
  return {
    ...rest,
    ...timed,
    perSecond: config.count / timed.seconds,
    rssPeakBytes: memory.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedPeakBytes: memory.heapUsed,
    heapRetainedBytes,
    scored: config.count - failed,
    failed,
  };
}

// ---------------------------------------------------------------------------------------------- the parent process

/**
 * bench/handwritten-worker.ts and the scorer transpiled to plain CommonJS under node_modules/.cache (so decimal.js
 * resolves), for a worker that runs without ts-node, as the bundle's scoring-worker.js does. Returns its path.
 */
function plainHandwrittenWorker(): string {
  writePlain(join(__dirname, 'handwritten-scorer.ts'), join(PLAIN_DIR, 'handwritten-scorer.js'));
  return writePlain(join(__dirname, 'handwritten-worker.ts'), join(PLAIN_DIR, 'handwritten-worker.js'));
}

/**
 * This file and what it imports (bench/, config/, libs/{rules,scoring,scoring-workers}/src) transpiled to plain
 * CommonJS under node_modules/.cache, each \`@jiping/*\` import pointed at its copy and rules/schema.json copied
 * beside them, for the \`workers\` mode's threads to run without ts-node (which loads the TypeScript compiler into
 * every thread), as the bundled worker does. Returns the copy of this file.
 */
function plainThisFile(): string {
  const out = join(PLAIN_DIR, 'tree');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  for (const dir of ['bench', 'config', 'libs/rules/src', 'libs/scoring/src', 'libs/scoring-workers/src']) {
    for (const file of walk(join(ROOT, dir)))
      writePlain(file, join(out, relative(ROOT, file)).replace(/\.ts$/, '.js'), join(out, 'libs'));
  }
  mkdirSync(join(out, 'rules'), { recursive: true });
  writeFileSync(join(out, 'rules', 'schema.json'), readFileSync(join(ROOT, 'rules', 'schema.json')));
  return join(out, 'bench', 'batch.js');
}

/** The newest modification time of the TypeScript the bundled worker is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const lib of ['rules', 'scoring', 'scoring-workers']) walk(join(ROOT, 'libs', lib, 'src'));
  return newest;
}

/** The bundle when it is built from the current sources, else ts-node (with a warning). */
function defaultWorker(log: (message: string) => void): WorkerKind {
  if (!existsSync(BUNDLED_WORKER)) {
    log(`${BUNDLED_WORKER} is missing (npx nest build cli): the workers run under ts-node`);
    return 'ts-node';
  }
  if (statSync(BUNDLED_WORKER).mtimeMs < newestSource()) {
    log(`${BUNDLED_WORKER} is older than libs/*/src (npx nest build cli): the workers run under ts-node`);
    return 'ts-node';
  }
  return 'bundle';
}

/** Runs one configuration in a fresh process (this file, `--child <config JSON>`) and reads its JSON line. */
function runChild(config: Config): BatchMeasured {
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      ...(config.maxOldSpaceMb ? [`--max-old-space-size=${config.maxOldSpaceMb}`] : []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      __filename,
      '--child',
      JSON.stringify(config),
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
  );
  if (result.status !== 0) throw new Error(`bench child ${JSON.stringify(config)} failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as BatchMeasured;
}

const readTotals = (file: string): Int32Array => {
  const bytes = readFileSync(file);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

/** Submissions whose totals differ, or that have none in either. */
function mismatchesOf(a: Int32Array, b: Int32Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || a[i] === FAILED || a[i] === MISSING) count++;
  return count;
}

/** The repetition with the median scoring time. */
function medianRun(runs: BatchMeasured[]): BatchMeasured {
  const sorted = [...runs].sort((x, y) => x.seconds - y.seconds);
  return sorted[(sorted.length - 1) >> 1];
}

/**
 * Runs every configuration — counts × modes × {(b), (c)}, each in its own process, (b) and (c) back to back — and
 * compares their totals submission by submission. Render the result with {@link renderBatchSection}.
 */
export async function benchBatch(options: BatchBenchOptions = {}): Promise<BatchBenchResult> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[batch bench] ${message}\n`));
  const started = Date.now();
  const load = { before: loadavg(), after: [] as number[] };
  const worker = options.worker ?? defaultWorker(log);
  const reps = Math.max(1, options.reps ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'jiping-batch-'));
  const rows: BatchRow[] = [];
  const { chunkSize, maxChunksInFlight, maxOldSpaceMb } = options;
  const measureRow = (count: number, mode: BatchMode, oldSpaceMb = maxOldSpaceMb): BatchRow => {
    const runs: Record<Scorer, BatchMeasured[]> = { handwritten: [], jiping: [] };
    const totals: Record<Scorer, Int32Array[]> = { handwritten: [], jiping: [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const scorer of ['handwritten', 'jiping'] as const) {
        const totalsFile = join(dir, `${scorer}-${count}-${mode}-${oldSpaceMb ?? 'default'}-${rep}.bin`);
        log(`${thousands(count)} submissions, ${labelOf({ mode, maxOldSpaceMb: oldSpaceMb })}, ${scorer} …`);
        const measured = runChild({
          count,
          mode,
          scorer,
          worker,
          chunkSize,
          maxChunksInFlight,
          maxOldSpaceMb: oldSpaceMb,
          totalsFile,
        });
        log(
          `  ${measured.seconds.toFixed(2)} s (+ ${measured.generateSeconds.toFixed(2)} s generating), ` +
            `${Math.round(measured.perSecond)}/s, peak ${mib(peakOf(measured))}`,
        );
        runs[scorer].push(measured);
        totals[scorer].push(readTotals(totalsFile));
      }
    }
    const [handwritten, jiping] = [medianRun(runs.handwritten), medianRun(runs.jiping)];
    const mismatches = Math.max(...totals.jiping.map((t, rep) => mismatchesOf(t, totals.handwritten[rep])));
    return {
      count,
      mode,
      handwritten,
      jiping,
      ratio: jiping.seconds / handwritten.seconds,
      mismatches,
      maxOldSpaceMb: oldSpaceMb === maxOldSpaceMb ? undefined : oldSpaceMb,
    };
  };
  try {
    const counts = options.counts ?? COUNTS;
    const modes = options.modes ?? MODES;
    for (const count of counts) for (const mode of modes) rows.push(measureRow(count, mode));
    // engine only at 100,000 once more, each thread's old generation capped: what bounding the heap costs
    if (counts.includes(100_000) && modes.includes('workers') && maxOldSpaceMb === undefined)
      rows.push(measureRow(100_000, 'workers', CAPPED_OLD_SPACE_MB));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  load.after = loadavg();
  const seconds = (Date.now() - started) / 1000;
  return { rows, worker, chunkSize, maxChunksInFlight, maxOldSpaceMb, reps, seconds, load };
}

const MODE_LABEL: Record<BatchMode, string> = {
  main: '1 core: main thread',
  pool: '2 cores: pool',
  workers: '2 cores: in the workers',
};
/** The old-generation cap (Node's --max-old-space-size, every thread) of the extra engine-only row. */
const CAPPED_OLD_SPACE_MB = 256;
const labelOf = (row: { mode: BatchMode; maxOldSpaceMb?: number }): string =>
  MODE_LABEL[row.mode] + (row.maxOldSpaceMb ? `, old generation ≤ ${row.maxOldSpaceMb} MB` : '');
const mib = (bytes: number): string => `${Math.round(bytes / MiB)} MiB`;
const thousands = (n: number): string => n.toLocaleString('en-US');
const peakOf = (r: BatchMeasured): number => Math.max(r.rssPeakBytes, r.maxRssBytes);
const secondsText = (s: number): string => `${s.toFixed(2)} s`;

/** The "Batch scoring" section of docs/performance.md (markdown, not yet formatted by Prettier). */
export function renderBatchSection(result: BatchBenchResult): string {
  const rows = result.rows.map((r) =>
    [
      thousands(r.count),
      labelOf(r),
      secondsText(r.handwritten.seconds),
      `**${secondsText(r.jiping.seconds)}**`,
      `**${r.ratio.toFixed(2)}×**`,
      `${thousands(Math.round(r.handwritten.perSecond))} / ${thousands(Math.round(r.jiping.perSecond))}`,
      r.jiping.cpuSeconds === undefined
        ? '—'
        : `${secondsText(r.handwritten.cpuSeconds!)} / ${secondsText(r.jiping.cpuSeconds)}`,
      `${mib(peakOf(r.handwritten))} / **${mib(peakOf(r.jiping))}**`,
      `${mib(r.handwritten.rssStartBytes)} / ${mib(r.jiping.rssStartBytes)}`,
      `${mib(r.handwritten.heapRetainedBytes)} / ${mib(r.jiping.heapRetainedBytes)}`,
      `${secondsText(r.handwritten.startupSeconds)} / ${secondsText(r.jiping.startupSeconds)}`,
      secondsText(r.jiping.generateSeconds),
      String(r.mismatches),
    ].join(' | '),
  );
  const growth = (['main', 'pool'] as const).flatMap((mode) => {
    const of = result.rows.filter((r) => r.mode === mode).sort((x, y) => x.count - y.count);
    if (of.length < 2) return [];
    const path = (pick: (r: BatchRow) => string): string => of.map(pick).join(' → ');
    return [
      `${MODE_LABEL[mode]}, (c) at ${path((r) => thousands(r.count))}: peak RSS ${path((r) => mib(peakOf(r.jiping)))}, ` +
        `main heap after GC ${path((r) => mib(r.jiping.heapRetainedBytes))}`,
    ];
  });
  const target = result.rows.find((r) => r.mode === 'pool' && r.count === 100_000);
  const engineOnly = result.rows.find((r) => r.mode === 'workers' && r.count === 100_000 && !r.maxOldSpaceMb);
  const capped = result.rows.find((r) => r.mode === 'workers' && r.count === 100_000 && r.maxOldSpaceMb);
  const verdict = (r: BatchRow | undefined, what: string): string =>
    r
      ? `${what}: (c) ${secondsText(r.jiping.seconds)} (target ≤ 7 s), ${r.ratio.toFixed(2)} × (b) (target ≤ 1.5 ×), ` +
        `peak RSS ${mib(peakOf(r.jiping))} (target ≤ 600 MB)`
      : `${what}: not measured`;
  const workers =
    result.worker === 'bundle'
      ? `\`dist/apps/cli/scoring-worker.js\` (the webpack bundle from \`npx nest build cli\`, as production runs it) for
(c) and \`bench/handwritten-worker.ts\` transpiled to plain JavaScript for (b)`
      : `\`libs/scoring-workers/src/scoring-worker.ts\` for (c) and \`bench/handwritten-worker.ts\` for (b), both under
ts-node (each worker loads the TypeScript compiler: more RSS and a slower start; the bundle was not built, or was
older than the sources)`;
  const chunking =
    result.chunkSize || result.maxChunksInFlight
      ? `chunkSize ${result.chunkSize ?? 'default'}, maxChunksInFlight ${result.maxChunksInFlight ?? 'default'}`
      : "the pool's default chunks (25 submissions, at most two chunks per worker in flight)";
  const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  return `${HEADING}

Generated by \`bench/batch.ts\` (\`npx ts-node -r tsconfig-paths/register --transpile-only bench/batch.ts --write\`
replaces this section; \`npm run bench\` runs it too). It took ${Math.round(result.seconds)} s${result.reps > 1 ? `, ${result.reps} runs per configuration, the median reported` : ''}.

What it measures: a batch of N submissions shaped like the seed (\`bench/generate-submissions.ts\`, ${BLOCK} at a time,
block k from mulberry32 seed ${DEFAULT_SEED} + k), scored under \`rules/guangzhou/department-overall/2021.json\` by
**(c)** jiping's \`scoreSubmissionSummary\` (compiled path: total, grade and indicator scores, no report texts) and by
**(b)** the hand-written decimal.js scorer (\`bench/handwritten-scorer.ts\`, the total only), each run the same way:

- **1 core: main thread** — one submission after the other in the main thread, no pool;
- **2 cores: pool** — streamed from the main thread through a \`ScoringPool\` of 2 worker threads
  (\`libs/scoring-workers\`, as impact analysis and re-scoring use it), with ${workers}. (b)'s worker speaks the pool's
  protocol, so both go through the same pool — ${chunking}, each submission structured-cloned to a worker and its
  outcome back;
- **2 cores: in the workers** — engine only: 2 worker threads (\`bench/batch.ts\` ${
    result.worker === 'bundle'
      ? 'and what it imports, transpiled to plain JavaScript under node_modules/.cache: no ts-node in the threads'
      : 'under ts-node, which loads the TypeScript compiler into each thread'
  }) each generate every other window of the batch themselves and score it, with no transport at all; the time is
  the longer of the two workers' scoring. Each worker holds its own window of generated submissions.

Submissions are generated ${thousands(WINDOW)} at a time (${WINDOW_BLOCKS} blocks), then scored before the next window is
generated: "scoring" adds up the windows — the engine, and in the pool its transport — with the generation timed apart
("generating", never overlapping the scoring in the main thread and pool modes). "CPU" is the process's CPU time
(every thread) during the windows: the cost of the scoring whatever else shared the machine. The rule set is compiled
before the run, timed as "start-up" with the workers' start and a one-submission run (the seed, which must total
${SEED_TOTAL}); the JIT warms up inside the timed run. Each configuration runs in a fresh Node process with ts-node in
its main thread (most of the RSS at start). Peak RSS is the whole process, worker threads included: the larger of
\`process.memoryUsage.rss()\` sampled every 25 ms and every 50 submissions of a scoring loop, and getrusage's max RSS.
The main heap after GC is the main thread's after a full GC at the end: what the run retains. Mismatches: submissions
whose total under (c) differs from (b)'s, or is missing, compared index by index; must be 0.

| submissions | how | (b) scoring | (c) scoring | (c)/(b) | per s (b) / (c) | CPU (b) / (c) | peak RSS (b) / (c) | RSS at start (b) / (c) | main heap after GC (b) / (c) | start-up (b) / (c) | generating | mismatches |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((row) => `| ${row} |`).join('\n')}

Against the performance issue's target (100,000 submissions in ≤ 7 s on 2 cores, ≤ 1.5 × (b) in the same run, peak
RSS ≤ 600 MB, memory flat as N grows):

- ${verdict(target, '2 cores through the pool')};
- ${verdict(engineOnly, '2 cores, engine only (in the workers)')}${
    capped
      ? `;
- ${verdict(capped, `the same, each thread's old generation capped at ${capped.maxOldSpaceMb} MB (Node's --max-old-space-size)`)}.

V8 sizes a thread's heap from the machine's memory and collects its old generation late: with room, the engine-only
threads let the garbage of the generated submissions and their scorings grow before a full GC. Capping the old
generation bounds the peak and costs the extra full GCs.`
      : '.'
  }

Memory as N grows:

${growth.map((g) => `- ${g};`).join('\n') || '- not measured;'}

what a run retains stays flat (the main heap after a full GC): the submissions are generated and scored a window at
a time, the pool keeps a bounded number of chunks in flight, and the run keeps one 32-bit total per submission (4 bytes
× N, for the comparison with (b)). Where the peak still grows with N — in the main-thread rows too, which have no
pool — it is V8 letting garbage (mostly generated submissions, promoted to the old generation while they wait their
turn) pile up further before a full GC over a longer run. ${
    result.maxOldSpaceMb
      ? `These runs capped every thread's old generation with \`--max-old-space-size=${result.maxOldSpaceMb}\`
(\`--max-old-space ${result.maxOldSpaceMb}\`), which makes V8 collect sooner, for some more CPU.`
      : `\`--max-old-space 256\` caps every thread's old generation (Node's \`--max-old-space-size\`) in the runs, which
makes V8 collect sooner, for some more CPU; these runs used V8's default.`
  }

Machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} logical cores, node ${process.version}; load
average (1/5/15 min) ${loads(result.load.before)} at the start, ${loads(result.load.after)} at the end. Other processes
were not controlled for: a load average above the core count means the runs shared the two cores with them, which the
CPU column does not depend on.
`;
}

/** `--name value` from the arguments. */
const option = (args: string[], name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const numberOption = (args: string[], name: string): number | undefined => {
  const value = option(args, name);
  return value === undefined ? undefined : Number(value);
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  tuneV8ForScoring();
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure(JSON.parse(args[1]) as Config)));
    return;
  }
  const result = await benchBatch({
    counts: option(args, '--counts')?.split(',').map(Number),
    modes: option(args, '--modes')?.split(',') as BatchMode[] | undefined,
    reps: numberOption(args, '--reps'),
    chunkSize: numberOption(args, '--chunk'),
    maxChunksInFlight: numberOption(args, '--in-flight'),
    maxOldSpaceMb: numberOption(args, '--max-old-space'),
    worker: option(args, '--worker') as WorkerKind | undefined,
  });
  const failures = result.rows.filter((r) => r.mismatches > 0 || r.jiping.failed > 0 || r.handwritten.failed > 0);
  const { format, resolveConfig } = await import('prettier'); // not loaded in the workers of the `workers` mode
  const options = (await resolveConfig(DOC)) ?? {};
  const formatted = await format(renderBatchSection(result), { ...options, parser: 'markdown' });
  process.stdout.write(formatted);
  if (failures.length > 0) throw new Error(`(b) and (c) disagree: ${JSON.stringify(failures)}`);
  if (args.includes('--write')) writeDocSection(HEADING, formatted);
}

if (!isMainThread && (workerData as Partial<InWorkerData> | null)?.batchWorker) {
  inWorker(workerData as InWorkerData);
} else if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
