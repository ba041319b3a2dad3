import jsep from 'jsep';

/**
 * Metric formulas: arithmetic over declared inputs, parsed by jsep into this small AST and evaluated with
 * decimal.js by libs/scoring. A formula is data: nothing in it is ever executed as code.
 */
export type FormulaNode =
  | { kind: 'number'; value: string }
  | { kind: 'input'; id: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode }
  | { kind: 'negate'; operand: FormulaNode }
  | { kind: 'call'; fn: 'abs' | 'min' | 'max'; args: FormulaNode[] }
  | { kind: 'targets'; fn: 'targetsMet' | 'targetsDeclared'; section: string }
  | { kind: 'score'; code: string };

export interface ParsedFormula {
  ast?: FormulaNode;
  errors: string[];
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);
const NUMERIC_FUNCTIONS: Record<string, { min: number; max: number }> = {
  abs: { min: 1, max: 1 },
  min: { min: 2, max: 16 },
  max: { min: 2, max: 16 },
};
const DECIMAL_LITERAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const MAX_FORMULA_LENGTH = 2000;

/** Parses a metric formula; returns every problem found rather than throwing. */
export function parseFormula(text: string): ParsedFormula {
  if (text.length > MAX_FORMULA_LENGTH) return { errors: [`formula is longer than ${MAX_FORMULA_LENGTH} characters`] };
  let expression: jsep.Expression;
  try {
    expression = jsep(text);
  } catch (error) {
    return { errors: [`formula does not parse: ${(error as Error).message}`] };
  }
  const errors: string[] = [];
  const ast = toNode(expression, errors);
  return errors.length > 0 ? { errors } : { ast, errors };
}

function toNode(expression: jsep.Expression, errors: string[]): FormulaNode {
  switch (expression.type) {
    case 'Literal': {
      const raw = String((expression as jsep.Literal).raw);
      if (!DECIMAL_LITERAL.test(raw)) errors.push(`only decimal number literals are allowed, not ${raw}`);
      return { kind: 'number', value: raw };
    }
    case 'Identifier':
      return { kind: 'input', id: (expression as jsep.Identifier).name };
    case 'BinaryExpression': {
      const binary = expression as jsep.BinaryExpression;
      if (!ARITHMETIC.has(binary.operator)) errors.push(`operator "${binary.operator}" is not allowed; use + - * /`);
      return {
        kind: 'binary',
        op: binary.operator as '+' | '-' | '*' | '/',
        left: toNode(binary.left, errors),
        right: toNode(binary.right, errors),
      };
    }
    case 'UnaryExpression': {
      const unary = expression as jsep.UnaryExpression;
      if (unary.operator === '+') return toNode(unary.argument, errors);
      if (unary.operator !== '-') errors.push(`unary operator "${unary.operator}" is not allowed`);
      return { kind: 'negate', operand: toNode(unary.argument, errors) };
    }
    case 'CallExpression':
      return toCall(expression as jsep.CallExpression, errors);
    default:
      errors.push(`${expression.type} is not allowed in a formula`);
      return { kind: 'number', value: '0' };
  }
}

function toCall(call: jsep.CallExpression, errors: string[]): FormulaNode {
  if (call.callee.type !== 'Identifier') {
    errors.push('only the functions abs, min, max, targetsMet, targetsDeclared and score may be called');
    return { kind: 'number', value: '0' };
  }
  const name = (call.callee as jsep.Identifier).name;
  if (name === 'targetsMet' || name === 'targetsDeclared' || name === 'score') {
    const [arg] = call.arguments;
    if (call.arguments.length !== 1 || arg.type !== 'Literal' || typeof (arg as jsep.Literal).value !== 'string') {
      errors.push(`${name}() takes one quoted indicator code, e.g. ${name}("performance")`);
      return { kind: 'number', value: '0' };
    }
    const code = (arg as jsep.Literal).value as string;
    return name === 'score' ? { kind: 'score', code } : { kind: 'targets', fn: name, section: code };
  }
  const arity = NUMERIC_FUNCTIONS[name];
  if (!arity) {
    errors.push(`unknown function "${name}"; known: abs, min, max, targetsMet, targetsDeclared, score`);
    return { kind: 'number', value: '0' };
  }
  if (call.arguments.length < arity.min || call.arguments.length > arity.max) {
    errors.push(`${name}() takes ${arity.min === arity.max ? arity.min : `${arity.min}–${arity.max}`} arguments`);
  }
  return { kind: 'call', fn: name as 'abs' | 'min' | 'max', args: call.arguments.map((arg) => toNode(arg, errors)) };
}

export interface FormulaReferences {
  inputs: string[];
  sections: string[];
  scores: string[];
}

/** What a formula reads: inputs, declared sections (targetsMet/targetsDeclared) and other indicators' scores. */
export function formulaReferences(node: FormulaNode): FormulaReferences {
  const refs = { inputs: new Set<string>(), sections: new Set<string>(), scores: new Set<string>() };
  const walk = (n: FormulaNode): void => {
    switch (n.kind) {
      case 'input':
        refs.inputs.add(n.id);
        return;
      case 'targets':
        refs.sections.add(n.section);
        return;
      case 'score':
        refs.scores.add(n.code);
        return;
      case 'binary':
        walk(n.left);
        walk(n.right);
        return;
      case 'negate':
        walk(n.operand);
        return;
      case 'call':
        n.args.forEach(walk);
        return;
      case 'number':
        return;
    }
  };
  walk(node);
  return { inputs: [...refs.inputs], sections: [...refs.sections], scores: [...refs.scores] };
}
