/**
 * Rule-change impact throughput: N generated 广州 2021 departments scored under the published rule set and the draft
 * that moves the 固定资产利用率 top band from 90 % to 95 % (test/support/moved-band-draft.ts), on the worker pool
 * (libs/scoring-workers), with ImpactSummary accumulating in the main thread — the engine and the pool only, no HTTP
 * and no database. Each configuration runs in a fresh Node process so its peak RSS is its own.
 *
 *   ts-node -r tsconfig-paths/register --transpile-only bench/impact.ts            # print the section
 *   ts-node -r tsconfig-paths/register --transpile-only bench/impact.ts --write    # and replace it in docs/performance.md
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Decimal from 'decimal.js';
import { format, resolveConfig } from 'prettier';
import { toRuleSet } from '@jiping/rules';
import { compileRuleSet, impactFrameOf, ImpactSummary, scoreSubmissionSummary } from '@jiping/scoring';
import { type ScoringJob, ScoringPool } from '@jiping/scoring-workers';
import { movedBandDraft } from '../test/support/moved-band-draft';
import { loadRuleSet, loadSeed, ROOT, writeDocSection } from './common';
import { DEFAULT_SEED, generateSubmissions, type Json } from './generate-submissions';
import { tuneV8ForScoring } from '../config/v8-tuning';

const DOC = join(ROOT, 'docs', 'performance.md');
const HEADING = '## Impact analysis';
/** Submissions generated at a time (each block from its own PRNG seed), as the service reads pages of 500. */
const BLOCK = 500;
const MiB = 1024 * 1024;

interface Config {
  count: number;
  /** 0: no pool, both rule sets scored one after the other in the main thread. */
  workers: number;
  /** The worker script: libs/scoring-workers' .ts under ts-node, or the CLI bundle's scoring-worker.js. */
  worker: 'ts-node' | 'bundle';
}

/** Built by `npm run build` (nest build cli): the worker as it runs in production. */
const BUNDLED_WORKER = join(ROOT, 'dist', 'apps', 'cli', 'scoring-worker.js');

interface Measured extends Config {
  /** Starting the workers and compiling both rule sets in each (a one-submission run). */
  startupSeconds: number;
  /** The run itself: generate, score under both, summarise. */
  seconds: number;
  /** Of which the main thread spent generating submissions. */
  generateSeconds: number;
  perSecond: number;
  rssStartBytes: number;
  rssPeakBytes: number;
  maxRssBytes: number;
  heapUsedPeakBytes: number;
  /** The main thread's heap after a full GC at the end: what the run really retains (the summary, the pool). */
  heapRetainedBytes: number;
  departments: number;
  failed: number;
  changed: number;
  /** Departments whose generated 固定资产利用率, rounded to 2 decimals of a percent, lies in [90, 95). */
  expectedChanged: number;
  gradeChanges: number;
  meanDelta: string | null;
}

const P = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Generated departments, a block at a time, with a unique code each; counts those the draft must move. */
function* departments(count: number, seed: Json, tally: { expected: number; generateNs: bigint }): Generator<Json> {
  for (let block = 0; block * BLOCK < count; block++) {
    const t0 = process.hrtime.bigint();
    const submissions = generateSubmissions(seed, Math.min(BLOCK, count - block * BLOCK), DEFAULT_SEED + block);
    tally.generateNs += process.hrtime.bigint() - t0;
    for (const [i, submission] of submissions.entries()) {
      const n = block * BLOCK + i + 1;
      submission.department = { ...(submission.department as Json), code: `gz-dept-${n}`, name: `广州市第${n}部门` };
      const inputs = submission.inputs as Record<string, string>;
      const rate = new P(inputs.fixedAssetsInUse).div(inputs.fixedAssetsTotal).mul(100).toDecimalPlaces(2);
      if (rate.gte(90) && rate.lt(95)) tally.expected++;
      yield submission;
    }
  }
}

