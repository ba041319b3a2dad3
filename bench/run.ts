/**
 * `npm run bench`: single-core latency and throughput of scoring 广州 2021 submissions —
 * (a) json-rules-engine driven plainly, (b) a hand-written decimal.js scorer, (c) jiping's engine (compiled path,
 * scores only), (c+r) the same with the full report, (c+r jre) the report on json-rules-engine (the reference path)
 * — plus rule-set compile time, CPU profiles, batch scoring on 1 and 2 cores (bench/batch.ts) and the API under
 * HTTP load (bench/http.ts). Prints one table and writes docs/performance.md, keeping the sections it does not
 * generate (the "Impact analysis" of bench/impact.ts). Reproducible: the submissions come from a fixed PRNG seed.
 *
 *   npm run bench                 # everything
 *   npm run bench -- --no-http    # without the HTTP section (kept from the last run)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import Decimal from 'decimal.js';
import { format, resolveConfig } from 'prettier';
import { checksumOf, parseRuleFileText, type RuleFile, toRuleSet, validateRuleFile } from '@jiping/rules';
import { compileRuleSet, scoreSubmission, scoreSubmissionSummary, scoreSubmissionSync } from '@jiping/scoring';
import type { ProfileWindow } from './child';
import {
  elapsedUs,
  loadSeed,
  median,
  nowNs,
  percentile,
  readRuleFileText,
  ROOT,
  RULE_FILE,
  runChild,
  SEED_FILE,
  SEED_TOTAL,
} from './common';
import { type ProfileSummary, summariseProfile } from './cpu-profile';
import { DEFAULT_SEED, generateSubmissions, type Json } from './generate-submissions';
import { scoreHandwritten } from './handwritten-scorer';
import { benchBatch, type BatchBenchResult, renderBatchSection } from './batch';
import { benchHttp, type HttpBenchResult, renderHttpSection } from './http';
import { createPeer } from './peer-json-rules-engine';
import { tuneV8ForScoring } from '../config/v8-tuning';

const N_SLOW = 2_000; // (a) and (c+r jre): submissions timed per repetition
const N_FAST = 10_000; // (b), (c), (c+r)
const REPS = 3;
const BATCH = 10_000;
const COMPILES = 20;
const PROFILE_N = 2_000;
const DOC = join(ROOT, 'docs', 'performance.md');

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

interface Rep {
  p50: number;
  p99: number;
  mean: number;
  perSecond: number;
}
interface Timing extends Rep {
  key: string;
  label: string;
  n: number;
  reps: Rep[];
}

function summarise(durationsUs: Float64Array, wallUs: number): Rep {
  const sorted = Float64Array.from(durationsUs).sort();
  const sum = durationsUs.reduce((s, d) => s + d, 0);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sum / durationsUs.length,
    perSecond: durationsUs.length / (wallUs / 1e6),
  };
}

/** Times n calls one by one (awaited), cycling through the submissions. */
async function timeAsync(score: (s: Json) => Promise<unknown>, submissions: Json[], n: number): Promise<Rep> {
  const durations = new Float64Array(n);
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    const submission = submissions[i % submissions.length];
    const t0 = nowNs();
    await score(submission);
    durations[i] = elapsedUs(t0);
  }
  return summarise(durations, elapsedUs(start));
}

/** Times n synchronous calls one by one. */
function timeSync(score: (s: Json) => unknown, submissions: Json[], n: number): Rep {
  const durations = new Float64Array(n);
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    const submission = submissions[i % submissions.length];
    const t0 = nowNs();
    score(submission);
    durations[i] = elapsedUs(t0);
  }
  return summarise(durations, elapsedUs(start));
}

const medianRep = (reps: Rep[]): Rep => ({
  p50: median(reps.map((r) => r.p50)),
  p99: median(reps.map((r) => r.p99)),
  mean: median(reps.map((r) => r.mean)),
  perSecond: median(reps.map((r) => r.perSecond)),
});

