import fc from 'fast-check';
import type { CountAdjustMethod, JudgmentMethod, TierSpec } from '@jiping/rules';
import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../test/support/load';
import { scoresByCode } from './check-rule-file';
import { compileRuleSet } from './compile-rule-set';
import { D, roundTo } from './decimal';
import type { NodeReport, ScoreReport } from './score-report.types';
import { scoreSubmission } from './score-submission';

type Json = Record<string, any>;

const ruleSet = loadRuleSet(GZ_2021);
const compiled = compileRuleSet(ruleSet);
const SEED = readJson(SEED_SUBMISSION) as Json;
const NUM_RUNS = 200;
/** Each monotonicity run scores two submissions, for four leaves. */
const MONOTONE_RUNS = 100;
/** fast-check runs a few hundred scorings per property: well past jest's default 5 s on a busy machine. */
const TIMEOUT = 60_000;

// ---- The model: every figure of a submission as an integer number of hundredths (cents, 0.01 pp, 0.01 score). ----

interface Model {
  /** Money and percent inputs, in hundredths. */
  amounts: Record<string, number>;
  counts: Record<string, number>;
  booleans: Record<string, boolean>;
  checklists: Record<string, Record<string, boolean>>;
  judgment: { tier: string; score: number };
  /** Results of the declared targets: a quantitative actual, or a qualitative tier and self-score, in hundredths. */
  results: Record<string, { actual: number } | { tier: string; score: number }>;
}

/** How decimals are written: as short as possible ("1.1", "5") or always with 2 places ("1.10", "5.00"). */
type Style = 'short' | 'fixed';

function decimal(hundredths: number, style: Style): string {
  const whole = Math.floor(hundredths / 100);
  const cents = String(hundredths % 100).padStart(2, '0');
  if (style === 'fixed') return `${whole}.${cents}`;
  if (cents === '00') return String(whole);
  return `${whole}.${cents.replace(/0$/, '')}`;
}

// Ratios in parts per million, free or on a band edge; denominators sometimes round (so the edges are exact).
const denominator = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000_000 }),
  fc.integer({ min: 1, max: 100_000 }).map((k) => k * 10_000),
);
const ratio = (max: number, edges: number[]) => fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(...edges));
/** [numerator, denominator] in cents with numerator ≈ denominator × ratio. */
const pair = (max: number, edges: number[]) =>
  fc.tuple(denominator, ratio(max, edges)).map(([den, ppm]) => [Math.round((den * ppm) / 1_000_000), den] as const);
const hundredths = (max: number, edges: number[]) => fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(...edges));
const orZero = (arb: fc.Arbitrary<number>) => fc.oneof(fc.constant(0), arb);

const moneyArb = fc
  .record({
    procurement: pair(1_300_000, [0, 844_757, 999_950, 1_000_000]),
    fixedAssets: pair(1_000_000, [0, 600_000, 699_950, 700_000, 799_950, 800_000, 899_949, 900_000, 1_000_000]),
    revenue: pair(1_500_000, [0, 800_000, 900_000, 950_000, 1_000_000, 1_050_000, 1_100_000, 1_200_000]),
    publicExpense: pair(1_300_000, [0, 1_000_000, 1_005_000]),
    threePublic: pair(1_300_000, [0, 1_000_000, 1_100_000]),
    carryover: fc.record({
      prior: orZero(fc.integer({ min: 1, max: 100_000_000 })),
      current: denominator,
      other: orZero(fc.integer({ min: 1, max: 100_000_000 })),
      ppm: ratio(200_000, [0, 50_000, 60_000]),
    }),
  })
  .map(({ procurement, fixedAssets, revenue, publicExpense, threePublic, carryover }) => ({
    procurementActual: procurement[0],
    procurementPlanned: procurement[1],
    fixedAssetsInUse: fixedAssets[0],
    fixedAssetsTotal: fixedAssets[1],
    finalAccountRevenue: revenue[0],
    budgetRevenue: revenue[1],
    publicExpenseActual: publicExpense[0],
    publicExpenseBudget: publicExpense[1],
    threePublicActual: threePublic[0],
    threePublicBudget: threePublic[1],
    priorYearCarryover: carryover.prior,
    currentYearBudget: carryover.current,
    otherFunds: carryover.other,
    carryoverBalance: Math.round(((carryover.prior + carryover.current + carryover.other) * carryover.ppm) / 1_000_000),
  }));

