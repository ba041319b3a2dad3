/**
 * Deterministic seed-shaped submissions for the 广州 2021 department-overall rule set.
 *
 * Every input of the seed submission (test/fixtures/gz-kjj-2021/submission.json) is varied around realistic
 * values: amounts as strings with at most 2 decimals, band and deduction edges hit exactly some of the time,
 * checklist points mostly met, counts 0–2, judged scores inside their tier, key-indicator actuals around their
 * targets. The declared targets (goals, indicators, weights, comparators, target values) are the seed's: a
 * department declares them at budget time; only their year-end results vary.
 */

export type Json = Record<string, unknown>;

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEFAULT_SEED = 20211231;

type Rng = () => number;

const uniform = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();
const intBetween = (rng: Rng, min: number, max: number): number => Math.floor(uniform(rng, min, max + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Integer cents → "1234.56" (always two decimals, as bureaus type amounts). */
export function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
const cents = (rng: Rng, min: number, max: number): number => Math.round(uniform(rng, min, max) * 100);
/** A percentage with 2 decimals as text, e.g. "97.35". */
const percentText = (rng: Rng, min: number, max: number): string => centsText(cents(rng, min, max));

/** A checklist answer: mostly met; sometimes the { met, evidence } form. */
function checklist(rng: Rng, ids: readonly string[], pMet = 0.85): Json {
  return Object.fromEntries(
    ids.map((id) => {
      const met = chance(rng, pMet);
      return [id, chance(rng, 0.25) ? { met, evidence: met ? '详见佐证材料' : '未完成，原因见说明' } : met];
    }),
  );
}

const TIERS = [
  { code: 'achieved', min: 0.8, max: 1, p: 0.75 },
  { code: 'partial', min: 0.6, max: 0.8, p: 0.17 },
  { code: 'unachieved', min: 0, max: 0.6, p: 0.08 },
] as const;

/** A judged tier and a score inside it (2 decimals), for a weight w. */
function judged(rng: Rng, weight: number): { tier: string; score: string } {
  let u = rng();
  const tier = TIERS.find((t) => (u -= t.p) < 0) ?? TIERS[0];
  const [lo, hi] = [Math.round(weight * tier.min * 100), Math.round(weight * tier.max * 100)];
  // the top of the tier most of the time (as the seed), anywhere inside it otherwise
  const score = chance(rng, 0.5) ? hi : intBetween(rng, lo, hi);
  return { tier: tier.code, score: centsText(score) };
}

/** A (numerator, denominator) pair of amounts in 万元 whose ratio is about `ratio`; `edge` makes it exact. */
function amountsAt(rng: Rng, denMin: number, denMax: number, ratio: number, edge: boolean): [string, string] {
  if (edge) {
    // an integer denominator times a ratio with ≤ 2 decimals has ≤ 2 decimals: the metric is exactly the ratio
    const den = intBetween(rng, denMin, denMax);
    const num = Math.round(den * ratio * 100);
    return [centsText(num), centsText(den * 100)];
  }
  const den = cents(rng, denMin, denMax);
  return [centsText(Math.round(den * ratio)), centsText(den)];
}

function budget(rng: Rng): Json {
  const split = (total: number, share: number): [number, number] => {
    const first = Math.round(total * share);
    return [first, total - first];
  };
  const fiscal = cents(rng, 1e8, 8e9);
  const other = chance(rng, 0.3) ? 0 : cents(rng, 1e3, 2e6);
  const fiscalExecuted = Math.round(fiscal * uniform(rng, 0.8, 1));
  const otherExecuted = Math.round(other * uniform(rng, 0.9, 1));
  const total = fiscal + other;
  const executed = fiscalExecuted + otherExecuted;
  const basicShare = uniform(rng, 0.02, 0.2);
  const cityShare = uniform(rng, 0.9, 1);
  const [basic, project] = split(total, basicShare);
  const [basicExecuted, projectExecuted] = split(executed, basicShare * uniform(rng, 1, 1.05));
  const [city, transfer] = split(total, cityShare);
  const [cityExecuted, transferExecuted] = split(executed, cityShare * uniform(rng, 0.97, 1));
  const column = (b: number, e: number): Json => ({ budgeted: centsText(b), executed: centsText(e) });
  return {
    unit: '元',
    columns: {
      fiscal: column(fiscal, fiscalExecuted),
      other: column(other, otherExecuted),
      basic: column(basic, basicExecuted),
      project: column(project, projectExecuted),
      city: column(city, cityExecuted),
      transfer: column(transfer, transferExecuted),
    },
  };
}

function inputs(rng: Rng): Json {
  const [finalAccountRevenue, budgetRevenue] = chance(rng, 0.2)
    ? amountsAt(rng, 1e3, 1e6, 1 + pick(rng, [-0.2, -0.1, -0.05, 0.05, 0.1, 0.2]), true)
    : amountsAt(rng, 1e3, 1e6, uniform(rng, 0.7, 1.15), false);

  // 结转结余率 around 0–10 % of (上年结转 + 本年预算 + 其他); at exactly 5 % some of the time
  const carryEdge = chance(rng, 0.15);
  const parts = carryEdge
    ? [
        intBetween(rng, 0, 2000) * 100,
        intBetween(rng, 1e3, 1e6) * 100,
        chance(rng, 0.5) ? 0 : intBetween(rng, 1, 5000) * 100,
      ]
    : [cents(rng, 0, 2000), cents(rng, 1e3, 1e6), chance(rng, 0.5) ? 0 : cents(rng, 1, 5000)];
  const base = parts[0] + parts[1] + parts[2];
  const carryoverBalance = carryEdge ? base / 20 : Math.round(base * uniform(rng, 0, 0.1));

  const [procurementActual, procurementPlanned] = chance(rng, 0.1)
    ? amountsAt(rng, 100, 5000, 1, true)
    : amountsAt(rng, 100, 5000, uniform(rng, 0.5, 1.1), false);
  const [fixedAssetsInUse, fixedAssetsTotal] = chance(rng, 0.2)
    ? amountsAt(rng, 1000, 50000, pick(rng, [0.6, 0.7, 0.8, 0.9]), true)
    : amountsAt(rng, 1000, 50000, uniform(rng, 0.55, 1), false);
  const [publicExpenseActual, publicExpenseBudget] = chance(rng, 0.1)
    ? amountsAt(rng, 100, 2000, 1, true)
    : amountsAt(rng, 100, 2000, uniform(rng, 0.85, 1.1), false);
  const [threePublicActual, threePublicBudget] = amountsAt(rng, 10, 500, uniform(rng, 0.05, 1.08), false);
  const resultApplication = judged(rng, 2);

  return {
    expenditureProgress: chance(rng, 0.15) ? '100.00' : percentText(rng, 85, 100),
    budgetPreparation: checklist(rng, ['staffData', 'onTime', 'preAssessment']),
    specialFunds: checklist(rng, ['withinTerm', 'platformDisclosure', 'measuresValid']),
    finalAccountRevenue,
    budgetRevenue,
    averageExecutionRate: chance(rng, 0.2) ? pick(rng, ['70.00', '80.00', '90.00']) : percentText(rng, 60, 100),
    carryoverBalance: centsText(carryoverBalance),
    priorYearCarryover: centsText(parts[0]),
    currentYearBudget: centsText(parts[1]),
    otherFunds: parts[2] === 0 ? '0' : centsText(parts[2]),
    financialSystems: checklist(rng, ['budgetRules', 'financeRules', 'rulesApplied']),
    procurementActual,
    procurementPlanned,
    budgetDisclosure: checklist(rng, ['budgetPublished', 'finalAccountsPublished'], 0.9),
    performanceDisclosure: checklist(rng, ['targetsPublished', 'selfEvaluationPublished'], 0.9),
    assetSystems: chance(rng, 0.9),
    assetReconciliation: chance(rng, 0.9),
    fixedAssetsInUse,
    fixedAssetsTotal,
    publicExpenseActual,
    publicExpenseBudget,
    threePublicActual,
    threePublicBudget,
    performanceSystems: checklist(rng, ['rulesIssued', 'fundRules'], 0.9),
    goalReasonableness: checklist(rng, ['matchesMandate', 'reflectsPlans', 'decomposed', 'matchesBudget'], 0.9),
    indicatorClarity: checklist(rng, ['reflectsResults', 'clear', 'quantified', 'grounded'], 0.9),
    monitoringEvaluation: checklist(rng, ['monitoring', 'selfEvaluation'], 0.9),
    resultApplication: { ...resultApplication, reason: '开展绩效运行监控和绩效评价后，及时落实整改措施' },
    commendations: intBetween(rng, 0, 2),
    violations: chance(rng, 0.6) ? 0 : intBetween(rng, 1, 2),
  };
}

interface DeclaredIndicator {
  code: string;
  weight: string;
  kind: 'quantitative' | 'qualitative';
  target?: string;
  unit?: string;
}

function targetResults(rng: Rng, indicators: DeclaredIndicator[]): Json {
  return Object.fromEntries(
    indicators.map((indicator) => {
      if (indicator.kind === 'qualitative') {
        return [indicator.code, { ...judged(rng, Number(indicator.weight)), text: '完成' }];
      }
      const target = Number(indicator.target);
      if (chance(rng, 0.15)) return [indicator.code, { actual: indicator.target }];
      const actual = target * uniform(rng, 0.7, 1.35);
      // amounts (亿元) with 2 decimals; counts of things (个, 项, 人, 家) whole
      const amount = indicator.unit?.includes('元') ?? false;
      const text = amount ? centsText(Math.round(actual * 100)) : String(Math.round(actual));
      return [indicator.code, { actual: text }];
    }),
  );
}

/**
 * `count` submissions shaped like `seed`, generated from a fixed PRNG seed: the same arguments always give the
 * same submissions.
 */
export function generateSubmissions(seed: Json, count: number, prngSeed = DEFAULT_SEED): Json[] {
  const rng = mulberry32(prngSeed);
  const targets = (seed.targets as { performance: { indicators: DeclaredIndicator[] }[] }).performance;
  const indicators = targets.flatMap((goal) => goal.indicators);
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      formatVersion: '1',
      department: { code: `gz-dept-${i + 1}`, name: `广州市第${i + 1}部门`, unitCount: intBetween(rng, 1, 6) },
      fiscalYear: seed.fiscalYear,
      overview: structuredClone(seed.overview),
      budget: budget(rng),
      inputs: inputs(rng),
      evidence: structuredClone(seed.evidence),
      targets: structuredClone(seed.targets),
      targetResults: targetResults(rng, indicators),
    });
  }
  return out;
}