function machine(): Record<string, string> {
  const cpu = cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (with uncommitted changes in the working tree)';
  } catch {
    // not a git checkout
  }
  return {
    os: `${type()} ${release()} (${process.platform}/${process.arch})`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: `${cpu.length} logical`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    'decimal.js': requireVersion('decimal.js'),
    'json-rules-engine': requireVersion('json-rules-engine'),
    commit,
  };
}

function requireVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** How often the generated submissions sit exactly on a band or deduction edge (metric as the engine rounds it). */
function edgeHits(submissions: Json[]): { edges: number; submissions: number } {
  const rate = (a: string, b: string): Decimal =>
    new Decimal(a).div(b).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  let edges = 0;
  let withEdge = 0;
  for (const s of submissions) {
    const i = s.inputs as Record<string, string>;
    const hits = [
      rate(new Decimal(i.finalAccountRevenue).sub(i.budgetRevenue).toFixed(), i.budgetRevenue).abs().toNumber(),
      Number(i.averageExecutionRate),
      rate(i.fixedAssetsInUse, i.fixedAssetsTotal).toNumber(),
    ].filter((v) => [5, 10, 20, 60, 70, 80, 90].includes(v)).length;
    const base = new Decimal(i.priorYearCarryover).add(i.currentYearBudget).add(i.otherFunds).toFixed();
    const exact = [
      rate(i.carryoverBalance, base).eq(5),
      new Decimal(i.expenditureProgress).eq(100),
      rate(i.procurementActual, i.procurementPlanned).eq(100),
      rate(i.publicExpenseActual, i.publicExpenseBudget).eq(100),
    ].filter(Boolean).length;
    edges += hits + exact;
    if (hits + exact > 0) withEdge++;
  }
  return { edges, submissions: withEdge };
}

function runProfile(mode: string, n: number): ProfileSummary {
  const dir = mkdtempSync(join(tmpdir(), 'jiping-bench-prof-'));
  try {
    const window = runChild<ProfileWindow>(
      mode,
      [String(n)],
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=500'],
    );
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), window.startUs, window.endUs);
  } finally {
    rmSync(dir, { recursive: true, force: true }); // the .cpuprofile is not kept
  }
}