const percentArb = fc.record({
  expenditureProgress: hundredths(11_000, [0, 9_000, 9_966, 10_000]),
  averageExecutionRate: hundredths(10_000, [0, 6_999, 7_000, 7_999, 8_000, 8_999, 9_000, 10_000]),
});

const inputsOf = <T extends string>(type: T) => ruleSet.file.inputs.filter((spec) => spec.type === type);
const checklistArb = fc.record(
  Object.fromEntries(
    ruleSet.file.inputs.flatMap((spec) =>
      spec.type === 'checklist'
        ? [[spec.id, fc.record(Object.fromEntries(spec.points.map((p) => [p.id, fc.boolean()])))]]
        : [],
    ),
  ) as Record<string, fc.Arbitrary<Record<string, boolean>>>,
);
const booleanArb = fc.record(Object.fromEntries(inputsOf('boolean').map((spec) => [spec.id, fc.boolean()])));
const countArb = fc.record(
  Object.fromEntries(inputsOf('count').map((spec) => [spec.id, fc.integer({ min: 0, max: 4 })])),
);

/** A tier and a self-score inside it (in hundredths of a point) for a weight. */
const tieredScore = (tiers: readonly TierSpec[], weight: string) =>
  fc.constantFrom(...tiers).chain((tier) => {
    const [min, max] = [
      new D(weight).mul(tier.min).mul(100).toNumber(),
      new D(weight).mul(tier.max).mul(100).toNumber(),
    ];
    return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max)).map((score) => ({ tier: tier.code, score }));
  });

const judgmentLeaf = compiled.leaves.get('result-application')!;
const judgmentArb = tieredScore((judgmentLeaf.leaf.method as JudgmentMethod).tiers!, judgmentLeaf.leaf.weight);

const section = compiled.declared.get('performance')!;
const declaredIndicators: Json[] = SEED.targets.performance.flatMap((goal: Json) => goal.indicators);
const resultsArb = fc.record(
  Object.fromEntries(
    declaredIndicators.map((indicator) => {
      if (indicator.kind === 'qualitative')
        return [indicator.code, tieredScore(section.declared.qualitativeTiers, indicator.weight)];
      const target = Number(indicator.target) * 100;
      return [
        indicator.code,
        hundredths(2 * target, [0, target - 1, target, target + 1]).map((actual) => ({ actual })),
      ];
    }),
  ) as Record<string, fc.Arbitrary<Model['results'][string]>>,
);

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    money: moneyArb,
    percents: percentArb,
    counts: countArb,
    booleans: booleanArb,
    checklists: checklistArb,
    judgment: judgmentArb,
    results: resultsArb,
  })
  .map(({ money, percents, ...rest }) => ({ amounts: { ...money, ...percents }, ...rest }));

/** The seed submission with every input and every target result replaced from the model. */
function render(model: Model, style: Style): Json {
  const inputs: Json = { ...model.booleans, ...model.checklists, ...model.counts };
  for (const [id, value] of Object.entries(model.amounts)) inputs[id] = decimal(value, style);
  inputs.resultApplication = { tier: model.judgment.tier, score: decimal(model.judgment.score, style), reason: '评议' };
  const targetResults = Object.fromEntries(
    Object.entries(model.results).map(([code, result]) => [
      code,
      'actual' in result
        ? { actual: decimal(result.actual, style) }
        : { tier: result.tier, score: decimal(result.score, style) },
    ]),
  );
  return { ...structuredClone(SEED), inputs, targetResults };
}

const styleArb = fc.constantFrom<Style>('short', 'fixed');
const submissionArb = fc.tuple(modelArb, styleArb).map(([model, style]) => render(model, style));

function walk(nodes: NodeReport[], visit: (node: NodeReport) => void): void {
  for (const node of nodes) {
    visit(node);
    walk(node.children ?? [], visit);
  }
}
const scores = (report: ScoreReport): Record<string, string> => ({
  ...Object.fromEntries(scoresByCode(report.sections)),
  total: report.total,
});

