/**
 * Work run in a fresh process by bench/run.ts, so its memory and CPU profile are its own:
 * - `profile <count>`: a (c) loop of `count` submissions, to run under `node --cpu-prof`;
 * - `profile-peer <count>`: the same loop with the json-rules-engine peer (a).
 * The profile modes print the loop's window on the monotonic clock so the profile can be cut to it.
 * Prints one JSON line.
 */
import { compileRuleSet, scoreSubmissionSummary } from '@jiping/scoring';
import { loadRuleSet, loadSeed } from './common';
import { generateSubmissions, type Json } from './generate-submissions';
import { createPeer } from './peer-json-rules-engine';
import { tuneV8ForScoring } from '../config/v8-tuning';

export interface ProfileWindow {
  count: number;
  /** process.hrtime (CLOCK_MONOTONIC) in µs, the clock V8 stamps profile samples with. */
  startUs: number;
  endUs: number;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function profile(count: number, score: (submission: Json) => Promise<unknown>): Promise<ProfileWindow> {
  const submissions = generateSubmissions(loadSeed(), Math.min(count, 2000));
  for (let i = 0; i < 300; i++) await score(submissions[i % submissions.length]);
  const startUs = monotonicUs();
  for (let i = 0; i < count; i++) await score(submissions[i % submissions.length]);
  return { count, startUs, endUs: monotonicUs() };
}

async function main(): Promise<void> {
  tuneV8ForScoring();
  const [mode, countText] = process.argv.slice(2);
  const count = Number(countText);
  let result: unknown;
  if (mode === 'profile') {
    const compiled = compileRuleSet(loadRuleSet());
    result = await profile(count, async (submission) => scoreSubmissionSummary(compiled, submission));
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
