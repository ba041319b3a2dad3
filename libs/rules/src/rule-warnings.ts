import Decimal from 'decimal.js';
import { factConditions, isInterval, readBandInterval } from './conditions';
import { formulaReferences, parseFormula } from './formula';
import { childPointer, toPointer } from './json-pointer';
import { type Localized, localized } from './localized';
import { withRulePaths } from './rule-paths';
import type { RuleProblem } from './rule-set.error';
import {
  type Condition,
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  type LeafNode,
  type RuleFile,
} from './rule-file.types';
import { parseVetoFact } from './veto-facts';

/**
 * What a warning is about; the console and the CLI may group by it:
 * - `unused-input`: an input no indicator, formula, condition or template reads;
 * - `text-contradicts-method`: a number in an 指标解释 or 评分依据 template that the method's parameters contradict
 *   (每项加2.5分 after the method moved to 1.5);
 * - `ratio-threshold`: a threshold or cap of a percent metric written as a ratio ("0.95" where 95 is meant);
 * - `unreachable-total`: a maximum total, or a top grade, that no submission can reach;
 * - `version-reused`: an upload whose `version` equals a stored one with other content (API);
 * - `identical-upload`: an upload identical to a stored version (API).
 */
export type RuleWarningKind =
  | 'unused-input'
  | 'text-contradicts-method'
  | 'ratio-threshold'
  | 'unreachable-total'
  | 'version-reused'
  | 'identical-upload';

/** A warning: like a problem (Chinese first, pointer, path) but it never blocks validation, upload or publishing. */
export interface RuleWarning extends RuleProblem {
  kind: RuleWarningKind;
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const HUNDRED = new Decimal(100);
const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

interface LeafEntry {
  leaf: LeafNode;
  pointer: string;
}

/**
 * The safety nets of a valid rule file: warnings that never block (call it after validateRuleFile found no problem).
 * Each has its kind, a message in Chinese and English, a pointer and the Chinese path.
 */
export function ruleFileWarnings(file: RuleFile): RuleWarning[] {
  const leaves = leavesOf(file.indicators, '/indicators');
  const warnings: RuleWarning[] = [
    ...unusedInputs(file),
    ...leaves.flatMap((entry) => textContradictions(entry)),
    ...leaves.flatMap((entry) => ratioThresholds(file, entry)),
    ...unreachableTotal(file, leaves),
  ];
  return withRulePaths(file, warnings);
}

function leavesOf(nodes: readonly IndicatorNode[], pointer: string): LeafEntry[] {
  return nodes.flatMap((node, i): LeafEntry[] => {
    const at = childPointer(pointer, i);
    if (isGroupNode(node)) return leavesOf(node.children, childPointer(at, 'children'));
    if (isDeclaredNode(node)) return [];
    return [{ leaf: node, pointer: at }];
  });
}

// ————— unused inputs —————

/**
 * Every input id the file reads, found by shape rather than by construct, so that constructs added later are covered:
 * a formula's identifiers, a condition's facts, a method's `input`, a template's {placeholders}, and any string equal
 * to an input id anywhere outside /inputs, /tests and /continues.
 */
function referencedInputs(file: RuleFile): Set<string> {
  const ids = new Set(file.inputs.map((input) => input.id));
  const used = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string') {
      if (ids.has(value)) used.add(value);
      if (key === 'formula') {
        const parsed = parseFormula(value);
        if (parsed.ast) for (const id of formulaReferences(parsed.ast).inputs) used.add(id);
      }
      for (const [, name] of value.matchAll(PLACEHOLDER)) used.add(name);
      // a veto's count:<events input>[:<kind>]
      const fact = key === 'fact' ? parseVetoFact(value) : undefined;
      if (fact?.kind === 'count') used.add(fact.input);
      return;
    }
    if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  for (const [key, value] of Object.entries(file)) {
    if (key !== 'inputs' && key !== 'tests' && key !== 'continues') visit(value, key);
  }
  return used;
}

function unusedInputs(file: RuleFile): RuleWarning[] {
  const used = referencedInputs(file);
  return file.inputs.flatMap((input, i): RuleWarning[] =>
    used.has(input.id)
      ? []
      : [
          {
            kind: 'unused-input',
            pointer: toPointer('inputs', i, 'id'),
            message: localized(
              `填报项“${input.label}”（${input.id}）没有任何指标、公式、条件或评分依据用到：部门要填，却不影响得分。删除它，或检查引用处是否拼错`,
              `input ${input.id} (${input.label}) is read by no indicator, formula, condition or template: departments fill it in for nothing. Remove it, or check the references for a misspelling`,
            ),
          },
        ],
  );
}

