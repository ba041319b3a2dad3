import Decimal from 'decimal.js';
import type { DeclaredGoal, DeclaredIndicator, DeclaredTargets, IndicatorNode } from '../department/ruleFile';

/**
 * The 绩效目标申报 form's state: per declared section (履职效能) its goals and their key indicators, every figure the
 * string typed. It is sent as the API's `targets` (PUT …/targets) and checked here as the API checks it — the weights
 * of the rule set (each goal's indicators sum to the goal, the goals to the section) with the engine's Chinese
 * messages, under the same JSON pointers, so a refusal from the API lands on the same fields. Weights are summed
 * with decimal.js: exact, as the engine sums them. No score is computed here.
 */
export type Kind = 'quantitative' | 'qualitative';

export interface IndicatorDraft {
  key: string;
  code: string;
  name: string;
  weight: string;
  kind: Kind;
  comparator: string;
  target: string;
  targetMax: string;
  unit: string;
  /** Kept as declared (the form does not edit it). */
  description?: string;
}

export interface GoalDraft {
  key: string;
  code: string;
  name: string;
  weight: string;
  indicators: IndicatorDraft[];
}

/** Section code → goals; a one-level section (levels 1) keeps its indicators under one goal without name. */
export type Draft = Record<string, GoalDraft[]>;

export type Problems = Record<string, string>;

let counter = 0;
const nextKey = () => `k${++counter}`;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export const levelsOf = (section: IndicatorNode): number => section.declared?.levels ?? 2;

function indicatorDraft(i: DeclaredIndicator): IndicatorDraft {
  return {
    key: nextKey(),
    code: str(i.code),
    name: str(i.name),
    weight: str(i.weight),
    kind: i.kind === 'qualitative' ? 'qualitative' : 'quantitative',
    comparator: str(i.comparator),
    target: str(i.target),
    targetMax: str(i.targetMax),
    unit: str(i.unit),
    ...(typeof i.description === 'string' ? { description: i.description } : {}),
  };
}

/** A stored declaration (or none) as the form's state. */
export function toDraft(sections: IndicatorNode[], targets: DeclaredTargets | null): Draft {
  const draft: Draft = {};
  for (const section of sections) {
    const list = (targets?.[section.code] ?? []) as unknown[];
    if (levelsOf(section) === 1) {
      draft[section.code] = [
        {
          key: nextKey(),
          code: '',
          name: '',
          weight: '',
          indicators: (list as DeclaredIndicator[]).map(indicatorDraft),
        },
      ];
    } else {
      draft[section.code] = (list as DeclaredGoal[]).map((g) => ({
        key: nextKey(),
        code: str(g.code),
        name: str(g.name),
        weight: str(g.weight),
        indicators: (g.indicators ?? []).map(indicatorDraft),
      }));
    }
  }
  return draft;
}

function indicatorOut(i: IndicatorDraft): DeclaredIndicator {
  const base = { code: i.code, name: i.name, weight: i.weight };
  const description = i.description !== undefined ? { description: i.description } : {};
  if (i.kind === 'qualitative') return { ...base, kind: 'qualitative', target: i.target, ...description };
  return {
    ...base,
    kind: 'quantitative',
    comparator: i.comparator,
    target: i.target,
    ...(i.comparator === 'range' ? { targetMax: i.targetMax } : {}),
    unit: i.unit,
    ...description,
  };
}

