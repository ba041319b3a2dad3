import Decimal from 'decimal.js';
import { canonicalJson } from './checksum';
import { bandInterval, describeInterval, formatInterval } from './conditions';
import { parseFormula } from './formula';
import { childPointer, toPointer } from './json-pointer';
import {
  type BandSpec,
  type ChecklistPointSpec,
  type DeclaredSpec,
  type EventKindSpec,
  type GradeSpec,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  isLeafNode,
  type LeafNode,
  type MethodSpec,
  type MetricSpec,
  type RuleFile,
  type TierSpec,
} from './rule-file.types';
import type { RuleSet } from './rule-set';

export type RuleSetChangeKind =
  | 'metadata-changed'
  | 'rounding-changed'
  | 'grade-changed'
  | 'input-added'
  | 'input-removed'
  | 'input-changed'
  | 'indicator-added'
  | 'indicator-removed'
  | 'indicator-renamed'
  | 'indicator-moved'
  | 'weight-changed'
  | 'method-changed'
  | 'parameter-changed'
  | 'formula-changed'
  | 'band-changed'
  | 'condition-changed'
  | 'declared-changed'
  | 'explanation-changed'
  | 'basis-changed';

export interface RuleSetChange {
  kind: RuleSetChangeKind;
  /** Indicator code, input id or grade code the change is about. */
  code?: string;
  /** JSON pointer into the new file (into the old file for removals). */
  pointer: string;
  before?: string;
  after?: string;
  /** One readable line in Chinese, e.g. 固定资产利用率（fixed-asset-utilization）：第1档 ≥90% 得2分 改为 ≥95% 得2分 */
  message: string;
}

export interface RuleSetDiff {
  from: { id: string; version: string; checksum: string };
  to: { id: string; version: string; checksum: string };
  changes: RuleSetChange[];
  /** Counts per kind. */
  summary: Partial<Record<RuleSetChangeKind, number>>;
}

/**
 * The semantic difference between two versions of a rule set, for a reviewer deciding whether to release `to`.
 *
 * Indicators are matched by code, inputs by id, grades by code and checklist points by id; list order alone is
 * never a change. Decimals are compared as decimals ("2" equals "2.0"), formulas by their parsed form, bands by
 * their intervals and scores, conditions by canonical JSON; defaults are applied where the format defines them
 * (proportional cap 100, bands `of` value, allowNegative false). Embedded `tests[]` are ignored.
 *
 * Order: metadata, rounding, grades, inputs, then indicators top-down in `to`'s tree order; within each list
 * removals come last, in `from`'s order. `pointer` resolves in `to` (in `from` for input-removed and
 * indicator-removed): when the changed field is absent from `to`, it points at the nearest object that holds it.
 * `before`/`after` are absent when there was or is nothing (an added band, a removed parameter, a top-level parent).
 */
export function diffRuleSets(from: RuleSet, to: RuleSet): RuleSetDiff {
  const changes: RuleSetChange[] = [
    ...diffMetadata(from.file, to.file),
    ...diffRounding(from.file, to.file),
    ...diffGrades(from.file.grades, to.file.grades),
    ...diffInputs(from.file.inputs, to.file.inputs),
    ...diffIndicators(from.file.indicators, to.file.indicators),
  ];
  const summary: Partial<Record<RuleSetChangeKind, number>> = {};
  for (const change of changes) summary[change.kind] = (summary[change.kind] ?? 0) + 1;
  return {
    from: { id: from.id, version: from.version, checksum: from.checksum },
    to: { id: to.id, version: to.version, checksum: to.checksum },
    changes,
    summary,
  };
}

const NOTHING = '（无）';

const show = (value: string | undefined): string => oneLine(value ?? NOTHING);
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');
const changedMessage = (prefix: string, what: string, before: string | undefined, after: string | undefined): string =>
  `${prefix}${what} ${show(before)} 改为 ${show(after)}`;

const sameDecimal = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined || b === undefined ? a === b : new Decimal(a).eq(b);
const normalDecimal = (value: string): string => new Decimal(value).toFixed();
const textOf = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : canonicalJson(value);

/** The pointer to `key` under `base` when `holder` has it, else `base` itself. */
const fieldPointer = (base: string, holder: object | undefined, key: string): string =>
  holder !== undefined && (holder as Record<string, unknown>)[key] !== undefined ? childPointer(base, key) : base;

