import {
  childPointer,
  type Comparator,
  type DeclaredNode,
  localized,
  type Message,
  type RuleSet,
  type TierSpec,
} from '@jiping/rules';
import { D, ZERO } from '../decimal';
import type { ScoringProblem } from '../scoring.error';
import type {
  ParsedChecklistPoint,
  ParsedDeclaredIndicator,
  ParsedEvent,
  ParsedGoal,
  ParsedJudgment,
  ParsedSubmission,
} from './parsed-submission';
import { type DecimalRule, type InputView, type JudgedWeight, ruleSetView, type RuleSetView } from './rule-set-view';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const MAX_TEXT = 10_000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
/** Decimal places of a string DECIMAL accepts. */
const decimalsOf = (text: string): number => {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
};
/**
 * The Decimal of a string DECIMAL accepts. An integer of at most 7 characters (|n| < 10⁷, exact as a JS number)
 * takes decimal.js's small-integer path, which gives the same Decimal as the string without parsing it.
 */
const toDecimal = (text: string): D => (text.length <= 7 && !text.includes('.') ? new D(Number(text)) : new D(text));

/** The keys each object of a submission may have. */
const KEYS = {
  submission: new Set([
    'formatVersion',
    'department',
    'fiscalYear',
    'overview',
    'budget',
    'inputs',
    'evidence',
    'targets',
    'targetResults',
  ]),
  department: new Set(['code', 'name', 'unitCount']),
  overview: new Set(['goal', 'achievement', 'shortfall']),
  budget: new Set(['unit', 'columns']),
  column: new Set(['budgeted', 'executed']),
  point: new Set(['met', 'evidence']),
  judgment: new Set(['score', 'tier', 'reason']),
  event: new Set(['kind', 'text']),
  goal: new Set(['code', 'name', 'weight', 'indicators']),
  quantitative: new Set(['code', 'name', 'weight', 'kind', 'comparator', 'target', 'targetMax', 'unit', 'description']),
  qualitative: new Set(['code', 'name', 'weight', 'kind', 'target', 'description']),
  quantitativeResult: new Set(['actual', 'text', 'reason', 'ruling']),
  qualitativeResult: new Set(['tier', 'score', 'reason', 'text', 'ruling']),
} as const;

/** How the fixed figures of a submission are checked. */
const AMOUNT: DecimalRule = { places: 2, what: 'an amount' };
const SCORE: DecimalRule = { places: 4, what: 'a score' };
const SIGNED_SCORE: DecimalRule = { places: 4, negative: true, what: 'a score' };
/** The most 加减分 events one input may list. */
const MAX_EVENTS = 1000;
const WEIGHT: DecimalRule = { places: 2, positive: true, what: 'a weight' };
const TARGET: DecimalRule = { negative: true, what: 'a target value' };
const UPPER_BOUND: DecimalRule = { negative: true, what: 'the upper bound' };
const ACTUAL: DecimalRule = { negative: true, what: 'an actual value' };

/**
 * Checks a submission against a rule set's declared inputs, budget header and declared-target sections, and
 * parses it into exact values. Returns every problem (with a JSON pointer into the submission) or the parsed
 * submission; nothing is scored from a submission with problems.
 */
export function parseSubmission(
  ruleSet: RuleSet,
  value: unknown,
): { problems: ScoringProblem[]; parsed?: ParsedSubmission } {
  const reader = new SubmissionReader(ruleSet);
  const parsed = reader.read(value);
  return reader.problems.length > 0 ? { problems: reader.problems } : { problems: [], parsed };
}

/** Checks only the declared targets of one section (绩效目标申报), as they are declared at budget time. */
export function validateDeclaredTargets(ruleSet: RuleSet, sectionCode: string, value: unknown): ScoringProblem[] {
  const reader = new SubmissionReader(ruleSet);
  const section = reader.view.declaredSections.get(sectionCode);
  if (!section) return [{ pointer: '', message: `"${sectionCode}" is not a declared-target section of ${ruleSet.id}` }];
  reader.readSection(section, value, '', new Set());
  return reader.problems;
}