async function measure({ count, workers, worker }: Config): Promise<Measured> {
  const before = loadRuleSet();
  const after = toRuleSet(movedBandDraft());
  const seed = loadSeed();
  const summary = new ImpactSummary({ before: impactFrameOf(before), after: impactFrameOf(after) });
  const tally = { expected: 0, generateNs: 0n };
  const pool =
    workers > 0
      ? new ScoringPool({ workers, workerFile: worker === 'bundle' ? BUNDLED_WORKER : undefined })
      : undefined;

  const s0 = process.hrtime.bigint();
  if (pool)
    for await (const _ of pool.score({ ruleSets: [before, after], jobs: [{ id: 'warm-up', submission: seed }] }));
  const startupSeconds = Number(process.hrtime.bigint() - s0) / 1e9;

  const rssStartBytes = process.memoryUsage.rss();
  let rssPeakBytes = rssStartBytes;
  let heapUsedPeakBytes = 0;
  const sample = (): void => {
    const memory = process.memoryUsage();
    rssPeakBytes = Math.max(rssPeakBytes, memory.rss);
    heapUsedPeakBytes = Math.max(heapUsedPeakBytes, memory.heapUsed);
  };
  const sampler = setInterval(sample, 25);

  const t0 = process.hrtime.bigint();
  if (pool) {
    const jobs = function* (): Generator<ScoringJob<Json>> {
      for (const submission of departments(count, seed, tally)) {
        const department = submission.department as { code: string; name: string };
        yield { id: department.code, submission, context: department };
      }
    };
    for await (const { context, outcomes } of pool.score({ ruleSets: [before, after], jobs: jobs() })) {
      const [old, candidate] = outcomes;
      if (old.ok && candidate.ok) {
        summary.add({
          department: context as { code: string; name: string },
          before: old.scoring,
          after: candidate.scoring,
        });
      } else summary.addFailure();
    }
  } else {
    const [old, candidate] = [compileRuleSet(before), compileRuleSet(after)];
    let n = 0;
    for (const submission of departments(count, seed, tally)) {
      try {
        const department = submission.department as { code: string; name: string };
        const b = scoreSubmissionSummary(old, submission);
        const a = scoreSubmissionSummary(candidate, submission);
        summary.add({ department, before: b, after: a });
      } catch {
        summary.addFailure();
      }
      // timers do not fire inside this loop: sample here too
      if (++n % 50 === 0) sample();
    }
  }
  const result = summary.result();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  sample();
  (globalThis as { gc?: () => void }).gc?.();
  const heapRetainedBytes = process.memoryUsage().heapUsed;
  await pool?.close();
  return {
    count,
    workers,
    worker,
    startupSeconds,
    seconds,
    generateSeconds: Number(tally.generateNs) / 1e9,
    perSecond: result.departments / seconds,
    rssStartBytes,
    rssPeakBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedPeakBytes,
    heapRetainedBytes,
    departments: result.departments,
    failed: result.failed,
    changed: result.changed,
    expectedChanged: tally.expected,
    gradeChanges: result.gradeChanges.changed,
    meanDelta: result.delta?.mean ?? null,
  };
}

