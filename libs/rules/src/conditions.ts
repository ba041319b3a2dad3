import Decimal from 'decimal.js';
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
 * and one upper bound. Returns an error message for any other shape (bands must be checkable for gaps).
 */
export function bandInterval(condition: Condition): Interval | string {
  const parts = 'all' in condition ? condition.all : [condition];
  if (parts.length < 1 || parts.length > 2) return 'a band is one comparison or "all" of a lower and an upper bound';
  const interval: Interval = {};
  for (const part of parts) {
    if (!isFactCondition(part))
      return 'a band condition compares the fact "metric"; nested all/any/not are not allowed';
    if (part.fact !== 'metric' || part.path !== undefined) return 'a band condition compares the fact "metric"';
    if (typeof part.value !== 'string' || !/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(part.value)) {
      return 'a band bound is a decimal string';
    }
    const value = new Decimal(part.value);
    switch (part.operator) {
      case 'decimalGreaterThan':
      case 'decimalGreaterThanInclusive':
        if (interval.lower) return 'a band has two lower bounds';
        interval.lower = { value, inclusive: part.operator === 'decimalGreaterThanInclusive' };
        break;
      case 'decimalLessThan':
      case 'decimalLessThanInclusive':
        if (interval.upper) return 'a band has two upper bounds';
        interval.upper = { value, inclusive: part.operator === 'decimalLessThanInclusive' };
        break;
      default:
        return `a band bound uses decimalGreaterThan(Inclusive) or decimalLessThan(Inclusive), not ${part.operator}`;
    }
  }
  return interval;
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