// ————— text that contradicts the method —————

type Side = 'plus' | 'minus';
const sideOf = (verb: string): Side => (verb === '加' ? 'plus' : 'minus');
const SIDE_ZH: Record<Side, string> = { plus: '加', minus: '扣' };

/** 每项加2.5分, 每发现一起扣2.5分, 每低1个百分点扣0.1分. */
const PER_EVENT = /每[^，。；,;：:]{0,10}?(加|扣|减)(\d+(?:\.\d+)?)分/g;
/** 加分最多不超过5分, 扣分合计不超过5分, 最高加3分, 加分上限为3分. */
const CAP_PATTERNS = [
  /(加|扣|减)分(?:合计|累计|总计|总额)?(?:最多|最高|上限)?(?:为|是)?(?:不超过|不得超过|不超出|以)?(\d+(?:\.\d+)?)分(?:为限)?/g,
  /最(?:多|高)(加|扣|减)(\d+(?:\.\d+)?)分/g,
];
/** 90%, 95％, 85.5%. */
const PERCENT = /(\d+(?:\.\d+)?)\s*[%％]/g;

/** The numbers a method gives per event and as caps, by side; undefined for a side the method does not have. */
function methodNumbers(leaf: LeafNode): { each: Record<Side, Decimal[]>; caps: Record<Side, Decimal[]> } {
  const method = leaf.method as unknown as Record<string, unknown>;
  const each: Record<Side, Decimal[]> = { plus: [], minus: [] };
  const caps: Record<Side, Decimal[]> = { plus: [], minus: [] };
  if (leaf.method.type === 'count-adjust') {
    each.plus.push(new Decimal(leaf.method.positive.each));
    caps.plus.push(new Decimal(leaf.method.positive.cap));
    each.minus.push(new Decimal(leaf.method.negative.each));
    caps.minus.push(new Decimal(leaf.method.negative.cap));
    return { each, caps };
  }
  if (leaf.method.type === 'deduction') {
    each.minus.push(new Decimal(leaf.method.perUnit));
    caps.minus.push(new Decimal(leaf.weight));
    return { each, caps };
  }
  // Any other method (and the constructs added later): every decimal in its parameters counts, on both sides.
  const all = decimalsIn(method);
  return { each: { plus: all, minus: all }, caps: { plus: all, minus: all } };
}

function decimalsIn(value: unknown, into: Decimal[] = []): Decimal[] {
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) into.push(new Decimal(value));
  else if (typeof value === 'number' && Number.isFinite(value)) into.push(new Decimal(value));
  else if (Array.isArray(value)) value.forEach((item) => decimalsIn(item, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => decimalsIn(v, into));
  return into;
}

const listed = (numbers: Decimal[]): string => [...new Set(numbers.map((n) => n.toFixed()))].join('、');

