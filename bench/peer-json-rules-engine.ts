import { type Almanac, Engine, type NestedCondition, type RuleProperties } from 'json-rules-engine';

/**
 * The peer: the 广州 2021 leaves written as json-rules-engine rules the way the library's README suggests — one
 * Engine, the submission's inputs as runtime facts (numbers as JS numbers), the metrics as computed facts
 * (engine.addFact with a function reading other facts through the almanac), one rule per band / threshold /
 * checklist point using the built-in operators, each event carrying its points (a constant, or a computed fact
 * via replaceFactsInEventParams), and the total as the sum of the events' points.
 *
 * It is the "how people would use json-rules-engine" baseline, not a reference: metrics and scores are JS floats
 * rounded with Math.round, so a total can differ from the exact one in the last place.
 */

type Json = Record<string, unknown>;

interface Indicator {
  code: string;
  weight: string;
  kind: 'quantitative' | 'qualitative';
  comparator?: string;
  target?: string;
}

const round = (value: number, places: number): number => Math.round(value * 10 ** places) / 10 ** places;
/** A ratio shown as a percentage with 2 decimals: 0.844757 → 84.48. */
const percent = (ratio: number): number => round(ratio * 100, 2);

const fact = <T>(almanac: Almanac, id: string): Promise<T> => almanac.factValue<T>(id);

function points(indicator: string, all: NestedCondition[], value: number | Json): RuleProperties {
  return { conditions: { all }, event: { type: 'points', params: { indicator, points: value } } };
}
const cond = (factId: string, operator: string, value: unknown, path?: string): NestedCondition =>
  (path ? { fact: factId, path, operator, value } : { fact: factId, operator, value }) as NestedCondition;

const CHECKLISTS: Record<string, [string, Record<string, number>]> = {
  budgetPreparation: ['budget-preparation', { staffData: 1, onTime: 1, preAssessment: 1 }],
  specialFunds: ['special-fund-management', { withinTerm: 1, platformDisclosure: 0.5, measuresValid: 0.5 }],
  financialSystems: ['financial-systems', { budgetRules: 1, financeRules: 1, rulesApplied: 1 }],
  budgetDisclosure: ['budget-disclosure', { budgetPublished: 1, finalAccountsPublished: 1 }],
  performanceDisclosure: ['performance-disclosure', { targetsPublished: 1, selfEvaluationPublished: 1 }],
  performanceSystems: ['performance-systems', { rulesIssued: 1.5, fundRules: 1.5 }],
  goalReasonableness: [
    'goal-reasonableness',
    { matchesMandate: 0.5, reflectsPlans: 0.5, decomposed: 0.5, matchesBudget: 0.5 },
  ],
  indicatorClarity: ['indicator-clarity', { reflectsResults: 0.5, clear: 0.5, quantified: 0.5, grounded: 0.5 }],
  monitoringEvaluation: ['monitoring-evaluation', { monitoring: 2, selfEvaluation: 2 }],
};

/** A deduction leaf: full marks on the good side of the reference, a computed score on the other. */
function deductionRules(
  indicator: string,
  metric: string,
  reference: number,
  direction: 'above' | 'below',
  scoreFact: string,
): RuleProperties[] {
  const [good, bad] =
    direction === 'above' ? ['lessThanInclusive', 'greaterThan'] : ['greaterThanInclusive', 'lessThan'];
  return [
    points(indicator, [cond(metric, good, reference)], 2),
    points(indicator, [cond(metric, bad, reference)], { fact: scoreFact }),
  ];
}
const deducted = (weight: number, excess: number, places = 2): number =>
  round(Math.max(0, weight - excess * 0.2), places);

function bandRules(indicator: string, metric: string, edges: number[], scores: number[]): RuleProperties[] {
  // increasing bands: metric ≥ edges[0] → scores[0]; edges[1] ≤ metric < edges[0] → scores[1]; …; below the last → 0
  return scores.map((score, i) => {
    const all: NestedCondition[] = [];
    if (i < edges.length) all.push(cond(metric, 'greaterThanInclusive', edges[i]));
    if (i > 0) all.push(cond(metric, 'lessThan', edges[i - 1]));
    return points(indicator, all, score);
  });
}

