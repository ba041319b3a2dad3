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

/** A parsed formula turned into a function of its scope, evaluated with decimal.js at the engine's precision. */
export type CompiledFormula = (scope: FormulaScope) => D;

/**
 * Compiles a parsed formula (jsep's AST, checked by the rule validator) once into nested closures: constants are
 * parsed here, so evaluating it is only the arithmetic. Division by zero throws {@link UndefinedMetric}.
 */
export function compileFormula(node: FormulaNode): CompiledFormula {
  switch (node.kind) {
    case 'number': {
      const value = new D(node.value);
      return () => value;
    }
    case 'input': {
      const id = node.id;
      return (scope) => scope.input(id);
    }
    case 'negate': {
      const operand = compileFormula(node.operand);
      return (scope) => operand(scope).neg();
    }
    case 'targets': {
      const section = node.section;
      switch (node.fn) {
        case 'targetsMet':
          return (scope) => scope.targetsMet(section);
        case 'targetsDeclared':
          return (scope) => scope.targetsDeclared(section);
        default:
          return notOwned('function', (node as { fn: unknown }).fn);
      }
    }
    case 'score': {
      const code = node.code;
      return (scope) => scope.score(code);
    }
    case 'call': {
      const args = node.args.map(compileFormula);
      // every function by name, and nothing else: a name the language does not own is never mistaken for another
      switch (node.fn) {
        case 'abs':
          if (args.length !== 1) return notOwned('call', `abs with ${args.length} arguments`);
          return (scope) => args[0](scope).abs();
        case 'min':
          if (args.length < 1) return notOwned('call', 'min without arguments');
          return (scope) => D.min(...args.map((arg) => arg(scope)));
        case 'max':
          if (args.length < 1) return notOwned('call', 'max without arguments');
          return (scope) => D.max(...args.map((arg) => arg(scope)));
        default:
          return notOwned('function', (node as { fn: unknown }).fn);
      }
    }
    case 'binary': {
      const left = compileFormula(node.left);
      const right = compileFormula(node.right);
      switch (node.op) {
        case '+':
          return (scope) => left(scope).add(right(scope));
        case '-':
          return (scope) => left(scope).sub(right(scope));
        case '*':
          return (scope) => left(scope).mul(right(scope));
        case '/':
          return (scope) => {
            const dividend = left(scope);
            const divisor = right(scope);
            if (divisor.isZero()) throw new UndefinedMetric('division by zero');
            return dividend.div(divisor);
          };
        default:
          return notOwned('operator', node.op);
      }
    }
    default:
      return notOwned('node', (node as { kind?: unknown }).kind);
  }
}

/**
 * Refuses, at compile time, what the formula language does not own. parseFormula never builds such a node (its
 * checks are a closed list); this guards a FormulaNode built or altered elsewhere from being evaluated as something
 * else (before, any function name other than abs and min was computed as max).
 */
function notOwned(what: string, name: unknown): never {
  throw new Error(`formula ${what} "${String(name)}" is not part of the formula language`);
}