function textContradictions({ leaf, pointer }: LeafEntry): RuleWarning[] {
  const texts: Array<{ key: 'explanation' | 'basis'; text: string; zh: string; en: string }> = [];
  if (leaf.explanation)
    texts.push({ key: 'explanation', text: leaf.explanation, zh: '指标解释', en: 'the explanation' });
  if (leaf.basis) texts.push({ key: 'basis', text: leaf.basis, zh: '评分依据模板', en: 'the 评分依据 template' });
  if (texts.length === 0) return [];
  const numbers = methodNumbers(leaf);
  const warnings: RuleWarning[] = [];
  const warn = (key: string, message: Localized): void => {
    warnings.push({ kind: 'text-contradicts-method', pointer: childPointer(pointer, key), message });
  };
  for (const { key, text, zh, en } of texts) {
    const perEventSpans: Array<[number, number]> = [];
    for (const match of text.matchAll(PER_EVENT)) {
      perEventSpans.push([match.index, match.index + match[0].length]);
      const side = sideOf(match[1]);
      const written = new Decimal(match[2]);
      const known = numbers.each[side];
      if (known.length === 0 || known.some((n) => n.eq(written))) continue;
      warn(
        key,
        localized(
          `${zh}写的是“${match[0]}”，但计分方法为每次${SIDE_ZH[side]} ${listed(known)} 分：请改写${zh}，或检查计分方法`,
          `${en} says "${match[0]}" but the method gives ${listed(known)} per event (${side === 'plus' ? 'added' : 'deducted'}): update ${en} or check the method`,
        ),
      );
    }
    for (const pattern of CAP_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        if (perEventSpans.some(([from, to]) => match.index >= from && match.index < to)) continue;
        const side = sideOf(match[1]);
        const written = new Decimal(match[2]);
        const known = numbers.caps[side];
        if (known.length === 0 || known.some((n) => n.eq(written))) continue;
        warn(
          key,
          localized(
            `${zh}写的是“${match[0]}”，但计分方法的${SIDE_ZH[side]}分上限为 ${listed(known)} 分：请改写${zh}，或检查计分方法`,
            `${en} says "${match[0]}" but the method caps it at ${listed(known)}: update ${en} or check the method`,
          ),
        );
      }
    }
    if (leaf.method.type === 'bands' && leaf.metric?.unit === 'percent') {
      const bounds = bandBounds(leaf);
      for (const match of text.matchAll(PERCENT)) {
        const written = new Decimal(match[1]);
        if (written.eq(ZERO) || written.eq(HUNDRED) || bounds.some((b) => b.eq(written))) continue;
        warn(
          key,
          localized(
            `${zh}提到“${match[0]}”，但各档次的界值是 ${listed(bounds)}（%）：请改写${zh}，或检查档次`,
            `${en} mentions "${match[0]}" but the bands are bounded at ${listed(bounds)} (%): update ${en} or check the bands`,
          ),
        );
      }
    }
  }
  return warnings;
}

function bandBounds(leaf: LeafNode): Decimal[] {
  if (leaf.method.type !== 'bands') return [];
  return leaf.method.bands.flatMap((band) => {
    const interval = readBandInterval(band.when);
    if (!isInterval(interval)) return [];
    return [interval.lower?.value, interval.upper?.value].filter((v): v is Decimal => v !== undefined);
  });
}

// ————— thresholds written as ratios —————

/** A percent value that looks like a ratio: more than 0 and at most 1 (0.95 where 95 % is meant). */
const looksLikeRatio = (value: Decimal): boolean => value.gt(ZERO) && value.lte(ONE);

function ratioThresholds(file: RuleFile, { leaf, pointer }: LeafEntry): RuleWarning[] {
  const warnings: RuleWarning[] = [];
  const percentInputs = new Set(file.inputs.filter((input) => input.type === 'percent').map((input) => input.id));
  const warn = (at: string, written: string): void => {
    const meant = new Decimal(written).mul(100).toFixed();
    warnings.push({
      kind: 'ratio-threshold',
      pointer: at,
      message: localized(
        `“${written}”看起来是比例，但百分比以百分点计（"${meant}" 表示 ${meant}%）：是否应写成 "${meant}"？写成 "${written}" 几乎人人都能达到`,
        `"${written}" looks like a ratio, but percentages are in percentage points ("${meant}" is ${meant} %): did you mean "${meant}"? As written, almost everyone meets it`,
      ),
    });
  };
  const percentMetric = leaf.metric?.unit === 'percent';
  const methodPointer = childPointer(pointer, 'method');
  if (percentMetric) {
    const method = leaf.method;
    if (method.type === 'bands') {
      const bounds = method.bands.flatMap((band, index) =>
        factConditions(band.when)
          .filter(({ condition }) => typeof condition.value === 'string' && DECIMAL_TEXT.test(condition.value))
          .map(({ condition, pointer: rel }) => ({
            value: new Decimal(condition.value as string),
            text: condition.value as string,
            at: childPointer(methodPointer, 'bands', index, 'when') + rel + '/value',
          })),
      );
      const nonZero = bounds.filter((b) => !b.value.isZero());
      // The whole scale written as ratios (every bound within (0, 1]): one warning per bound.
      if (nonZero.length > 0 && nonZero.every((b) => looksLikeRatio(b.value.abs()))) {
        for (const bound of nonZero) warn(bound.at, bound.text);
      }
    }
    if (method.type === 'deduction' && looksLikeRatio(new Decimal(method.reference))) {
      warn(childPointer(methodPointer, 'reference'), method.reference);
    }
    if (method.type === 'proportional' && method.cap !== undefined && looksLikeRatio(new Decimal(method.cap))) {
      warn(childPointer(methodPointer, 'cap'), method.cap);
    }
  }
  const conditions: Array<[Condition, string]> = [];
  if (leaf.applies) conditions.push([leaf.applies.when, childPointer(pointer, 'applies', 'when')]);
  if (leaf.veto) conditions.push([leaf.veto.when, childPointer(pointer, 'veto', 'when')]);
  for (const [condition, at] of conditions) {
    for (const { condition: fc, pointer: rel } of factConditions(condition)) {
      const percent = fc.fact === 'metric' ? percentMetric : percentInputs.has(fc.fact);
      if (!percent || typeof fc.value !== 'string' || !DECIMAL_TEXT.test(fc.value)) continue;
      if (looksLikeRatio(new Decimal(fc.value))) warn(`${at}${rel}/value`, fc.value);
    }
  }
  return warnings;
}

