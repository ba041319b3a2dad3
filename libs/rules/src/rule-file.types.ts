/**
 * The rule-file format, version 1: what a finance bureau writes (docs/rule-format.md).
 *
 * Every number is a decimal string ("2", "0.2", "84.48"), never a JSON number, so nothing is ever a float.
 * Percent quantities (metric values, band thresholds, deduction references, proportional caps) are in
 * percentage points: "90" means 90 %.
 */

/** A json-rules-engine condition, written in json-rules-engine's own syntax. */
export type Condition = AllCondition | AnyCondition | NotCondition | FactCondition;
export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}
export interface FactCondition {
  fact: string;
  operator: string;
  value: string | number | boolean | string[] | null;
  path?: string;
}

export type RoundingMode = 'half-up' | 'half-even' | 'truncate';

export interface RoundingPolicy {
  /** 四舍五入 by default. */
  mode: RoundingMode;
  /** Decimal places of a leaf score unless the leaf overrides it (广州 2021: 2). */
  scorePlaces: number;
  /** Decimal places the total is shown with (广州 2021: 3 → 94.622). */
  totalPlaces: number;
  /** Decimal places of a percent metric, in percentage points (2 → 84.48 %). */
  ratePlaces: number;
}

export interface GradeSpec {
  /** Stable code: excellent | good | fair | poor. */
  code: string;
  /** 优 / 良 / 中 / 差 */
  label: string;
  /** Inclusive lower bound of the total. */
  min: string;
}

export interface BudgetColumnSpec {
  code: string;
  label: string;
}
export interface BudgetBreakdownSpec {
  code: string;
  /** e.g. 按资金来源 */
  label: string;
  columns: BudgetColumnSpec[];
}
/** The 单位基本情况 budget table: three breakdowns that must each sum to the same total. */
export interface BudgetHeaderSpec {
  unit: MoneyUnit;
  breakdowns: BudgetBreakdownSpec[];
}

export type MoneyUnit = '元' | '万元';

interface InputBase {
  /** camelCase, English: the name formulas and conditions use. */
  id: string;
  /** Chinese label shown to departments. */
  label: string;
  description?: string;
}
export interface MoneyInputSpec extends InputBase {
  type: 'money';
  unit: MoneyUnit;
  allowNegative?: boolean;
}
/** A percentage submitted in percentage points ("99.66" = 99.66 %); a formula sees it as a ratio (0.9966). */
export interface PercentInputSpec extends InputBase {
  type: 'percent';
  places?: number;
  allowNegative?: boolean;
}
export interface CountInputSpec extends InputBase {
  type: 'count';
  unit?: string;
}
export interface NumberInputSpec extends InputBase {
  type: 'number';
  unit?: string;
  places?: number;
  allowNegative?: boolean;
}
export interface BooleanInputSpec extends InputBase {
  type: 'boolean';
}
export interface ChecklistPointSpec {
  id: string;
  label: string;
  points: string;
}
/** Named points; a submission says which were met. */
export interface ChecklistInputSpec extends InputBase {
  type: 'checklist';
  points: ChecklistPointSpec[];
}
/** An evaluator's or department's judged score with a mandatory reason, optionally inside a tier. */
export interface JudgmentInputSpec extends InputBase {
  type: 'judgment';
}
/** A kind of 加减分 event and its points: 国家级表彰 "2", 通报批评 "-2" (negative points are a penalty). */
export interface EventKindSpec {
  /** kebab-case, unique within the input. */
  code: string;
  label: string;
  /** Points per event of this kind, ≠ 0: positive adds (加分), negative removes (减分). */
  points: string;
}
/** Itemised 加减分 events: the department lists each event with its kind and a description (文件、事由). */
export interface EventsInputSpec extends InputBase {
  type: 'events';
  kinds: EventKindSpec[];
}
/** Free evidence text (佐证材料), shown in 评分依据. */
export interface TextInputSpec extends InputBase {
  type: 'text';
  maxLength?: number;
}

