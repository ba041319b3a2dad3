import Decimal from 'decimal.js';

/**
 * The yardstick: the 广州 2021 department-overall rules (domain.md §4–5) written directly in decimal.js — no
 * engine, no report, no validation. Metrics are computed and rounded as the engine does (quotient at 40 significant
 * digits, × 100, half-up to 2 decimals of a percent), each leaf is rounded half-up to its places, and the total is
 * the sum of the rounded leaves shown with 3 decimals. Returns the total only.
 */

const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = Decimal;

const HALF_UP = Decimal.ROUND_HALF_UP;
const ZERO = new Dec(0);
const HUNDRED = new Dec(100);
const round = (value: Dec, places: number): Dec => value.toDecimalPlaces(places, HALF_UP);

type Json = Record<string, unknown>;

/** A percent metric a / b, as the engine shows and scores it: 84.4757… % → 84.48. */
const rate = (a: Dec, b: Dec): Dec => round(a.div(b).mul(HUNDRED), 2);

/** Full marks up to the reference, perUnit off per percentage point beyond it, never below 0. */
function deduction(value: Dec, reference: number, direction: 'above' | 'below', weight: number, places = 2): Dec {
  const excess = direction === 'below' ? new Dec(reference).sub(value) : value.sub(reference);
  if (excess.lte(0)) return round(new Dec(weight), places);
  return round(Dec.max(0, new Dec(weight).sub(excess.mul('0.2'))), places);
}

/** w × min(r, 100) / 100 — product before quotient. */
const proportional = (value: Dec, weight: number): Dec =>
  round(Dec.max(0, Dec.min(value, 100)).mul(weight).div(HUNDRED), 2);

const CHECKLISTS: Record<string, Record<string, string>> = {
  budgetPreparation: { staffData: '1', onTime: '1', preAssessment: '1' },
  specialFunds: { withinTerm: '1', platformDisclosure: '0.5', measuresValid: '0.5' },
  financialSystems: { budgetRules: '1', financeRules: '1', rulesApplied: '1' },
  budgetDisclosure: { budgetPublished: '1', finalAccountsPublished: '1' },
  performanceDisclosure: { targetsPublished: '1', selfEvaluationPublished: '1' },
  performanceSystems: { rulesIssued: '1.5', fundRules: '1.5' },
  goalReasonableness: { matchesMandate: '0.5', reflectsPlans: '0.5', decomposed: '0.5', matchesBudget: '0.5' },
  indicatorClarity: { reflectsResults: '0.5', clear: '0.5', quantified: '0.5', grounded: '0.5' },
  monitoringEvaluation: { monitoring: '2', selfEvaluation: '2' },
};

const isMet = (answer: unknown): boolean => (typeof answer === 'boolean' ? answer : (answer as { met: boolean }).met);

function checklistScore(answers: Json, points: Record<string, string>): Dec {
  let total = ZERO;
  for (const id in points) if (isMet(answers[id])) total = total.add(points[id]);
  return round(total, 2);
}

interface Indicator {
  code: string;
  weight: string;
  kind: 'quantitative' | 'qualitative';
  comparator?: string;
  target?: string;
  targetMax?: string;
}

/** A declared key indicator: met → w; unmet → w × actual / target (or target / actual), clamped to [0, w]. */
function targetScore(indicator: Indicator, result: Json): { score: Dec; met: boolean } {
  const w = new Dec(indicator.weight);
  if (indicator.kind === 'qualitative') {
    return { score: round(new Dec(result.score as string), 2), met: result.tier === 'achieved' };
  }
  const t = new Dec(indicator.target!);
  const a = new Dec(result.actual as string);
  let met: boolean;
  let raw: Dec;
  switch (indicator.comparator) {
    case '>=':
    case '>':
      met = indicator.comparator === '>=' ? a.gte(t) : a.gt(t);
      raw = met ? w : t.gt(0) ? w.mul(a).div(t) : ZERO;
      break;
    case '<=':
    case '<':
      met = indicator.comparator === '<=' ? a.lte(t) : a.lt(t);
      raw = met ? w : a.gt(0) ? w.mul(t).div(a) : ZERO;
      break;
    case '=':
      met = a.eq(t);
      raw = met ? w : a.gt(0) && t.gt(0) ? w.mul(Dec.min(a, t)).div(Dec.max(a, t)) : ZERO;
      break;
    case 'range': {
      const max = new Dec(indicator.targetMax!);
      met = a.gte(t) && a.lte(max);
      raw = met ? w : a.lt(t) ? (t.gt(0) ? w.mul(a).div(t) : ZERO) : a.gt(0) ? w.mul(max).div(a) : ZERO;
      break;
    }
    default:
      throw new Error(`unknown comparator ${indicator.comparator}`);
  }
  return { score: round(Dec.min(w, Dec.max(0, raw)), 2), met };
}

