/**
 * Work run in a fresh process by bench/run.ts, so its memory and CPU profile are its own:
 * - `batch <count>`: score `count` generated submissions with jiping's engine, sequentially, sampling RSS;
 * - `profile <count>`: a (c) loop of `count` submissions, to run under `node --cpu-prof`;
 * - `profile-peer <count>`: the same loop with the json-rules-engine peer (a).
 * The profile modes print the loop's window on the monotonic clock so the profile can be cut to it.
 * Prints one JSON line.
 */
import { compileRuleSet, scoreSubmission } from '@jiping/scoring';
import { loadRuleSet, loadSeed } from './common';
import { generateSubmissions, type Json } from './generate-submissions';
import { createPeer } from './peer-json-rules-engine';

export interface BatchResult {
  count: number;
  generateSeconds: number;
  seconds: number;
  /** After loading and compiling the rule set, before generating the submissions. */
  rssStartBytes: number;
  /** With the generated submissions in memory, before scoring. */
  rssBeforeBytes: number;
  rssPeakBytes: number;
  maxRssBytes: number;
  heapUsedPeakBytes: number;
  failures: number;
  totals: string[];
}

export interface ProfileWindow {
  count: number;
  /** process.hrtime (CLOCK_MONOTONIC) in µs, the clock V8 stamps profile samples with. */
  startUs: number;
  endUs: number;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function batch(count: number): Promise<BatchResult> {
  const compiled = compileRuleSet(loadRuleSet());
  const rssStartBytes = process.memoryUsage.rss();
  const g0 = process.hrtime.bigint();
  const submissions = generateSubmissions(loadSeed(), count);
  const generateSeconds = Number(process.hrtime.bigint() - g0) / 1e9;
  const rssBeforeBytes = process.memoryUsage.rss();
  let rssPeakBytes = rssBeforeBytes;
  let heapUsedPeakBytes = 0;
  let failures = 0;
  const totals: string[] = new Array(count);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    try {
      totals[i] = (await scoreSubmission(compiled, submissions[i])).total;
    } catch {
      failures++;
      totals[i] = 'error';
    }
    // timers never fire inside a loop of resolved promises, so sample in the loop itself
    if (i % 50 === 0) {
      const memory = process.memoryUsage();
      rssPeakBytes = Math.max(rssPeakBytes, memory.rss);
      heapUsedPeakBytes = Math.max(heapUsedPeakBytes, memory.heapUsed);
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage.rss());
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  return {
    count,
    generateSeconds,
    seconds,
    rssStartBytes,
    rssBeforeBytes,
    rssPeakBytes,
    maxRssBytes,
    heapUsedPeakBytes,
    failures,
    totals,
  };
}

async function profile(count: number, score: (submission: Json) => Promise<unknown>): Promise<ProfileWindow> {
  const submissions = generateSubmissions(loadSeed(), Math.min(count, 2000));
  for (let i = 0; i < 300; i++) await score(submissions[i % submissions.length]);
  const startUs = monotonicUs();
  for (let i = 0; i < count; i++) await score(submissions[i % submissions.length]);
  return { count, startUs, endUs: monotonicUs() };
}

async function main(): Promise<void> {
  const [mode, countText] = process.argv.slice(2);
  const count = Number(countText);
  let result: unknown;
  if (mode === 'batch') result = await batch(count);
  else if (mode === 'profile') {
    const compiled = compileRuleSet(loadRuleSet());
    result = await profile(count, (submission) => scoreSubmission(compiled, submission));
  } else if (mode === 'profile-peer') {
    const peer = createPeer(loadSeed());
    result = await profile(count, (submission) => peer.score(submission));
  } else throw new Error(`unknown mode ${mode}`);
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
