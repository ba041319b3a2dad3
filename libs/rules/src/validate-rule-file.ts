import Ajv, { type ErrorObject } from 'ajv';
import Decimal from 'decimal.js';
import schema from '../../../rules/schema.json';
import {
  describeInterval,
  factConditions,
  FLOAT_BUILTIN_OPERATORS,
  formatInterval,
  type Interval,
  isInterval,
  KNOWN_OPERATORS,
  readBandInterval,
} from './conditions';
import { formulaReferences, parseFormula } from './formula';
import { childPointer, toPointer } from './json-pointer';
import { type Localized, localized } from './localized';
import { rulePathOf, suggestion, withRulePaths } from './rule-paths';
import type { RuleProblem } from './rule-set.error';
import { continuationProblems } from './validate-continuation';
import { notApplicableProblems } from './validate-not-applicable';
import { LEAF_STATUSES, parseVetoFact, TOTAL_FACT, VETO_FACT_FORMS, VETO_FACT_FORMS_EN } from './veto-facts';
import {
  ADJUSTMENT_METHODS,
  type BandsMethod,
  type Condition,
  type DeclaredNode,
  type EventsInputSpec,
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

// verbose: an error carries its schema, so an unknown key can be matched against the keys that are allowed.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
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
      return [
        {
          pointer: '',
          message: localized(
            `文件中的 JSON 值超过 ${RULE_FILE_LIMITS.maxNodes} 个，拒绝读取`,
            `the file has more than ${RULE_FILE_LIMITS.maxNodes} JSON values; refused`,
          ),
        },
      ];
    }
    if (depth > RULE_FILE_LIMITS.maxDepth) {
      return [
        {
          pointer: '',
          message: localized(
            `文件嵌套超过 ${RULE_FILE_LIMITS.maxDepth} 层，拒绝读取`,
            `the file nests deeper than ${RULE_FILE_LIMITS.maxDepth} levels; refused`,
          ),
        },
      ];
    }
    if (current !== null && typeof current === 'object') {
      for (const child of Object.values(current as object)) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return [];
}

const PATTERNS: Record<string, Localized> = {
  '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$': localized(
    '应为带引号的十进制数，如 "2"、"0.5"（不能写成 JSON 数字，也不能带单位或百分号）',
    'must be a decimal string such as "2" or "0.5" (not a JSON number, no unit or percent sign)',
  ),
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': localized('应为日期，格式 YYYY-MM-DD，如 "2022-01-01"', 'must be a date YYYY-MM-DD'),
  '^[a-z0-9]+(-[a-z0-9]+)*$': localized(
    '应为小写字母、数字和连字符组成的代码，如 "fixed-asset-utilization"',
    'must be a kebab-case code such as "fixed-asset-utilization"',
  ),
  '^[a-z][A-Za-z0-9]*$': localized(
    '应为以小写字母开头的英文标识（不含空格和连字符），如 "procurementPlanned"',
    'must be a camelCase id such as "procurementPlanned"',
  ),
  '^[a-z][a-zA-Z0-9]*$': localized(
    '应为以小写字母开头的英文标识（不含空格和连字符），如 "procurementPlanned"',
    'must be a camelCase id such as "procurementPlanned"',
  ),
};

const TYPES: Record<string, string> = {
  string: '字符串',
  number: '数字',
  integer: '整数',
  boolean: '布尔值（true 或 false）',
  object: '对象 { … }',
  array: '数组 [ … ]',
  null: 'null',
};

/** One JSON Schema error, in both languages. */
function schemaMessage(error: ErrorObject): Localized {
  const params = error.params as Record<string, unknown>;
  const english = error.message ?? 'is invalid';
  switch (error.keyword) {
    case 'required':
      return localized(
        `缺少必填的键“${String(params.missingProperty)}”`,
        `missing required key "${String(params.missingProperty)}"`,
      );
    case 'const':
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
      const list = allowed.map((v) => JSON.stringify(v));
      return localized(`只能是 ${list.join('、')} 之一`, `must be one of ${list.join(', ')}`);
    }
    case 'pattern':
      return (
        PATTERNS[String(params.pattern)] ??
        localized(
          `格式不对，应符合 ${String(params.pattern)}`,
          `does not match the expected form ${String(params.pattern)}`,
        )
      );
    case 'type': {
      const types = String(params.type).split(',');
      return localized(`应为${types.map((t) => TYPES[t] ?? t).join('或')}`, english);
    }
    case 'minItems':
      return localized(`至少需要 ${String(params.limit)} 项`, english);
    case 'maxItems':
      return localized(`最多 ${String(params.limit)} 项`, english);
    case 'minLength':
      return Number(params.limit) === 1
        ? localized('不能为空', english)
        : localized(`至少 ${String(params.limit)} 个字符`, english);
    case 'maxLength':
      return localized(`最多 ${String(params.limit)} 个字符`, english);
    case 'minimum':
      return localized(`不能小于 ${String(params.limit)}`, english);
    case 'maximum':
      return localized(`不能大于 ${String(params.limit)}`, english);
    case 'uniqueItems':
      return localized(`不能有重复项（第 ${Number(params.j) + 1} 项与第 ${Number(params.i) + 1} 项相同）`, english);
    default:
      return localized(`不符合规则文件格式（${error.keyword}）：${english}`, english);
  }
}