// ————— a total or grade no submission reaches —————

/** The most a leaf can score, as far as its parameters say; its weight when the method does not limit it. */
function leafMaximum(leaf: LeafNode): Decimal {
  const weight = new Decimal(leaf.weight);
  const method = leaf.method;
  switch (method.type) {
    case 'bands':
      return method.bands.reduce((max, band) => {
        const score = band.score !== undefined ? new Decimal(band.score) : weight.mul(band.fraction ?? '0');
        return Decimal.max(max, score);
      }, ZERO);
    case 'proportional':
      return weight.mul(Decimal.min(new Decimal(method.cap ?? '100'), HUNDRED)).div(HUNDRED);
    case 'judgment':
      return method.tiers && method.tiers.length > 0
        ? weight.mul(method.tiers.reduce((max, tier) => Decimal.max(max, new Decimal(tier.max)), ZERO))
        : weight;
    case 'count-adjust':
      return Decimal.min(new Decimal(method.positive.cap), weight);
    default:
      return weight;
  }
}

function unreachableTotal(file: RuleFile, leaves: LeafEntry[]): RuleWarning[] {
  const total = new Decimal(file.total);
  const short = leaves
    .map(({ leaf, pointer }) => ({ leaf, pointer, max: leafMaximum(leaf) }))
    .filter(({ leaf, max }) => max.lt(leaf.weight));
  const lost = short.reduce((sum, { leaf, max }) => sum.add(new Decimal(leaf.weight).minus(max)), ZERO);
  if (lost.isZero()) return [];
  const reachable = total.minus(lost);
  const names = short
    .slice(0, 3)
    .map(({ leaf, max }) => `“${leaf.name}”最高 ${max.toFixed()} 分（分值 ${leaf.weight}）`);
  const namesEn = short.slice(0, 3).map(({ leaf, max }) => `${leaf.code} at most ${max.toFixed()} of ${leaf.weight}`);
  const more =
    short.length > 3 ? { zh: `等 ${short.length} 项`, en: ` and ${short.length - 3} more` } : { zh: '', en: '' };
  const warnings: RuleWarning[] = [
    {
      kind: 'unreachable-total',
      pointer: '/total',
      message: localized(
        `满分 ${file.total} 分无法达到：各指标最高可得合计 ${reachable.toFixed()} 分（${names.join('，')}${more.zh}）。请检查这些指标的档次或上限`,
        `no submission can reach the total ${file.total}: the indicators give at most ${reachable.toFixed()} (${namesEn.join(', ')}${more.en}). Check their bands or caps`,
      ),
    },
  ];
  const unreachable = file.grades.findIndex((grade) => new Decimal(grade.min).gt(reachable));
  if (unreachable >= 0) {
    const grade = file.grades[unreachable];
    warnings.push({
      kind: 'unreachable-total',
      pointer: toPointer('grades', unreachable, 'min'),
      message: localized(
        `等次“${grade.label}”要求总分不低于 ${grade.min}，但总分最高只能得 ${reachable.toFixed()} 分：没有部门能评为“${grade.label}”`,
        `grade ${grade.code} (${grade.label}) needs ${grade.min} but no total exceeds ${reachable.toFixed()}: no department can get it`,
      ),
    });
  }
  return warnings;
}
