import Decimal from 'decimal.js';
import { type Localized, localized } from './localized';
import type { Condition, FactCondition } from './rule-file.types';

/**
 * Decimal-exact operators registered on every json-rules-engine Engine by libs/scoring. json-rules-engine's
 * own numeric operators compare JS floats, so rule files must use these for numbers.
 */
export const DECIMAL_OPERATORS = [
  'decimalEqual',
  'decimalNotEqual',
  'decimalLessThan',
  'decimalLessThanInclusive',
  'decimalGreaterThan',
  'decimalGreaterThanInclusive',
] as const;
export type DecimalOperator = (typeof DECIMAL_OPERATORS)[number];

/** json-rules-engine's built-in operators that are exact (they never compare numbers as floats). */
export const EXACT_BUILTIN_OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain'] as const;
/** json-rules-engine's built-in operators that compare floats: refused in rule files. */
export const FLOAT_BUILTIN_OPERATORS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

export const KNOWN_OPERATORS: ReadonlySet<string> = new Set<string>([...DECIMAL_OPERATORS, ...EXACT_BUILTIN_OPERATORS]);

export const isFactCondition = (condition: Condition): condition is FactCondition => 'fact' in condition;

/** Every fact condition in a condition tree, with its JSON pointer relative to the tree. */
export function factConditions(
  condition: Condition,
  pointer = '',
): Array<{ condition: FactCondition; pointer: string }> {
  if (isFactCondition(condition)) return [{ condition, pointer }];
  if ('all' in condition) return condition.all.flatMap((c, i) => factConditions(c, `${pointer}/all/${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => factConditions(c, `${pointer}/any/${i}`));
  return factConditions(condition.not, `${pointer}/not`);
}

export interface Bound {
  value: Decimal;
  inclusive: boolean;
}
/** An interval of the real line; a missing bound is infinite. */
export interface Interval {
  lower?: Bound;
  upper?: Bound;
}

/**
 * Reads a band condition as an interval of the fact `metric`: a single decimal comparison, or `all` of one lower
 * and one upper bound. Returns what is wrong, in both languages, for any other shape (bands must be checkable for
 * gaps).
 */
export function readBandInterval(condition: Condition): Interval | Localized {
  const parts = 'all' in condition ? condition.all : [condition];
  if (parts.length < 1 || parts.length > 2) {
    return localized(
      '档次条件只能是一个比较，或用 "all" 组合一个下限和一个上限',
      'a band is one comparison or "all" of a lower and an upper bound',
    );
  }
  const interval: Interval = {};
  for (const part of parts) {
    if (!isFactCondition(part)) {
      return localized(
        '档次条件比较的是事实 "metric"，不能再嵌套 all/any/not',
        'a band condition compares the fact "metric"; nested all/any/not are not allowed',
      );
    }
    if (part.fact !== 'metric' || part.path !== undefined) {
      return localized('档次条件比较的是事实 "metric"', 'a band condition compares the fact "metric"');
    }
    if (typeof part.value !== 'string' || !/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(part.value)) {
      return localized('档次的界值要写成带引号的十进制数，如 "90"', 'a band bound is a decimal string');
    }
    const value = new Decimal(part.value);
    switch (part.operator) {
      case 'decimalGreaterThan':
      case 'decimalGreaterThanInclusive':
        if (interval.lower) return localized('一个档次有两个下限', 'a band has two lower bounds');
        interval.lower = { value, inclusive: part.operator === 'decimalGreaterThanInclusive' };
        break;
      case 'decimalLessThan':
      case 'decimalLessThanInclusive':
        if (interval.upper) return localized('一个档次有两个上限', 'a band has two upper bounds');
        interval.upper = { value, inclusive: part.operator === 'decimalLessThanInclusive' };
        break;
      default:
        return localized(
          `档次的界值用 decimalGreaterThan(Inclusive) 或 decimalLessThan(Inclusive)，不能用 ${part.operator}`,
          `a band bound uses decimalGreaterThan(Inclusive) or decimalLessThan(Inclusive), not ${part.operator}`,
        );
    }
  }
  return interval;
}

/** Whether readBandInterval read an interval (rather than a problem). */
export const isInterval = (value: Interval | Localized): value is Interval => !('zh' in value);

/** readBandInterval with the problem as English text: the interval, or why the condition is not one. */
export function bandInterval(condition: Condition): Interval | string {
  const read = readBandInterval(condition);
  return isInterval(read) ? read : read.en;
}

/** Formats an interval the way a bureau writes it: [80, 90), (20, +∞). */
export function formatInterval(interval: Interval): string {
  const lower = interval.lower ? `${interval.lower.inclusive ? '[' : '('}${interval.lower.value.toFixed()}` : '(-∞';
  const upper = interval.upper ? `${interval.upper.value.toFixed()}${interval.upper.inclusive ? ']' : ')'}` : '+∞)';
  return `${lower}, ${upper}`;
}

/** The Chinese reading of a band interval on a percent or plain metric, e.g. "80%（含）-90%", "≥90%". */
export function describeInterval(interval: Interval, suffix: string): string {
  const { lower, upper } = interval;
  const fmt = (bound: Bound): string => bound.value.toFixed() + suffix;
  if (lower && upper) {
    return `${fmt(lower)}${lower.inclusive ? '（含）' : ''}-${fmt(upper)}${upper.inclusive ? '（含）' : ''}`;
  }
  if (lower) return `${lower.inclusive ? '≥' : '＞'}${fmt(lower)}`;
  if (upper) return `${upper.inclusive ? '≤' : '＜'}${fmt(upper)}`;
  return '任意值';
}
