import {
  childPointer,
  type Comparator,
  type DeclaredNode,
  type IndicatorNode,
  indicatorPath,
  isDeclaredNode,
  isGroupNode,
  type LeafNode,
  type Localized,
  localized,
  type RuleSet,
  suggestion,
  type TierSpec,
} from '@jiping/rules';
import { submissionPathOf } from './submission-paths';
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
    'notApplicable',
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
const AMOUNT: DecimalRule = { places: 2, what: localized('金额', 'an amount') };
const SCORE: DecimalRule = { places: 4, what: localized('分数', 'a score') };
const SIGNED_SCORE: DecimalRule = { places: 4, negative: true, what: localized('分数', 'a score') };
/** The most 加减分 events one input may list. */
const MAX_EVENTS = 1000;
const WEIGHT: DecimalRule = { places: 2, positive: true, what: localized('分值', 'a weight') };
const TARGET: DecimalRule = { negative: true, what: localized('年度指标值', 'a target value') };
const UPPER_BOUND: DecimalRule = { negative: true, what: localized('区间上限', 'the upper bound') };
const ACTUAL: DecimalRule = { negative: true, what: localized('实际完成值', 'an actual value') };

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
  return reader.problems.length > 0
    ? { problems: withSubmissionPaths(ruleSet, value, reader.problems) }
    : { problems: [], parsed };
}

/** Checks only the declared targets of one section (绩效目标申报), as they are declared at budget time. */
export function validateDeclaredTargets(ruleSet: RuleSet, sectionCode: string, value: unknown): ScoringProblem[] {
  const reader = new SubmissionReader(ruleSet);
  const section = reader.view.declaredSections.get(sectionCode);
  if (!section) {
    const hint = suggestion(sectionCode, reader.view.declaredSections.keys());
    return [
      {
        pointer: '',
        message: localized(
          `“${sectionCode}”不是规则集 ${ruleSet.id} 中申报目标的指标${hint.zh}`,
          `"${sectionCode}" is not a declared-target section of ${ruleSet.id}${hint.en}`,
        ),
      },
    ];
  }
  reader.readSection(section, value, '', new Set());
  // Pointers are relative to the section's list: name them as /targets/<section>/… would be named.
  const base = childPointer('/targets', sectionCode);
  return reader.problems.map((problem) => {
    const path = submissionPathOf(ruleSet, { targets: { [sectionCode]: value } }, base + problem.pointer);
    return path === undefined ? problem : { ...problem, path };
  });
}

/** Gives every problem the path of its pointer (submissionPathOf), once, when there are problems. */
function withSubmissionPaths(ruleSet: RuleSet, value: unknown, problems: ScoringProblem[]): ScoringProblem[] {
  return problems.map((problem) => {
    if (problem.path !== undefined) return problem;
    const path = submissionPathOf(ruleSet, value, problem.pointer);
    return path === undefined ? problem : { ...problem, path };
  });
}

/**
 * Reads one submission. Pointers the rule set alone fixes come from its view; a field or index is appended as
 * `${pointer}/name` (nothing to escape), any other key with childPointer.
 */
class SubmissionReader {
  readonly problems: ScoringProblem[] = [];
  readonly view: RuleSetView;
  /** Where each declared code was first seen, to name it when the code is used again. */
  private readonly firstCodes = new Map<string, string>();

  constructor(private readonly ruleSet: RuleSet) {
    this.view = ruleSetView(ruleSet);
  }

  private add(pointer: string, message: Localized): void {
    this.problems.push({ pointer, message });
  }

  private unknownKeys(object: Json, allowed: ReadonlySet<string>, pointer: string): void {
    // for…in allocates no array of keys; an inherited key is not the submission's
    for (const key in object) {
      if (!allowed.has(key) && Object.hasOwn(object, key)) {
        const hint = suggestion(key, allowed);
        this.add(childPointer(pointer, key), localized(`未知的键“${key}”${hint.zh}`, `unknown key "${key}"${hint.en}`));
      }
    }
  }

