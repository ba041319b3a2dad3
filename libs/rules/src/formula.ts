import jsep from 'jsep';
import { type Localized, localized } from './localized';
import { suggestion } from './rule-paths';

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
  errors: Localized[];
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);
/**
 * The numeric functions a formula may call: a closed list. A Map, never a plain object: a lookup on an object finds
 * what it inherits too (toString, valueOf, constructor…), and a name the language does not own must be refused.
 */
const NUMERIC_FUNCTIONS: ReadonlyMap<string, { min: number; max: number }> = new Map([
  ['abs', { min: 1, max: 1 }],
  ['min', { min: 2, max: 16 }],
  ['max', { min: 2, max: 16 }],
]);
const DECIMAL_LITERAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const MAX_FORMULA_LENGTH = 2000;
/** Deepest nesting of a formula's operations (parentheses, operators, calls): far above any real formula. */
export const MAX_FORMULA_DEPTH = 32;

/** Parses a metric formula; returns every problem found rather than throwing. */
export function parseFormula(text: string): ParsedFormula {
  if (text.length > MAX_FORMULA_LENGTH)
    return {
      errors: [
        localized(`公式超过 ${MAX_FORMULA_LENGTH} 个字符`, `formula is longer than ${MAX_FORMULA_LENGTH} characters`),
      ],
    };
  const parentheses = parenthesisDepth(text);
  if (parentheses > MAX_FORMULA_DEPTH) {
    return {
      errors: [
        localized(
          `公式括号嵌套 ${parentheses} 层，最多 ${MAX_FORMULA_DEPTH} 层`,
          `formula nests parentheses ${parentheses} deep; at most ${MAX_FORMULA_DEPTH}`,
        ),
      ],
    };
  }
  let expression: jsep.Expression;
  try {
    expression = jsep(text);
  } catch (error) {
    const reason = (error as Error).message;
    return {
      errors: [localized(`公式无法解析（请检查括号和运算符）：${reason}`, `formula does not parse: ${reason}`)],
    };
  }
  const errors: Localized[] = [];
  const ast = toNode(expression, errors, 0);
  return errors.length > 0 ? { errors } : { ast, errors };
}

/** The deepest nesting of ( and ), counted without recursion (before the recursive parser sees the text). */
function parenthesisDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const ch of text) {
    if (ch === '(') deepest = Math.max(deepest, ++depth);
    else if (ch === ')') depth--;
  }
  return deepest;
}

function toNode(expression: jsep.Expression, errors: Localized[], depth: number): FormulaNode {
  if (depth > MAX_FORMULA_DEPTH) {
    if (!errors.some((e) => e.en.startsWith('formula nests'))) {
      errors.push(
        localized(
          `公式运算嵌套超过 ${MAX_FORMULA_DEPTH} 层`,
          `formula nests operations more than ${MAX_FORMULA_DEPTH} deep`,
        ),
      );
    }
    return { kind: 'number', value: '0' };
  }
  const next = depth + 1;
  switch (expression.type) {
    case 'Literal': {
      const raw = String((expression as jsep.Literal).raw);
      if (!DECIMAL_LITERAL.test(raw))
        errors.push(
          localized(
            `公式中的数只能写成十进制数（如 100、0.5），不能写成 ${raw}`,
            `only decimal number literals are allowed, not ${raw}`,
          ),
        );
      return { kind: 'number', value: raw };
    }
    case 'Identifier':
      return { kind: 'input', id: (expression as jsep.Identifier).name };
    case 'BinaryExpression': {
      const binary = expression as jsep.BinaryExpression;
      if (!ARITHMETIC.has(binary.operator))
        errors.push(
          localized(
            `公式不能使用运算符“${binary.operator}”，只能用 + - * /`,
            `operator "${binary.operator}" is not allowed; use + - * /`,
          ),
        );
      return {
        kind: 'binary',
        op: binary.operator as '+' | '-' | '*' | '/',
        left: toNode(binary.left, errors, next),
        right: toNode(binary.right, errors, next),
      };
    }
    case 'UnaryExpression': {
      const unary = expression as jsep.UnaryExpression;
      if (unary.operator === '+') return toNode(unary.argument, errors, next);
      if (unary.operator !== '-')
        errors.push(
          localized(`公式不能使用一元运算符“${unary.operator}”`, `unary operator "${unary.operator}" is not allowed`),
        );
      return { kind: 'negate', operand: toNode(unary.argument, errors, next) };
    }
    case 'CallExpression':
      return toCall(expression as jsep.CallExpression, errors, next);
    default:
      errors.push(
        localized(
          `公式中不能出现 ${expression.type}，只能是数、填报项、+ - * / 和函数`,
          `${expression.type} is not allowed in a formula`,
        ),
      );
      return { kind: 'number', value: '0' };
  }
}

function toCall(call: jsep.CallExpression, errors: Localized[], depth: number): FormulaNode {
  if (call.callee.type !== 'Identifier') {
    errors.push(
      localized(
        '公式只能调用函数 abs、min、max、targetsMet、targetsDeclared 和 score',
        'only the functions abs, min, max, targetsMet, targetsDeclared and score may be called',
      ),
    );
    return { kind: 'number', value: '0' };
  }
  const name = (call.callee as jsep.Identifier).name;
  if (name === 'targetsMet' || name === 'targetsDeclared' || name === 'score') {
    const [arg] = call.arguments;
    if (call.arguments.length !== 1 || arg.type !== 'Literal' || typeof (arg as jsep.Literal).value !== 'string') {
      errors.push(
        localized(
          `${name}() 只接受一个带引号的指标代码，如 ${name}("performance")`,
          `${name}() takes one quoted indicator code, e.g. ${name}("performance")`,
        ),
      );
      return { kind: 'number', value: '0' };
    }
    const code = (arg as jsep.Literal).value as string;
    return name === 'score' ? { kind: 'score', code } : { kind: 'targets', fn: name, section: code };
  }
  const arity = NUMERIC_FUNCTIONS.get(name);
  if (!arity) {
    const known = ['abs', 'min', 'max', 'targetsMet', 'targetsDeclared', 'score'];
    const hint = suggestion(name, known);
    errors.push(
      localized(
        `未知函数“${name}”${hint.zh || `；可用的函数：${known.join('、')}`}`,
        `unknown function "${name}"${hint.en || `; known: ${known.join(', ')}`}`,
      ),
    );
    return { kind: 'number', value: '0' };
  }
  if (call.arguments.length < arity.min || call.arguments.length > arity.max) {
    const count = arity.min === arity.max ? `${arity.min}` : `${arity.min}–${arity.max}`;
    errors.push(localized(`${name}() 需要 ${count} 个参数`, `${name}() takes ${count} arguments`));
  }
  return {
    kind: 'call',
    fn: name as 'abs' | 'min' | 'max',
    args: call.arguments.map((arg) => toNode(arg, errors, depth)),
  };
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
