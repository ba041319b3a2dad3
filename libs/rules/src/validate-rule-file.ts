import Ajv, { type ErrorObject } from 'ajv';
import Decimal from 'decimal.js';
import schema from '../../../rules/schema.json';
import {
  bandInterval,
  describeInterval,
  factConditions,
  FLOAT_BUILTIN_OPERATORS,
  formatInterval,
  type Interval,
  KNOWN_OPERATORS,
} from './conditions';
import { formulaReferences, parseFormula } from './formula';
import { childPointer, toPointer } from './json-pointer';
import type { RuleProblem } from './rule-set.error';
import { continuationProblems } from './validate-continuation';
import {
  type BandsMethod,
  type Condition,
  type DeclaredNode,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  type LeafNode,
  type RuleFile,
  type TierSpec,
} from './rule-file.types';

/** Limits past which a rule file is refused before it is read. */
export const RULE_FILE_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 32, maxNodes: 50_000 } as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

/** Checks that a parsed JSON value is not too deep or too large to read safely. */
export function checkLimits(value: unknown): RuleProblem[] {
  let nodes = 0;
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    nodes += 1;
    deepest = Math.max(deepest, depth);
    if (nodes > RULE_FILE_LIMITS.maxNodes) {
      return [{ pointer: '', message: `the file has more than ${RULE_FILE_LIMITS.maxNodes} JSON values; refused` }];
    }
    if (depth > RULE_FILE_LIMITS.maxDepth) {
      return [{ pointer: '', message: `the file nests deeper than ${RULE_FILE_LIMITS.maxDepth} levels; refused` }];
    }
    if (current !== null && typeof current === 'object') {
      for (const child of Object.values(current as object)) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return [];
}

function schemaProblems(errors: ErrorObject[]): RuleProblem[] {
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  // oneOf alternatives produce one error per branch; keep the most specific ones and drop duplicates.
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'if' || error.keyword === 'anyOf') continue;
    let pointer = error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties') {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      pointer = childPointer(pointer, key);
      message = `unknown key "${key}"`;
    } else if (error.keyword === 'required') {
      message = `missing required key "${(error.params as { missingProperty: string }).missingProperty}"`;
    } else if (error.keyword === 'const' || error.keyword === 'enum') {
      const allowed = (error.params as { allowedValue?: unknown; allowedValues?: unknown[] }).allowedValues ?? [
        (error.params as { allowedValue?: unknown }).allowedValue,
      ];
      message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (error.keyword === 'pattern') {
      message = `does not match the expected form ${(error.params as { pattern: string }).pattern}`;
    }
    const key = `${pointer} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ pointer, message });
    }
  }
  return problems;
}

/**
 * Validates a rule file: its shape against rules/schema.json, then its meaning (weights, codes, formulas,
 * dependencies, bands, tiers, caps, grades). Returns every problem found, each with a JSON pointer; an empty
 * list means the file is valid. Embedded test cases are run by libs/scoring (checkRuleFile).
 */
export function validateRuleFile(value: unknown): RuleProblem[] {
  const limits = checkLimits(value);
  if (limits.length > 0) return limits;
  if (!validateSchema(value)) return schemaProblems(validateSchema.errors ?? []);
  const file = value as unknown as RuleFile;
  return [...new SemanticValidator(file).run(), ...continuationProblems(file)];
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const NUMERIC_INPUTS = new Set(['money', 'percent', 'count', 'number']);
const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

interface LeafEntry {
  leaf: LeafNode;
  pointer: string;
}

class SemanticValidator {
  private readonly problems: RuleProblem[] = [];
  private readonly inputs = new Map<string, { spec: InputSpec; pointer: string }>();
  private readonly nodes = new Map<string, { node: IndicatorNode; pointer: string }>();
  private readonly leaves: LeafEntry[] = [];

  constructor(private readonly file: RuleFile) {}

  run(): RuleProblem[] {
    this.checkInputs();
    this.indexNodes(this.file.indicators, '/indicators');
    this.checkWeights();
    for (const entry of this.leaves) this.checkLeaf(entry);
    for (const { node, pointer } of this.nodes.values()) {
      if (isDeclaredNode(node)) this.checkDeclared(node, pointer);
    }
    this.checkDependencies();
    this.checkGrades();
    this.checkBudgetHeader();
    this.checkPlaces();
    return this.problems;
  }

  private add(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  private checkInputs(): void {
    this.file.inputs.forEach((spec, i) => {
      const pointer = toPointer('inputs', i);
      if (this.inputs.has(spec.id)) this.add(childPointer(pointer, 'id'), `duplicate input id "${spec.id}"`);
      this.inputs.set(spec.id, { spec, pointer });
      if (spec.type === 'checklist') {
        const ids = new Set<string>();
        spec.points.forEach((point, j) => {
          if (ids.has(point.id)) this.add(childPointer(pointer, 'points', j, 'id'), `duplicate point id "${point.id}"`);
          ids.add(point.id);
          if (new Decimal(point.points).lte(0)) this.add(childPointer(pointer, 'points', j, 'points'), 'must be > 0');
        });
      }
    });
  }

  private indexNodes(nodes: IndicatorNode[], pointer: string): void {
    nodes.forEach((node, i) => {
      const nodePointer = childPointer(pointer, i);
      if (this.nodes.has(node.code)) {
        this.add(childPointer(nodePointer, 'code'), `duplicate indicator code "${node.code}"`);
      } else {
        this.nodes.set(node.code, { node, pointer: nodePointer });
      }
      if (isGroupNode(node)) this.indexNodes(node.children, childPointer(nodePointer, 'children'));
      else if (!isDeclaredNode(node)) this.leaves.push({ leaf: node, pointer: nodePointer });
    });
  }

  private checkWeights(): void {
    const sumOf = (nodes: IndicatorNode[]): Decimal => nodes.reduce((sum, n) => sum.add(n.weight), ZERO);
    const total = new Decimal(this.file.total);
    const rootSum = sumOf(this.file.indicators);
    if (!rootSum.eq(total)) {
      this.add(
        '/total',
        `the top-level indicators weigh ${rootSum.toFixed()} but the declared total is ${total.toFixed()}`,
      );
    }
    for (const { node, pointer } of this.nodes.values()) {
      if (new Decimal(node.weight).lte(0)) this.add(childPointer(pointer, 'weight'), 'a weight must be > 0');
      if (!isGroupNode(node)) continue;
      if (node.children.length === 0) this.add(childPointer(pointer, 'children'), 'a group needs at least one child');
      const sum = sumOf(node.children);
      if (!sum.eq(node.weight)) {
        this.add(
          childPointer(pointer, 'weight'),
          `"${node.name}" weighs ${node.weight} but its children sum to ${sum.toFixed()}`,
        );
      }
    }
  }

  private inputOfType(pointer: string, id: string, types: string[]): InputSpec | undefined {
    const entry = this.inputs.get(id);
    if (!entry) {
      this.add(pointer, `"${id}" is not a declared input`);
      return undefined;
    }
    if (!types.includes(entry.spec.type)) {
      this.add(pointer, `input "${id}" is ${entry.spec.type}; this needs ${types.join(' or ')}`);
      return undefined;
    }
    return entry.spec;
  }

  private checkLeaf({ leaf, pointer }: LeafEntry): void {
    const method = leaf.method;
    const methodPointer = childPointer(pointer, 'method');
    const weight = new Decimal(leaf.weight);
    const needsMetric = method.type === 'proportional' || method.type === 'deduction' || method.type === 'bands';
    if (needsMetric && !leaf.metric) this.add(pointer, `method ${method.type} needs a metric`);
    if (!needsMetric && leaf.metric) this.add(childPointer(pointer, 'metric'), `method ${method.type} takes no metric`);
    if (leaf.metric) this.checkFormula(leaf.metric.formula, childPointer(pointer, 'metric', 'formula'));

    switch (method.type) {
      case 'proportional':
        if (leaf.metric && leaf.metric.unit !== 'percent') {
          this.add(childPointer(pointer, 'metric', 'unit'), 'a proportional score needs a percent metric');
        }
        if (method.cap !== undefined && (new Decimal(method.cap).lte(0) || new Decimal(method.cap).gt(100))) {
          this.add(
            childPointer(methodPointer, 'cap'),
            'the cap must lie in (0, 100]: a leaf never scores above its weight',
          );
        }
        break;
      case 'deduction':
        if (new Decimal(method.perUnit).lte(0)) this.add(childPointer(methodPointer, 'perUnit'), 'must be > 0');
        break;
      case 'bands':
        this.checkBands(method, weight, methodPointer);
        break;
      case 'checklist': {
        const spec = this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['checklist']);
        if (spec?.type === 'checklist') {
          const sum = spec.points.reduce((s, p) => s.add(p.points), ZERO);
          if (!sum.eq(weight)) {
            this.add(
              childPointer(methodPointer, 'input'),
              `the points of checklist "${spec.id}" sum to ${sum.toFixed()} but "${leaf.name}" weighs ${leaf.weight}`,
            );
          }
        }
        break;
      }
      case 'boolean':
        this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['boolean']);
        break;
      case 'judgment':
        this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['judgment']);
        if (method.tiers) this.checkTiers(method.tiers, childPointer(methodPointer, 'tiers'));
        break;
      case 'count-adjust':
        for (const side of ['positive', 'negative'] as const) {
          const sidePointer = childPointer(methodPointer, side);
          this.inputOfType(childPointer(sidePointer, 'input'), method[side].input, ['count']);
          if (new Decimal(method[side].each).lte(0)) this.add(childPointer(sidePointer, 'each'), 'must be > 0');
          const cap = new Decimal(method[side].cap);
          if (cap.lte(0) || cap.gt(weight)) {
            this.add(childPointer(sidePointer, 'cap'), `the cap must be > 0 and ≤ the weight ${leaf.weight}`);
          }
        }
        break;
    }
    if (leaf.basis !== undefined) this.checkBasis(leaf, childPointer(pointer, 'basis'));
    if (leaf.applies) this.checkCondition(leaf.applies.when, childPointer(pointer, 'applies', 'when'), false);
    if (leaf.veto) this.checkCondition(leaf.veto.when, childPointer(pointer, 'veto', 'when'), !!leaf.metric);
  }

  /** A 评分依据 template names only values the engine can fill in for this leaf. */
  private checkBasis(leaf: LeafNode, pointer: string): void {
    const parsed = leaf.metric ? parseFormula(leaf.metric.formula) : undefined;
    const countsTargets = parsed?.ast ? formulaReferences(parsed.ast).sections.length > 0 : false;
    for (const [, key] of leaf.basis!.matchAll(PLACEHOLDER)) {
      if (['calc', 'score', 'weight', 'evidence'].includes(key)) continue;
      if (key === 'metric' && leaf.metric) continue;
      if ((key === 'targetsMet' || key === 'targetsDeclared') && countsTargets) continue;
      const input = this.inputs.get(key)?.spec;
      if (input && (NUMERIC_INPUTS.has(input.type) || input.type === 'text')) continue;
      this.add(
        pointer,
        `{${key}} cannot be filled in here: use {calc} {score} {weight} {evidence}${leaf.metric ? ' {metric}' : ''}, a number or text input${countsTargets ? ', {targetsMet} or {targetsDeclared}' : ''}`,
      );
    }
  }

  /** Every operator known and exact; every fact a declared input (or `metric` where allowed). */
  private checkCondition(condition: Condition, pointer: string, metricAllowed: boolean): void {
    for (const { condition: fc, pointer: rel } of factConditions(condition)) {
      const at = pointer + rel;
      if (FLOAT_BUILTIN_OPERATORS.includes(fc.operator)) {
        const exact = 'decimal' + fc.operator[0].toUpperCase() + fc.operator.slice(1);
        this.add(childPointer(at, 'operator'), `"${fc.operator}" compares floats; use "${exact}"`);
      } else if (!KNOWN_OPERATORS.has(fc.operator)) {
        this.add(
          childPointer(at, 'operator'),
          `unknown operator "${fc.operator}"; known: ${[...KNOWN_OPERATORS].join(', ')}`,
        );
      } else if (fc.operator.startsWith('decimal') && (typeof fc.value !== 'string' || !DECIMAL_TEXT.test(fc.value))) {
        this.add(childPointer(at, 'value'), `"${fc.operator}" compares with a decimal string such as "90"`);
      }
      if (fc.fact === 'metric' ? !metricAllowed : !this.inputs.has(fc.fact)) {
        this.add(childPointer(at, 'fact'), `unknown fact "${fc.fact}"`);
      }
    }
  }

  private checkBands(method: BandsMethod, weight: Decimal, pointer: string): void {
    const intervals: Array<{ interval: Interval; index: number; score: Decimal }> = [];
    method.bands.forEach((band, index) => {
      const bandPointer = childPointer(pointer, 'bands', index);
      this.checkCondition(band.when, childPointer(bandPointer, 'when'), true);
      const interval = bandInterval(band.when);
      if (typeof interval === 'string') {
        this.add(childPointer(bandPointer, 'when'), interval);
        return;
      }
      if ((band.score === undefined) === (band.fraction === undefined)) {
        this.add(bandPointer, 'a band gives either "score" or "fraction"');
        return;
      }
      const score = band.score !== undefined ? new Decimal(band.score) : weight.mul(band.fraction!);
      if (score.lt(0) || score.gt(weight)) {
        this.add(
          childPointer(bandPointer, band.score !== undefined ? 'score' : 'fraction'),
          `must lie in [0, ${weight.toFixed()}]`,
        );
      }
      const { lower, upper } = interval;
      if (
        lower &&
        upper &&
        (lower.value.gt(upper.value) || (lower.value.eq(upper.value) && !(lower.inclusive && upper.inclusive)))
      ) {
        this.add(childPointer(bandPointer, 'when'), `the band ${formatInterval(interval)} is empty`);
        return;
      }
      intervals.push({ interval, index, score });
    });
    if (intervals.length !== method.bands.length) return;

    // Ordered: the bands are listed from the top of the scale down, or from the bottom up.
    const lowerKey = (i: Interval): Decimal => i.lower?.value ?? new Decimal(-Infinity);
    const ascending = [...intervals].sort(
      (a, b) => lowerKey(a.interval).cmp(lowerKey(b.interval)) || a.index - b.index,
    );
    const listedAscending = ascending.every((entry, i) => entry.index === i);
    const listedDescending = ascending.every((entry, i) => entry.index === ascending.length - 1 - i);
    if (!listedAscending && !listedDescending) {
      this.add(
        childPointer(pointer, 'bands'),
        'bands must be listed in order of their thresholds (top down or bottom up)',
      );
    }

    // Cover the whole domain without gaps or overlaps.
    const domain: Interval = method.of === 'abs' ? { lower: { value: ZERO, inclusive: true } } : {};
    let reached: Interval['upper'] | undefined = domain.lower ? { value: ZERO, inclusive: false } : undefined;
    let startOpen = !domain.lower;
    for (const { interval, index } of ascending) {
      const bandPointer = childPointer(pointer, 'bands', index, 'when');
      const { lower } = interval;
      if (startOpen) {
        if (lower)
          this.add(
            bandPointer,
            `values in ${formatInterval({ upper: { value: lower.value, inclusive: !lower.inclusive } })} are covered by no band`,
          );
        startOpen = false;
      } else if (reached) {
        // On the absolute value, a band with no lower bound (or one below 0) starts at 0.
        const low =
          domain.lower && (!lower || lower.value.lt(0))
            ? domain.lower
            : (lower ?? { value: new Decimal(-Infinity), inclusive: true });
        const cmp = low.value.cmp(reached.value);
        if (cmp < 0 || (cmp === 0 && low.inclusive && reached.inclusive)) {
          this.add(bandPointer, `overlaps the band below it at ${formatInterval({ lower: low, upper: reached })}`);
        } else if (cmp > 0 || (!low.inclusive && !reached.inclusive)) {
          const gap: Interval = {
            lower: { value: reached.value, inclusive: !reached.inclusive },
            upper: { value: low.value, inclusive: !low.inclusive },
          };
          this.add(bandPointer, `values in ${formatInterval(gap)} are covered by no band`);
        }
      }
      if (!interval.upper) {
        reached = undefined;
        break;
      }
      reached = interval.upper;
    }
    if (reached) {
      this.add(
        childPointer(pointer, 'bands'),
        `values in ${formatInterval({ lower: { value: reached.value, inclusive: !reached.inclusive } })} are covered by no band`,
      );
    }
    if (method.monotone) {
      for (let i = 1; i < ascending.length; i++) {
        const [below, above] = [ascending[i - 1], ascending[i]];
        const broken = method.monotone === 'increasing' ? above.score.lt(below.score) : above.score.gt(below.score);
        if (broken) {
          this.add(
            childPointer(pointer, 'bands', above.index),
            `declared ${method.monotone} but ${describeInterval(above.interval, '')} scores ${above.score.toFixed()} after ${below.score.toFixed()}`,
          );
        }
      }
    }
  }

  private checkTiers(tiers: TierSpec[], pointer: string): void {
    const codes = new Set<string>();
    tiers.forEach((tier, i) => {
      const min = new Decimal(tier.min);
      const max = new Decimal(tier.max);
      if (codes.has(tier.code)) this.add(childPointer(pointer, i, 'code'), `duplicate tier "${tier.code}"`);
      codes.add(tier.code);
      if (min.lt(ZERO) || max.gt(ONE) || min.gt(max)) {
        this.add(childPointer(pointer, i), `a tier is a fraction of the weight inside [0, 1] with min ≤ max`);
      }
    });
    const sorted = [...tiers].sort((a, b) => new Decimal(a.min).cmp(b.min));
    if (sorted.length > 0 && (!new Decimal(sorted[0].min).eq(0) || !new Decimal(sorted[sorted.length - 1].max).eq(1))) {
      this.add(pointer, 'tiers must together cover 0 to 1 of the weight');
    }
    for (let i = 1; i < sorted.length; i++) {
      if (!new Decimal(sorted[i].min).eq(sorted[i - 1].max)) {
        this.add(pointer, `tiers "${sorted[i - 1].code}" and "${sorted[i].code}" do not meet (gap or overlap)`);
      }
    }
  }

  private checkDeclared(node: DeclaredNode, pointer: string): void {
    this.checkTiers(node.declared.qualitativeTiers, childPointer(pointer, 'declared', 'qualitativeTiers'));
    const min = node.declared.minIndicatorWeight;
    if (min !== undefined && (new Decimal(min).lte(0) || new Decimal(min).gt(node.weight))) {
      this.add(childPointer(pointer, 'declared', 'minIndicatorWeight'), `must lie in (0, ${node.weight}]`);
    }
  }

  private checkFormula(formula: string, pointer: string): void {
    const parsed = parseFormula(formula);
    for (const error of parsed.errors) this.add(pointer, error);
    if (!parsed.ast) return;
    const refs = formulaReferences(parsed.ast);
    for (const id of refs.inputs) {
      const entry = this.inputs.get(id);
      if (!entry) this.add(pointer, `"${id}" is not a declared input`);
      else if (!NUMERIC_INPUTS.has(entry.spec.type))
        this.add(pointer, `input "${id}" is ${entry.spec.type}, not a number`);
    }
    for (const code of refs.sections) {
      const entry = this.nodes.get(code);
      if (!entry || !isDeclaredNode(entry.node)) this.add(pointer, `"${code}" is not a declared-target section`);
    }
    for (const code of refs.scores) {
      if (!this.nodes.has(code)) this.add(pointer, `score("${code}") names no indicator`);
    }
  }

  /** A leaf's metric may read other indicators' scores; those reads must not form a cycle. */
  private checkDependencies(): void {
    const leavesUnder = (code: string): string[] => {
      const entry = this.nodes.get(code);
      if (!entry) return [];
      if (isGroupNode(entry.node)) return entry.node.children.flatMap((child) => leavesUnder(child.code));
      return [code];
    };
    const edges = new Map<string, string[]>();
    for (const { leaf } of this.leaves) {
      const parsed = leaf.metric ? parseFormula(leaf.metric.formula) : undefined;
      const scores = parsed?.ast ? formulaReferences(parsed.ast).scores : [];
      edges.set(leaf.code, scores.flatMap(leavesUnder));
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const reported = new Set<string>();
    const visit = (code: string, path: string[]): void => {
      if (state.get(code) === 'done') return;
      if (state.get(code) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(code)), code];
        const key = [...cycle].sort().join();
        if (!reported.has(key)) {
          reported.add(key);
          this.add(
            childPointer(this.nodes.get(code)!.pointer, 'metric', 'formula'),
            `dependency cycle: ${cycle.join(' → ')}`,
          );
        }
        return;
      }
      state.set(code, 'visiting');
      for (const next of edges.get(code) ?? []) visit(next, [...path, code]);
      state.set(code, 'done');
    };
    for (const code of edges.keys()) visit(code, []);
  }

  private checkGrades(): void {
    const codes = new Set<string>();
    this.file.grades.forEach((grade, i) => {
      if (codes.has(grade.code)) this.add(toPointer('grades', i, 'code'), `duplicate grade "${grade.code}"`);
      codes.add(grade.code);
      if (i > 0 && !new Decimal(grade.min).lt(this.file.grades[i - 1].min)) {
        this.add(
          toPointer('grades', i, 'min'),
          'grades are listed from the highest down, each min below the one before',
        );
      }
    });
    const top = this.file.grades[0];
    if (top && new Decimal(top.min).gt(this.file.total)) {
      this.add(toPointer('grades', 0, 'min'), `no total can reach ${top.min}: the total is ${this.file.total}`);
    }
    const last = this.file.grades[this.file.grades.length - 1];
    if (last && new Decimal(last.min).gt(0)) {
      this.add(
        toPointer('grades', this.file.grades.length - 1, 'min'),
        'the lowest grade must start at 0 or below so every total has a grade',
      );
    }
  }

  private checkBudgetHeader(): void {
    const header = this.file.budgetHeader;
    if (!header) return;
    const codes = new Set<string>();
    header.breakdowns.forEach((breakdown, i) =>
      breakdown.columns.forEach((column, j) => {
        if (codes.has(column.code)) {
          this.add(
            toPointer('budgetHeader', 'breakdowns', i, 'columns', j, 'code'),
            `duplicate column "${column.code}"`,
          );
        }
        codes.add(column.code);
      }),
    );
  }

  private checkPlaces(): void {
    const { scorePlaces, totalPlaces } = this.file.rounding;
    if (totalPlaces < scorePlaces) {
      this.add('/rounding/totalPlaces', 'the total is shown with at least as many places as a leaf score');
    }
  }
}