/** One scalar field compared between two objects; produces at most one change. */
interface FieldSpec {
  key: string;
  /** Chinese name shown in the message. */
  label: string;
  before: string | undefined;
  after: string | undefined;
  equal?: (a: string | undefined, b: string | undefined) => boolean;
  pointer: string;
}

function fieldChanges(
  kind: RuleSetChangeKind,
  code: string | undefined,
  prefix: string,
  fields: FieldSpec[],
  nameKey = false,
): RuleSetChange[] {
  return fields
    .filter(({ before, after, equal }) => !(equal ?? ((a, b) => a === b))(before, after))
    .map(({ key, label, before, after, pointer }) => ({
      kind,
      ...(code !== undefined && { code }),
      pointer,
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
      message: changedMessage(prefix, nameKey ? `${label}（${key}）` : label, before, after),
    }));
}

// ─── metadata, rounding, grades ──────────────────────────────────────────────────────────────────────────────────

const METADATA_LABELS: Array<[key: keyof RuleFile, label: string]> = [
  ['title', '标题'],
  ['jurisdiction', '适用地区'],
  ['kind', '评价类型'],
  ['fiscalYear', '评价年度'],
  ['source', '依据文件'],
  ['effectiveFrom', '生效日期'],
  ['total', '总分'],
  ['budgetHeader', '预算执行情况表结构'],
];

function diffMetadata(from: RuleFile, to: RuleFile): RuleSetChange[] {
  const fields = METADATA_LABELS.map(([key, label]) => ({
    key,
    label,
    before: textOf(from[key]),
    after: textOf(to[key]),
    equal: key === 'total' ? sameDecimal : undefined,
    pointer: fieldPointer('', to, key),
  }));
  return fieldChanges('metadata-changed', undefined, '规则集：', fields);
}

const ROUNDING_LABELS: Array<[key: keyof RuleFile['rounding'], label: string]> = [
  ['mode', '舍入方式'],
  ['scorePlaces', '得分小数位数'],
  ['totalPlaces', '总分小数位数'],
  ['ratePlaces', '比率小数位数'],
];

function diffRounding(from: RuleFile, to: RuleFile): RuleSetChange[] {
  const fields = ROUNDING_LABELS.map(([key, label]) => ({
    key,
    label,
    before: textOf(from.rounding[key]),
    after: textOf(to.rounding[key]),
    pointer: toPointer('rounding', key),
  }));
  return fieldChanges('rounding-changed', undefined, '舍入规则：', fields, true);
}

const describeGrade = (grade: GradeSpec): string => `${grade.label} ≥${grade.min}`;

function diffGrades(from: GradeSpec[], to: GradeSpec[]): RuleSetChange[] {
  const old = new Map(from.map((grade) => [grade.code, grade]));
  const codes = new Set(to.map((grade) => grade.code));
  const changes = to.flatMap((grade, i): RuleSetChange[] => {
    const pointer = toPointer('grades', i);
    const before = old.get(grade.code);
    if (!before) {
      const after = describeGrade(grade);
      return [{ kind: 'grade-changed', code: grade.code, pointer, after, message: `新增等次 ${grade.code}：${after}` }];
    }
    return fieldChanges('grade-changed', grade.code, `等次 ${grade.label}（${grade.code}）：`, [
      {
        key: 'label',
        label: '名称',
        before: before.label,
        after: grade.label,
        pointer: childPointer(pointer, 'label'),
      },
      {
        key: 'min',
        label: '分数下限',
        before: before.min,
        after: grade.min,
        equal: sameDecimal,
        pointer: childPointer(pointer, 'min'),
      },
    ]);
  });
  for (const grade of from) {
    if (codes.has(grade.code)) continue;
    const before = describeGrade(grade);
    changes.push({
      kind: 'grade-changed',
      code: grade.code,
      pointer: '/grades',
      before,
      message: `删除等次 ${grade.code}：${before}`,
    });
  }
  return changes;
}

// ─── inputs ──────────────────────────────────────────────────────────────────────────────────────────────────────

const INPUT_LABELS: Record<string, string> = {
  type: '类型',
  label: '名称',
  unit: '单位',
  places: '小数位数',
  allowNegative: '允许负数',
  maxLength: '最大长度',
  description: '说明',
};
const INPUT_DEFAULTS: Record<string, unknown> = { allowNegative: false };