async function main(): Promise<void> {
  tuneV8ForScoring();
  const benchStart = nowNs();
  const info = machine();
  const loadBefore = loadavg();
  const ruleFile = parseRuleFileText(readRuleFileText()) as RuleFile;
  const ruleSet = toRuleSet(ruleFile);
  const compiled = compileRuleSet(ruleSet);
  const seed = loadSeed();
  const peer = createPeer(seed);

  // the seed, through every scorer
  const reference = { engine: 'json-rules-engine' } as const;
  const seedC = scoreSubmissionSummary(compiled, seed).total;
  const seedReport = scoreSubmissionSync(compiled, seed).total;
  const seedReference = (await scoreSubmission(compiled, seed, reference)).total;
  const seedB = scoreHandwritten(seed);
  const seedA = await peer.score(seed);
  log(`seed: (c) ${seedC}, (c+r) ${seedReport}, (c+r jre) ${seedReference}, (b) ${seedB}, (a) ${seedA}`);
  if ([seedC, seedReport, seedReference, seedB].some((total) => total !== SEED_TOTAL))
    throw new Error(`the seed must total ${SEED_TOTAL}`);

  log(`generating ${BATCH} submissions (seed ${DEFAULT_SEED})`);
  const g0 = nowNs();
  const all = generateSubmissions(seed, BATCH);
  const generateMs = elapsedUs(g0) / 1e3;
  const slow = all.slice(0, N_SLOW);
  const edges = edgeHits(all);

  // warm-up, which is also the check: (c) must not throw and must agree with (b) on every submission, (c+r) and
  // (c+r jre) with (c)
  log('warm-up and verification');
  let failures = 0;
  const totalsC = all.map((s) => {
    try {
      return scoreSubmissionSummary(compiled, s).total;
    } catch {
      failures++;
      return 'error';
    }
  });
  const totalsB = all.map((s) => scoreHandwritten(s));
  const handwrittenMismatches = totalsB.filter((t, i) => t !== totalsC[i]).length;
  let reportAgrees = all.every((s, i) => scoreSubmissionSync(compiled, s).total === totalsC[i]);
  for (let i = 0; i < slow.length; i++)
    reportAgrees &&= (await scoreSubmission(compiled, slow[i], reference)).total === totalsC[i];
  const totalsA: number[] = [];
  for (const s of slow) totalsA.push(await peer.score(s));
  let peerMismatches = 0;
  let peerMaxDiff = 0;
  totalsA.forEach((a, i) => {
    if (a.toFixed(3) !== totalsC[i]) peerMismatches++;
    peerMaxDiff = Math.max(peerMaxDiff, Math.abs(a - Number(totalsC[i])));
  });

  const timing = (key: string, label: string, n: number): Timing => ({ key, label, n, reps: [], ...medianRep([]) });
  const timings: Timing[] = [
    timing('(a)', 'json-rules-engine peer', N_SLOW),
    timing('(b)', 'hand-written decimal.js', N_FAST),
    timing('(c)', 'jiping engine (scores)', N_FAST),
    timing('(c+r)', 'jiping + report', N_FAST),
    timing('(c+r jre)', 'jiping + report on json-rules-engine', N_SLOW),
  ];
  const [ta, tb, tc, tcr, tjre] = timings;
  for (let rep = 1; rep <= REPS; rep++) {
    log(`timing, repetition ${rep}/${REPS}`);
    tb.reps.push(timeSync(scoreHandwritten, all, N_FAST));
    tc.reps.push(timeSync((s) => scoreSubmissionSummary(compiled, s), all, N_FAST));
    tcr.reps.push(timeSync((s) => scoreSubmissionSync(compiled, s), all, N_FAST));
    tjre.reps.push(await timeAsync((s) => scoreSubmission(compiled, s, reference), slow, N_SLOW));
    ta.reps.push(await timeAsync((s) => peer.score(s), slow, N_SLOW));
  }
  for (const t of timings) Object.assign(t, medianRep(t.reps));

  // rule-set compile: toRuleSet + compileRuleSet on a fresh copy; a new title each time defeats the checksum cache
  log('compile timing');
  const compileReps: { toRuleSet: number; compile: number; total: number; firstScore: number }[] = [];
  for (let i = 0; i < 5; i++) compileRuleSet(toRuleSet({ ...structuredClone(ruleFile), title: `warm-up ${i}` }));
  for (let rep = 0; rep < REPS; rep++) {
    const one = {
      toRuleSet: [] as number[],
      compile: [] as number[],
      total: [] as number[],
      firstScore: [] as number[],
    };
    for (let i = 0; i < COMPILES; i++) {
      const copy = structuredClone(ruleFile);
      copy.title = `${ruleFile.title}（bench ${rep}-${i}）`;
      const t0 = nowNs();
      const fresh = toRuleSet(copy);
      const t1 = nowNs();
      const freshCompiled = compileRuleSet(fresh);
      const t2 = nowNs();
      if (freshCompiled === compiled || fresh.checksum === ruleSet.checksum)
        throw new Error('the compile cache was hit');
      const t3 = nowNs();
      scoreSubmissionSummary(freshCompiled, all[i]);
      one.firstScore.push(elapsedUs(t3));
      one.toRuleSet.push(Number(t1 - t0) / 1e3);
      one.compile.push(Number(t2 - t1) / 1e3);
      one.total.push(Number(t2 - t0) / 1e3);
    }
    compileReps.push({
      toRuleSet: median(one.toRuleSet),
      compile: median(one.compile),
      total: median(one.total),
      firstScore: median(one.firstScore),
    });
  }
  // toRuleSet's two main parts, timed apart (not part of the figure above)
  const validateUs: number[] = [];
  const checksumUs: number[] = [];
  for (let i = 0; i < COMPILES; i++) {
    const copy = { ...structuredClone(ruleFile), title: `split ${i}` };
    const t0 = nowNs();
    validateRuleFile(copy);
    const t1 = nowNs();
    checksumOf(copy);
    validateUs.push(Number(t1 - t0) / 1e3);
    checksumUs.push(elapsedUs(t1));
  }
  const compileTime = {
    validate: median(validateUs),
    checksum: median(checksumUs),
    toRuleSet: median(compileReps.map((r) => r.toRuleSet)),
    compile: median(compileReps.map((r) => r.compile)),
    total: median(compileReps.map((r) => r.total)),
    firstScore: median(compileReps.map((r) => r.firstScore)),
  };

  log(`cpu profile of (c), ${PROFILE_N} submissions`);
  const profileC = runProfile('profile', PROFILE_N);
  log(`cpu profile of (a), ${PROFILE_N} submissions`);
  const profileA = runProfile('profile-peer', PROFILE_N);

  log('batch scoring on 1 and 2 cores (bench/batch.ts)');
  const batch = await benchBatch();
  let http: HttpBenchResult | undefined;
  if (!process.argv.includes('--no-http')) {
    log('HTTP under load (bench/http.ts)');
    http = await benchHttp();
  }

  const benchSeconds = elapsedUs(benchStart) / 1e6;
  const result: Report = {
    date: new Date().toISOString(),
    info,
    load: { before: loadBefore, after: loadavg() },
    timings,
    seed: { c: seedC, b: seedB, a: seedA },
    ruleCount: peer.ruleCount,
    engineRules: compiled.stages.reduce((n, s) => n + s.ruleNames.length, 0),
    generateMs,
    edges,
    verification: { handwrittenMismatches, peerMismatches, peerMaxDiff, reportAgrees, failures },
    compileTime,
    batch,
    http,
    totals: totalsC.filter((t) => t !== 'error').map(Number),
    profileC,
    profileA,
    benchSeconds,
  };
  const table = tableOf(timings);
  process.stdout.write(`${table}\n\n${ratioLines(timings).join('\n')}\n`);
  process.stdout.write(
    `compile (toRuleSet + compileRuleSet): ${us(compileTime.total)} µs median; ` +
      `(b) ≠ (c) on ${handwrittenMismatches} of ${BATCH}\n`,
  );
  const options = (await resolveConfig(DOC)) ?? {};
  const generated = documentOf(result);
  const kept = existsSync(DOC) ? sectionsNotIn(readFileSync(DOC, 'utf8'), generated) : '';
  writeFileSync(DOC, await format(generated + kept, { ...options, parser: 'markdown' }));
  log(`wrote ${DOC} in ${benchSeconds.toFixed(0)} s`);
  if (handwrittenMismatches > 0 || failures > 0 || !reportAgrees) {
    log('FAILED: the hand-written scorer and jiping disagree, or jiping threw');
    process.exitCode = 1;
  }
}