export type InputSpec =
  | MoneyInputSpec
  | PercentInputSpec
  | CountInputSpec
  | NumberInputSpec
  | BooleanInputSpec
  | ChecklistInputSpec
  | JudgmentInputSpec
  | EventsInputSpec
  | TextInputSpec;
export type InputType = InputSpec['type'];

export interface MetricSpec {
  /** An arithmetic expression over declared inputs (and score()/targetsMet()/targetsDeclared()). */
  formula: string;
  /** percent: the formula gives a ratio, the metric is it in percentage points; number: as computed. */
  unit: 'percent' | 'number';
  /** Display precision; the metric is rounded to it before scoring (what is shown is what is scored). */
  places?: number;
  /** Chinese label of the metric, e.g. 政府采购执行率. */
  label?: string;
}

/** A qualitative tier as a fraction of the weight: 达成 [0.8, 1]. */
export interface TierSpec {
  code: string;
  label: string;
  min: string;
  max: string;
}

export interface ProportionalMethod {
  type: 'proportional';
  /** Cap on the metric in percentage points (default "100"). */
  cap?: string;
}
export interface DeductionMethod {
  type: 'deduction';
  /** Full marks up to this value of the metric. */
  reference: string;
  /** below: points off for each unit under the reference; above: for each unit over it. */
  direction: 'below' | 'above';
  /** Points off per unit (per percentage point for a percent metric). */
  perUnit: string;
}
export interface BandSpec {
  /** A json-rules-engine condition on the fact `metric` (a conjunction of at most one lower and one upper bound). */
  when: Condition;
  /** Points awarded (or give `fraction` of the weight). */
  score?: string;
  fraction?: string;
  /** How the band reads in the bureau's standard, e.g. "≥90%". Generated when absent. */
  label?: string;
}
export interface BandsMethod {
  type: 'bands';
  /** Score the absolute value of the metric (差异率 on 绝对值). */
  of?: 'value' | 'abs';
  /** Declares that a higher metric never scores less (increasing) or never more (decreasing). */
  monotone?: 'increasing' | 'decreasing';
  bands: BandSpec[];
}
export interface ChecklistMethod {
  type: 'checklist';
  input: string;
}
export interface JudgmentMethod {
  type: 'judgment';
  input: string;
  tiers?: TierSpec[];
}
export interface BooleanMethod {
  type: 'boolean';
  input: string;
}
export interface CountAdjustSide {
  input: string;
  /** Points per event. */
  each: string;
  /** Most points this side can add or remove. */
  cap: string;
}
export interface CountAdjustMethod {
  type: 'count-adjust';
  positive: CountAdjustSide;
  negative: CountAdjustSide;
}
/**
 * Itemised 加减分: the points of the events listed in an `events` input, positives summed and capped at `bonusCap`,
 * negatives summed and capped at `penaltyCap`, then netted. A side with kinds needs its cap.
 */
export interface EventsMethod {
  type: 'events';
  input: string;
  /** Most points the events can add. */
  bonusCap?: string;
  /** Most points the events can remove. */
  penaltyCap?: string;
}
/** A judged 加减分: a signed score within [−penaltyCap, bonusCap] from a `judgment` input, with its mandatory reason. */
export interface JudgedAdjustMethod {
  type: 'judged-adjust';
  input: string;
  bonusCap?: string;
  penaltyCap?: string;
}

export type MethodSpec =
  | ProportionalMethod
  | DeductionMethod
  | BandsMethod
  | ChecklistMethod
  | JudgmentMethod
  | BooleanMethod
  | CountAdjustMethod
  | EventsMethod
  | JudgedAdjustMethod;
export type MethodType = MethodSpec['type'] | 'target';

export interface ApplicabilitySpec {
  /** json-rules-engine condition over inputs; when it does not hold the leaf is not applicable. */
  when: Condition;
  /** What a leaf that does not apply scores: full marks or zero. */
  otherwise: 'full' | 'zero';
  reason: string;
}
export interface VetoSpec {
  /** json-rules-engine condition over inputs and `metric`; when it holds the leaf scores 0. */
  when: Condition;
  reason: string;
}