function diffInputs(from: InputSpec[], to: InputSpec[]): RuleSetChange[] {
  const old = new Map(from.map((input, i) => [input.id, { input, i }]));
  const ids = new Set(to.map((input) => input.id));
  const changes = to.flatMap((input, i): RuleSetChange[] => {
    const pointer = toPointer('inputs', i);
    const before = old.get(input.id)?.input;
    if (!before) {
      return [
        {
          kind: 'input-added',
          code: input.id,
          pointer,
          after: input.label,
          message: `新增输入项 ${input.label}（${input.id}），类型 ${input.type}`,
        },
      ];
    }
    return diffInput(before, input, pointer);
  });
  for (const [id, { input, i }] of old) {
    if (ids.has(id)) continue;
    changes.push({
      kind: 'input-removed',
      code: id,
      pointer: toPointer('inputs', i),
      before: input.label,
      message: `删除输入项 ${input.label}（${id}）`,
    });
  }
  return changes;
}

function diffInput(from: InputSpec, to: InputSpec, pointer: string): RuleSetChange[] {
  const prefix = `输入项 ${to.label}（${to.id}）：`;
  const record = (input: InputSpec): Record<string, unknown> => input as unknown as Record<string, unknown>;
  const known = Object.keys(INPUT_LABELS);
  const extra = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((key) => key !== 'id' && key !== 'points' && key !== 'kinds' && !known.includes(key))
    .sort();
  const fields = [...known, ...extra].map((key) => ({
    key,
    label: INPUT_LABELS[key] ?? key,
    before: textOf(record(from)[key] ?? INPUT_DEFAULTS[key]),
    after: textOf(record(to)[key] ?? INPUT_DEFAULTS[key]),
    pointer: fieldPointer(pointer, to, key),
  }));
  const changes = fieldChanges('input-changed', to.id, prefix, fields);
  if (from.type === 'checklist' && to.type === 'checklist') {
    changes.push(...diffPoints(from.points, to.points, to.id, prefix, childPointer(pointer, 'points')));
  }
  if (from.type === 'events' && to.type === 'events') {
    changes.push(...diffKinds(from.kinds, to.kinds, to.id, prefix, childPointer(pointer, 'kinds')));
  }
  return changes;
}

const describeKind = (kind: EventKindSpec): string =>
  `${kind.label} 每项${new Decimal(kind.points).isNegative() ? '' : '+'}${normalDecimal(kind.points)}分`;

/** The kinds of an events input (加减分事项类型), matched by code: added, relabelled, repriced, removed. */
function diffKinds(
  from: EventKindSpec[],
  to: EventKindSpec[],
  id: string,
  prefix: string,
  pointer: string,
): RuleSetChange[] {
  const old = new Map(from.map((kind) => [kind.code, kind]));
  const codes = new Set(to.map((kind) => kind.code));
  const changes = to.flatMap((kind, j): RuleSetChange[] => {
    const at = childPointer(pointer, j);
    const before = old.get(kind.code);
    if (!before) {
      const after = describeKind(kind);
      return [
        {
          kind: 'input-changed',
          code: id,
          pointer: at,
          after,
          message: `${prefix}新增事项类型（${kind.code}）${after}`,
        },
      ];
    }
    return fieldChanges('input-changed', id, `${prefix}事项类型 ${kind.label}（${kind.code}）`, [
      { key: 'label', label: '名称', before: before.label, after: kind.label, pointer: childPointer(at, 'label') },
      {
        key: 'points',
        label: '每项分值',
        before: before.points,
        after: kind.points,
        equal: sameDecimal,
        pointer: childPointer(at, 'points'),
      },
    ]);
  });
  for (const kind of from) {
    if (codes.has(kind.code)) continue;
    const before = describeKind(kind);
    changes.push({
      kind: 'input-changed',
      code: id,
      pointer,
      before,
      message: `${prefix}删除事项类型（${kind.code}）${before}`,
    });
  }
  return changes;
}

const describePoint = (point: ChecklistPointSpec): string => `${point.label} ${point.points}分`;