/** Runs one configuration in a fresh process (this file, `--child count workers`) and reads its JSON line. */
function runChild(config: Config): Measured {
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      __filename,
      '--child',
      String(config.count),
      String(config.workers),
      config.worker,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
  );
  if (result.status !== 0) throw new Error(`bench child ${JSON.stringify(config)} failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measured;
}

const mib = (bytes: number): string => `${Math.round(bytes / MiB)} MiB`;
const thousands = (n: number): string => n.toLocaleString('en-US');

function section(results: Measured[], load: { before: number[]; after: number[] }, seconds: number): string {
  const peak = (r: Measured): number => Math.max(r.rssPeakBytes, r.maxRssBytes);
  const rows = results.map((r) =>
    [
      thousands(r.count),
      r.workers === 0 ? 'none (main thread)' : `${r.workers} × ${r.worker}`,
      r.workers === 0 ? '—' : `${r.startupSeconds.toFixed(2)} s`,
      `${r.seconds.toFixed(2)} s`,
      `**${Math.round(r.perSecond)}**`,
      `**${mib(peak(r))}**`,
      mib(r.rssStartBytes),
      `${mib(r.heapUsedPeakBytes)} / ${mib(r.heapRetainedBytes)}`,
      `${thousands(r.changed)} / ${thousands(r.expectedChanged)}`,
      String(r.failed),
    ].join(' | '),
  );
  const growth = (['ts-node', 'bundle'] as const).flatMap((worker) => {
    const pool = results.filter((r) => r.workers > 1 && r.worker === worker);
    const [small, large] = [pool.find((r) => r.count === 1_000), pool.find((r) => r.count === 10_000)];
    return small && large
      ? [
          `peak RSS ${mib(peak(small))} → ${mib(peak(large))} with ${worker} workers, main heap after GC ` +
            `${mib(small.heapRetainedBytes)} → ${mib(large.heapRetainedBytes)}`,
        ]
      : [];
  });
  const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  return `${HEADING}

Generated by \`bench/impact.ts\` (\`ts-node -r tsconfig-paths/register --transpile-only bench/impact.ts --write\`
replaces this section; \`npm run bench\` does not run it, and rewrites the file above it). It took
${Math.round(seconds)} s.

What it measures: the engine and the worker pool behind \`POST /rule-sets/:ref/impact\` and \`jiping impact\`,
without HTTP or a database. N departments shaped like the seed (\`bench/generate-submissions.ts\`, ${BLOCK} at a time,
each block from its own mulberry32 seed, read lazily like the service's pages of ${BLOCK}) are scored under
\`rules/guangzhou/department-overall/2021.json\` and under the draft that moves the 固定资产利用率 top band from 90 % to
95 % (\`test/support/moved-band-draft.ts\`), while \`ImpactSummary\` accumulates the rows in the main thread. The pool
(\`libs/scoring-workers\`) sends chunks of 25 submissions, at most two chunks per worker in flight; each worker
compiled both rule sets once. Workers are either the TypeScript worker under ts-node (how the specs and the bench run
it; each worker loads the TypeScript compiler) or \`dist/apps/cli/scoring-worker.js\` from \`npm run build\` (the
webpack bundle, as \`node dist/apps/api/main.js\` and \`bin/jiping.js\` run it). Workers score with
\`scoreSubmissionSummary\` (the compiled path, scores only, no report texts). The "none" row scores both rule sets one
after the other in the main thread with the same function, for comparison. The main thread runs under ts-node in every row, which is
most of the RSS at start.

Departments/s is departments (each scored twice) over the run's wall time, generating the submissions included
(${results.map((r) => `${r.generateSeconds.toFixed(2)} s`).join(', ')}); starting the workers and compiling the rule
sets in them is timed apart (a one-submission run first). Peak RSS is the whole process, worker threads included: the
larger of \`process.memoryUsage().rss\` sampled every 25 ms and getrusage's max RSS. The main heap is the
main thread's only: its peak heap used (garbage included), and what is left after a full GC at the end of the run,
which is what the run retains. "Moved / expected": departments the summary found changed, against those whose
generated rate, rounded to 2 decimals of a percent, lies in [90, 95); the bench fails unless they are equal and
nothing failed.

| departments | workers | worker start-up | run | departments/s | peak RSS | RSS at start | main heap: peak / after GC | moved / expected | failed |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((row) => `| ${row} |`).join('\n')}

Memory from 1,000 to 10,000 departments:

${growth.map((g) => `- ${g};`).join('\n') || '- not measured;'}

the peak grows because V8 lets each thread's heap fill with garbage further before collecting it over a longer run,
while what the run retains (after GC) hardly moves: the submissions are generated and read a block at a time, the pool keeps a bounded number of chunks in
flight, and the summary keeps one Decimal per department (for the median) and running sums, never the reports or the
rows.

Machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} logical cores, node ${process.version}; load
average (1/5/15 min) ${loads(load.before)} at the start, ${loads(load.after)} at the end. Other processes were not
controlled for: a load average above the core count means the pool shared the two cores with them, so these rates
are a floor.
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  tuneV8ForScoring();
  if (args[0] === '--child') {
    const worker = args[3] === 'bundle' ? 'bundle' : 'ts-node';
    console.log(JSON.stringify(await measure({ count: Number(args[1]), workers: Number(args[2]), worker })));
    return;
  }
  const started = Date.now();
  const load = { before: loadavg(), after: [] as number[] };
  const workers = availableParallelism();
  const configs: Config[] = [
    { count: 1_000, workers: 0, worker: 'ts-node' },
    { count: 1_000, workers: 1, worker: 'ts-node' },
    { count: 1_000, workers, worker: 'ts-node' },
    { count: 10_000, workers, worker: 'ts-node' },
  ];
  if (existsSync(BUNDLED_WORKER)) {
    configs.push({ count: 1_000, workers, worker: 'bundle' }, { count: 10_000, workers, worker: 'bundle' });
  } else process.stderr.write(`[impact bench] ${BUNDLED_WORKER} is missing (npm run build): bundle rows skipped\n`);
  const results: Measured[] = [];
  for (const config of configs) {
    process.stderr.write(
      `[impact bench] ${thousands(config.count)} departments, ${config.workers} workers (${config.worker}) …\n`,
    );
    const measured = runChild(config);
    if (measured.changed !== measured.expectedChanged || measured.failed !== 0) {
      throw new Error(`wrong impact: ${JSON.stringify(measured)}`);
    }
    process.stderr.write(
      `[impact bench]   ${measured.seconds.toFixed(2)} s, ${Math.round(measured.perSecond)}/s, peak ${mib(measured.rssPeakBytes)}\n`,
    );
    results.push(measured);
  }
  load.after = loadavg();
  const text = section(results, load, (Date.now() - started) / 1000);
  const options = (await resolveConfig(DOC)) ?? {};
  const formatted = await format(text, { ...options, parser: 'markdown' });
  process.stdout.write(formatted);
  if (args.includes('--write')) writeDocSection(HEADING, formatted);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