interface NodeBase {
  /** kebab-case, unique in the file, stable across versions. */
  code: string;
  /** Chinese name as the bureau prints it. */
  name: string;
  weight: string;
  /** 指标解释 */
  explanation?: string;
}
/**
 * How the weight of indicators a department marks 不适用 is redistributed (exact in decimals):
 * - `siblings`: to the applicable siblings in proportion to their weights (their weights and scores scaled by
 *   parent weight ÷ applicable weight; the new weights, at the scores' places, sum exactly to the parent's weight);
 * - `parent`: the parent is rescaled to its weight from the applicable part (按实际分值折算: 实得分 ÷ 适用分值 × 分值);
 * - `total`: nothing is redistributed below; the total is rescaled (实得分 ÷ 适用分值 × 总分) — rule-set level only.
 */
export type NotApplicablePolicy = 'siblings' | 'parent' | 'total';
export interface NotApplicableSpec {
  policy: NotApplicablePolicy;
}

export interface GroupNode extends NodeBase {
  children: IndicatorNode[];
  /** How the weight of its children marked 不适用 is redistributed; the rule set's policy when absent. */
  notApplicable?: NotApplicableSpec;
  /**
   * A top-level 加减分 section counted on top of `total` (另计): its weight is not part of the total, every leaf under
   * it is a 加减分 method, and a total above `total` is possible.
   */
  onTop?: boolean;
}
export interface LeafNode extends NodeBase {
  /** A top-level 加减分 leaf counted on top of `total` (see GroupNode.onTop). */
  onTop?: boolean;
  metric?: MetricSpec;
  method: MethodSpec;
  /** Overrides rounding.scorePlaces for this leaf (预算完成率 keeps 4). */
  places?: number;
  /** 评分依据 template: {metric} {score} {weight} {calc} {evidence} {<inputId>}. */
  basis?: string;
  applies?: ApplicabilitySpec;
  veto?: VetoSpec;
  /** A department may mark this leaf 不适用 (with a reason in its submission: `notApplicable`). */
  allowNotApplicable?: boolean;
}
/** ≥ (正向), ≤ (反向), =, and a closed range. Strict < and > are not offered: a target exactly met would be unmet. */
export type Comparator = '>=' | '<=' | '=' | 'range';
/** A section whose rows the department declares (履职效能): the framework fixes its weight and scoring. */
export interface DeclaredSpec {
  method: 'target';
  comparators: Comparator[];
  qualitativeTiers: TierSpec[];
  /** Smallest weight a declared key indicator may carry. */
  minIndicatorWeight?: string;
  /** How deep the declaration is: goals → indicators (2) or indicators only (1). */
  levels: 1 | 2;
  /** Decimal places of this section's target scores; overrides rounding.scorePlaces (廊坊 2019: 0, 取整). */
  places?: number;
  /** 评分依据 when a target is met / not met. */
  basisMet?: string;
  basisUnmet?: string;
  /** A department may mark any of its declared key indicators 不适用 (with a reason in its submission). */
  allowNotApplicable?: boolean;
}
export interface DeclaredNode extends NodeBase {
  declared: DeclaredSpec;
  /** How the weight of declared rows marked 不适用 is redistributed (within their goal); the rule set's when absent. */
  notApplicable?: NotApplicableSpec;
}
export type IndicatorNode = GroupNode | LeafNode | DeclaredNode;

export interface RuleTestExpectation {
  total: string;
  grade: string;
  /** Scores by indicator code (leaves, groups or declared rows), exact decimal strings. */
  scores?: Record<string, string>;
}
export interface RuleTestCase {
  name: string;
  submission: unknown;
  expected: RuleTestExpectation;
}

/**
 * How one of this file's inputs is filled when data of the earlier version it continues is scored (模拟): from an
 * earlier input under another id (`from`, a rename), or with a value the bureau declares (`assume`). Exactly one.
 */