/** Builds the one Engine of the peer; the declared key indicators are the department's (the seed's). */
export function createPeerEngine(declared: Indicator[]): Engine {
  const engine = new Engine([], { replaceFactsInEventParams: true });

  // computed facts: the metrics, and the scores of the leaves that are not a constant per rule
  const ratioFact = (id: string, num: string, den: string): void => {
    engine.addFact(id, async (_p, almanac) =>
      percent((await fact<number>(almanac, num)) / (await fact<number>(almanac, den))),
    );
  };
  engine.addFact('revenueVariance', async (_p, almanac) => {
    const [final, budget] = [
      await fact<number>(almanac, 'finalAccountRevenue'),
      await fact<number>(almanac, 'budgetRevenue'),
    ];
    return Math.abs(percent((final - budget) / budget));
  });
  engine.addFact('carryoverRate', async (_p, almanac) => {
    const base =
      (await fact<number>(almanac, 'priorYearCarryover')) +
      (await fact<number>(almanac, 'currentYearBudget')) +
      (await fact<number>(almanac, 'otherFunds'));
    return percent((await fact<number>(almanac, 'carryoverBalance')) / base);
  });
  ratioFact('procurementRate', 'procurementActual', 'procurementPlanned');
  ratioFact('fixedAssetRate', 'fixedAssetsInUse', 'fixedAssetsTotal');
  ratioFact('publicExpenseRate', 'publicExpenseActual', 'publicExpenseBudget');
  ratioFact('threePublicRate', 'threePublicActual', 'threePublicBudget');
  engine.addFact('targetCompletionRate', async (_p, almanac) => {
    const results = await fact<Record<string, { actual?: number; tier?: string }>>(almanac, 'targetResults');
    const met = declared.filter((d) =>
      d.kind === 'qualitative' ? results[d.code].tier === 'achieved' : results[d.code].actual! >= Number(d.target),
    ).length;
    return percent(met / declared.length);
  });

  engine.addFact('budgetCompletionScore', async (_p, almanac) =>
    deducted(2, 100 - (await fact<number>(almanac, 'expenditureProgress')), 4),
  );
  engine.addFact('carryoverScore', async (_p, almanac) =>
    deducted(2, (await fact<number>(almanac, 'carryoverRate')) - 5),
  );
  engine.addFact('publicExpenseScore', async (_p, almanac) =>
    deducted(2, (await fact<number>(almanac, 'publicExpenseRate')) - 100),
  );
  engine.addFact('threePublicScore', async (_p, almanac) =>
    deducted(2, (await fact<number>(almanac, 'threePublicRate')) - 100),
  );
  engine.addFact('procurementScore', async (_p, almanac) =>
    round((2 * (await fact<number>(almanac, 'procurementRate'))) / 100, 2),
  );
  engine.addFact('targetCompletionScore', async (_p, almanac) =>
    round((2 * (await fact<number>(almanac, 'targetCompletionRate'))) / 100, 2),
  );
  engine.addFact('targetScore', async (params, almanac) => {
    const results = await fact<Record<string, { actual: number }>>(almanac, 'targetResults');
    return round((params.weight * results[params.code].actual) / params.target, 2);
  });

  const rules: RuleProperties[] = [
    // 资金管理
    ...deductionRules('budget-completion-rate', 'expenditureProgress', 100, 'below', 'budgetCompletionScore'),
    points('revenue-budget-variance', [cond('revenueVariance', 'lessThanInclusive', 5)], 2),
    points(
      'revenue-budget-variance',
      [cond('revenueVariance', 'greaterThan', 5), cond('revenueVariance', 'lessThanInclusive', 10)],
      1.5,
    ),
    points(
      'revenue-budget-variance',
      [cond('revenueVariance', 'greaterThan', 10), cond('revenueVariance', 'lessThanInclusive', 20)],
      1,
    ),
    points('revenue-budget-variance', [cond('revenueVariance', 'greaterThan', 20)], 0),
    ...bandRules('average-execution-rate', 'averageExecutionRate', [90, 80, 70], [2, 1.5, 1, 0]),
    ...deductionRules('carryover-rate', 'carryoverRate', 5, 'above', 'carryoverScore'),
    // 采购管理
    points('procurement-execution-rate', [cond('procurementRate', 'greaterThanInclusive', 100)], 2),
    points('procurement-execution-rate', [cond('procurementRate', 'lessThan', 100)], { fact: 'procurementScore' }),
    // 资产管理
    points('asset-systems', [cond('assetSystems', 'equal', true)], 1),
    points('asset-reconciliation', [cond('assetReconciliation', 'equal', true)], 1),
    ...bandRules('fixed-asset-utilization', 'fixedAssetRate', [90, 80, 70, 60], [2, 1.5, 1, 0.5, 0]),
    // 成本管理
    ...deductionRules('public-expense-control', 'publicExpenseRate', 100, 'above', 'publicExpenseScore'),
    ...deductionRules('three-public-expense-control', 'threePublicRate', 100, 'above', 'threePublicScore'),
    // 绩效管理
    points('target-completion-rate', [cond('targetCompletionRate', 'greaterThanInclusive', 100)], 2),
    points('target-completion-rate', [cond('targetCompletionRate', 'lessThan', 100)], {
      fact: 'targetCompletionScore',
    }),
    points('result-application', [cond('resultApplication', 'in', ['achieved', 'partial', 'unachieved'], '$.tier')], {
      fact: 'resultApplication',
      path: '$.score',
    }),
    // 加减分: one rule per count threshold, the caps are the number of thresholds
    points('commendation-criticism', [cond('commendations', 'greaterThanInclusive', 1)], 2.5),
    points('commendation-criticism', [cond('commendations', 'greaterThanInclusive', 2)], 2.5),
    points('commendation-criticism', [cond('violations', 'greaterThanInclusive', 1)], -2.5),
    points('commendation-criticism', [cond('violations', 'greaterThanInclusive', 2)], -2.5),
  ];
  // the checklists: one rule per point
  for (const [input, [indicator, pointsOf]] of Object.entries(CHECKLISTS)) {
    for (const [point, value] of Object.entries(pointsOf)) {
      rules.push(points(indicator, [cond(input, 'equal', true, `$.${point}`)], value));
    }
  }
  // 履职效能: one rule per declared key indicator outcome
  for (const d of declared) {
    const path = `$['${d.code}']`;
    if (d.kind === 'qualitative') {
      rules.push(
        points(d.code, [cond('targetResults', 'in', ['achieved', 'partial', 'unachieved'], `${path}.tier`)], {
          fact: 'targetResults',
          path: `${path}.score`,
        }),
      );
      continue;
    }
    if (d.comparator !== '>=') throw new Error(`the peer only expresses ≥ targets (${d.code} is ${d.comparator})`);
    const target = Number(d.target);
    rules.push(
      points(d.code, [cond('targetResults', 'greaterThanInclusive', target, `${path}.actual`)], Number(d.weight)),
    );
    rules.push(
      points(d.code, [cond('targetResults', 'lessThan', target, `${path}.actual`)], {
        fact: 'targetScore',
        params: { code: d.code, weight: Number(d.weight), target },
      }),
    );
  }
  for (const rule of rules) engine.addRule(rule);
  return engine;
}