function diffPoints(
  from: ChecklistPointSpec[],
  to: ChecklistPointSpec[],
  id: string,
  prefix: string,
  pointer: string,
): RuleSetChange[] {
  const old = new Map(from.map((point) => [point.id, point]));
  const ids = new Set(to.map((point) => point.id));
  const changes = to.flatMap((point, j): RuleSetChange[] => {
    const at = childPointer(pointer, j);
    const before = old.get(point.id);
    if (!before) {
      const after = describePoint(point);
      return [
        { kind: 'input-changed', code: id, pointer: at, after, message: `${prefix}新增要点（${point.id}）${after}` },
      ];
    }
    return fieldChanges('input-changed', id, `${prefix}要点 ${point.label}（${point.id}）`, [
      { key: 'label', label: '名称', before: before.label, after: point.label, pointer: childPointer(at, 'label') },
      {
        key: 'points',
        label: '分值',
        before: before.points,
        after: point.points,
        equal: sameDecimal,
        pointer: childPointer(at, 'points'),
      },
    ]);
  });
  for (const point of from) {
    if (ids.has(point.id)) continue;
    const before = describePoint(point);
    changes.push({
      kind: 'input-changed',
      code: id,
      pointer,
      before,
      message: `${prefix}删除要点（${point.id}）${before}`,
    });
  }
  return changes;
}

// ─── indicators ──────────────────────────────────────────────────────────────────────────────────────────────────

interface NodeEntry {
  node: IndicatorNode;
  pointer: string;
  parent?: IndicatorNode;
}

/** Every node of a tree in pre-order (top-down, as the file lists them), with its pointer and parent. */
function flatten(nodes: IndicatorNode[], pointer = '/indicators', parent?: IndicatorNode): NodeEntry[] {
  return nodes.flatMap((node, i) => {
    const at = childPointer(pointer, i);
    const entry: NodeEntry = { node, pointer: at, ...(parent && { parent }) };
    return isGroupNode(node) ? [entry, ...flatten(node.children, childPointer(at, 'children'), node)] : [entry];
  });
}

const nameOf = (node: IndicatorNode): string => `${node.name}（${node.code}）`;

function diffIndicators(from: IndicatorNode[], to: IndicatorNode[]): RuleSetChange[] {
  const oldEntries = flatten(from);
  const newEntries = flatten(to);
  const old = new Map(oldEntries.map((entry) => [entry.node.code, entry]));
  const codes = new Set(newEntries.map((entry) => entry.node.code));
  const changes = newEntries.flatMap((entry): RuleSetChange[] => {
    const before = old.get(entry.node.code);
    if (before) return diffNode(before, entry);
    const { node, parent } = entry;
    return [
      {
        kind: 'indicator-added',
        code: node.code,
        pointer: entry.pointer,
        after: node.name,
        message: `新增指标 ${nameOf(node)}，分值 ${node.weight}${parent ? `，位于 ${nameOf(parent)} 下` : '，位于顶层'}`,
      },
    ];
  });
  for (const { node, pointer } of oldEntries) {
    if (codes.has(node.code)) continue;
    changes.push({
      kind: 'indicator-removed',
      code: node.code,
      pointer,
      before: node.name,
      message: `删除指标 ${nameOf(node)}，原分值 ${node.weight}`,
    });
  }
  return changes;
}

const METHOD_LABELS: Record<string, string> = {
  group: '下级指标汇总',
  target: '目标值计分',
  proportional: '按比例计分',
  deduction: '扣分法',
  bands: '分档计分',
  checklist: '要点计分',
  judgment: '评议计分',
  boolean: '是否达成',
  'count-adjust': '加减分',
  events: '加减分事项',
  'judged-adjust': '评议加减分',
};
/** A group has no method; a declared section is scored by its `target` method. */
const methodOf = (node: IndicatorNode): string =>
  isGroupNode(node) ? 'group' : isDeclaredNode(node) ? node.declared.method : node.method.type;
const describeMethod = (type: string): string => `${METHOD_LABELS[type] ?? type}（${type}）`;

