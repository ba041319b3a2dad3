import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process (every isolate: the main thread and the scoring
 * workers). Scoring allocates many short-lived Decimals and small objects; with pretenuring on, V8 starts
 * allocating some of them straight into old space after the first scorings, those old (dead) objects keep the young
 * objects they point to alive through every scavenge, and scoring spends a third of its time in GC. Measured on
 * 广州 2021 submissions (docs/performance.md, "What bounds it"): mean per submission −30 %, p99 ÷4, no change at p50.
 * Call it first thing in a process that scores (the API, the CLI, the benches); it changes no result.
 */
export function tuneV8ForScoring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