/** The submission's inputs as runtime facts: decimal strings as numbers, checklists as point → boolean. */
export function peerFacts(submission: Json): Json {
  const facts: Json = {};
  for (const [id, value] of Object.entries(submission.inputs as Json)) {
    if (typeof value === 'string') facts[id] = Number(value);
    else if (typeof value !== 'object' || value === null) facts[id] = value;
    else if ('tier' in value) facts[id] = { tier: value.tier, score: Number((value as Json).score) };
    else {
      facts[id] = Object.fromEntries(
        Object.entries(value).map(([point, answer]) => [
          point,
          typeof answer === 'boolean' ? answer : (answer as Json).met,
        ]),
      );
    }
  }
  facts.targetResults = Object.fromEntries(
    Object.entries(submission.targetResults as Record<string, Json>).map(([code, r]) => [
      code,
      r.actual !== undefined ? { actual: Number(r.actual) } : { tier: r.tier, score: Number(r.score) },
    ]),
  );
  return facts;
}

export interface Peer {
  engine: Engine;
  ruleCount: number;
  /** One engine.run per submission; the total is the float sum of the fired events' points. */
  score(submission: Json): Promise<number>;
}

export function createPeer(declaredFrom: Json): Peer {
  const declared = (declaredFrom.targets as { performance: { indicators: Indicator[] }[] }).performance.flatMap(
    (goal) => goal.indicators,
  );
  const engine = createPeerEngine(declared);
  const ruleCount = (engine as unknown as { rules: unknown[] }).rules.length;
  return {
    engine,
    ruleCount,
    async score(submission) {
      const { events } = await engine.run(peerFacts(submission));
      let total = 0;
      for (const event of events) total += event.params!.points as number;
      return total;
    },
  };
}