/**
 * Reads one submission. Pointers the rule set alone fixes come from its view; a field or index is appended as
 * `${pointer}/name` (nothing to escape), any other key with childPointer.
 */
class SubmissionReader {
  readonly problems: ScoringProblem[] = [];
  readonly view: RuleSetView;

  constructor(private readonly ruleSet: RuleSet) {
    this.view = ruleSetView(ruleSet);
  }

  private add(pointer: string, message: Message): void {
    this.problems.push({ pointer, message });
  }

  private unknownKeys(object: Json, allowed: ReadonlySet<string>, pointer: string): void {
    // for…in allocates no array of keys; an inherited key is not the submission's
    for (const key in object) {
      if (!allowed.has(key) && Object.hasOwn(object, key)) this.add(childPointer(pointer, key), `unknown key "${key}"`);
    }
  }

  private text(value: unknown, pointer: string, required: boolean, max = MAX_TEXT): string | undefined {
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (required && value.trim() === '')) {
      this.add(pointer, required ? 'a non-empty string is required' : 'must be a string');
      return undefined;
    }
    if (value.length > max) this.add(pointer, `longer than ${max} characters`);
    return value;
  }

  /** A decimal string; JSON numbers are refused so nothing passes through a float. */
  private decimal(value: unknown, pointer: string, options: DecimalRule): D | undefined {
    const what = options.what;
    if (typeof value === 'number') {
      this.add(pointer, `${what} is a decimal string such as "${value}", not a JSON number`);
      return undefined;
    }
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      this.add(pointer, `${what} must be a decimal string such as "1388.29"`);
      return undefined;
    }
    if (options.places !== undefined && decimalsOf(value) > options.places) {
      this.add(pointer, `${what} has more than ${options.places} decimal places`);
      return undefined;
    }
    const parsed = toDecimal(value);
    if (!options.negative && parsed.isNegative() && !parsed.isZero()) {
      this.add(pointer, `${what} must not be negative`);
      return undefined;
    }
    if (options.positive && (parsed.isZero() || parsed.isNegative())) {
      this.add(pointer, `${what} must be > 0`);
      return undefined;
    }
    return parsed;
  }

  read(value: unknown): ParsedSubmission {
    const parsed: ParsedSubmission = {
      department: { code: '', name: '' },
      fiscalYear: 0,
      numbers: new Map(),
      numberTexts: new Map(),
      checklists: new Map(),
      booleans: new Map(),
      judgments: new Map(),
      events: new Map(),
      texts: new Map(),
      evidence: new Map(),
      declared: new Map(),
    };
    if (!isObject(value)) {
      this.add('', 'a submission is a JSON object');
      return parsed;
    }
    this.unknownKeys(value, KEYS.submission, '');
    if (value.formatVersion !== '1') this.add('/formatVersion', 'must be "1"');
    this.readDepartment(value.department, parsed);
    if (!Number.isInteger(value.fiscalYear)) this.add('/fiscalYear', 'must be an integer year');
    else if (value.fiscalYear !== this.ruleSet.file.fiscalYear) {
      this.add(
        '/fiscalYear',
        `is ${String(value.fiscalYear)} but rule set ${this.ruleSet.id}@${this.ruleSet.version} is for ${this.ruleSet.file.fiscalYear}`,
      );
    } else parsed.fiscalYear = value.fiscalYear as number;
    this.readOverview(value.overview, parsed);
    this.readBudget(value.budget, parsed);
    this.readInputs(value.inputs, parsed);
    this.readTargets(value.targets, value.targetResults, parsed);
    this.readEvidence(value.evidence, parsed);
    return parsed;
  }

  private readDepartment(value: unknown, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add('/department', 'required: { "code", "name" }');
      return;
    }
    this.unknownKeys(value, KEYS.department, '/department');
    if (typeof value.code !== 'string' || !KEBAB.test(value.code))
      this.add('/department/code', 'a kebab-case code is required');
    const name = this.text(value.name, '/department/name', true, 200);
    if (value.unitCount !== undefined && !(Number.isInteger(value.unitCount) && (value.unitCount as number) > 0)) {
      this.add('/department/unitCount', 'must be a positive integer');
    }
    parsed.department = {
      code: String(value.code),
      name: name ?? '',
      unitCount: value.unitCount as number | undefined,
    };
  }

  private readOverview(value: unknown, parsed: ParsedSubmission): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.add('/overview', 'must be an object');
      return;
    }
    this.unknownKeys(value, KEYS.overview, '/overview');
    parsed.overview = {
      goal: this.text(value.goal, '/overview/goal', false),
      achievement: this.text(value.achievement, '/overview/achievement', false),
      shortfall: this.text(value.shortfall, '/overview/shortfall', false),
    };
  }

  private readBudget(value: unknown, parsed: ParsedSubmission): void {
    const header = this.ruleSet.file.budgetHeader;
    if (value === undefined) return;
    if (!header) {
      this.add('/budget', `rule set ${this.ruleSet.id} has no budget header`);
      return;
    }
    if (!isObject(value)) {
      this.add('/budget', 'must be an object with "unit" and "columns"');
      return;
    }
    this.unknownKeys(value, KEYS.budget, '/budget');
    if (value.unit !== header.unit) this.add('/budget/unit', `must be "${header.unit}"`);
    if (!isObject(value.columns)) {
      this.add('/budget/columns', 'must be an object keyed by column code');
      return;
    }
    const columns = value.columns;
    const known = this.view.budgetColumns;
    this.unknownKeys(columns, this.view.budgetColumnCodes, '/budget/columns');
    const amounts = new Map<string, { budgeted: D; executed: D }>();
    for (const { code, pointer, budgetedPointer, executedPointer } of known) {
      const column = columns[code];
      if (!isObject(column)) {
        this.add(pointer, 'required: { "budgeted", "executed" }');
        continue;
      }
      this.unknownKeys(column, KEYS.column, pointer);
      const budgeted = this.decimal(column.budgeted, budgetedPointer, AMOUNT);
      const executed = this.decimal(column.executed, executedPointer, AMOUNT);
      if (budgeted && executed) amounts.set(code, { budgeted, executed });
    }
    if (amounts.size !== known.length) return;
    for (const field of ['budgeted', 'executed'] as const) {
      const sums = header.breakdowns.map((b) => ({
        breakdown: b,
        sum: b.columns.reduce((s, c) => s.add(amounts.get(c.code)![field]), ZERO),
      }));
      for (const { breakdown, sum } of sums.slice(1)) {
        if (!sum.eq(sums[0].sum)) {
          this.add(
            childPointer('/budget/columns', breakdown.columns[0].code, field),
            `${breakdown.label} sums to ${sum.toFixed(2)} but ${sums[0].breakdown.label} sums to ${sums[0].sum.toFixed(2)} (difference ${sum.minus(sums[0].sum).toFixed(2)})`,
          );
        }
      }
    }
    parsed.budget = { unit: header.unit, columns: amounts };
  }

  private readInputs(value: unknown, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add('/inputs', 'required: an object keyed by input id');
      return;
    }
    for (const key of Object.keys(value)) {
      if (!this.view.inputIds.has(key))
        this.add(childPointer('/inputs', key), `"${key}" is not an input of ${this.ruleSet.id}`);
    }
    for (const input of this.view.inputs) {
      const { spec, pointer } = input;
      if (!Object.hasOwn(value, spec.id)) {
        this.add(pointer, `missing input "${spec.id}" (${spec.label})`);
        continue;
      }
      this.readInput(input, value[spec.id], parsed);
    }
  }

  private readInput(input: InputView, value: unknown, parsed: ParsedSubmission): void {
    const { spec, pointer } = input;
    const what = `${spec.label}`;
    switch (spec.type) {
      case 'money':
      case 'percent':
      case 'number': {
        const number = this.decimal(value, pointer, input.decimal!);
        if (number) this.setNumber(parsed, spec.id, number, value as string);
        return;
      }
      case 'count': {
        const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
        if (typeof text !== 'string' || !/^(0|[1-9][0-9]*)$/.test(text)) {
          this.add(pointer, `${what} must be a whole number ≥ 0`);
          return;
        }
        this.setNumber(parsed, spec.id, toDecimal(text), text);
        return;
      }
      case 'boolean':
        if (typeof value !== 'boolean') this.add(pointer, `${what} must be true or false`);
        else parsed.booleans.set(spec.id, value);
        return;
      case 'text': {
        const text = this.text(value, pointer, false, spec.maxLength ?? MAX_TEXT);
        if (text !== undefined) parsed.texts.set(spec.id, text);
        return;
      }
      case 'checklist':
        this.readChecklist(input, value, parsed);
        return;
      case 'judgment':
        this.readJudgment(spec.id, value, pointer, parsed);
        return;
      case 'events':
        this.readEvents(input, value, parsed);
        return;
    }
  }

  /** 加减分 events: a list (possibly empty) of { kind, text }, each kind one the input declares. */
  private readEvents(input: InputView, value: unknown, parsed: ParsedSubmission): void {
    const spec = input.spec;
    if (spec.type !== 'events') return;
    const kinds = input.kinds!;
    if (!Array.isArray(value)) {
      this.add(
        input.pointer,
        localized(
          `${spec.label}应为事项列表 [{ "kind": 事项类型, "text": 说明 }]，没有事项时填 []`,
          `${spec.label} is a list of events [{ "kind", "text" }], [] when there are none`,
        ),
      );
      return;
    }
    if (value.length > MAX_EVENTS) {
      this.add(
        input.pointer,
        localized(`${spec.label}最多列 ${MAX_EVENTS} 项`, `${spec.label} lists at most ${MAX_EVENTS} events`),
      );
      return;
    }
    const events: ParsedEvent[] = [];
    value.forEach((event, i) => {
      const at = `${input.pointer}/${i}`;
      if (!isObject(event)) {
        this.add(at, localized('一项事项为 { "kind": 事项类型, "text": 说明 }', 'an event is { "kind", "text" }'));
        return;
      }
      this.unknownKeys(event, KEYS.event, at);
      const kind = typeof event.kind === 'string' ? kinds.get(event.kind) : undefined;
      if (!kind) {
        const list = [...kinds.values()].map((k) => `"${k.code}"（${k.label}）`);
        this.add(
          `${at}/kind`,
          localized(`事项类型应为 ${list.join('、')} 之一`, `the kind is one of ${list.join(', ')}`),
        );
      }
      const text = this.text(event.text, `${at}/text`, true, 1000);
      if (kind && text !== undefined) events.push({ kind: kind.code, points: kind.points, text });
    });
    parsed.events.set(spec.id, events);
  }

  private setNumber(parsed: ParsedSubmission, id: string, value: D, text: string): void {
    parsed.numbers.set(id, value);
    parsed.numberTexts.set(id, text);
  }

  private readChecklist(input: InputView, value: unknown, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add(input.pointer, `a checklist is an object: point id → true/false or { "met", "evidence" }`);
      return;
    }
    this.unknownKeys(value, input.pointIds!, input.pointer);
    const points = new Map<string, ParsedChecklistPoint>();
    for (const { id, pointer: at, evidencePointer } of input.points!) {
      const entry = value[id];
      if (typeof entry === 'boolean') points.set(id, { met: entry });
      else if (isObject(entry) && typeof entry.met === 'boolean') {
        this.unknownKeys(entry, KEYS.point, at);
        points.set(id, { met: entry.met, evidence: this.text(entry.evidence, evidencePointer, false) });
      } else
        this.add(
          at,
          entry === undefined ? `missing point "${id}"` : 'must be true/false or { "met": true/false, "evidence" }',
        );
    }
    parsed.checklists.set(input.spec.id, points);
  }

  private readJudgment(inputId: string, value: unknown, pointer: string, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add(pointer, 'a judgment is { "score", "tier"?, "reason" }');
      return;
    }
    this.unknownKeys(value, KEYS.judgment, pointer);
    const score = this.decimal(
      value.score,
      `${pointer}/score`,
      this.view.signedJudgments.has(inputId) ? SIGNED_SCORE : SCORE,
    );
    const reason = this.text(value.reason, `${pointer}/reason`, true);
    if (value.tier !== undefined && typeof value.tier !== 'string') this.add(`${pointer}/tier`, 'must be a tier code');
    if (!score || reason === undefined) return;
    const judgment: ParsedJudgment = { score, tier: value.tier as string | undefined, reason };
    for (const leaf of this.view.judgedLeaves.get(inputId) ?? []) {
      if (leaf.range) this.checkRange(leaf.range.min, leaf.range.max, judgment.score, pointer);
      else this.checkTierScore(leaf.weight, leaf.tiers, judgment.score, judgment.tier, pointer);
    }
    parsed.judgments.set(inputId, judgment);
  }

  /** A judged 加减分 lies within its caps, [−penaltyCap, bonusCap]. */
  private checkRange(min: JudgedWeight, max: JudgedWeight, score: D, pointer: string): void {
    if (score.lt(min.value) || score.gt(max.value)) {
      this.add(
        `${pointer}/score`,
        localized(
          `评议加减分应在 ${min.text} 至 ${max.text} 分之间`,
          `a judged 加减分 must lie in [${min.text}, ${max.text}]`,
        ),
      );
    }
  }

  /** A judged score lies in [0, weight] and, where tiers are declared, inside its tier. */
  private checkTierScore(
    weight: JudgedWeight,
    tiers: readonly TierSpec[] | undefined,
    score: D,
    tier: string | undefined,
    pointer: string,
  ): void {
    const w = weight.value;
    if (score.lt(0) || score.gt(w)) {
      this.add(`${pointer}/score`, `must lie in [0, ${weight.text ?? w.toFixed()}]`);
      return;
    }
    if (!tiers || tiers.length === 0) return;
    const spec = tiers.find((t) => t.code === tier);
    if (!spec) {
      this.add(`${pointer}/tier`, `must be one of ${tiers.map((t) => `"${t.code}"（${t.label}）`).join(', ')}`);
      return;
    }
    const fraction = this.view.tierFractions.get(spec)!;
    const [min, max] = [w.mul(fraction.min), w.mul(fraction.max)];
    if (score.lt(min) || score.gt(max)) {
      this.add(`${pointer}/score`, `${spec.label} scores between ${min.toFixed()} and ${max.toFixed()}`);
    }
  }

  private readTargets(targets: unknown, results: unknown, parsed: ParsedSubmission): void {
    const codes = new Set<string>();
    const sections = this.view.declaredSections;
    if (sections.size === 0) {
      if (targets !== undefined) this.add('/targets', `rule set ${this.ruleSet.id} has no declared-target sections`);
      if (results !== undefined)
        this.add('/targetResults', `rule set ${this.ruleSet.id} has no declared-target sections`);
      return;
    }
    if (!isObject(targets)) {
      this.add('/targets', `required: the declared targets of ${[...sections.keys()].join(', ')}`);
      return;
    }
    this.unknownKeys(targets, this.view.declaredSectionCodes, '/targets');
    for (const section of sections.values()) {
      const goals = this.readSection(section, targets[section.code], childPointer('/targets', section.code), codes);
      if (goals) parsed.declared.set(section.code, goals);
    }
    if (!isObject(results)) {
      this.add('/targetResults', 'required: the year-end result of every declared indicator, by indicator code');
      return;
    }
    this.unknownKeys(results, codes, '/targetResults');
    for (const [sectionCode, goals] of parsed.declared) {
      const section = sections.get(sectionCode)!;
      for (const goal of goals) {
        for (const indicator of goal.indicators) {
          const pointer = childPointer('/targetResults', indicator.code);
          this.readResult(section, indicator, results[indicator.code], pointer);
        }
      }
    }
  }

  /** Reads one declared section (goals → indicators, or indicators only) and checks its weights. */
  readSection(section: DeclaredNode, value: unknown, pointer: string, codes: Set<string>): ParsedGoal[] | undefined {
    if (!Array.isArray(value) || value.length === 0) {
      this.add(
        pointer,
        `required: the declared ${section.declared.levels === 2 ? 'goals' : 'indicators'} of ${section.name}`,
      );
      return undefined;
    }
    const before = this.problems.length;
    const goals: ParsedGoal[] =
      section.declared.levels === 2
        ? value.map((goal, i) => this.readGoal(section, goal, `${pointer}/${i}`, codes))
        : [
            this.oneLevelGoal(
              section,
              value.map((ind, i) => this.readIndicator(section, ind, `${pointer}/${i}`, codes)),
            ),
          ];
    if (this.problems.length > before) return undefined;
    const sum = goals.reduce((s, g) => s.add(g.weight), ZERO);
    if (!sum.eq(section.weight)) {
      this.add(
        pointer,
        `the declared weights of ${section.name} sum to ${sum.toFixed()} but the section weighs ${section.weight}`,
      );
      return undefined;
    }
    return goals;
  }

  /** A one-level section's indicators stand under one goal that weighs what they sum to (checked below). */
  private oneLevelGoal(section: DeclaredNode, indicators: ParsedDeclaredIndicator[]): ParsedGoal {
    const weight = indicators.reduce((s, ind) => s.add(ind.weight), ZERO);
    return { code: section.code, name: section.name, weight, indicators };
  }

  private readGoal(section: DeclaredNode, value: unknown, pointer: string, codes: Set<string>): ParsedGoal {
    const goal: ParsedGoal = { code: '', name: '', weight: ZERO, indicators: [] };
    if (!isObject(value)) {
      this.add(pointer, 'a goal is { "code", "name", "weight", "indicators" }');
      return goal;
    }
    this.unknownKeys(value, KEYS.goal, pointer);
    goal.code = this.code(value.code, `${pointer}/code`, codes);
    goal.name = this.text(value.name, `${pointer}/name`, true, 1000) ?? '';
    goal.weight = this.decimal(value.weight, `${pointer}/weight`, WEIGHT) ?? goal.weight;
    if (!Array.isArray(value.indicators) || value.indicators.length === 0) {
      this.add(`${pointer}/indicators`, 'a goal needs at least one key indicator');
      return goal;
    }
    goal.indicators = value.indicators.map((ind, i) =>
      this.readIndicator(section, ind, `${pointer}/indicators/${i}`, codes),
    );
    const sum = goal.indicators.reduce((s, ind) => s.add(ind.weight), ZERO);
    if (!sum.eq(goal.weight)) {
      this.add(
        `${pointer}/weight`,
        `"${goal.name}" weighs ${goal.weight.toFixed()} but its indicators sum to ${sum.toFixed()}`,
      );
    }
    return goal;
  }

  private code(value: unknown, pointer: string, codes: Set<string>): string {
    if (typeof value !== 'string' || !KEBAB.test(value)) {
      this.add(pointer, 'a kebab-case code is required, e.g. "rd-1"');
      return '';
    }
    if (codes.has(value) || this.view.nodeCodes.has(value)) {
      this.add(pointer, `duplicate code "${value}"`);
    }
    codes.add(value);
    return value;
  }

  private readIndicator(
    section: DeclaredNode,
    value: unknown,
    pointer: string,
    codes: Set<string>,
  ): ParsedDeclaredIndicator {
    // every field from the start, so that every indicator has one shape whatever its kind
    const indicator: ParsedDeclaredIndicator = {
      code: '',
      name: '',
      weight: ZERO,
      kind: 'qualitative',
      description: undefined,
      target: '',
      comparator: undefined,
      targetValue: undefined,
      targetMax: undefined,
      unit: undefined,
      actual: undefined,
      actualRaw: undefined,
      actualText: undefined,
      tier: undefined,
      judgedScore: undefined,
      reason: undefined,
      ruling: undefined,
    };
    if (!isObject(value)) {
      this.add(pointer, 'a key indicator is { "code", "name", "weight", "kind", … }');
      return indicator;
    }
    indicator.code = this.code(value.code, `${pointer}/code`, codes);
    indicator.name = this.text(value.name, `${pointer}/name`, true, 1000) ?? '';
    indicator.description = this.text(value.description, `${pointer}/description`, false);
    const weight = this.decimal(value.weight, `${pointer}/weight`, WEIGHT);
    if (weight) {
      indicator.weight = weight;
      const min = this.view.minIndicatorWeights.get(section);
      if (min && weight.lt(min)) {
        this.add(`${pointer}/weight`, `a key indicator weighs at least ${section.declared.minIndicatorWeight}`);
      }
    }
    if (value.kind === 'quantitative') {
      this.unknownKeys(value, KEYS.quantitative, pointer);
      indicator.kind = 'quantitative';
      if (!section.declared.comparators.includes(value.comparator as Comparator)) {
        this.add(
          `${pointer}/comparator`,
          `must be one of ${section.declared.comparators.map((c) => `"${c}"`).join(', ')}`,
        );
      }
      indicator.comparator = value.comparator as Comparator;
      indicator.target = (value.target as string) ?? '';
      indicator.targetValue = this.decimal(value.target, `${pointer}/target`, TARGET);
      if (indicator.comparator === 'range') {
        indicator.targetMax = this.decimal(value.targetMax, `${pointer}/targetMax`, UPPER_BOUND);
        if (indicator.targetMax && indicator.targetValue && indicator.targetMax.lt(indicator.targetValue)) {
          this.add(`${pointer}/targetMax`, 'must be ≥ target');
        }
      } else if (value.targetMax !== undefined) this.add(`${pointer}/targetMax`, 'only a "range" target has targetMax');
      indicator.unit = this.text(value.unit, `${pointer}/unit`, true, 20);
    } else if (value.kind === 'qualitative') {
      this.unknownKeys(value, KEYS.qualitative, pointer);
      indicator.target = this.text(value.target, `${pointer}/target`, true) ?? '';
    } else {
      this.add(`${pointer}/kind`, 'must be "quantitative" or "qualitative"');
    }
    return indicator;
  }

  private readResult(section: DeclaredNode, indicator: ParsedDeclaredIndicator, value: unknown, pointer: string): void {
    if (!isObject(value)) {
      this.add(pointer, `missing the result of "${indicator.name}"`);
      return;
    }
    indicator.actualText = this.text(value.text, `${pointer}/text`, false);
    if (indicator.kind === 'quantitative') {
      this.unknownKeys(value, KEYS.quantitativeResult, pointer);
      indicator.reason = this.text(value.reason, `${pointer}/reason`, false);
      if (value.ruling === 'met' || value.ruling === 'unmet') indicator.ruling = value.ruling;
      else if (value.ruling !== undefined) this.add(`${pointer}/ruling`, 'must be "met" or "unmet"');
      indicator.actual = this.decimal(value.actual, `${pointer}/actual`, ACTUAL);
      indicator.actualRaw = value.actual as string;
      return;
    }
    if (value.ruling !== undefined) {
      this.add(`${pointer}/ruling`, 'only a quantitative result takes a met/unmet ruling; adjust the tier');
    }
    this.unknownKeys(value, KEYS.qualitativeResult, pointer);
    const score = this.decimal(value.score, `${pointer}/score`, SCORE);
    const tier = value.tier as string | undefined;
    indicator.reason = this.text(value.reason, `${pointer}/reason`, false);
    if (!score) return;
    this.checkTierScore({ value: indicator.weight }, section.declared.qualitativeTiers, score, tier, pointer);
    indicator.tier = tier;
    indicator.judgedScore = score;
  }

  private readEvidence(value: unknown, parsed: ParsedSubmission): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.add('/evidence', 'must be an object: indicator code → text');
      return;
    }
    let targetCodes: Set<string> | undefined;
    const isTargetCode = (code: string): boolean => {
      targetCodes ??= new Set(
        [...parsed.declared.values()].flatMap((goals) => goals.flatMap((g) => g.indicators.map((i) => i.code))),
      );
      return targetCodes.has(code);
    };
    for (const [code, text] of Object.entries(value)) {
      const pointer = childPointer('/evidence', code);
      if (!this.view.leafCodes.has(code) && !isTargetCode(code)) this.add(pointer, `"${code}" is not an indicator`);
      const checked = this.text(text, pointer, true);
      if (checked !== undefined) parsed.evidence.set(code, checked);
    }
  }
}