function schemaProblems(errors: ErrorObject[]): RuleProblem[] {
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  // oneOf alternatives produce one error per branch; keep the most specific ones and drop duplicates.
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'if' || error.keyword === 'anyOf') continue;
    if (error.keyword === 'propertyNames') continue; // the name's own error (a pattern) says what is wrong
    let pointer = error.instancePath;
    let message: Localized;
    if (error.keyword === 'additionalProperties') {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      pointer = childPointer(pointer, key);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = suggestion(key, allowed);
      message = localized(`未知的键“${key}”${hint.zh}`, `unknown key "${key}"${hint.en}`);
    } else {
      message = schemaMessage(error);
    }
    const key = `${pointer} ${message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ pointer, message });
    }
  }
  return problems;
}

/**
 * Validates a rule file: its shape against rules/schema.json, then its meaning (weights, codes, formulas,
 * dependencies, bands, tiers, caps, grades). Returns every problem found, each with its message in Chinese and
 * English, a JSON pointer and, where the pointer names an indicator, input, grade or test, its Chinese path
 * (rulePathOf); an empty list means the file is valid. Embedded test cases are run by libs/scoring (checkRuleFile).
 */
export function validateRuleFile(value: unknown): RuleProblem[] {
  const limits = checkLimits(value);
  if (limits.length > 0) return limits;
  if (!validateSchema(value)) return withRulePaths(value, schemaProblems(validateSchema.errors ?? []));
  const file = value as unknown as RuleFile;
  return withRulePaths(value, [
    ...new SemanticValidator(file).run(),
    ...notApplicableProblems(file),
    ...continuationProblems(file),
  ]);
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const NUMERIC_INPUTS = new Set(['money', 'percent', 'count', 'number']);
const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

interface LeafEntry {
  leaf: LeafNode;
  pointer: string;
  /** Under a top-level node counted on top of the total (onTop). */
  onTop: boolean;
}

const TYPE_NAMES: Record<string, string> = {
  money: '金额',
  percent: '百分比',
  count: '计数',
  number: '数值',
  boolean: '是否',
  checklist: '要点',
  judgment: '评议',
  events: '加减分事项',
  text: '文字',
};
const typeName = (type: string): string => `“${TYPE_NAMES[type] ?? type}”（${type}）`;

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
    this.checkVetoes();
    return this.problems;
  }

  private add(pointer: string, message: Localized): void {
    this.problems.push({ pointer, message });
  }

  /** Where a thing first occurred, for a duplicate: its path and pointer, "（首次出现于 … /inputs/3）". */
  private firstAt(pointer: string): { zh: string; en: string } {
    const path = rulePathOf(this.file, pointer);
    return {
      zh: `（首次出现于 ${path ? `${path}，` : ''}${pointer}）`,
      en: ` (first at ${path ? `${path}, ` : ''}${pointer})`,
    };
  }

  /** A reference to an input that is not declared, with the nearest declared id. */
  private unknownInput(pointer: string, id: string): void {
    const hint = suggestion(id, this.inputs.keys());
    this.add(pointer, localized(`“${id}”不是已声明的填报项${hint.zh}`, `"${id}" is not a declared input${hint.en}`));
  }

  private checkInputs(): void {
    this.file.inputs.forEach((spec, i) => {
      const pointer = toPointer('inputs', i);
      const first = this.inputs.get(spec.id);
      if (first) {
        const at = this.firstAt(first.pointer);
        this.add(
          childPointer(pointer, 'id'),
          localized(`填报项 id “${spec.id}”重复${at.zh}`, `duplicate input id "${spec.id}"${at.en}`),
        );
      } else {
        this.inputs.set(spec.id, { spec, pointer });
      }
      if (spec.type === 'events') this.checkEventKinds(spec, pointer);
      if (spec.type === 'checklist') {
        const ids = new Map<string, number>();
        spec.points.forEach((point, j) => {
          const firstIndex = ids.get(point.id);
          if (firstIndex !== undefined) {
            const at = toPointer('inputs', i, 'points', firstIndex);
            this.add(
              childPointer(pointer, 'points', j, 'id'),
              localized(
                `要点 id “${point.id}”重复（首次出现于 ${at}）`,
                `duplicate point id "${point.id}" (first at ${at})`,
              ),
            );
          } else {
            ids.set(point.id, j);
          }
          if (new Decimal(point.points).lte(0)) {
            this.add(childPointer(pointer, 'points', j, 'points'), localized('要点的分值必须大于 0', 'must be > 0'));
          }
        });
      }
    });
  }

  /** The kinds of an events input: codes unique, points ≠ 0. */
  private checkEventKinds(spec: EventsInputSpec, pointer: string): void {
    const codes = new Map<string, number>();
    spec.kinds.forEach((kind, j) => {
      const at = childPointer(pointer, 'kinds', j);
      const firstIndex = codes.get(kind.code);
      if (firstIndex !== undefined) {
        const first = childPointer(pointer, 'kinds', firstIndex);
        this.add(
          childPointer(at, 'code'),
          localized(
            `事项类型“${kind.code}”重复（首次出现于 ${first}）`,
            `duplicate kind "${kind.code}" (first at ${first})`,
          ),
        );
      } else {
        codes.set(kind.code, j);
      }
      if (new Decimal(kind.points).isZero()) {
        this.add(
          childPointer(at, 'points'),
          localized(
            `“${kind.label}”每项的分值不能为 0：正数加分，负数减分`,
            `the points of "${kind.label}" must not be 0: positive adds, negative removes`,
          ),
        );
      }
    });
  }

  private indexNodes(nodes: IndicatorNode[], pointer: string, onTop?: boolean): void {
    nodes.forEach((node, i) => {
      const nodePointer = childPointer(pointer, i);
      const first = this.nodes.get(node.code);
      if (first) {
        const at = this.firstAt(first.pointer);
        this.add(
          childPointer(nodePointer, 'code'),
          localized(`指标代码“${node.code}”重复${at.zh}`, `duplicate indicator code "${node.code}"${at.en}`),
        );
      } else {
        this.nodes.set(node.code, { node, pointer: nodePointer });
      }
      const own = !isDeclaredNode(node) && node.onTop === true;
      if (own && onTop !== undefined) {
        this.add(
          childPointer(nodePointer, 'onTop'),
          localized(
            '只有一级指标可以另计（onTop）：把另计的加减分放在一级',
            'only a top-level indicator can be counted on top of the total (onTop)',
          ),
        );
      }
      const under = (onTop ?? false) || own;
      if (isGroupNode(node)) this.indexNodes(node.children, childPointer(nodePointer, 'children'), under);
      else if (!isDeclaredNode(node)) this.leaves.push({ leaf: node, pointer: nodePointer, onTop: under });
      else if (under) this.notAnAdjustment(nodePointer);
    });
  }

  /** Under an on-top section every leaf is a 加减分 method. */
  private notAnAdjustment(pointer: string): void {
    this.add(
      pointer,
      localized(
        '另计（onTop）的加减分部分只能用加减分计分方法：count-adjust、events 或 judged-adjust',
        'a 加减分 section counted on top of the total (onTop) scores only with count-adjust, events or judged-adjust',
      ),
    );
  }

  private checkWeights(): void {
    const sumOf = (nodes: IndicatorNode[]): Decimal => nodes.reduce((sum, n) => sum.add(n.weight), ZERO);
    const total = new Decimal(this.file.total);
    // 加减分 counted on top of the total (onTop) are not part of it
    const inTotal = this.file.indicators.filter((node) => isDeclaredNode(node) || node.onTop !== true);
    const onTop = inTotal.length < this.file.indicators.length;
    const rootSum = sumOf(inTotal);
    if (inTotal.length === 0) {
      this.add(
        '/indicators',
        localized(
          '至少要有一个一级指标计入总分（不另计）',
          'at least one top-level indicator counts in the total (is not onTop)',
        ),
      );
    } else if (!rootSum.eq(total)) {
      this.add(
        '/total',
        localized(
          `一级指标${onTop ? '（另计的加减分除外）' : ''}分值之和为 ${rootSum.toFixed()}，但总分（total）写的是 ${total.toFixed()}`,
          `the top-level indicators${onTop ? ' (but those counted on top)' : ''} weigh ${rootSum.toFixed()} but the declared total is ${total.toFixed()}`,
        ),
      );
    }
    for (const { node, pointer } of this.nodes.values()) {
      if (new Decimal(node.weight).lte(0)) {
        this.add(childPointer(pointer, 'weight'), localized('分值必须大于 0', 'a weight must be > 0'));
      }
      if (!isGroupNode(node)) continue;
      if (node.children.length === 0) {
        this.add(
          childPointer(pointer, 'children'),
          localized('指标组至少要有一个下级指标', 'a group needs at least one child'),
        );
      }
      const sum = sumOf(node.children);
      if (!sum.eq(node.weight)) {
        this.add(
          childPointer(pointer, 'weight'),
          localized(
            `“${node.name}”分值为 ${node.weight}，但下级指标分值之和为 ${sum.toFixed()}`,
            `"${node.name}" weighs ${node.weight} but its children sum to ${sum.toFixed()}`,
          ),
        );
      }
    }
  }

  private inputOfType(pointer: string, id: string, types: string[]): InputSpec | undefined {
    const entry = this.inputs.get(id);
    if (!entry) {
      this.unknownInput(pointer, id);
      return undefined;
    }
    if (!types.includes(entry.spec.type)) {
      this.add(
        pointer,
        localized(
          `填报项“${id}”的类型为${typeName(entry.spec.type)}，这里需要${types.map(typeName).join('或')}类型`,
          `input "${id}" is ${entry.spec.type}; this needs ${types.join(' or ')}`,
        ),
      );
      return undefined;
    }
    return entry.spec;
  }

  private checkLeaf({ leaf, pointer, onTop }: LeafEntry): void {
    const method = leaf.method;
    const methodPointer = childPointer(pointer, 'method');
    const weight = new Decimal(leaf.weight);
    if (onTop && !ADJUSTMENT_METHODS.has(method.type)) this.notAnAdjustment(childPointer(methodPointer, 'type'));
    const needsMetric = method.type === 'proportional' || method.type === 'deduction' || method.type === 'bands';
    if (needsMetric && !leaf.metric) {
      this.add(
        pointer,
        localized(`计分方法 ${method.type} 需要一个指标值（metric）`, `method ${method.type} needs a metric`),
      );
    }
    if (!needsMetric && leaf.metric) {
      this.add(
        childPointer(pointer, 'metric'),
        localized(`计分方法 ${method.type} 不使用指标值（metric）`, `method ${method.type} takes no metric`),
      );
    }
    if (leaf.metric) this.checkFormula(leaf.metric.formula, childPointer(pointer, 'metric', 'formula'));

    switch (method.type) {
      case 'proportional':
        if (leaf.metric && leaf.metric.unit !== 'percent') {
          this.add(
            childPointer(pointer, 'metric', 'unit'),
            localized(
              '按比例计分的指标值必须是百分比（unit: "percent"）',
              'a proportional score needs a percent metric',
            ),
          );
        }
        if (method.cap !== undefined && (new Decimal(method.cap).lte(0) || new Decimal(method.cap).gt(100))) {
          this.add(
            childPointer(methodPointer, 'cap'),
            localized(
              '封顶值必须在 (0, 100] 之间：一项指标的得分不会超过它的分值',
              'the cap must lie in (0, 100]: a leaf never scores above its weight',
            ),
          );
        }
        break;
      case 'deduction':
        if (new Decimal(method.perUnit).lte(0)) {
          this.add(childPointer(methodPointer, 'perUnit'), localized('每单位扣分必须大于 0', 'must be > 0'));
        }
        break;
      case 'bands':
        this.checkBands(method, weight, methodPointer, leaf.metric?.unit === 'percent' ? '%' : '');
        break;
      case 'checklist': {
        const spec = this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['checklist']);
        if (spec?.type === 'checklist') {
          const sum = spec.points.reduce((s, p) => s.add(p.points), ZERO);
          if (!sum.eq(weight)) {
            this.add(
              childPointer(methodPointer, 'input'),
              localized(
                `要点“${spec.id}”各项分值之和为 ${sum.toFixed()}，但“${leaf.name}”分值为 ${leaf.weight}`,
                `the points of checklist "${spec.id}" sum to ${sum.toFixed()} but "${leaf.name}" weighs ${leaf.weight}`,
              ),
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
          const sideName = side === 'positive' ? '加分' : '减分';
          this.inputOfType(childPointer(sidePointer, 'input'), method[side].input, ['count']);
          if (new Decimal(method[side].each).lte(0)) {
            this.add(childPointer(sidePointer, 'each'), localized(`每次${sideName}的分数必须大于 0`, 'must be > 0'));
          }
          const cap = new Decimal(method[side].cap);
          if (cap.lte(0) || cap.gt(weight)) {
            this.add(
              childPointer(sidePointer, 'cap'),
              localized(
                `${sideName}上限必须大于 0 且不超过分值 ${leaf.weight}`,
                `the cap must be > 0 and ≤ the weight ${leaf.weight}`,
              ),
            );
          }
        }
        break;
      case 'events': {
        const spec = this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['events']);
        const kinds = spec?.type === 'events' ? spec.kinds : [];
        const sides = [
          { key: 'bonusCap', name: '加分', kinds: kinds.filter((k) => new Decimal(k.points).gt(0)) },
          { key: 'penaltyCap', name: '减分', kinds: kinds.filter((k) => new Decimal(k.points).lt(0)) },
        ] as const;
        for (const side of sides) {
          if (side.kinds.length === 0 || method[side.key] !== undefined) continue;
          this.add(
            methodPointer,
            localized(
              `事项${side.kinds.map((k) => `“${k.label}”`).join('、')}${side.name}，须写 ${side.key}（最多${side.name}多少分）`,
              `${side.kinds.map((k) => k.code).join(', ')} ${side.key === 'bonusCap' ? 'add' : 'remove'} points: "${side.key}" is required`,
            ),
          );
        }
        this.checkAdjustmentCaps(leaf, method, methodPointer);
        break;
      }
      case 'judged-adjust':
        this.inputOfType(childPointer(methodPointer, 'input'), method.input, ['judgment']);
        if (method.bonusCap === undefined && method.penaltyCap === undefined) {
          this.add(
            methodPointer,
            localized(
              '评议加减分须写 bonusCap（最多加分）、penaltyCap（最多减分）或两者',
              'a judged 加减分 needs "bonusCap", "penaltyCap" or both',
            ),
          );
        }
        this.checkAdjustmentCaps(leaf, method, methodPointer);
        break;
    }
    if (leaf.basis !== undefined) this.checkBasis(leaf, childPointer(pointer, 'basis'));
    if (leaf.applies) this.checkCondition(leaf.applies.when, childPointer(pointer, 'applies', 'when'), false);
    if (leaf.veto) this.checkCondition(leaf.veto.when, childPointer(pointer, 'veto', 'when'), !!leaf.metric);
  }

  /** A 加减分 cap is > 0 and at most the leaf's weight (the 分值 the bureau prints for it). */
  private checkAdjustmentCaps(
    leaf: LeafNode,
    method: { bonusCap?: string; penaltyCap?: string },
    pointer: string,
  ): void {
    for (const key of ['bonusCap', 'penaltyCap'] as const) {
      const cap = method[key];
      if (cap === undefined) continue;
      if (new Decimal(cap).lte(0) || new Decimal(cap).gt(leaf.weight)) {
        this.add(
          childPointer(pointer, key),
          localized(
            `${key === 'bonusCap' ? '最多加分' : '最多减分'}必须大于 0 且不超过分值 ${leaf.weight}`,
            `${key} must be > 0 and ≤ the weight ${leaf.weight}`,
          ),
        );
      }
    }
  }

  /** A 评分依据 template names only values the engine can fill in for this leaf. */
  private checkBasis(leaf: LeafNode, pointer: string): void {
    const parsed = leaf.metric ? parseFormula(leaf.metric.formula) : undefined;
    const countsTargets = parsed?.ast ? formulaReferences(parsed.ast).sections.length > 0 : false;
    const allowed = ['calc', 'score', 'weight', 'evidence'];
    if (leaf.metric) allowed.push('metric');
    if (countsTargets) allowed.push('targetsMet', 'targetsDeclared');
    const fillable = [...this.inputs.values()]
      .filter(({ spec }) => NUMERIC_INPUTS.has(spec.type) || spec.type === 'text')
      .map(({ spec }) => spec.id);
    for (const [, key] of leaf.basis!.matchAll(PLACEHOLDER)) {
      if (allowed.includes(key) || fillable.includes(key)) continue;
      const hint = suggestion(key, [...allowed, ...fillable]);
      const list = allowed.map((k) => `{${k}}`);
      this.add(
        pointer,
        localized(
          `评分依据模板中的 {${key}} 无法填写${hint.zh || `：可用 ${list.join(' ')}，或数值、文字类填报项`}`,
          `{${key}} cannot be filled in here${hint.en || `: use ${list.join(' ')}, a number or text input`}`,
        ),
      );
    }
  }

  /**
   * Every operator known and exact; every fact a declared input (or `metric` where allowed) — or, for a veto of the
   * rule set, what `vetoFact` accepts (it reports its own problem and says whether the fact is known).
   */
  private checkCondition(
    condition: Condition,
    pointer: string,
    metricAllowed: boolean,
    vetoFact?: (fact: string, at: string, value: unknown) => void,
  ): void {
    for (const { condition: fc, pointer: rel } of factConditions(condition)) {
      const at = pointer + rel;
      if (FLOAT_BUILTIN_OPERATORS.includes(fc.operator)) {
        const exact = 'decimal' + fc.operator[0].toUpperCase() + fc.operator.slice(1);
        this.add(
          childPointer(at, 'operator'),
          localized(
            `“${fc.operator}”按浮点数比较，不精确；请改用“${exact}”`,
            `"${fc.operator}" compares floats; use "${exact}"`,
          ),
        );
      } else if (!KNOWN_OPERATORS.has(fc.operator)) {
        const hint = suggestion(fc.operator, KNOWN_OPERATORS);
        const known = [...KNOWN_OPERATORS];
        this.add(
          childPointer(at, 'operator'),
          localized(
            `未知的运算符“${fc.operator}”${hint.zh || `；可用：${known.join('、')}`}`,
            `unknown operator "${fc.operator}"${hint.en || `; known: ${known.join(', ')}`}`,
          ),
        );
      } else if (fc.operator.startsWith('decimal') && (typeof fc.value !== 'string' || !DECIMAL_TEXT.test(fc.value))) {
        this.add(
          childPointer(at, 'value'),
          localized(
            `“${fc.operator}”比较的值要写成带引号的十进制数，如 "90"`,
            `"${fc.operator}" compares with a decimal string such as "90"`,
          ),
        );
      }
      if (vetoFact) vetoFact(fc.fact, at, fc.value);
      else if (fc.fact === 'metric' ? !metricAllowed : !this.inputs.has(fc.fact)) {
        const known = metricAllowed ? ['metric', ...this.inputs.keys()] : [...this.inputs.keys()];
        const hint = suggestion(fc.fact, known);
        this.add(
          childPointer(at, 'fact'),
          fc.fact === 'metric'
            ? localized(
                '这里不能使用事实 "metric"：本指标没有指标值，条件只能比较填报项',
                `unknown fact "metric": this indicator has no metric`,
              )
            : localized(
                `未知的事实“${fc.fact}”：条件只能比较已声明的填报项${hint.zh}`,
                `unknown fact "${fc.fact}"${hint.en}`,
              ),
        );
      }
    }
  }

  private checkBands(method: BandsMethod, weight: Decimal, pointer: string, unit: string): void {
    const reads = (interval: Interval): string =>
      `指标值为 ${describeInterval(interval, unit)}（区间 ${formatInterval(interval)}）时`;
    const intervals: Array<{ interval: Interval; index: number; score: Decimal }> = [];
    method.bands.forEach((band, index) => {
      const bandPointer = childPointer(pointer, 'bands', index);
      const before = this.problems.length;
      this.checkCondition(band.when, childPointer(bandPointer, 'when'), true);
      const interval = readBandInterval(band.when);
      if (!isInterval(interval)) {
        // An unknown operator or fact is already reported: saying the band is no interval would repeat it.
        if (this.problems.length === before) this.add(childPointer(bandPointer, 'when'), interval);
        return;
      }
      if ((band.score === undefined) === (band.fraction === undefined)) {
        this.add(
          bandPointer,
          localized(
            '一个档次给出 "score"（得分）或 "fraction"（分值的比例）之一，且只给一个',
            'a band gives either "score" or "fraction"',
          ),
        );
        return;
      }
      const score = band.score !== undefined ? new Decimal(band.score) : weight.mul(band.fraction!);
      if (score.lt(0) || score.gt(weight)) {
        this.add(
          childPointer(bandPointer, band.score !== undefined ? 'score' : 'fraction'),
          localized(
            `档次得分 ${score.toFixed()} 超出了 [0, ${weight.toFixed()}]（不能为负，也不能超过分值）`,
            `must lie in [0, ${weight.toFixed()}]`,
          ),
        );
      }
      const { lower, upper } = interval;
      if (
        lower &&
        upper &&
        (lower.value.gt(upper.value) || (lower.value.eq(upper.value) && !(lower.inclusive && upper.inclusive)))
      ) {
        this.add(
          childPointer(bandPointer, 'when'),
          localized(
            `档次 ${formatInterval(interval)} 是空的：没有任何值落在其中`,
            `the band ${formatInterval(interval)} is empty`,
          ),
        );
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
        localized(
          '档次要按界值顺序排列（从高到低或从低到高）',
          'bands must be listed in order of their thresholds (top down or bottom up)',
        ),
      );
    }

    const uncovered = (gap: Interval): Localized =>
      localized(
        `${reads(gap)}没有对应的档次：档次之间有空缺`,
        `values in ${formatInterval(gap)} are covered by no band`,
      );
    // Cover the whole domain without gaps or overlaps.
    const domain: Interval = method.of === 'abs' ? { lower: { value: ZERO, inclusive: true } } : {};
    let reached: Interval['upper'] | undefined = domain.lower ? { value: ZERO, inclusive: false } : undefined;
    let startOpen = !domain.lower;
    for (const { interval, index } of ascending) {
      const bandPointer = childPointer(pointer, 'bands', index, 'when');
      const { lower } = interval;
      if (startOpen) {
        if (lower) this.add(bandPointer, uncovered({ upper: { value: lower.value, inclusive: !lower.inclusive } }));
        startOpen = false;
      } else if (reached) {
        // On the absolute value, a band with no lower bound (or one below 0) starts at 0.
        const low =
          domain.lower && (!lower || lower.value.lt(0))
            ? domain.lower
            : (lower ?? { value: new Decimal(-Infinity), inclusive: true });
        const cmp = low.value.cmp(reached.value);
        if (cmp < 0 || (cmp === 0 && low.inclusive && reached.inclusive)) {
          const overlap: Interval = { lower: low, upper: reached };
          this.add(
            bandPointer,
            localized(
              `与下一档重叠：${reads(overlap)}同时属于两个档次`,
              `overlaps the band below it at ${formatInterval(overlap)}`,
            ),
          );
        } else if (cmp > 0 || (!low.inclusive && !reached.inclusive)) {
          this.add(
            bandPointer,
            uncovered({
              lower: { value: reached.value, inclusive: !reached.inclusive },
              upper: { value: low.value, inclusive: !low.inclusive },
            }),
          );
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
        uncovered({ lower: { value: reached.value, inclusive: !reached.inclusive } }),
      );
    }
    if (method.monotone) {
      for (let i = 1; i < ascending.length; i++) {
        const [below, above] = [ascending[i - 1], ascending[i]];
        const broken = method.monotone === 'increasing' ? above.score.lt(below.score) : above.score.gt(below.score);
        if (broken) {
          const where = describeInterval(above.interval, unit);
          this.add(
            childPointer(pointer, 'bands', above.index),
            localized(
              method.monotone === 'increasing'
                ? `声明了指标值越高得分不减（increasing），但 ${where} 得 ${above.score.toFixed()} 分，低于下一档的 ${below.score.toFixed()} 分`
                : `声明了指标值越高得分不增（decreasing），但 ${where} 得 ${above.score.toFixed()} 分，高于下一档的 ${below.score.toFixed()} 分`,
              `declared ${method.monotone} but ${describeInterval(above.interval, '')} scores ${above.score.toFixed()} after ${below.score.toFixed()}`,
            ),
          );
        }
      }
    }
  }

  private checkTiers(tiers: TierSpec[], pointer: string): void {
    const codes = new Map<string, number>();
    tiers.forEach((tier, i) => {
      const min = new Decimal(tier.min);
      const max = new Decimal(tier.max);
      const firstIndex = codes.get(tier.code);
      if (firstIndex !== undefined) {
        const at = childPointer(pointer, firstIndex);
        this.add(
          childPointer(pointer, i, 'code'),
          localized(`档次代码“${tier.code}”重复（首次出现于 ${at}）`, `duplicate tier "${tier.code}" (first at ${at})`),
        );
      } else {
        codes.set(tier.code, i);
      }
      if (min.lt(ZERO) || max.gt(ONE) || min.gt(max)) {
        this.add(
          childPointer(pointer, i),
          localized(
            `评议档次是分值的比例，须在 [0, 1] 之内且 min ≤ max（现为 ${tier.min}–${tier.max}）`,
            `a tier is a fraction of the weight inside [0, 1] with min ≤ max`,
          ),
        );
      }
    });
    const sorted = [...tiers].sort((a, b) => new Decimal(a.min).cmp(b.min));
    if (sorted.length > 0 && (!new Decimal(sorted[0].min).eq(0) || !new Decimal(sorted[sorted.length - 1].max).eq(1))) {
      this.add(
        pointer,
        localized('评议档次合起来要覆盖分值的 0 到 1', 'tiers must together cover 0 to 1 of the weight'),
      );
    }
    for (let i = 1; i < sorted.length; i++) {
      if (!new Decimal(sorted[i].min).eq(sorted[i - 1].max)) {
        const [a, b] = [sorted[i - 1], sorted[i]];
        this.add(
          pointer,
          localized(
            `评议档次“${a.label}”（${a.code}）与“${b.label}”（${b.code}）没有衔接（有空缺或重叠）`,
            `tiers "${a.code}" and "${b.code}" do not meet (gap or overlap)`,
          ),
        );
      }
    }
  }

  private checkDeclared(node: DeclaredNode, pointer: string): void {
    this.checkTiers(node.declared.qualitativeTiers, childPointer(pointer, 'declared', 'qualitativeTiers'));
    const min = node.declared.minIndicatorWeight;
    if (min !== undefined && (new Decimal(min).lte(0) || new Decimal(min).gt(node.weight))) {
      this.add(
        childPointer(pointer, 'declared', 'minIndicatorWeight'),
        localized(`须在 (0, ${node.weight}] 之内`, `must lie in (0, ${node.weight}]`),
      );
    }
  }

  private checkFormula(formula: string, pointer: string): void {
    const parsed = parseFormula(formula);
    for (const error of parsed.errors) this.add(pointer, error);
    if (!parsed.ast) return;
    const refs = formulaReferences(parsed.ast);
    for (const id of refs.inputs) {
      const entry = this.inputs.get(id);
      if (!entry) this.unknownInput(pointer, id);
      else if (!NUMERIC_INPUTS.has(entry.spec.type)) {
        this.add(
          pointer,
          localized(
            `填报项“${id}”的类型为${typeName(entry.spec.type)}，不是数，不能用在公式里`,
            `input "${id}" is ${entry.spec.type}, not a number`,
          ),
        );
      }
    }
    const sections = [...this.nodes.values()].filter(({ node }) => isDeclaredNode(node)).map(({ node }) => node.code);
    for (const code of refs.sections) {
      const entry = this.nodes.get(code);
      if (!entry || !isDeclaredNode(entry.node)) {
        const hint = suggestion(code, sections);
        this.add(
          pointer,
          localized(
            `“${code}”不是申报目标的指标（declared）${hint.zh}`,
            `"${code}" is not a declared-target section${hint.en}`,
          ),
        );
      }
    }
    for (const code of refs.scores) {
      if (!this.nodes.has(code)) {
        const hint = suggestion(code, this.nodes.keys());
        this.add(
          pointer,
          localized(`score("${code}") 中的指标代码不存在${hint.zh}`, `score("${code}") names no indicator${hint.en}`),
        );
      }
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
          const names = cycle.map((c) => (this.nodes.get(c)?.node.name ?? c) + `（${c}）`);
          this.add(
            childPointer(this.nodes.get(code)!.pointer, 'metric', 'formula'),
            localized(`指标之间循环引用得分：${names.join(' → ')}`, `dependency cycle: ${cycle.join(' → ')}`),
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
    const codes = new Map<string, number>();
    this.file.grades.forEach((grade, i) => {
      const firstIndex = codes.get(grade.code);
      if (firstIndex !== undefined) {
        const at = this.firstAt(toPointer('grades', firstIndex));
        this.add(
          toPointer('grades', i, 'code'),
          localized(`等次代码“${grade.code}”重复${at.zh}`, `duplicate grade "${grade.code}"${at.en}`),
        );
      } else {
        codes.set(grade.code, i);
      }
      if (i > 0 && !new Decimal(grade.min).lt(this.file.grades[i - 1].min)) {
        const above = this.file.grades[i - 1];
        this.add(
          toPointer('grades', i, 'min'),
          localized(
            `等次要从高到低排列，每个等次的下限低于上一个：“${grade.label}”的下限 ${grade.min} 不低于“${above.label}”的 ${above.min}`,
            'grades are listed from the highest down, each min below the one before',
          ),
        );
      }
    });
    const top = this.file.grades[0];
    // 加减分 counted on top of the total lift a total above it, by at most their bonus caps
    const onTopBonus = this.leaves
      .filter((entry) => entry.onTop)
      .reduce((sum, { leaf }) => sum.add(bonusCapOf(leaf) ?? ZERO), ZERO);
    const reachable = onTopBonus.add(this.file.total);
    if (top && new Decimal(top.min).gt(reachable)) {
      const extra = onTopBonus.isZero()
        ? { zh: '', en: '' }
        : { zh: `（含另计加分最多 ${onTopBonus.toFixed()}）`, en: `, with at most ${onTopBonus.toFixed()} on top` };
      this.add(
        toPointer('grades', 0, 'min'),
        localized(
          `没有总分能达到 ${top.min}：总分最高为 ${reachable.toFixed()}${extra.zh}`,
          `no total can reach ${top.min}: the total is ${this.file.total}${extra.en}`,
        ),
      );
    }
    const last = this.file.grades[this.file.grades.length - 1];
    if (last && new Decimal(last.min).gt(0)) {
      this.add(
        toPointer('grades', this.file.grades.length - 1, 'min'),
        localized(
          '最低等次的下限必须为 0 或更低，每个总分才都有等次',
          'the lowest grade must start at 0 or below so every total has a grade',
        ),
      );
    }
  }

  private checkBudgetHeader(): void {
    const header = this.file.budgetHeader;
    if (!header) return;
    const codes = new Map<string, string>();
    header.breakdowns.forEach((breakdown, i) =>
      breakdown.columns.forEach((column, j) => {
        const first = codes.get(column.code);
        const at = toPointer('budgetHeader', 'breakdowns', i, 'columns', j);
        if (first !== undefined) {
          this.add(
            childPointer(at, 'code'),
            localized(
              `栏目代码“${column.code}”重复（首次出现于 ${first}）`,
              `duplicate column "${column.code}" (first at ${first})`,
            ),
          );
        } else {
          codes.set(column.code, at);
        }
      }),
    );
  }

  /** The rule set's vetoes and caps: codes unique, one effect each, known grades, a cap a total can exceed, known facts. */
  private checkVetoes(): void {
    const vetoes = this.file.vetoes ?? [];
    if (vetoes.length === 0) return;
    const total = this.inputs.get(TOTAL_FACT);
    if (total) {
      this.add(
        childPointer(total.pointer, 'id'),
        localized(
          `填报项 id “${TOTAL_FACT}”与一票否决条件中的总分事实 total 同名，请改名`,
          `input id "${TOTAL_FACT}" clashes with the fact "total" of the vetoes; rename it`,
        ),
      );
    }
    const codes = new Map<string, string>();
    const grades = this.file.grades.map((grade) => grade.code);
    const reachable = this.leaves
      .filter((entry) => entry.onTop)
      .reduce((sum, { leaf }) => sum.add(bonusCapOf(leaf) ?? ZERO), new Decimal(this.file.total));
    vetoes.forEach((veto, i) => {
      const pointer = toPointer('vetoes', i);
      const first = codes.get(veto.code);
      if (first !== undefined) {
        this.add(
          childPointer(pointer, 'code'),
          localized(
            `一票否决代码“${veto.code}”重复（首次出现于 ${first}）`,
            `duplicate veto code "${veto.code}" (first at ${first})`,
          ),
        );
      } else codes.set(veto.code, pointer);
      const effects = (['setGrade', 'maxGrade', 'maxTotal'] as const).filter((key) => veto[key] !== undefined);
      if (effects.length !== 1) {
        this.add(
          pointer,
          localized(
            `一票否决或上限须写且只写 setGrade（等次定为）、maxGrade（等次最高为）、maxTotal（总分最高为）之一${effects.length > 1 ? `（现写了 ${effects.join('、')}）` : ''}`,
            `a veto gives exactly one of setGrade, maxGrade and maxTotal${effects.length > 1 ? ` (it gives ${effects.join(', ')})` : ''}`,
          ),
        );
      }
      for (const key of ['setGrade', 'maxGrade'] as const) {
        const code = veto[key];
        if (code === undefined || grades.includes(code)) continue;
        const byLabel = this.file.grades.find((grade) => grade.label === code);
        const hint = byLabel
          ? {
              zh: `：“${code}”是等次名称，请写等次代码 ${byLabel.code}`,
              en: `; "${code}" is a label: write ${byLabel.code}`,
            }
          : suggestion(code, grades);
        this.add(
          childPointer(pointer, key),
          localized(
            `“${code}”不是本规则集的等次代码（可用：${grades.join('、')}）${hint.zh}`,
            `"${code}" is not a grade code of this rule set (${grades.join(', ')})${hint.en}`,
          ),
        );
      }
      if (veto.maxTotal !== undefined) {
        const cap = new Decimal(veto.maxTotal);
        const places = this.file.rounding.totalPlaces;
        if (cap.lt(0) || !cap.lt(reachable)) {
          this.add(
            childPointer(pointer, 'maxTotal'),
            localized(
              `总分封顶值 ${veto.maxTotal} 须不小于 0 且低于最高总分 ${reachable.toFixed()}，否则不起作用`,
              `the cap ${veto.maxTotal} must be ≥ 0 and below the highest total ${reachable.toFixed()}`,
            ),
          );
        } else if (cap.decimalPlaces() > places) {
          this.add(
            childPointer(pointer, 'maxTotal'),
            localized(
              `总分封顶值 ${veto.maxTotal} 的小数位数多于总分的 ${places} 位（rounding.totalPlaces）`,
              `the cap ${veto.maxTotal} has more decimals than the total's ${places}`,
            ),
          );
        }
      }
      this.checkCondition(veto.when, childPointer(pointer, 'when'), false, (fact, at, value) =>
        this.checkVetoFact(fact, at, value),
      );
    });
  }

  /** A fact of a veto's condition: an input, the total, or a result of a known indicator (veto-facts.ts). */
  private checkVetoFact(fact: string, at: string, value: unknown): void {
    const pointer = childPointer(at, 'fact');
    const parsed = parseVetoFact(fact);
    const unknown = (zh: string, en: string): void => this.add(pointer, localized(zh, en));
    if (!parsed) {
      const hint = suggestion(fact, [TOTAL_FACT, ...this.inputs.keys()]);
      unknown(
        `未知的事实“${fact}”：一票否决条件可读 ${VETO_FACT_FORMS}${hint.zh}`,
        `unknown fact "${fact}": a veto reads ${VETO_FACT_FORMS_EN}${hint.en}`,
      );
      return;
    }
    const leafCodes = this.leaves.map(({ leaf }) => leaf.code);
    const sections = [...this.nodes.values()].filter(({ node }) => isDeclaredNode(node)).map(({ node }) => node.code);
    switch (parsed.kind) {
      case 'total':
        return;
      case 'input':
        if (!this.inputs.has(parsed.id)) {
          const hint = suggestion(parsed.id, [TOTAL_FACT, ...this.inputs.keys()]);
          unknown(
            `未知的事实“${fact}”：不是已声明的填报项，也不是 ${VETO_FACT_FORMS}${hint.zh}`,
            `unknown fact "${fact}": not a declared input nor ${VETO_FACT_FORMS_EN}${hint.en}`,
          );
        }
        return;
      case 'score':
        if (!this.nodes.has(parsed.code)) {
          const hint = suggestion(parsed.code, this.nodes.keys());
          unknown(`“${fact}”中的指标代码“${parsed.code}”不存在${hint.zh}`, `"${fact}" names no indicator${hint.en}`);
        }
        return;
      case 'metric':
      case 'status': {
        const entry = this.nodes.get(parsed.code);
        if (!entry || !leafCodes.includes(parsed.code)) {
          const hint = suggestion(parsed.code, leafCodes);
          unknown(
            `“${fact}”中的“${parsed.code}”不是计分的三级指标${hint.zh}`,
            `"${fact}" names no scored leaf${hint.en}`,
          );
        } else if (parsed.kind === 'metric' && !(entry.node as LeafNode).metric) {
          unknown(
            `“${entry.node.name}”（${parsed.code}）没有指标值（metric），不能读“${fact}”`,
            `"${parsed.code}" has no metric`,
          );
        } else if (parsed.kind === 'status') {
          const values = Array.isArray(value) ? value : [value];
          const bad = values.filter((v) => !(LEAF_STATUSES as readonly unknown[]).includes(v));
          if (bad.length > 0) {
            this.add(
              childPointer(at, 'value'),
              localized(
                `指标状态只能是 ${LEAF_STATUSES.join('、')}（现为 ${bad.map((v) => JSON.stringify(v)).join('、')}）`,
                `a status is one of ${LEAF_STATUSES.join(', ')}`,
              ),
            );
          }
        }
        return;
      }
      case 'targetsMet':
      case 'targetsDeclared':
        if (!sections.includes(parsed.section)) {
          const hint = suggestion(parsed.section, sections);
          unknown(
            `“${fact}”中的“${parsed.section}”不是申报目标的指标（declared）${hint.zh}`,
            `"${fact}" names no declared-target section${hint.en}`,
          );
        }
        return;
      case 'count': {
        const entry = this.inputs.get(parsed.input);
        if (!entry || entry.spec.type !== 'events') {
          const events = [...this.inputs.values()]
            .filter(({ spec }) => spec.type === 'events')
            .map(({ spec }) => spec.id);
          const hint = suggestion(parsed.input, events);
          unknown(
            `“${fact}”中的“${parsed.input}”不是加减分事项（events）类型的填报项${hint.zh}`,
            `"${fact}" names no events input${hint.en}`,
          );
        } else if (parsed.eventKind !== undefined && entry.spec.type === 'events') {
          const kinds = entry.spec.kinds.map((k) => k.code);
          if (!kinds.includes(parsed.eventKind)) {
            const hint = suggestion(parsed.eventKind, kinds);
            unknown(
              `“${fact}”中的事项类型“${parsed.eventKind}”不在填报项“${entry.spec.label}”的类型中（可用：${kinds.join('、')}）${hint.zh}`,
              `"${fact}": no kind "${parsed.eventKind}" in ${parsed.input}${hint.en}`,
            );
          }
        }
        return;
      }
    }
  }

  private checkPlaces(): void {
    const { scorePlaces, totalPlaces } = this.file.rounding;
    if (totalPlaces < scorePlaces) {
      this.add(
        '/rounding/totalPlaces',
        localized(
          `总分的小数位数（${totalPlaces}）不能少于单项得分的小数位数（${scorePlaces}）`,
          'the total is shown with at least as many places as a leaf score',
        ),
      );
    }
  }
}

/** The most a 加减分 leaf can add: its bonus cap (count-adjust's positive cap); undefined for other methods. */
export function bonusCapOf(leaf: LeafNode): string | undefined {
  const method = leaf.method;
  switch (method.type) {
    case 'count-adjust':
      return method.positive.cap;
    case 'events':
    case 'judged-adjust':
      return method.bonusCap ?? '0';
    default:
      return undefined;
  }
}