/** The form's state as the API's `targets`: strings exactly as typed, no JSON number. */
export function toTargets(sections: IndicatorNode[], draft: Draft): DeclaredTargets {
  const out: Record<string, unknown[]> = {};
  for (const section of sections) {
    const goals = draft[section.code] ?? [];
    out[section.code] =
      levelsOf(section) === 1
        ? goals.flatMap((g) => g.indicators.map(indicatorOut))
        : goals.map((g) => ({
            code: g.code,
            name: g.name,
            weight: g.weight,
            indicators: g.indicators.map(indicatorOut),
          }));
  }
  return out as DeclaredTargets;
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every code in use: the rule set's indicators and the draft's goals and indicators. */
function usedCodes(nodes: IndicatorNode[], draft: Draft): Set<string> {
  const codes = new Set<string>();
  const walk = (list: IndicatorNode[]) => {
    for (const n of list) {
      codes.add(n.code);
      walk(n.children ?? []);
    }
  };
  walk(nodes);
  for (const goals of Object.values(draft))
    for (const g of goals) {
      if (g.code) codes.add(g.code);
      for (const i of g.indicators) if (i.code) codes.add(i.code);
    }
  return codes;
}

/** A new code nobody uses: <base>-<n> (the 申报表's 目标代码/指标代码; the clerk never types one). */
export function freshCode(nodes: IndicatorNode[], draft: Draft, base: string): string {
  const used = usedCodes(nodes, draft);
  const stem = KEBAB.test(base) ? base : 'target';
  for (let n = 1; ; n++) if (!used.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

export function newIndicator(code: string, comparators: string[]): IndicatorDraft {
  return {
    key: nextKey(),
    code,
    name: '',
    weight: '',
    kind: 'quantitative',
    comparator: comparators[0] ?? '>=',
    target: '',
    targetMax: '',
    unit: '',
  };
}

export function newGoal(code: string, indicatorCode: string, comparators: string[]): GoalDraft {
  return { key: nextKey(), code, name: '', weight: '', indicators: [newIndicator(indicatorCode, comparators)] };
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** The API's rule for a decimal string, in Chinese (the engine's words): null when acceptable. */
function decimalProblem(
  text: string,
  what: string,
  rule: { places?: number; negative?: boolean; positive?: boolean },
): string | null {
  if (text === '') return `必填：${what}`;
  if (!DECIMAL.test(text)) return `${what}应为数字，如 "12" 或 "2.5"（不带单位、逗号或百分号）`;
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  if (rule.places !== undefined && decimals > rule.places) return `${what}最多 ${rule.places} 位小数`;
  const value = new Decimal(text);
  if (!rule.negative && value.isNegative() && !value.isZero()) return `${what}不能为负数`;
  if (rule.positive && (value.isZero() || value.isNegative())) return `${what}必须大于 0`;
  return null;
}

export const COMPARATOR_LABELS: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', range: '区间' };

/**
 * Every problem of the draft by JSON pointer (/targets/<section>/<goal>/…), as the API would name it: fields first,
 * then — once the figures they add are valid — each goal's indicators against the goal's weight and the goals against
 * the section's weight.
 */
export function checkDraft(sections: IndicatorNode[], draft: Draft): Problems {
  const problems: Problems = {};
  for (const section of sections) {
    const spec = section.declared ?? {};
    const comparators = spec.comparators ?? ['>=', '<=', '=', 'range'];
    const min = spec.minIndicatorWeight;
    const base = `/targets/${section.code}`;
    const goals = draft[section.code] ?? [];
    const oneLevel = levelsOf(section) === 1;
    const count = goals.reduce((n, g) => n + g.indicators.length, 0);
    if (goals.length === 0 || (oneLevel && count === 0)) {
      problems[base] = oneLevel ? `必填：“${section.name}”的申报指标` : `必填：“${section.name}”的绩效目标`;
      continue;
    }
    let sectionSum: Decimal | null = new Decimal(0);
    let flat = 0;
    goals.forEach((goal, g) => {
      const at = oneLevel ? base : `${base}/${g}`;
      if (!oneLevel) {
        if (goal.name.trim() === '') problems[`${at}/name`] = '必填：绩效目标';
        const w = decimalProblem(goal.weight, '目标分值', { places: 2, positive: true });
        if (w) problems[`${at}/weight`] = w;
        if (goal.indicators.length === 0) problems[`${at}/indicators`] = '每个绩效目标至少要有一个关键指标';
      }
      let goalSum: Decimal | null = new Decimal(0);
      goal.indicators.forEach((ind, i) => {
        const p = oneLevel ? `${base}/${flat++}` : `${at}/indicators/${i}`;
        if (ind.name.trim() === '') problems[`${p}/name`] = '必填：关键指标';
        const w = decimalProblem(ind.weight, '指标分值', { places: 2, positive: true });
        if (w) problems[`${p}/weight`] = w;
        else if (min && new Decimal(ind.weight).lt(min)) problems[`${p}/weight`] = `关键指标的分值不能低于 ${min}`;
        if (w || goalSum === null) goalSum = null;
        else goalSum = goalSum.add(ind.weight);
        if (ind.kind === 'qualitative') {
          if (ind.target.trim() === '') problems[`${p}/target`] = '必填：年度指标值（定性指标写要达到的目标）';
          return;
        }
        if (!comparators.includes(ind.comparator))
          problems[`${p}/comparator`] =
            `比较方式应为 ${comparators.map((c) => COMPARATOR_LABELS[c] ?? c).join('、')} 之一`;
        const t = decimalProblem(ind.target, ind.comparator === 'range' ? '区间下限' : '年度指标值', {
          negative: true,
        });
        if (t) problems[`${p}/target`] = t;
        if (ind.comparator === 'range') {
          const m = decimalProblem(ind.targetMax, '区间上限', { negative: true });
          if (m) problems[`${p}/targetMax`] = m;
          else if (!t && new Decimal(ind.targetMax).lt(ind.target)) problems[`${p}/targetMax`] = '区间上限不能小于下限';
        }
        if (ind.unit.trim() === '') problems[`${p}/unit`] = '必填：单位';
        else if (ind.unit.length > 20) problems[`${p}/unit`] = '单位最多 20 个字';
      });
      if (oneLevel) {
        sectionSum = goalSum;
        return;
      }
      const weightOk = !problems[`${at}/weight`];
      if (goalSum !== null && weightOk && goal.indicators.length > 0 && !new Decimal(goal.weight).eq(goalSum))
        problems[`${at}/weight`] =
          `目标分值为 ${new Decimal(goal.weight).toFixed()}，但其关键指标分值之和为 ${(goalSum as Decimal).toFixed()}`;
      if (!weightOk || sectionSum === null) sectionSum = null;
      else sectionSum = sectionSum.add(goal.weight);
    });
    if (sectionSum !== null && !(sectionSum as Decimal).eq(section.weight))
      problems[base] =
        `“${section.name}”申报的分值之和为 ${(sectionSum as Decimal).toFixed()}，但该项分值为 ${section.weight}`;
  }
  return problems;
}

/** The sum of the goals' weights typed so far (for 已分配 x / 50), or null while one is not a number. */
export function typedSum(weights: string[]): string | null {
  let sum = new Decimal(0);
  for (const w of weights) {
    if (!DECIMAL.test(w)) return null;
    sum = sum.add(w);
  }
  return sum.toFixed();
}