export interface InputContinuation {
  /** This file's input id. */
  id: string;
  /** The earlier version's input whose value this input takes (a renamed input). */
  from?: string;
  /**
   * The value taken when earlier data lacks it, in the submission format of the input's type: a decimal string for
   * money/percent/count/number, true/false for a boolean, `{ <pointId>: true/false }` for a checklist (only the points
   * earlier data lacks need be named), `{ score, tier?, reason? }` for a judgment, a string for a text input.
   */
  assume?: unknown;
  /** Why, shown beside every assumed value (e.g. 2021年无此项要求，模拟时按满足计). */
  reason?: string;
}

/**
 * The earlier rule set this file continues (承接): its series id, version and fiscal year, and how earlier data maps
 * onto this file's inputs. Inputs with the same id and type carry over without a declaration; removed inputs,
 * indicators and their evidence are dropped with a note. Lets what-if and impact score earlier data under this file.
 */
export interface ContinuationSpec {
  /** The series (rule-set id) continued; usually this file's own id. */
  id: string;
  /** The earlier version, e.g. "2021.1.0". */
  version: string;
  /** The earlier version's fiscal year: its stored submissions can be scored under this file. */
  fiscalYear: number;
  inputs?: InputContinuation[];
  /** 说明, e.g. what the revision changed. */
  note?: string;
}

/**
 * A rule-set-level 一票否决 or cap (等次上限/总分封顶): a json-rules-engine condition over the submission's inputs and
 * its results (`total`, `score:<code>`, `metric:<code>`, `status:<code>`, `targetsMet:<section>`,
 * `targetsDeclared:<section>`, `count:<events input>`, `count:<events input>:<kind>`), decided after every indicator
 * is scored. When it holds, exactly one effect applies: `setGrade` (the grade becomes that grade — never a higher
 * one than the total gives), `maxGrade` (the grade is at most that one) or `maxTotal` (the total is at most that).
 */
export interface GradeRuleSpec {
  /** kebab-case, unique among the file's vetoes. */
  code: string;
  /** Chinese name, e.g. 一票否决：发生重大违纪违规. Defaults to 一票否决 / 等次上限 / 总分封顶. */
  name?: string;
  when: Condition;
  /** A grade code: the grade is set to it (一票否决, e.g. poor → 差). */
  setGrade?: string;
  /** A grade code: the grade is at most it (e.g. good → 最高为良). */
  maxGrade?: string;
  /** A decimal string: the total is at most it. */
  maxTotal?: string;
  /** Shown in the report, exports, what-if and impact (e.g. 本年度发生重大违纪违规问题). */
  reason: string;
}

export interface RuleFile {
  $schema?: string;
  formatVersion: '1';
  id: string;
  version: string;
  title: string;
  jurisdiction: string;
  kind: string;
  fiscalYear: number;
  source: string;
  effectiveFrom?: string;
  total: string;
  rounding: RoundingPolicy;
  grades: GradeSpec[];
  budgetHeader?: BudgetHeaderSpec;
  inputs: InputSpec[];
  indicators: IndicatorNode[];
  tests: RuleTestCase[];
  /** The earlier version this file continues, for scoring earlier data under it (cross-year simulation). */
  continues?: ContinuationSpec;
  /** The default policy for indicators a department marks 不适用 (required when any may be marked). */
  notApplicable?: NotApplicableSpec;
  /** 一票否决 and caps of the grade or the total, decided after scoring, in this order. */
  vetoes?: GradeRuleSpec[];
}

export const isGroupNode = (node: IndicatorNode): node is GroupNode => 'children' in node;
export const isDeclaredNode = (node: IndicatorNode): node is DeclaredNode => 'declared' in node;
export const isLeafNode = (node: IndicatorNode): node is LeafNode => 'method' in node;

/** The methods of 加减分 (bonus and penalty): their score may be negative and their maximum is the bonus cap. */
export const ADJUSTMENT_METHODS: ReadonlySet<MethodSpec['type']> = new Set(['count-adjust', 'events', 'judged-adjust']);