function diffNode(from: NodeEntry, to: NodeEntry): RuleSetChange[] {
  const { node } = to;
  const code = node.code;
  const prefix = `${nameOf(node)}：`;
  const changes: RuleSetChange[] = [];
  const add = (change: Omit<RuleSetChange, 'code'>): void => {
    changes.push({ code, ...change });
  };

  if (from.node.name !== node.name) {
    add({
      kind: 'indicator-renamed',
      pointer: childPointer(to.pointer, 'name'),
      before: from.node.name,
      after: node.name,
      message: changedMessage(prefix, '名称', from.node.name, node.name),
    });
  }
  if (from.parent?.code !== to.parent?.code) {
    const where = (parent?: IndicatorNode): string => (parent ? nameOf(parent) : '顶层');
    add({
      kind: 'indicator-moved',
      pointer: to.pointer,
      ...(from.parent && { before: from.parent.code }),
      ...(to.parent && { after: to.parent.code }),
      message: `${prefix}从 ${where(from.parent)} 移至 ${where(to.parent)}`,
    });
  }
  if (!sameDecimal(from.node.weight, node.weight)) {
    add({
      kind: 'weight-changed',
      pointer: childPointer(to.pointer, 'weight'),
      before: from.node.weight,
      after: node.weight,
      message: changedMessage(prefix, '分值', from.node.weight, node.weight),
    });
  }

  const [oldMethod, newMethod] = [methodOf(from.node), methodOf(node)];
  const sameShape = isGroupNode(from.node) === isGroupNode(node) && isDeclaredNode(from.node) === isDeclaredNode(node);
  if (!sameShape) {
    add({
      kind: 'method-changed',
      pointer: isLeafNode(node) ? childPointer(to.pointer, 'method', 'type') : to.pointer,
      before: oldMethod,
      after: newMethod,
      message: changedMessage(prefix, '计分方法', describeMethod(oldMethod), describeMethod(newMethod)),
    });
  } else if (isLeafNode(from.node) && isLeafNode(node)) {
    changes.push(...diffLeaf(from.node, node, to.pointer, prefix));
  } else if (isDeclaredNode(from.node) && isDeclaredNode(node)) {
    changes.push(
      ...diffDeclared(from.node.declared, node.declared, code, childPointer(to.pointer, 'declared'), prefix),
    );
  }

  const onTop = (entry: IndicatorNode): string => (!isDeclaredNode(entry) && entry.onTop ? '是' : '否');
  if (onTop(from.node) !== onTop(node)) {
    add({
      kind: 'parameter-changed',
      pointer: fieldPointer(to.pointer, node, 'onTop'),
      before: onTop(from.node),
      after: onTop(node),
      message: changedMessage(prefix, '另计加减分，不计入总分（onTop）', onTop(from.node), onTop(node)),
    });
  }

  const fields: Array<[kind: RuleSetChangeKind, key: string, label: string, before?: string, after?: string]> = [
    ['explanation-changed', 'explanation', '指标解释', from.node.explanation, node.explanation],
    ['basis-changed', 'basis', '评分依据模板', basisOf(from.node), basisOf(node)],
  ];
  for (const [kind, key, label, before, after] of fields) {
    changes.push(
      ...fieldChanges(kind, code, prefix, [
        { key, label, before, after, pointer: fieldPointer(to.pointer, node, key) },
      ]),
    );
  }
  return changes;
}

const basisOf = (node: IndicatorNode): string | undefined => (isLeafNode(node) ? node.basis : undefined);

function diffLeaf(from: LeafNode, to: LeafNode, pointer: string, prefix: string): RuleSetChange[] {
  const code = to.code;
  const methodPointer = childPointer(pointer, 'method');
  const changes: RuleSetChange[] = [];
  if (from.method.type !== to.method.type) {
    changes.push({
      kind: 'method-changed',
      code,
      pointer: childPointer(methodPointer, 'type'),
      before: from.method.type,
      after: to.method.type,
      message: changedMessage(prefix, '计分方法', describeMethod(from.method.type), describeMethod(to.method.type)),
    });
  } else {
    changes.push(
      ...fieldChanges(
        'parameter-changed',
        code,
        `${prefix}参数 `,
        methodParameters(from.method, to.method, methodPointer),
        true,
      ),
    );
    if (from.method.type === 'bands' && to.method.type === 'bands') {
      changes.push(...diffBands(from, to, methodPointer, prefix));
    }
  }
  changes.push(...diffMetric(from.metric, to.metric, code, pointer, prefix));
  changes.push(
    ...fieldChanges(
      'parameter-changed',
      code,
      `${prefix}参数 `,
      [
        {
          key: 'places',
          label: '得分小数位数',
          before: textOf(from.places),
          after: textOf(to.places),
          pointer: fieldPointer(pointer, to, 'places'),
        },
      ],
      true,
    ),
  );
  for (const key of ['applies', 'veto'] as const) {
    const [before, after] = [textOf(from[key]), textOf(to[key])];
    if (before === after) continue;
    changes.push({
      kind: 'condition-changed',
      code,
      pointer: fieldPointer(pointer, to, key),
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
      message: changedMessage(prefix, key === 'applies' ? '适用条件（applies）' : '否决条件（veto）', before, after),
    });
  }
  return changes;
}

