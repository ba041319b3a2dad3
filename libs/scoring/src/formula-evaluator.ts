import type { FormulaNode } from '@jiping/rules';
import { D } from './decimal';

/** What a formula can read while it is evaluated. */
export interface FormulaScope {
  /** A numeric input; percent inputs are given as ratios (99.66 % → 0.9966). */
  input(id: string): D;
  targetsMet(section: string): D;
  targetsDeclared(section: string): D;
  score(code: string): D;
}

/** Thrown when a formula divides by zero: the metric is undefined for this submission. */
export class UndefinedMetric extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Evaluates a parsed formula with decimal.js at the engine's precision. */
export function evaluateFormula(node: FormulaNode, scope: FormulaScope): D {
  switch (node.kind) {
    case 'number':
      return new D(node.value);
    case 'input':
      return scope.input(node.id);
    case 'negate':
      return evaluateFormula(node.operand, scope).neg();
    case 'targets':
      return node.fn === 'targetsMet' ? scope.targetsMet(node.section) : scope.targetsDeclared(node.section);
    case 'score':
      return scope.score(node.code);
    case 'call': {
      const args = node.args.map((arg) => evaluateFormula(arg, scope));
      if (node.fn === 'abs') return args[0].abs();
      return node.fn === 'min' ? D.min(...args) : D.max(...args);
    }
    case 'binary': {
      const left = evaluateFormula(node.left, scope);
      const right = evaluateFormula(node.right, scope);
      switch (node.op) {
        case '+':
          return left.add(right);
        case '-':
          return left.sub(right);
        case '*':
          return left.mul(right);
        case '/':
          if (right.isZero()) throw new UndefinedMetric('division by zero');
          return left.div(right);
      }
    }
  }
}