  private text(value: unknown, pointer: string, required: boolean, max = MAX_TEXT): string | undefined {
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (required && value.trim() === '')) {
      this.add(
        pointer,
        required
          ? localized('必填，不能为空', 'a non-empty string is required')
          : localized('应为文字（字符串）', 'must be a string'),
      );
      return undefined;
    }
    if (value.length > max) this.add(pointer, localized(`超过 ${max} 个字符`, `longer than ${max} characters`));
    return value;
  }

  /** A decimal string; JSON numbers are refused so nothing passes through a float. */
  private decimal(value: unknown, pointer: string, options: DecimalRule): D | undefined {
    const what = options.what;
    if (typeof value === 'number') {
      this.add(
        pointer,
        localized(
          `${what.zh}要写成带引号的数字，如 "${value}"，不能写成 JSON 数字`,
          `${what.en} is a decimal string such as "${value}", not a JSON number`,
        ),
      );
      return undefined;
    }
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      this.add(
        pointer,
        localized(
          `${what.zh}应为带引号的十进制数，如 "1388.29"（不带单位、逗号或百分号）`,
          `${what.en} must be a decimal string such as "1388.29"`,
        ),
      );
      return undefined;
    }
    if (options.places !== undefined && decimalsOf(value) > options.places) {
      this.add(
        pointer,
        localized(
          `${what.zh}最多 ${options.places} 位小数`,
          `${what.en} has more than ${options.places} decimal places`,
        ),
      );
      return undefined;
    }
    const parsed = toDecimal(value);
    if (!options.negative && parsed.isNegative() && !parsed.isZero()) {
      this.add(pointer, localized(`${what.zh}不能为负数`, `${what.en} must not be negative`));
      return undefined;
    }
    if (options.positive && (parsed.isZero() || parsed.isNegative())) {
      this.add(pointer, localized(`${what.zh}必须大于 0`, `${what.en} must be > 0`));
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
      notApplicable: new Map(),
      declared: new Map(),
    };
    if (!isObject(value)) {
      this.add('', localized('填报数据应为一个 JSON 对象 { … }', 'a submission is a JSON object'));
      return parsed;
    }
    this.unknownKeys(value, KEYS.submission, '');
    if (value.formatVersion !== '1') this.add('/formatVersion', localized('应为 "1"', 'must be "1"'));
    this.readDepartment(value.department, parsed);
    if (!Number.isInteger(value.fiscalYear)) {
      this.add('/fiscalYear', localized('应为整数年度，如 2021', 'must be an integer year'));
    } else if (value.fiscalYear !== this.ruleSet.file.fiscalYear) {
      const { id, version, file } = this.ruleSet;
      this.add(
        '/fiscalYear',
        localized(
          `年度为 ${String(value.fiscalYear)}，但规则集 ${id}@${version} 适用于 ${file.fiscalYear} 年度`,
          `is ${String(value.fiscalYear)} but rule set ${id}@${version} is for ${file.fiscalYear}`,
        ),
      );
    } else parsed.fiscalYear = value.fiscalYear as number;
    this.readOverview(value.overview, parsed);
    this.readBudget(value.budget, parsed);
    this.readInputs(value.inputs, parsed);
    this.readTargets(value.targets, value.targetResults, parsed);
    this.readEvidence(value.evidence, parsed);
    this.readNotApplicable(value.notApplicable, parsed);
    return parsed;
  }

  private readDepartment(value: unknown, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add('/department', localized('必填：{ "code", "name" }（部门代码和名称）', 'required: { "code", "name" }'));
      return;
    }
    this.unknownKeys(value, KEYS.department, '/department');
    if (typeof value.code !== 'string' || !KEBAB.test(value.code))
      this.add(
        '/department/code',
        localized('部门代码必填，由小写字母、数字和连字符组成，如 "gz-kjj"', 'a kebab-case code is required'),
      );
    const name = this.text(value.name, '/department/name', true, 200);
    if (value.unitCount !== undefined && !(Number.isInteger(value.unitCount) && (value.unitCount as number) > 0)) {
      this.add('/department/unitCount', localized('应为正整数', 'must be a positive integer'));
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
      this.add('/overview', localized('应为对象 { … }', 'must be an object'));
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
      this.add(
        '/budget',
        localized(
          `规则集 ${this.ruleSet.id} 没有单位基本情况表，不填 budget`,
          `rule set ${this.ruleSet.id} has no budget header`,
        ),
      );
      return;
    }
    if (!isObject(value)) {
      this.add(
        '/budget',
        localized('应为含 "unit" 和 "columns" 的对象', 'must be an object with "unit" and "columns"'),
      );
      return;
    }
    this.unknownKeys(value, KEYS.budget, '/budget');
    if (value.unit !== header.unit) {
      this.add('/budget/unit', localized(`金额单位应为“${header.unit}”`, `must be "${header.unit}"`));
    }
    if (!isObject(value.columns)) {
      this.add('/budget/columns', localized('应为以栏目代码为键的对象', 'must be an object keyed by column code'));
      return;
    }
    const columns = value.columns;
    const known = this.view.budgetColumns;
    this.unknownKeys(columns, this.view.budgetColumnCodes, '/budget/columns');
    const amounts = new Map<string, { budgeted: D; executed: D }>();
    for (const { code, pointer, budgetedPointer, executedPointer } of known) {
      const column = columns[code];
      if (!isObject(column)) {
        this.add(
          pointer,
          localized('必填：{ "budgeted", "executed" }（预算数和执行数）', 'required: { "budgeted", "executed" }'),
        );
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
            localized(
              `${breakdown.label}合计 ${sum.toFixed(2)}，与${sums[0].breakdown.label}合计 ${sums[0].sum.toFixed(2)} 不一致（相差 ${sum.minus(sums[0].sum).toFixed(2)}）`,
              `${breakdown.label} sums to ${sum.toFixed(2)} but ${sums[0].breakdown.label} sums to ${sums[0].sum.toFixed(2)} (difference ${sum.minus(sums[0].sum).toFixed(2)})`,
            ),
          );
        }
      }
    }
    parsed.budget = { unit: header.unit, columns: amounts };
  }

  private readInputs(value: unknown, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add('/inputs', localized('必填：以填报项 id 为键的对象', 'required: an object keyed by input id'));
      return;
    }
    for (const key of Object.keys(value)) {
      if (!this.view.inputIds.has(key)) {
        const hint = suggestion(key, this.view.inputIds);
        this.add(
          childPointer('/inputs', key),
          localized(
            `“${key}”不是规则集 ${this.ruleSet.id} 的填报项${hint.zh}`,
            `"${key}" is not an input of ${this.ruleSet.id}${hint.en}`,
          ),
        );
      }
    }
    for (const input of this.view.inputs) {
      const { spec, pointer } = input;
      if (!Object.hasOwn(value, spec.id)) {
        this.add(
          pointer,
          localized(`缺少填报项“${spec.label}”（${spec.id}）`, `missing input "${spec.id}" (${spec.label})`),
        );
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
          this.add(pointer, localized(`${what}应为不小于 0 的整数`, `${what} must be a whole number ≥ 0`));
          return;
        }
        this.setNumber(parsed, spec.id, toDecimal(text), text);
        return;
      }
      case 'boolean':
        if (typeof value !== 'boolean') {
          this.add(pointer, localized(`${what}应为 true（是）或 false（否）`, `${what} must be true or false`));
        } else parsed.booleans.set(spec.id, value);
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
      this.add(
        input.pointer,
        localized(
          '要点类填报项应为对象：要点 id → true/false 或 { "met", "evidence" }',
          'a checklist is an object: point id → true/false or { "met", "evidence" }',
        ),
      );
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
          entry === undefined
            ? localized(`缺少要点“${id}”`, `missing point "${id}"`)
            : localized(
                '应为 true/false 或 { "met": true/false, "evidence" }',
                'must be true/false or { "met": true/false, "evidence" }',
              ),
        );
    }
    parsed.checklists.set(input.spec.id, points);
  }

  private readJudgment(inputId: string, value: unknown, pointer: string, parsed: ParsedSubmission): void {
    if (!isObject(value)) {
      this.add(
        pointer,
        localized('评议类填报项应为 { "score", "tier"?, "reason" }', 'a judgment is { "score", "tier"?, "reason" }'),
      );
      return;
    }
    this.unknownKeys(value, KEYS.judgment, pointer);
    const score = this.decimal(
      value.score,
      `${pointer}/score`,
      this.view.signedJudgments.has(inputId) ? SIGNED_SCORE : SCORE,
    );
    const reason = this.text(value.reason, `${pointer}/reason`, true);
    if (value.tier !== undefined && typeof value.tier !== 'string') {
      this.add(`${pointer}/tier`, localized('应为档次代码', 'must be a tier code'));
    }
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
      const max = weight.text ?? w.toFixed();
      this.add(`${pointer}/score`, localized(`分数应在 0 到 ${max} 之间`, `must lie in [0, ${max}]`));
      return;
    }
    if (!tiers || tiers.length === 0) return;
    const spec = tiers.find((t) => t.code === tier);
    if (!spec) {
      const list = tiers.map((t) => `"${t.code}"（${t.label}）`);
      this.add(`${pointer}/tier`, localized(`档次应为 ${list.join('、')} 之一`, `must be one of ${list.join(', ')}`));
      return;
    }
    const fraction = this.view.tierFractions.get(spec)!;
    const [min, max] = [w.mul(fraction.min), w.mul(fraction.max)];
    if (score.lt(min) || score.gt(max)) {
      this.add(
        `${pointer}/score`,
        localized(
          `“${spec.label}”档的分数在 ${min.toFixed()} 到 ${max.toFixed()} 之间`,
          `${spec.label} scores between ${min.toFixed()} and ${max.toFixed()}`,
        ),
      );
    }
  }

  private readTargets(targets: unknown, results: unknown, parsed: ParsedSubmission): void {
    const codes = new Set<string>();
    const sections = this.view.declaredSections;
    if (sections.size === 0) {
      const none = localized(
        `规则集 ${this.ruleSet.id} 没有需要申报目标的指标`,
        `rule set ${this.ruleSet.id} has no declared-target sections`,
      );
      if (targets !== undefined) this.add('/targets', none);
      if (results !== undefined) this.add('/targetResults', none);
      return;
    }
    if (!isObject(targets)) {
      const names = [...sections.values()];
      this.add(
        '/targets',
        localized(
          `必填：${names.map((s) => `“${s.name}”`).join('、')}的申报目标`,
          `required: the declared targets of ${names.map((s) => s.code).join(', ')}`,
        ),
      );
      return;
    }
    this.unknownKeys(targets, this.view.declaredSectionCodes, '/targets');
    for (const section of sections.values()) {
      const goals = this.readSection(section, targets[section.code], childPointer('/targets', section.code), codes);
      if (goals) parsed.declared.set(section.code, goals);
    }
    if (!isObject(results)) {
      this.add(
        '/targetResults',
        localized(
          '必填：每个申报指标的年终实际完成情况，以指标代码为键',
          'required: the year-end result of every declared indicator, by indicator code',
        ),
      );
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
        section.declared.levels === 2
          ? localized(`必填：“${section.name}”的绩效目标`, `required: the declared goals of ${section.name}`)
          : localized(`必填：“${section.name}”的申报指标`, `required: the declared indicators of ${section.name}`),
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
        localized(
          `“${section.name}”申报的分值之和为 ${sum.toFixed()}，但该项分值为 ${section.weight}`,
          `the declared weights of ${section.name} sum to ${sum.toFixed()} but the section weighs ${section.weight}`,
        ),
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
      this.add(
        pointer,
        localized(
          '绩效目标应为 { "code", "name", "weight", "indicators" }',
          'a goal is { "code", "name", "weight", "indicators" }',
        ),
      );
      return goal;
    }
    this.unknownKeys(value, KEYS.goal, pointer);
    goal.code = this.code(value.code, `${pointer}/code`, codes);
    goal.name = this.text(value.name, `${pointer}/name`, true, 1000) ?? '';
    goal.weight = this.decimal(value.weight, `${pointer}/weight`, WEIGHT) ?? goal.weight;
    if (!Array.isArray(value.indicators) || value.indicators.length === 0) {
      this.add(
        `${pointer}/indicators`,
        localized('每个绩效目标至少要有一个关键指标', 'a goal needs at least one key indicator'),
      );
      return goal;
    }
    goal.indicators = value.indicators.map((ind, i) =>
      this.readIndicator(section, ind, `${pointer}/indicators/${i}`, codes),
    );
    const sum = goal.indicators.reduce((s, ind) => s.add(ind.weight), ZERO);
    if (!sum.eq(goal.weight)) {
      this.add(
        `${pointer}/weight`,
        localized(
          `“${goal.name}”分值为 ${goal.weight.toFixed()}，但其指标分值之和为 ${sum.toFixed()}`,
          `"${goal.name}" weighs ${goal.weight.toFixed()} but its indicators sum to ${sum.toFixed()}`,
        ),
      );
    }
    return goal;
  }

  private code(value: unknown, pointer: string, codes: Set<string>): string {
    if (typeof value !== 'string' || !KEBAB.test(value)) {
      this.add(
        pointer,
        localized('代码必填，由小写字母、数字和连字符组成，如 "rd-1"', 'a kebab-case code is required, e.g. "rd-1"'),
      );
      return '';
    }
    if (codes.has(value) || this.view.nodeCodes.has(value)) {
      const first = this.firstCodes.get(value);
      const where = first
        ? { zh: `（首次出现于 ${first}）`, en: ` (first at ${first})` }
        : {
            zh: `（与指标“${indicatorPath(this.ruleSet.file, value) ?? value}”的代码相同）`,
            en: ` (the code of indicator ${indicatorPath(this.ruleSet.file, value) ?? value})`,
          };
      this.add(pointer, localized(`代码“${value}”重复${where.zh}`, `duplicate code "${value}"${where.en}`));
    } else {
      this.firstCodes.set(value, pointer);
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
      this.add(
        pointer,
        localized(
          '关键指标应为 { "code", "name", "weight", "kind", … }',
          'a key indicator is { "code", "name", "weight", "kind", … }',
        ),
      );
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
        const min = section.declared.minIndicatorWeight;
        this.add(
          `${pointer}/weight`,
          localized(`关键指标的分值不能低于 ${min}`, `a key indicator weighs at least ${min}`),
        );
      }
    }
    if (value.kind === 'quantitative') {
      this.unknownKeys(value, KEYS.quantitative, pointer);
      indicator.kind = 'quantitative';
      if (!section.declared.comparators.includes(value.comparator as Comparator)) {
        const list = section.declared.comparators.map((c) => `"${c}"`);
        this.add(
          `${pointer}/comparator`,
          localized(`比较方式应为 ${list.join('、')} 之一`, `must be one of ${list.join(', ')}`),
        );
      }
      indicator.comparator = value.comparator as Comparator;
      indicator.target = (value.target as string) ?? '';
      indicator.targetValue = this.decimal(value.target, `${pointer}/target`, TARGET);
      if (indicator.comparator === 'range') {
        indicator.targetMax = this.decimal(value.targetMax, `${pointer}/targetMax`, UPPER_BOUND);
        if (indicator.targetMax && indicator.targetValue && indicator.targetMax.lt(indicator.targetValue)) {
          this.add(`${pointer}/targetMax`, localized('区间上限不能小于下限（target）', 'must be ≥ target'));
        }
      } else if (value.targetMax !== undefined) {
        this.add(
          `${pointer}/targetMax`,
          localized('只有区间（"range"）目标才有 targetMax', 'only a "range" target has targetMax'),
        );
      }
      indicator.unit = this.text(value.unit, `${pointer}/unit`, true, 20);
    } else if (value.kind === 'qualitative') {
      this.unknownKeys(value, KEYS.qualitative, pointer);
      indicator.target = this.text(value.target, `${pointer}/target`, true) ?? '';
    } else {
      this.add(
        `${pointer}/kind`,
        localized('应为 "quantitative"（定量）或 "qualitative"（定性）', 'must be "quantitative" or "qualitative"'),
      );
    }
    return indicator;
  }

  private readResult(section: DeclaredNode, indicator: ParsedDeclaredIndicator, value: unknown, pointer: string): void {
    if (!isObject(value)) {
      this.add(
        pointer,
        localized(`缺少“${indicator.name}”的实际完成情况`, `missing the result of "${indicator.name}"`),
      );
      return;
    }
    indicator.actualText = this.text(value.text, `${pointer}/text`, false);
    if (indicator.kind === 'quantitative') {
      this.unknownKeys(value, KEYS.quantitativeResult, pointer);
      indicator.reason = this.text(value.reason, `${pointer}/reason`, false);
      if (value.ruling === 'met' || value.ruling === 'unmet') indicator.ruling = value.ruling;
      else if (value.ruling !== undefined) {
        this.add(`${pointer}/ruling`, localized('应为 "met"（达成）或 "unmet"（未达成）', 'must be "met" or "unmet"'));
      }
      indicator.actual = this.decimal(value.actual, `${pointer}/actual`, ACTUAL);
      indicator.actualRaw = value.actual as string;
      return;
    }
    if (value.ruling !== undefined) {
      this.add(
        `${pointer}/ruling`,
        localized(
          '只有定量指标才能判定达成/未达成；定性指标请调整档次',
          'only a quantitative result takes a met/unmet ruling; adjust the tier',
        ),
      );
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

  /** 不适用: indicator code → the reason; only where the rule set allows it (allowNotApplicable). */
  private readNotApplicable(value: unknown, parsed: ParsedSubmission): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.add(
        '/notApplicable',
        localized('应为对象：指标代码 → 不适用的理由', 'must be an object: indicator code → reason'),
      );
      return;
    }
    const file = this.ruleSet.file;
    const rows = new Map<string, string>();
    for (const [section, goals] of parsed.declared)
      for (const g of goals) for (const i of g.indicators) rows.set(i.code, section);
    for (const [code, reason] of Object.entries(value)) {
      const pointer = childPointer('/notApplicable', code);
      const leaf = this.view.leafCodes.has(code) ? findLeaf(file.indicators, code) : undefined;
      const section = rows.get(code);
      const allowed = leaf
        ? leaf.allowNotApplicable === true
        : section !== undefined && findDeclared(file.indicators, section)?.declared.allowNotApplicable === true;
      if (!leaf && section === undefined) {
        const hint = suggestion(code, [...this.view.leafCodes, ...rows.keys()]);
        this.add(pointer, localized(`“${code}”不是指标代码${hint.zh}`, `"${code}" is not an indicator${hint.en}`));
        continue;
      }
      if (!allowed) {
        const name = leaf?.name ?? code;
        this.add(
          pointer,
          localized(
            `“${name}”不可标为不适用：本规则集未允许该指标不适用`,
            `"${name}" cannot be marked 不适用: the rule set does not allow it`,
          ),
        );
        continue;
      }
      const checked = this.text(reason, pointer, true);
      if (checked !== undefined) parsed.notApplicable.set(code, checked);
    }
  }

  private readEvidence(value: unknown, parsed: ParsedSubmission): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.add('/evidence', localized('应为对象：指标代码 → 佐证材料说明', 'must be an object: indicator code → text'));
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
      if (!this.view.leafCodes.has(code) && !isTargetCode(code)) {
        const hint = suggestion(code, this.view.leafCodes);
        this.add(pointer, localized(`“${code}”不是指标代码${hint.zh}`, `"${code}" is not an indicator${hint.en}`));
      }
      const checked = this.text(text, pointer, true);
      if (checked !== undefined) parsed.evidence.set(code, checked);
    }
  }
}

function findLeaf(nodes: readonly IndicatorNode[], code: string): LeafNode | undefined {
  for (const node of nodes) {
    if (isGroupNode(node)) {
      const found = findLeaf(node.children, code);
      if (found) return found;
    } else if (!isDeclaredNode(node) && node.code === code) return node;
  }
  return undefined;
}

function findDeclared(nodes: readonly IndicatorNode[], code: string): DeclaredNode | undefined {
  for (const node of nodes) {
    if (isGroupNode(node)) {
      const found = findDeclared(node.children, code);
      if (found) return found;
    } else if (isDeclaredNode(node) && node.code === code) return node;
  }
  return undefined;
}