const PARAMETER_LABELS: Record<string, string> = {
  cap: '上限',
  reference: '基准值',
  direction: '扣分方向',
  perUnit: '每单位扣分',
  of: '计分对象',
  monotone: '单调性',
  input: '输入项',
  tiers: '档次',
  'positive.input': '加分输入项',
  'positive.each': '每次加分',
  'positive.cap': '加分上限',
  'negative.input': '减分输入项',
  'negative.each': '每次减分',
  'negative.cap': '减分上限',
  bonusCap: '最多加分',
  penaltyCap: '最多减分',
};

const describeTiers = (tiers: TierSpec[] | undefined): string | undefined =>
  tiers?.map((t) => `${t.label}（${t.code}）${normalDecimal(t.min)}-${normalDecimal(t.max)}`).join('；');

/** The parameters of two methods of the same type, as comparable fields (defaults applied). */
function methodParameters(from: MethodSpec, to: MethodSpec, pointer: string): FieldSpec[] {
  const field = (key: string, before: string | undefined, after: string | undefined, decimal = false): FieldSpec => {
    const path = key.split('.');
    const holder = path.length > 1 ? (to as unknown as Record<string, object>)[path[0]] : to;
    const base = path.length > 1 ? childPointer(pointer, path[0]) : pointer;
    return {
      key,
      label: PARAMETER_LABELS[key] ?? key,
      before,
      after,
      pointer: fieldPointer(base, holder, path[path.length - 1]),
      ...(decimal && { equal: sameDecimal }),
    };
  };
  switch (to.type) {
    case 'proportional': {
      const old = from as typeof to;
      return [field('cap', old.cap ?? '100', to.cap ?? '100', true)];
    }
    case 'deduction': {
      const old = from as typeof to;
      return [
        field('reference', old.reference, to.reference, true),
        field('direction', old.direction, to.direction),
        field('perUnit', old.perUnit, to.perUnit, true),
      ];
    }
    case 'bands': {
      const old = from as typeof to;
      return [field('of', old.of ?? 'value', to.of ?? 'value'), field('monotone', old.monotone, to.monotone)];
    }
    case 'checklist':
    case 'boolean':
      return [field('input', (from as typeof to).input, to.input)];
    case 'judgment': {
      const old = from as typeof to;
      return [field('input', old.input, to.input), field('tiers', describeTiers(old.tiers), describeTiers(to.tiers))];
    }
    case 'count-adjust': {
      const old = from as typeof to;
      return (['positive', 'negative'] as const).flatMap((side) => [
        field(`${side}.input`, old[side].input, to[side].input),
        field(`${side}.each`, old[side].each, to[side].each, true),
        field(`${side}.cap`, old[side].cap, to[side].cap, true),
      ]);
    }
    case 'events':
    case 'judged-adjust': {
      const old = from as typeof to;
      return [
        field('input', old.input, to.input),
        field('bonusCap', old.bonusCap, to.bonusCap, true),
        field('penaltyCap', old.penaltyCap, to.penaltyCap, true),
      ];
    }
  }
}

/** What a band means: its interval and what it awards; two bands with the same key score alike. */
function bandKey(band: BandSpec): string {
  const interval = bandInterval(band.when);
  const where = typeof interval === 'string' ? canonicalJson(band.when) : formatInterval(interval);
  return band.score !== undefined
    ? `${where} score ${normalDecimal(band.score)}`
    : `${where} fraction ${normalDecimal(band.fraction ?? '0')}`;
}

function describeBand(band: BandSpec, suffix: string): string {
  const interval = bandInterval(band.when);
  const where = typeof interval === 'string' ? canonicalJson(band.when) : describeInterval(interval, suffix);
  return band.score !== undefined ? `${where} 得${band.score}分` : `${where} 得分值×${band.fraction}`;
}

const suffixOf = (leaf: LeafNode): string => (leaf.metric?.unit === 'percent' ? '%' : '');

