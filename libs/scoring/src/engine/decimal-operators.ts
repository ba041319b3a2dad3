import { Operator } from 'json-rules-engine';
import { D } from '../decimal';

const isDecimalLike = (value: unknown): boolean => {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    return new D(value).isFinite();
  } catch {
    return false;
  }
};
const cmp = (a: string, b: string): number => new D(a).cmp(new D(b));

/**
 * Decimal-exact comparison operators for json-rules-engine. Its built-in numeric operators compare JS floats,
 * so rule files compare numbers with these; facts are passed as decimal strings. A fact that is not a decimal
 * (e.g. an undefined metric, passed as null) makes the comparison false.
 */
export const DECIMAL_OPERATORS: Array<Operator<string, string>> = [
  new Operator('decimalEqual', (a: string, b: string) => cmp(a, b) === 0, isDecimalLike),
  new Operator('decimalNotEqual', (a: string, b: string) => cmp(a, b) !== 0, isDecimalLike),
  new Operator('decimalLessThan', (a: string, b: string) => cmp(a, b) < 0, isDecimalLike),
  new Operator('decimalLessThanInclusive', (a: string, b: string) => cmp(a, b) <= 0, isDecimalLike),
  new Operator('decimalGreaterThan', (a: string, b: string) => cmp(a, b) > 0, isDecimalLike),
  new Operator('decimalGreaterThanInclusive', (a: string, b: string) => cmp(a, b) >= 0, isDecimalLike),
];
