import fc from 'fast-check';
import { MAX_FORMULA_DEPTH, parseFormula } from './formula';

/** Every name a plain object answers to without owning it: toString, valueOf, constructor, __proto__, … */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);
const OWNED = ['abs', 'min', 'max', 'targetsMet', 'targetsDeclared', 'score'];

describe(parseFormula.name, () => {
  it.each(INHERITED)('refuses %s() whatever its arguments: the language owns a closed list of functions', (name) => {
    for (const args of ['', 'a', 'a, b', '1, 2, 3']) {
      const parsed = parseFormula(`${name}(${args})`);
      expect(parsed.ast).toBeUndefined();
      expect(parsed.errors.map((e) => e.en).join()).toMatch(/unknown function|does not parse|may be called/);
      expect(parsed.errors.map((e) => e.zh).join()).toMatch(/未知函数|无法解析|只能调用/);
    }
  });

  it('refuses the finding of the audit: valueOf(a, b) computed max(a, b), toString() broke every scoring', () => {
    expect(parseFormula('valueOf(a, b)').errors).toEqual([
      {
        zh: '未知函数“valueOf”；可用的函数：abs、min、max、targetsMet、targetsDeclared、score',
        en: 'unknown function "valueOf"; known: abs, min, max, targetsMet, targetsDeclared, score',
      },
    ]);
    expect(parseFormula('mx(a, b)').errors).toEqual([
      { zh: '未知函数“mx”，是否应为 max？', en: 'unknown function "mx"; did you mean max?' },
    ]);
    expect(parseFormula('toString()').ast).toBeUndefined();
    expect(parseFormula('constructor(x)').ast).toBeUndefined();
    expect(parseFormula('a.constructor(x)').ast).toBeUndefined();
    expect(parseFormula('a["valueOf"](b)').ast).toBeUndefined();
  });

  it('accepts the functions it owns', () => {
    expect(parseFormula('abs(a - b) / max(a, b, 1) + min(a, 2)').errors).toEqual([]);
    expect(parseFormula('targetsMet("performance") / targetsDeclared("performance") * score("x")').errors).toEqual([]);
  });

  it('any other callee name is refused (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...INHERITED), fc.stringMatching(/^[a-zA-Z_$][a-zA-Z0-9_$]{0,12}$/)),
        fc.array(fc.constantFrom('a', '1', 'b * 2'), { maxLength: 4 }),
        (name, args) => {
          fc.pre(!OWNED.includes(name));
          const parsed = parseFormula(`${name}(${args.join(', ')})`);
          expect(parsed.ast).toBeUndefined();
          expect(parsed.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses nesting deeper than the limit before the recursive parser sees it, and never throws', () => {
    const deep = (n: number) => '('.repeat(n) + 'a' + ')'.repeat(n);
    expect(parseFormula(deep(MAX_FORMULA_DEPTH)).errors).toEqual([]);
    expect(parseFormula(deep(MAX_FORMULA_DEPTH + 1)).errors).toEqual([
      {
        zh: `公式括号嵌套 ${MAX_FORMULA_DEPTH + 1} 层，最多 ${MAX_FORMULA_DEPTH} 层`,
        en: `formula nests parentheses ${MAX_FORMULA_DEPTH + 1} deep; at most ${MAX_FORMULA_DEPTH}`,
      },
    ]);
    expect(parseFormula(deep(999)).ast).toBeUndefined();
    expect(parseFormula('-'.repeat(1999) + 'a').errors).toEqual([
      {
        zh: `公式运算嵌套超过 ${MAX_FORMULA_DEPTH} 层`,
        en: `formula nests operations more than ${MAX_FORMULA_DEPTH} deep`,
      },
    ]);
    expect(parseFormula('abs('.repeat(400) + 'a' + ')'.repeat(400)).ast).toBeUndefined();
  });

  it('never throws, whatever the text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, unit: fc.constantFrom(...'ab1.()+-*/, "\'[]{}?:!&|<>=~`\\') }),
        (text) => {
          const parsed = parseFormula(text);
          expect(parsed.ast === undefined).toBe(parsed.errors.length > 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
