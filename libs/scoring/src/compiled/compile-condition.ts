import { type Condition, type FactCondition, isFactCondition } from '@jiping/rules';
import { D } from '../decimal';

/**
 * A fact as json-rules-engine would see it, except that numbers stay Decimals (json-rules-engine gets them as
 * decimal strings, `value.toFixed()`, which denote the same number). `undefined` is an undefined fact.
 */
export type FactValue = D | string | boolean | null | Record<string, unknown> | string[] | undefined;

/** Reads the facts of one submission (inputs, and each leaf's metric under its bound fact name). */
export type FactReader = (fact: string) => FactValue;

/** A compiled condition: a synchronous predicate over the facts. */
export type Predicate = (facts: FactReader) => boolean;

/** Thrown by a compiled condition that cannot be compiled (a JSONPath `path`): the rule set stays on json-rules-engine. */
export class UnsupportedCondition extends Error {}

/**
 * Compiles a json-rules-engine condition tree into a predicate with json-rules-engine's semantics:
 * `all` is every, `any` is some, `not` negates, and — as json-rules-engine does — an empty `all` or `any` holds.
 * The decimal operators compare exactly against the value parsed once here; a fact that is not a decimal
 * makes them false. The exact built-ins compare what json-rules-engine compares (numbers as decimal strings).
 */
export function compileCondition(condition: Condition): Predicate {
  if (isFactCondition(condition)) return compileFactCondition(condition);
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    return (facts) => parts.every((part) => part(facts));
  }
  if ('any' in condition) {
    if (condition.any.length === 0) return () => true;
    const parts = condition.any.map(compileCondition);
    return (facts) => parts.some((part) => part(facts));
  }
  const inner = compileCondition(condition.not);
  return (facts) => !inner(facts);
}

/** Every fact a condition tree reads. */
export function conditionFacts(condition: Condition): string[] {
  if (isFactCondition(condition)) return [condition.fact];
  if ('all' in condition) return condition.all.flatMap(conditionFacts);
  if ('any' in condition) return condition.any.flatMap(conditionFacts);
  return conditionFacts(condition.not);
}

const DECIMAL_TESTS: Record<string, (cmp: number) => boolean> = {
  decimalEqual: (cmp) => cmp === 0,
  decimalNotEqual: (cmp) => cmp !== 0,
  decimalLessThan: (cmp) => cmp < 0,
  decimalLessThanInclusive: (cmp) => cmp <= 0,
  decimalGreaterThan: (cmp) => cmp > 0,
  decimalGreaterThanInclusive: (cmp) => cmp >= 0,
};

type Json = string | number | boolean | null | string[];
const BUILTIN_TESTS: Record<string, { test: (a: unknown, b: Json) => boolean; accepts?: (a: unknown) => boolean }> = {
  equal: { test: (a, b) => a === b },
  notEqual: { test: (a, b) => a !== b },
  in: { test: (a, b) => (b as unknown[]).indexOf(a) > -1 },
  notIn: { test: (a, b) => (b as unknown[]).indexOf(a) === -1 },
  contains: { test: (a, b) => (a as unknown[]).indexOf(b) > -1, accepts: Array.isArray },
  doesNotContain: { test: (a, b) => (a as unknown[]).indexOf(b) === -1, accepts: Array.isArray },
};

function compileFactCondition({ fact, operator, value, path }: FactCondition): Predicate {
  if (path !== undefined) throw new UnsupportedCondition(`the condition on "${fact}" reads a JSONPath`);
  // own properties only: an operator named toString or constructor is no operator
  const decimalTest = Object.hasOwn(DECIMAL_TESTS, operator) ? DECIMAL_TESTS[operator] : undefined;
  if (decimalTest) {
    // the rule validator guarantees a decimal string; a value that is not one makes json-rules-engine throw
    const bound = new D(value as string);
    return (facts) => {
      const a = asDecimal(facts(fact));
      return a !== undefined && decimalTest(a.cmp(bound));
    };
  }
  const builtin = Object.hasOwn(BUILTIN_TESTS, operator) ? BUILTIN_TESTS[operator] : undefined;
  if (!builtin) throw new UnsupportedCondition(`unknown operator "${operator}"`);
  return (facts) => {
    const a = asEngineValue(facts(fact));
    return (builtin.accepts ?? (() => true))(a) && builtin.test(a, value);
  };
}

/** The decimal json-rules-engine's decimal operators read from a fact, or undefined where they reject it. */
function asDecimal(value: FactValue): D | undefined {
  if (value instanceof D) return value.isFinite() ? value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    const parsed = new D(value);
    return parsed.isFinite() ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const asEngineValue = (value: FactValue): unknown => (value instanceof D ? value.toFixed() : value);