function diffBands(from: LeafNode, to: LeafNode, methodPointer: string, prefix: string): RuleSetChange[] {
  const code = to.code;
  const oldBands = (from.method as { bands: BandSpec[] }).bands;
  const newBands = (to.method as { bands: BandSpec[] }).bands;
  const bandsPointer = childPointer(methodPointer, 'bands');
  const changes: RuleSetChange[] = [];
  if (oldBands.length !== newBands.length) {
    const [before, after] = [String(oldBands.length), String(newBands.length)];
    changes.push({
      kind: 'band-changed',
      code,
      pointer: bandsPointer,
      before,
      after,
      message: `${prefix}分档数 ${before} 档 改为 ${after} 档`,
    });
  }
  for (let i = 0; i < Math.max(oldBands.length, newBands.length); i++) {
    const [oldBand, newBand] = [oldBands[i], newBands[i]];
    const before = oldBand && describeBand(oldBand, suffixOf(from));
    const after = newBand && describeBand(newBand, suffixOf(to));
    const nth = `第${i + 1}档`;
    if (!oldBand) {
      changes.push({
        kind: 'band-changed',
        code,
        pointer: childPointer(bandsPointer, i),
        after,
        message: `${prefix}新增${nth} ${after}`,
      });
    } else if (!newBand) {
      changes.push({
        kind: 'band-changed',
        code,
        pointer: bandsPointer,
        before,
        message: `${prefix}删除${nth} ${before}`,
      });
    } else if (bandKey(oldBand) !== bandKey(newBand)) {
      changes.push({
        kind: 'band-changed',
        code,
        pointer: childPointer(bandsPointer, i),
        before,
        after,
        message: `${prefix}${nth} ${before} 改为 ${after}`,
      });
    }
  }
  return changes;
}

/** Formulas compare by their parsed form, so spacing and redundant parentheses are not changes. */
function sameFormula(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const [pa, pb] = [parseFormula(a), parseFormula(b)];
  return pa.ast && pb.ast ? canonicalJson(pa.ast) === canonicalJson(pb.ast) : a === b;
}

function diffMetric(
  from: MetricSpec | undefined,
  to: MetricSpec | undefined,
  code: string,
  leafPointer: string,
  prefix: string,
): RuleSetChange[] {
  const pointer = fieldPointer(leafPointer, { metric: to }, 'metric');
  const field = (key: keyof MetricSpec, label: string, equal?: FieldSpec['equal']): FieldSpec => ({
    key,
    label,
    before: textOf(from?.[key]),
    after: textOf(to?.[key]),
    pointer: fieldPointer(pointer, to, key),
    ...(equal && { equal }),
  });
  return fieldChanges(
    'formula-changed',
    code,
    prefix,
    [
      field('formula', '计算公式', sameFormula),
      field('unit', '计量单位'),
      field('places', '显示小数位数'),
      field('label', '指标口径名称'),
    ],
    true,
  );
}

const sameSet = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : [...a.split(' ')].sort().join(' ') === [...b.split(' ')].sort().join(' ');

function diffDeclared(
  from: DeclaredSpec,
  to: DeclaredSpec,
  code: string,
  pointer: string,
  prefix: string,
): RuleSetChange[] {
  const field = (
    key: keyof DeclaredSpec,
    label: string,
    before?: string,
    after?: string,
    equal?: FieldSpec['equal'],
  ): FieldSpec => ({
    key,
    label,
    before,
    after,
    pointer: fieldPointer(pointer, to, key),
    ...(equal && { equal }),
  });
  const scoring = fieldChanges(
    'declared-changed',
    code,
    `${prefix}申报要求 `,
    [
      field('method', '计分方法', from.method, to.method),
      field('levels', '申报层级', String(from.levels), String(to.levels)),
      field('comparators', '可用比较符', from.comparators.join(' '), to.comparators.join(' '), sameSet),
      field('qualitativeTiers', '定性档次', describeTiers(from.qualitativeTiers), describeTiers(to.qualitativeTiers)),
      field('minIndicatorWeight', '关键指标最低分值', from.minIndicatorWeight, to.minIndicatorWeight, sameDecimal),
      field('places', '得分小数位数', textOf(from.places), textOf(to.places)),
    ],
    true,
  );
  const basis = fieldChanges(
    'basis-changed',
    code,
    prefix,
    [
      field('basisMet', '达成时评分依据', from.basisMet, to.basisMet),
      field('basisUnmet', '未达成时评分依据', from.basisUnmet, to.basisUnmet),
    ],
    true,
  );
  return [...scoring, ...basis];
}