describe(scoreSubmission.name, () => {
  it('generates a value for every input and every target result of the seed submission', () => {
    const [sample] = fc.sample(submissionArb, { numRuns: 1, seed: 42 });

    expect(Object.keys(sample.inputs).sort()).toEqual(Object.keys(SEED.inputs).sort());
    expect(Object.keys(sample.targetResults).sort()).toEqual(Object.keys(SEED.targetResults).sort());
  });

  it(
    'keeps every leaf and target within [0, weight], the count-adjust leaf within [−cap, +cap]',
    async () => {
      await fc.assert(
        fc.asyncProperty(submissionArb, async (submission) => {
          const report = await scoreSubmission(compiled, submission);
          const outside: string[] = [];
          let leaves = 0;
          walk(report.sections, (node) => {
            if (node.children) return;
            leaves += 1;
            const score = new D(node.score);
            let [min, max] = [new D(0), new D(node.weight)];
            if (node.method === 'count-adjust') {
              const method = compiled.leaves.get(node.code)!.leaf.method as CountAdjustMethod;
              [min, max] = [new D(method.negative.cap).neg(), new D(method.positive.cap)];
            }
            if (score.lt(min) || score.gt(max))
              outside.push(`${node.code}: ${node.score} ∉ [${min.toFixed()}, ${max.toFixed()}]`);
          });
          expect(outside).toEqual([]);
          expect(leaves).toBe(21 + 21 + 1);
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'makes every parent the exact sum of its children and the total the rounded sum of the sections',
    async () => {
      await fc.assert(
        fc.asyncProperty(submissionArb, async (submission) => {
          const report = await scoreSubmission(compiled, submission);
          const wrong: string[] = [];
          walk(report.sections, (node) => {
            if (!node.children) return;
            const sum = node.children.reduce((s, child) => s.add(child.score), new D(0));
            if (!sum.eq(node.score)) wrong.push(`${node.code}: ${node.score} ≠ Σ ${sum.toFixed()}`);
          });
          expect(wrong).toEqual([]);
          const sections = report.sections.reduce((s, node) => s.add(node.score), new D(0));
          const { totalPlaces, mode } = ruleSet.file.rounding;
          expect(report.total).toBe(roundTo(sections, totalPlaces, mode).toFixed(totalPlaces));
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT,
  );

  it.each([
    ['procurementActual', 'procurement-execution-rate'], // proportional
    ['fixedAssetsInUse', 'fixed-asset-utilization'], // bands, increasing
    ['averageExecutionRate', 'average-execution-rate'], // bands on a submitted percent
    ['expenditureProgress', 'budget-completion-rate'], // deduction below the reference
  ])(
    'never lowers the score when %s rises (%s)',
    async (input, code) => {
      await fc.assert(
        fc.asyncProperty(modelArb, fc.integer({ min: 0, max: 200_000_000 }), styleArb, async (model, raise, style) => {
          const raised: Model = { ...model, amounts: { ...model.amounts, [input]: model.amounts[input] + raise } };
          const [before, after] = await Promise.all([
            scoreSubmission(compiled, render(model, style)),
            scoreSubmission(compiled, render(raised, style)),
          ]);
          const [low, high] = [scoresByCode(before.sections).get(code)!, scoresByCode(after.sections).get(code)!];
          expect([low, high, new D(high).gte(low)]).toEqual([low, high, true]);
        }),
        { numRuns: MONOTONE_RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'gives a deep-equal report for the same submission twice',
    async () => {
      await fc.assert(
        fc.asyncProperty(submissionArb, async (submission) => {
          const first = await scoreSubmission(compiled, submission);
          const second = await scoreSubmission(compiled, structuredClone(submission));
          expect(second).toEqual(first);
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'scores "1.10" and "1.1" (and "5.00" and "5") alike',
    async () => {
      await fc.assert(
        fc.asyncProperty(modelArb, async (model) => {
          const [short, fixed] = await Promise.all([
            scoreSubmission(compiled, render(model, 'short')),
            scoreSubmission(compiled, render(model, 'fixed')),
          ]);
          expect(scores(fixed)).toEqual(scores(short));
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT,
  );
});
