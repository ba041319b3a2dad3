import type { Condition } from '@jiping/rules';
import { Engine } from 'json-rules-engine';
import { D } from '../decimal';
import { DECIMAL_OPERATORS } from '../engine/decimal-operators';
import { compileCondition, type FactValue, UnsupportedCondition } from './compile-condition';

/** What json-rules-engine decides for one condition on one fact value (numbers given to it as decimal strings). */
async function reference(condition: Condition, value: FactValue): Promise<boolean | 'error'> {
  const engine = new Engine([], { allowUndefinedFacts: false });
  DECIMAL_OPERATORS.forEach((operator) => engine.addOperator(operator));
  const top = 'fact' in condition ? { all: [condition] } : condition;
  engine.addRule({ name: 'r', conditions: top as never, event: { type: 'r' } });
  const facts = value === undefined ? {} : { x: value instanceof D ? value.toFixed() : value };
  try {
    return (await engine.run(facts)).results.length === 1;
  } catch {
    return 'error';
  }
}

const fact = (operator: string, value: string | boolean | string[] | null): Condition => ({
  fact: 'x',
  operator,
  value,
});
const VALUES: FactValue[] = [
  new D('90'),
  new D('89.99'),
  new D('-5'),
  new D('0'),
  '90',
  '90.00',
  'abc',
  '',
  true,
  false,
  null,
  { score: '1', tier: null },
];
const CONDITIONS: Condition[] = [
  ...[
    'decimalEqual',
    'decimalNotEqual',
    'decimalLessThan',
    'decimalLessThanInclusive',
    'decimalGreaterThan',
    'decimalGreaterThanInclusive',
  ].map((operator) => fact(operator, '90')),
  fact('equal', '90'),
  fact('equal', true),
  fact('notEqual', '90'),
  fact('notEqual', null),
  fact('in', ['90', 'abc']),
  fact('notIn', ['90', 'abc']),
  fact('contains', '90'),
  fact('doesNotContain', '90'),
  { all: [] },
  { any: [] },
  { not: fact('decimalLessThan', '90') },
  { any: [fact('decimalLessThan', '0'), fact('decimalEqual', '90')] },
  { all: [fact('decimalGreaterThanInclusive', '-5'), { not: fact('decimalGreaterThan', '89.99') }] },
];

describe(compileCondition.name, () => {
  const cases = CONDITIONS.flatMap((condition) => VALUES.map((value) => [condition, value] as const));

  it(`decides as json-rules-engine does on ${cases.length} condition × fact pairs`, async () => {
    const differing: unknown[] = [];
    for (const [condition, value] of cases) {
      const expected = await reference(condition, value);
      const actual = compileCondition(condition)(() => value);
      if (actual !== expected) differing.push({ condition, value: String(value), actual, expected });
    }
    expect(differing).toEqual([]);
  });

  it('refuses a JSONPath condition, which stays with json-rules-engine', () => {
    expect(() => compileCondition({ fact: 'x', operator: 'equal', value: true, path: '$.met' })).toThrow(
      UnsupportedCondition,
    );
  });
});