/** Scores a (valid) submission under 广州 2021 and returns the total with 3 decimals, e.g. "94.622". */
export function scoreHandwritten(submission: Json): string {
  const inputs = submission.inputs as Json;
  const n = (id: string): Dec => new Dec(inputs[id] as string);
  let total = ZERO;
  const add = (score: Dec): void => {
    total = total.add(score);
  };

  // 管理效能 — 资金管理
  add(deduction(round(n('expenditureProgress'), 2), 100, 'below', 2, 4)); // 预算完成率, 4 decimals
  for (const id in CHECKLISTS) add(checklistScore(inputs[id] as Json, CHECKLISTS[id]));
  const variance = rate(n('finalAccountRevenue').sub(n('budgetRevenue')), n('budgetRevenue')).abs();
  add(new Dec(variance.lte(5) ? 2 : variance.lte(10) ? 1.5 : variance.lte(20) ? 1 : 0));
  const execution = round(n('averageExecutionRate'), 2);
  add(new Dec(execution.gte(90) ? 2 : execution.gte(80) ? 1.5 : execution.gte(70) ? 1 : 0));
  const carryover = rate(
    n('carryoverBalance'),
    n('priorYearCarryover').add(n('currentYearBudget')).add(n('otherFunds')),
  );
  add(deduction(carryover, 5, 'above', 2));
  // 采购管理
  add(proportional(rate(n('procurementActual'), n('procurementPlanned')), 2));
  // 资产管理
  add(new Dec(inputs.assetSystems ? 1 : 0));
  add(new Dec(inputs.assetReconciliation ? 1 : 0));
  const utilization = rate(n('fixedAssetsInUse'), n('fixedAssetsTotal'));
  add(
    new Dec(
      utilization.gte(90) ? 2 : utilization.gte(80) ? 1.5 : utilization.gte(70) ? 1 : utilization.gte(60) ? 0.5 : 0,
    ),
  );
  // 成本管理
  add(deduction(rate(n('publicExpenseActual'), n('publicExpenseBudget')), 100, 'above', 2));
  add(deduction(rate(n('threePublicActual'), n('threePublicBudget')), 100, 'above', 2));
  // 绩效管理 (the checklists are above): 绩效结果应用 is judged
  add(round(new Dec((inputs.resultApplication as Json).score as string), 2));

  // 履职效能: declared key indicators
  const goals = (submission.targets as { performance: { indicators: Indicator[] }[] }).performance;
  const results = submission.targetResults as Record<string, Json>;
  let met = 0;
  let declared = 0;
  for (const goal of goals) {
    for (const indicator of goal.indicators) {
      const outcome = targetScore(indicator, results[indicator.code]);
      add(outcome.score);
      declared++;
      if (outcome.met) met++;
    }
  }
  // 绩效目标完成率 reads the declared section's met / declared count
  add(proportional(rate(new Dec(met), new Dec(declared)), 2));

  // 加减分: +2.5 per commendation up to 5, −2.5 per violation down to −5, 1 decimal
  const bonus = Dec.min(new Dec(inputs.commendations as number).mul('2.5'), 5);
  const penalty = Dec.min(new Dec(inputs.violations as number).mul('2.5'), 5);
  add(round(bonus.sub(penalty), 1));

  return round(total, 3).toFixed(3);
}
