import type { FormulaNode } from '@jiping/rules';
import { D } from './decimal';
import { compileFormula, type FormulaScope } from './formula-evaluator';

const scope: FormulaScope = {
  input: (id) => new D(id === 'a' ? '3' : '5'),
  targetsMet: () => new D(1),
  targetsDeclared: () => new D(2),
  score: () => new D(0),
};
const a: FormulaNode = { kind: 'input', id: 'a' };
const b: FormulaNode = { kind: 'input', id: 'b' };
const call = (fn: string, args: FormulaNode[]) => ({ kind: 'call', fn, args }) as FormulaNode;

describe(compileFormula.name, () => {
  it('computes each function it owns by its name', () => {
    expect(compileFormula(call('min', [a, b]))(scope).toFixed()).toBe('3');
    expect(compileFormula(call('max', [a, b]))(scope).toFixed()).toBe('5');
    expect(compileFormula(call('abs', [{ kind: 'negate', operand: a }]))(scope).toFixed()).toBe('3');
  });

  it.each(['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'])(
    'refuses a call of %s instead of computing it as another function (it used to be max)',
    (fn) => {
      expect(() => compileFormula(call(fn, [a, b]))).toThrow(
        `formula function "${fn}" is not part of the formula language`,
      );
    },
  );

  it('refuses an operator or node it does not own', () => {
    expect(() => compileFormula({ kind: 'binary', op: '%', left: a, right: b } as unknown as FormulaNode)).toThrow(
      'formula operator "%"',
    );
    expect(() => compileFormula({ kind: 'member' } as unknown as FormulaNode)).toThrow('formula node "member"');
    expect(() => compileFormula({ kind: 'targets', fn: 'valueOf', section: 'x' } as unknown as FormulaNode)).toThrow(
      'formula function "valueOf"',
    );
  });
});