interface Report {
  date: string;
  info: Record<string, string>;
  load: { before: number[]; after: number[] };
  timings: Timing[];
  seed: { c: string; b: string; a: number };
  ruleCount: number;
  engineRules: number;
  generateMs: number;
  edges: { edges: number; submissions: number };
  verification: {
    handwrittenMismatches: number;
    peerMismatches: number;
    peerMaxDiff: number;
    reportAgrees: boolean;
    failures: number;
  };
  compileTime: {
    toRuleSet: number;
    compile: number;
    total: number;
    firstScore: number;
    validate: number;
    checksum: number;
  };
  batch: BatchBenchResult;
  http?: HttpBenchResult;
  totals: number[];
  profileC: ProfileSummary;
  profileA: ProfileSummary;
  benchSeconds: number;
}

const us = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;
const times = (value: number): string => `${value.toFixed(value >= 10 ? 1 : 2)}×`;

function tableOf(timings: Timing[]): string {
  const rows = [
    ['', 'scorer', 'N × 3', 'p50 µs', 'p99 µs', 'mean µs', 'submissions/s (1 core)', 'p50 over the 3 runs'],
    ...timings.map((t) => [
      t.key,
      t.label,
      int(t.n),
      us(t.p50),
      us(t.p99),
      us(t.mean),
      int(t.perSecond),
      t.reps.map((r) => us(r.p50)).join(' / '),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/**
 * The level-2 sections of the old document that this bench does not generate (e.g. bench/impact.ts's "Impact
 * analysis"), to be kept after the generated ones.
 */
function sectionsNotIn(old: string, generated: string): string {
  const headings = new Set(generated.split('\n').filter((line) => line.startsWith('## ')));
  const sections = old.split(/\n(?=## )/).slice(1);
  const kept = sections.filter((section) => !headings.has(section.split('\n')[0]));
  return kept.length > 0 ? '\n' + kept.map((section) => section.trimEnd()).join('\n\n') + '\n' : '';
}

function ratioLines([a, b, c, cr, jre]: Timing[]): string[] {
  return [
    `(c)/(b): ${times(c.p50 / b.p50)} at p50, ${times(b.perSecond / c.perSecond)} in throughput — jiping's engine vs the hand-written decimal.js scorer (target ≤ 1.5×)`,
    `(a)/(c): ${times(a.p50 / c.p50)} at p50, ${times(c.perSecond / a.perSecond)} in throughput — plain json-rules-engine vs jiping's engine (target ≥ 8×)`,
    `(c+r)/(c): ${times(cr.p50 / c.p50)} — what the report costs; (c+r jre)/(c+r): ${times(jre.p50 / cr.p50)} — what compiling the conditions saves`,
  ];
}

function documentOf(r: Report): string {
  const [a, b, c, cr, jre] = r.timings;
  const v = r.verification;
  const sortedTotals = [...r.totals].sort((x, y) => x - y);
  const grades = { 优: 0, 良: 0, 中: 0, 差: 0 };
  for (const t of r.totals) grades[t >= 90 ? '优' : t >= 80 ? '良' : t >= 60 ? '中' : '差']++;
  const share = (p: ProfileSummary, ...names: string[]): number =>
    p.categories.filter((x) => names.includes(x.category)).reduce((s, x) => s + x.share, 0);
  const JRE = ['json-rules-engine', 'clone', 'hash-it', 'jsonpath-plus', 'eventemitter2'];
  const cOwn = share(r.profileC, 'libs/scoring', 'libs/rules');
  const cDecimal = share(r.profileC, 'decimal.js');
  const cGc = share(r.profileC, 'GC');
  const aJre = share(r.profileA, ...JRE);
  const aGc = share(r.profileA, 'GC');
  const topFns = (p: ProfileSummary): string[] => [
    '| self ms | share | function | where | area |',
    '|--:|--:|---|---|---|',
    ...p.top.map((t) => `| ${t.ms.toFixed(0)} | ${pct(t.share)} | \`${t.name}\` | ${t.where || '—'} | ${t.category} |`),
  ];
  const categories = (p: ProfileSummary): string =>
    p.categories
      .filter((x) => x.share >= 0.005)
      .map((x) => `${x.category} ${pct(x.share)}`)
      .join(' · ');
  const cOverB = c.p50 / b.p50;
  const aOverC = a.p50 / c.p50;
  const met = (ok: boolean): string => (ok ? '**met**' : '**not met**');

  return `# Performance

Generated by \`npm run bench\` (bench/run.ts) — do not edit by hand; re-run the bench to refresh it. The bench is
not part of \`npm test\`. It took ${r.benchSeconds.toFixed(0)} s on this machine.

## Machine

| | |
|---|---|
${Object.entries(r.info)
  .map(([k, val]) => `| ${k} | ${val} |`)
  .join('\n')}
| date | ${r.date} |
| load average (1/5/15 min) | ${r.load.before.map((l) => l.toFixed(2)).join(' / ')} at the start, ${r.load.after.map((l) => l.toFixed(2)).join(' / ')} at the end |

The per-submission timings run in one process on one core, without worker threads. Other processes were not
controlled for: a load average above the core count means the bench shared the CPU, and the p99 column and the
spread between the three runs show that noise.

## What is measured

- **Workload.** ${int(BATCH)} submissions shaped like the seed (\`${SEED_FILE}\`), generated by
  \`bench/generate-submissions.ts\` from mulberry32 seeded with ${DEFAULT_SEED} (so every run scores the same
  submissions; generating them took ${r.generateMs.toFixed(0)} ms). Every input of the seed varies: amounts as strings
  with ≤ 2 decimals, the budget header (consistent across its three breakdowns), checklist points (mostly met,
  some in the \`{ met, evidence }\` form), booleans, counts 0–2, the judged score inside its tier, key-indicator
  actuals around their targets (15 % exactly on target); ${int(r.edges.submissions)} of them
  (${pct(r.edges.submissions / BATCH)}) put at least one metric exactly on a band or deduction edge
  (${int(r.edges.edges)} edges in all). Totals range ${sortedTotals[0]}–${sortedTotals[sortedTotals.length - 1]}
  (median ${percentile(sortedTotals, 0.5)}); grades 优 ${grades['优']}, 良 ${grades['良']}, 中 ${grades['中']},
  差 ${grades['差']}. The rule set is \`${RULE_FILE}\`.
- **(a) json-rules-engine, plainly** (\`bench/peer-json-rules-engine.ts\`): the 广州 2021 leaves written as
  ${r.ruleCount} json-rules-engine rules the straightforward way — one Engine; the inputs as runtime facts (JS
  numbers); the metrics as computed facts (\`engine.addFact\` with a function); one rule per band, threshold,
  checklist point and key-indicator outcome with the built-in operators; events carrying points (a constant or a
  computed fact, \`replaceFactsInEventParams\`); the total is the float sum of the fired events' points. One
  \`await engine.run(facts)\` per submission, sequentially. Returns the total only.
- **(b) hand-written decimal.js** (\`bench/handwritten-scorer.ts\`): the same rules as direct code, metrics
  rounded as the engine rounds them; returns the total as a string. No validation, no report: the limit for exact
  arithmetic.
- **(c) jiping's engine** — \`scoreSubmissionSummary(compiled, submission)\` on a rule set compiled once outside
  the loop: validates the submission against the rule set (every input, the budget header's breakdowns, the
  declared goals and key indicators, tiers — the same checks and JSON pointers as the API), scores every leaf and
  key indicator on the compiled path (conditions, formulas, methods and rounding as closures over pre-parsed
  Decimals), and returns the total, the grade and the score of every leaf and declared section. This is what
  impact analysis and batch re-scoring run, and what the targets below are measured on.
- **(c+r) jiping with its report** — \`scoreSubmissionSync\`: the same scoring, then the full ScoreReport read off
  it (every node's score/max/lost/status, metric, deciding rule, figures, calc and 评分依据 sentence, 扣分原因, the
  budget header with its 完成率, the rule trace) — what official scoring and what-if store or return.
- **(c+r jre) jiping on json-rules-engine** — \`scoreSubmission(compiled, submission, { engine: 'json-rules-engine' })\`,
  awaited: the reference path, the ${r.engineRules} band rules decided by json-rules-engine on a pooled Engine.

Each scorer is warmed up on the whole set first (that pass is also the correctness check below), then each
submission is timed individually with \`process.hrtime.bigint()\`: N = ${int(b.n)} for (b), (c) and (c+r),
${int(a.n)} for (a) and (c+r jre). The scorers run in turn, three times; each figure is the median of the three
runs. Submissions/s is N over the wall time of the loop.

## Results

${tableOf(r.timings)}

| target (performance issue) | reached | |
|---|---|---|
| (c) p50 ≤ 1.5 × (b) | (c)/(b) = ${times(cOverB)} (${times(b.perSecond / c.perSecond)} in throughput) | ${met(cOverB <= 1.5)} |
| (c) ≥ 8 × faster than (a) | (a)/(c) = ${times(aOverC)} (${times(c.perSecond / a.perSecond)} in throughput) | ${met(aOverC >= 8)} |

- The report costs (c+r)/(c) = ${times(cr.p50 / c.p50)}: (c+r)/(b) = ${times(cr.p50 / b.p50)}, (a)/(c+r) =
  ${times(a.p50 / cr.p50)}.
- The reference path costs (c+r jre)/(c+r) = ${times(jre.p50 / cr.p50)}: what compiling the conditions saves.

### Correctness checks (same run)

- Seed: (c), (c+r) and (c+r jre) ${r.seed.c}, (b) ${r.seed.b}, (a) ${r.seed.a} (float; ${r.seed.a.toFixed(3)} at 3
  decimals).
- (b) vs (c) over all ${int(BATCH)} generated submissions: **${v.handwrittenMismatches} mismatches** (must be 0);
  jiping threw on ${v.failures} of them (must be 0). (c+r) on all of them and (c+r jre) on the first ${int(a.n)}
  give (c)'s totals: ${v.reportAgrees ? 'yes' : 'NO'}.
- (a) vs (c) over the ${int(a.n)} timed submissions: ${v.peerMismatches} totals differ at 3 decimals (largest
  difference ${v.peerMaxDiff.toFixed(3)}). These are float half-up roundings landing on the wrong side — e.g.
  3 × 1630 / 2000 = 2.445 is 2.4449999… as a double, so \`Math.round(x * 100) / 100\` gives 2.44 where the exact
  rule gives 2.45. The peer is a baseline for speed, not a reference.

## Which path serves which endpoint, and why

\`scoreSubmission\` is the one entry point; it takes the compiled path unless told
\`{ engine: 'json-rules-engine' }\`. \`scoreSubmissionSync\` is the compiled path without a promise, and
\`scoreSubmissionSummary\` the compiled path without the report's texts.

| caller | path | why |
|---|---|---|
| official scoring (\`POST …/evaluations\`, review adjustments, CLI \`score\`) | compiled, with report | same report as json-rules-engine (differential test), cheaper; the report records the rule-set checksum, not the path, because both give the same bytes |
| what-if (API and CLI), headroom search | compiled, with report | they return reports and per-node deltas; the per-submission cost is most of the request's CPU |
| impact analysis and batch re-scoring (libs/scoring-workers) | compiled, scores only (\`scoreSubmissionSummary\`) | they keep the total, the grade and each indicator's score of thousands of departments; writing 评分依据 sentences nobody reads would cost (c+r)/(c) = ${times(cr.p50 / c.p50)} |
| rule-file embedded tests (\`checkRuleFile\`) | compiled | they check the rule file's scores, which both paths give alike |
| a rule set with a condition the compiler does not take (a JSONPath \`path\`) | json-rules-engine, automatically | json-rules-engine stays able to score any rule set; \`scoreSubmissionSync\` and \`scoreSubmissionSummary\` refuse such a rule set (ENGINE_FAILURE), and the workers fall back to \`scoreSubmission\` |
| the differential test, the concurrency test of the Engine pool, (c+r jre) here | json-rules-engine, explicitly | json-rules-engine is the reference semantics and the authoring language of the conditions |

The conditions are authored in json-rules-engine's syntax and json-rules-engine defines what they mean; the
compiled path is an implementation of that meaning (all/any/not, an empty \`all\` or \`any\` holds, the
decimal operators false on a fact that is not a decimal, the exact built-ins on the values json-rules-engine
sees, \`Undefined fact\` when a fact is missing), held to it by the differential test
(libs/scoring/src/compiled/differential.spec.ts: 10,000 generated submissions per shipped rule file, identical
reports or errors, and \`scoreSubmissionSummary\` equal to the report's scores). The trace lists fired and
not-fired rules in rule-set order on both paths (json-rules-engine's own order is that in which its promises
settle).

## Rule-set compile

\`toRuleSet\` + \`compileRuleSet\` on a fresh copy of the parsed rule file (title altered each time so the
checksum cache is bypassed), median of ${COMPILES}, three times: **${us(r.compileTime.total)} µs**
(toRuleSet ${us(r.compileTime.toRuleSet)} µs, of which validateRuleFile alone takes about
${us(r.compileTime.validate)} µs and the canonical-JSON sha256 checksum ${us(r.compileTime.checksum)} µs, the rest
being structuredClone and deep freeze; compileRuleSet ${us(r.compileTime.compile)} µs). compileRuleSet builds its
EnginePools empty, and the compiled conditions and the submission validator's view of the rule set on first use:
the first \`scoreSubmissionSummary\` on a fresh compile took ${us(r.compileTime.firstScore)} µs (median) against
${us(c.p50)} µs for a warm one. Compiled rule sets are cached by checksum (64), so this is paid once per rule set
and process.

## CPU profile of (c)

\`node --cpu-prof\` (500 µs sampling) on a loop of ${int(PROFILE_N)} \`scoreSubmissionSummary\` calls after a
warm-up, self time cut to the loop (${r.profileC.totalMs.toFixed(0)} ms, ${int(r.profileC.samples)}
samples${r.profileC.windowed ? '' : ', whole profile'}); the .cpuprofile is deleted. Line numbers are omitted: the
profile sees ts-node's transpiled code.

By area: ${categories(r.profileC)}.

${topFns(r.profileC).join('\n')}

For comparison, (a) by area: ${categories(r.profileA)}. (\`(program)\` is native V8 time not attributed to any JS
function; in (a) it is plausibly the promise and microtask scheduling between json-rules-engine's callbacks.)

## What bounds it

(c) does the arithmetic (b) does — the operation counts are close: per submission both parse the same figures,
take the same quotients at 40 significant digits and round the same metrics and scores — plus what the product
must do and (b) does not: it checks every field of the submission against the rule set (the budget header's three
breakdowns must sum alike, declared weights must add up, judged scores must sit in their tier: about 90 Decimals
parsed and some 70 additions and comparisons more than (b)), decides every band rule rather than the first
that matches, keeps each leaf's outcome for the report it may be asked for, and writes the score of every leaf
and section as a string where (b) writes the total only. In the profile, decimal.js takes ${pct(cDecimal)} of self
time and GC ${pct(cGc)} — each decimal.js operation copies its argument and returns a new Decimal with a digit
array — and jiping's own code (libs/scoring, libs/rules) ${pct(cOwn)}. The validation alone costs about half of
(b) (≈45–55 µs on a quiet machine, timed apart); it stays, because a submission that does not fit its rule set
must be refused with pointers, not scored. Allocation is what is left to take — an object and an \`explain\`
closure per leaf outcome and per metric, the maps of a parsed submission: (c) allocates ≈165 KB per submission
where (b) allocates ≈100 KB (V8's sampling heap profiler, collected objects included).

(a)/(c) ≥ 8 would take (c) ≤ ${us(a.p50 / 8)} µs, ${times(a.p50 / 8 / b.p50)} (b): validating and keeping the
outcomes in less time than (b) takes for the arithmetic alone is not in reach with decimal.js. The peer measured
here is faster than the issue's json-rules-engine figure for this kind of machine (1,100–1,750 µs), against which
(c) would be ${times(1100 / c.p50)}–${times(1750 / c.p50)}; the table holds (c) to the peer of the same run.

Garbage collection: with V8's defaults, scoring's scavenges took 6–12 ms each and promoted most of what they copied
(\`--trace-gc\`): after the first scorings V8 pretenures some allocation sites, the dead old objects then keep the
young objects they point to alive through every scavenge, and the cascade tenures more sites
(\`--trace-pretenuring-statistics\`: survival ratio 1.0). The hand-written scorer does not trigger it. Every process
that scores — the API, the CLI, these benches — therefore starts with \`config/v8-tuning.ts\`, which turns
allocation-site pretenuring off: for (c) the mean per submission fell from ≈330 to ≈220 µs and p99 from ≈6.2 to
≈1.6 ms, p50 unchanged; the results do not change.

The plain json-rules-engine peer (a) is bounded by json-rules-engine itself (${pct(aJre)} of its self time, of
which JSONPath resolution in jsonpath-plus alone is ${pct(share(r.profileA, 'jsonpath-plus'))} and cloning
${pct(share(r.profileA, 'clone'))}; GC ${pct(aGc)}): every \`run\` builds a new Almanac and wraps each runtime
fact in a Fact, clones every rule's conditions and event, evaluates each condition through its own chain of
promises (one microtask hop per condition, per priority set, per fact lookup), hashes computed-fact parameters for
the almanac cache, resolves JSONPath paths, and emits success/failure events — for all ${r.ruleCount} rules on every
submission, whether or not they can fire.

${renderBatchSection(r.batch)}
${r.http ? '\n' + renderHttpSection(r.http) : ''}
`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
