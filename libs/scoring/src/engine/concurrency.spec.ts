import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Engine, type EngineResult, type RuleProperties } from 'json-rules-engine';
import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../../test/support/load';
import { compileRuleSet } from '../compile-rule-set';
import type { ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { EnginePool } from './engine-pool';

type Json = Record<string, any>;

const ruleSet = loadRuleSet(GZ_2021);
const SEED = readJson(SEED_SUBMISSION) as Json;
const SCORINGS = 1_000;

const amount = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/**
 * Submissions that differ where json-rules-engine decides (the band leaves) and elsewhere, generated from a fixed
 * seed so the test is the same on every run.
 */
const submissionArb = fc
  .record({
    averageExecutionRate: fc.oneof(
      fc.integer({ min: 0, max: 10_000 }),
      fc.constantFrom(6_999, 7_000, 7_999, 8_000, 8_999, 9_000),
    ),
    fixedAssetsPerMille: fc.oneof(fc.integer({ min: 0, max: 1_100 }), fc.constantFrom(600, 700, 800, 900)),
    revenuePerMille: fc.oneof(
      fc.integer({ min: 700, max: 1_300 }),
      fc.constantFrom(800, 900, 950, 1_050, 1_100, 1_200),
    ),
    procurementActual: fc.integer({ min: 0, max: 200_000 }),
    expenditureProgress: fc.integer({ min: 8_000, max: 10_000 }),
    commendations: fc.integer({ min: 0, max: 3 }),
    violations: fc.integer({ min: 0, max: 3 }),
    preAssessment: fc.boolean(),
    assetSystems: fc.boolean(),
    rd1: fc.integer({ min: 0, max: 30 }),
    resultApplication: fc.integer({ min: 160, max: 200 }),
  })
  .map((v) => {
    const submission = structuredClone(SEED);
    const inputs = submission.inputs;
    inputs.averageExecutionRate = amount(v.averageExecutionRate);
    inputs.fixedAssetsTotal = '10000';
    inputs.fixedAssetsInUse = amount(v.fixedAssetsPerMille * 1_000);
    inputs.budgetRevenue = '535707.57';
    inputs.finalAccountRevenue = amount(Math.round(53_570_757 * (v.revenuePerMille / 1_000)));
    inputs.procurementActual = amount(v.procurementActual);
    inputs.expenditureProgress = amount(v.expenditureProgress);
    inputs.commendations = v.commendations;
    inputs.violations = v.violations;
    inputs.budgetPreparation.preAssessment.met = v.preAssessment;
    inputs.assetSystems = v.assetSystems;
    inputs.resultApplication.score = amount(v.resultApplication);
    submission.targetResults['rd-1'].actual = String(v.rd1);
    return submission;
  });

describe(compileRuleSet.name, () => {
  it(`gives each of ${SCORINGS} concurrent scorings on one compiled rule set its sequential result`, async () => {
    const compiled = compileRuleSet(ruleSet);
    const submissions = fc.sample(submissionArb, { numRuns: SCORINGS, seed: 2021 });

    const sequential: ScoreReport[] = [];
    // the json-rules-engine path, whose pooled Engines this is about (the compiled path has no Engine to share)
    const options = { engine: 'json-rules-engine' } as const;
    for (const submission of submissions) sequential.push(await scoreSubmission(compiled, submission, options));
    const concurrent = await Promise.all(
      submissions.map((submission) => scoreSubmission(compiled, submission, options)),
    );

    // The generated submissions really differ where the rules decide.
    const decisions = new Set(sequential.map((report) => report.trace.fired.join()));
    expect(decisions.size).toBeGreaterThan(20);
    expect(concurrent).toHaveLength(SCORINGS);
    // isDeepStrictEqual: a thousand toEqual calls on full reports would dominate the test's time.
    const differing = concurrent.flatMap((report, i) => (isDeepStrictEqual(report, sequential[i]) ? [] : [i]));
    expect(differing).toEqual([]);
  }, 120_000);

  it('serves the same compiled rule set for the same content', () => {
    expect(compileRuleSet(loadRuleSet(GZ_2021))).toBe(compileRuleSet(ruleSet));
  });
});

// Why the pool: json-rules-engine keeps a run's status on the Engine. When one run finishes it marks the Engine
// FINISHED, and every other run still in flight on it skips its remaining priority sets.

const RULES: RuleProperties[] = [
  {
    name: 'high',
    priority: 3,
    conditions: { all: [{ fact: 'level', operator: 'in', value: ['1', '2', '3'] }] },
    event: { type: 'high' },
  },
  {
    name: 'mid',
    priority: 2,
    conditions: { all: [{ fact: 'level', operator: 'in', value: ['2', '3'] }] },
    event: { type: 'mid' },
  },
  {
    name: 'low',
    priority: 1,
    conditions: { all: [{ fact: 'level', operator: 'in', value: ['3'] }] },
    event: { type: 'low' },
  },
];

/** A fact that resolves after a number of microtasks: runs started together finish at different (fixed) times. */
const after = async (ticks: number, value: string): Promise<string> => {
  for (let i = 0; i < ticks; i++) await Promise.resolve();
  return value;
};
const RUNS = Array.from({ length: 12 }, (_, i) => ({ level: () => after(i * 5, String((i % 3) + 1)) }));

const outcome = (result: EngineResult) => ({
  fired: result.results.map((r) => r.name).sort(),
  failed: result.failureResults.map((r) => r.name).sort(),
});

async function sequentially(run: (facts: Record<string, unknown>) => Promise<EngineResult>) {
  const outcomes = [];
  for (const facts of RUNS) outcomes.push(outcome(await run(facts)));
  return outcomes;
}
const concurrently = async (run: (facts: Record<string, unknown>) => Promise<EngineResult>) =>
  (await Promise.all(RUNS.map((facts) => run(facts)))).map(outcome);
const mismatches = (actual: unknown[], expected: unknown[]): number =>
  actual.filter((value, i) => JSON.stringify(value) !== JSON.stringify(expected[i])).length;

describe(EnginePool.name, () => {
  const sharedEngine = (): Engine => {
    const engine = new Engine([], { allowUndefinedFacts: false });
    RULES.forEach((rule) => engine.addRule(rule));
    return engine;
  };

  it('decides every rule of every priority when runs take turns on one Engine', async () => {
    const engine = sharedEngine();

    const outcomes = await sequentially((facts) => engine.run(facts));

    expect(outcomes.slice(0, 3)).toEqual([
      { fired: ['high'], failed: ['low', 'mid'] },
      { fired: ['high', 'mid'], failed: ['low'] },
      { fired: ['high', 'low', 'mid'], failed: [] },
    ]);
  });

  it('loses lower-priority rules when one Engine is shared by concurrent runs (the control)', async () => {
    const expected = await sequentially((facts) => sharedEngine().run(facts));
    const engine = sharedEngine();

    const actual = await concurrently((facts) => engine.run(facts));

    expect(mismatches(actual, expected)).toBeGreaterThan(0);
    // The first run to finish is right; the runs still waiting on their fact lose their lower priorities.
    expect(actual[0]).toEqual(expected[0]);
    expect(actual[RUNS.length - 1]).toEqual({ fired: ['high'], failed: [] });
  });

  it('decides every rule of every priority for concurrent runs through a pool', async () => {
    const expected = await sequentially((facts) => sharedEngine().run(facts));
    const pool = new EnginePool(RULES);

    const actual = await concurrently((facts) => pool.run(facts));

    expect(mismatches(actual, expected)).toBe(0);
    expect(actual).toEqual(expected);
  });
});
