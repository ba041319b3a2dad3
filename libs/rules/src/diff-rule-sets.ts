import Decimal from 'decimal.js';
import { canonicalJson } from './checksum';
import { type Bound, type Interval, bandInterval, describeInterval } from './conditions';
import { parseFormula } from './formula';
import { childPointer, toPointer } from './json-pointer';
import { type Lang, type Localized, localized } from './localized';
import {
  type BandSpec,
  type ChecklistPointSpec,
  type DeclaredSpec,
  type EventKindSpec,
  type GradeRuleSpec,
  type GradeSpec,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  isLeafNode,
  type LeafNode,
  type MethodSpec,
  type NotApplicablePolicy,
  type MetricSpec,
  type RuleFile,
  type TierSpec,
} from './rule-file.types';
import { PATH_SEPARATOR } from './rule-paths';
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
  | 'basis-changed'
  | 'not-applicable-changed'
  | 'veto-added'
  | 'veto-removed'
  | 'veto-changed';

export interface RuleSetChange {
  kind: RuleSetChangeKind;
  /** Indicator code, input id or grade code the change is about. */
  code?: string;
  /** JSON pointer into the new file (into the old file for removals). */
  pointer: string;
  /**
   * What the change is about, named as the bureau knows it: an indicator's Chinese path (管理效能 › 资产管理 ›
   * 固定资产利用率), 填报项「…」, 等次「…」. Absent for changes of the whole file (metadata, rounding).
   */
  path?: string;
  before?: string;
  after?: string;
  /**
   * One sentence of a 修订说明, in the language asked (Chinese by default), e.g.
   * 管理效能 › 资产管理 › 固定资产利用率：85%（含）-95% 得分值的75%（1.5分）（原 90%（含）-95% 得2分；85%（含）-90% 得1.5分）
   */
  message: string;
}

export interface RuleSetDiff {
  from: { id: string; version: string; checksum: string };
  to: { id: string; version: string; checksum: string };
  changes: RuleSetChange[];
  /** Counts per kind. */
  summary: Partial<Record<RuleSetChangeKind, number>>;
}

export interface DiffOptions {
  /** The language of the messages: Chinese (default) or English. Paths stay the bureau's Chinese names. */
  lang?: Lang;
}

/**
 * The semantic difference between two versions of a rule set, for a reviewer deciding whether to release `to`,
 * worded as a 修订说明: one sentence a change, naming the indicator by its Chinese path.
 *
 * Indicators are matched by code, inputs by id, grades by code and checklist points by id; list order alone is
 * never a change. Decimals are compared as decimals ("2" equals "2.0"), formulas by their parsed form, conditions by
 * canonical JSON; defaults are applied where the format defines them (proportional cap 100, bands `of` value,
 * allowNegative false). Bands are compared by interval, never by position: a band with the same interval and award
 * is no change, one whose interval is unchanged says what its award became, and every other new band says what the
 * values it covers scored before (the old bands clipped to its interval). A changed method lists all its new
 * parameters. Embedded `tests[]` are ignored.
 *
 * Order: metadata, rounding, grades, inputs, the rule set's 不适用 policy, then indicators top-down in `to`'s tree
 * order, then the rule set's vetoes (一票否决与上限, matched by code); within each list removals come last, in `from`'s
 * order. `pointer` resolves in `to` (in `from` for input-removed and
 * indicator-removed): when the changed field is absent from `to`, it points at the nearest object that holds it.
 * `before`/`after` are absent when there was or is nothing (an added band, a removed parameter, a top-level parent).
 */
export function diffRuleSets(from: RuleSet, to: RuleSet, options: DiffOptions = {}): RuleSetDiff {
  const lang = options.lang ?? 'zh';
  const context: Context = { from: from.file, to: to.file };
  const changes: RuleSetChange[] = [
    ...diffMetadata(from.file, to.file),
    ...diffRounding(from.file, to.file),
    ...diffGrades(from.file.grades, to.file.grades),
    ...diffInputs(from.file.inputs, to.file.inputs),
    ...diffNotApplicablePolicy(from.file, to.file),
    ...diffIndicators(from.file.indicators, to.file.indicators, context),
    ...diffVetoes(from.file, to.file),
  ].map(({ message, ...change }) => ({ ...change, message: message[lang] }));
  const summary: Partial<Record<RuleSetChangeKind, number>> = {};
  for (const change of changes) summary[change.kind] = (summary[change.kind] ?? 0) + 1;
  return {
    from: { id: from.id, version: from.version, checksum: from.checksum },
    to: { id: to.id, version: to.version, checksum: to.checksum },
    changes,
    summary,
  };
}

/** A change while it is built: its message in both languages. */
type Change = Omit<RuleSetChange, 'message'> & { message: Localized };

interface Context {
  from: RuleFile;
  to: RuleFile;
}

const NOTHING = localized('（无）', '(none)');

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');
const show = (value: string | undefined, lang: Lang): string => oneLine(value ?? NOTHING[lang]);

/** 「prefix」「what」 a 改为 b / prefix what: a → b */
function changedMessage(
  prefix: Localized,
  what: Localized,
  before: string | undefined,
  after: string | undefined,
): Localized {
  return localized(
    `${prefix.zh}${what.zh} ${show(before, 'zh')} 改为 ${show(after, 'zh')}`,
    `${prefix.en}${what.en}: ${show(before, 'en')} → ${show(after, 'en')}`,
  );
}

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
  /** The field's name shown in the message. */
  label: Localized;
  before: string | undefined;
  after: string | undefined;
  equal?: (a: string | undefined, b: string | undefined) => boolean;
  pointer: string;
}

function fieldChanges(
  kind: RuleSetChangeKind,
  about: { code?: string; path?: string },
  prefix: Localized,
  fields: FieldSpec[],
  nameKey = false,
): Change[] {
  return fields
    .filter(({ before, after, equal }) => !(equal ?? ((a, b) => a === b))(before, after))
    .map(({ key, label, before, after, pointer }) => ({
      kind,
      ...(about.code !== undefined && { code: about.code }),
      pointer,
      ...(about.path !== undefined && { path: about.path }),
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
      message: changedMessage(
        prefix,
        nameKey ? localized(`${label.zh}（${key}）`, `${label.en} (${key})`) : label,
        before,
        after,
      ),
    }));
}

// ─── metadata, rounding, grades ──────────────────────────────────────────────────────────────────────────────────

const METADATA_LABELS: Array<[key: keyof RuleFile, label: Localized]> = [
  ['title', localized('标题', 'title')],
  ['jurisdiction', localized('适用地区', 'jurisdiction')],
  ['kind', localized('评价类型', 'kind of evaluation')],
  ['fiscalYear', localized('评价年度', 'fiscal year')],
  ['source', localized('依据文件', 'source document')],
  ['effectiveFrom', localized('生效日期', 'effective from')],
  ['total', localized('总分', 'total')],
  ['budgetHeader', localized('预算执行情况表结构', 'budget table layout')],
  ['continues', localized('承接的上一版本', 'continues')],
];

/** 承接 guangzhou-department-overall 2021.1.0（2021年度）: the continued version, not its input mappings. */
const describeContinues = (file: RuleFile): string | undefined =>
  file.continues && `${file.continues.id} ${file.continues.version}（${file.continues.fiscalYear}年度）`;

function diffMetadata(from: RuleFile, to: RuleFile): Change[] {
  const fields = METADATA_LABELS.map(([key, label]) => ({
    key,
    label,
    before: key === 'continues' ? describeContinues(from) : textOf(from[key]),
    after: key === 'continues' ? describeContinues(to) : textOf(to[key]),
    equal: key === 'total' ? sameDecimal : undefined,
    pointer: fieldPointer('', to, key),
  }));
  return fieldChanges('metadata-changed', {}, localized('规则集：', 'Rule set: '), fields);
}

const ROUNDING_LABELS: Array<[key: keyof RuleFile['rounding'], label: Localized]> = [
  ['mode', localized('舍入方式', 'rounding mode')],
  ['scorePlaces', localized('得分小数位数', 'score decimal places')],
  ['totalPlaces', localized('总分小数位数', 'total decimal places')],
  ['ratePlaces', localized('比率小数位数', 'rate decimal places')],
];

function diffRounding(from: RuleFile, to: RuleFile): Change[] {
  const fields = ROUNDING_LABELS.map(([key, label]) => ({
    key,
    label,
    before: textOf(from.rounding[key]),
    after: textOf(to.rounding[key]),
    pointer: toPointer('rounding', key),
  }));
  return fieldChanges('rounding-changed', {}, localized('舍入规则：', 'Rounding: '), fields, true);
}

const describeGrade = (grade: GradeSpec): string => `${grade.label} ≥${grade.min}`;
const gradePath = (grade: GradeSpec): string => `等次「${grade.label}」`;

function diffGrades(from: GradeSpec[], to: GradeSpec[]): Change[] {
  const old = new Map(from.map((grade) => [grade.code, grade]));
  const codes = new Set(to.map((grade) => grade.code));
  const changes = to.flatMap((grade, i): Change[] => {
    const pointer = toPointer('grades', i);
    const before = old.get(grade.code);
    const path = gradePath(grade);
    if (!before) {
      const after = describeGrade(grade);
      return [
        {
          kind: 'grade-changed',
          code: grade.code,
          pointer,
          path,
          after,
          message: localized(`新增等次 ${grade.code}：${after}`, `New grade ${grade.code}: ${after}`),
        },
      ];
    }
    return fieldChanges(
      'grade-changed',
      { code: grade.code, path },
      localized(`${path}（${grade.code}）：`, `${path} (${grade.code}): `),
      [
        {
          key: 'label',
          label: localized('名称', 'name'),
          before: before.label,
          after: grade.label,
          pointer: childPointer(pointer, 'label'),
        },
        {
          key: 'min',
          label: localized('分数下限', 'lower bound'),
          before: before.min,
          after: grade.min,
          equal: sameDecimal,
          pointer: childPointer(pointer, 'min'),
        },
      ],
    );
  });
  for (const grade of from) {
    if (codes.has(grade.code)) continue;
    const before = describeGrade(grade);
    changes.push({
      kind: 'grade-changed',
      code: grade.code,
      pointer: '/grades',
      path: gradePath(grade),
      before,
      message: localized(`删除等次 ${grade.code}：${before}`, `Grade ${grade.code} removed: ${before}`),
    });
  }
  return changes;
}

// ─── inputs ──────────────────────────────────────────────────────────────────────────────────────────────────────

const INPUT_LABELS: Record<string, Localized> = {
  type: localized('类型', 'type'),
  label: localized('名称', 'label'),
  unit: localized('单位', 'unit'),
  places: localized('小数位数', 'decimal places'),
  allowNegative: localized('允许负数', 'negative allowed'),
  maxLength: localized('最大长度', 'maximum length'),
  description: localized('说明', 'description'),
};
const INPUT_DEFAULTS: Record<string, unknown> = { allowNegative: false };
const inputPath = (input: InputSpec): string => `填报项「${input.label}」`;

function diffInputs(from: InputSpec[], to: InputSpec[]): Change[] {
  const old = new Map(from.map((input, i) => [input.id, { input, i }]));
  const ids = new Set(to.map((input) => input.id));
  const changes = to.flatMap((input, i): Change[] => {
    const pointer = toPointer('inputs', i);
    const before = old.get(input.id)?.input;
    if (!before) {
      return [
        {
          kind: 'input-added',
          code: input.id,
          pointer,
          path: inputPath(input),
          after: input.label,
          message: localized(
            `新增填报项 ${input.label}（${input.id}），类型 ${input.type}`,
            `New input ${input.label} (${input.id}), type ${input.type}`,
          ),
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
      path: inputPath(input),
      before: input.label,
      message: localized(`删除填报项 ${input.label}（${id}）`, `Input ${input.label} (${id}) removed`),
    });
  }
  return changes;
}

function diffInput(from: InputSpec, to: InputSpec, pointer: string): Change[] {
  const path = inputPath(to);
  const about = { code: to.id, path };
  const prefix = localized(`${path}（${to.id}）：`, `${path} (${to.id}): `);
  const record = (input: InputSpec): Record<string, unknown> => input as unknown as Record<string, unknown>;
  const known = Object.keys(INPUT_LABELS);
  const extra = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((key) => key !== 'id' && key !== 'points' && key !== 'kinds' && !known.includes(key))
    .sort();
  const fields = [...known, ...extra].map((key) => ({
    key,
    label: INPUT_LABELS[key] ?? localized(key, key),
    before: textOf(record(from)[key] ?? INPUT_DEFAULTS[key]),
    after: textOf(record(to)[key] ?? INPUT_DEFAULTS[key]),
    pointer: fieldPointer(pointer, to, key),
  }));
  const changes = fieldChanges('input-changed', about, prefix, fields);
  if (from.type === 'checklist' && to.type === 'checklist') {
    changes.push(...diffPoints(from.points, to.points, about, prefix, childPointer(pointer, 'points')));
  }
  if (from.type === 'events' && to.type === 'events') {
    changes.push(...diffKinds(from.kinds, to.kinds, about, prefix, childPointer(pointer, 'kinds')));
  }
  return changes;
}

const signed = (points: string): string => `${new Decimal(points).isNegative() ? '' : '+'}${normalDecimal(points)}`;
const describeKind = (kind: EventKindSpec): Localized =>
  localized(`${kind.label} 每项${signed(kind.points)}分`, `${kind.label} ${signed(kind.points)} each`);

/** The kinds of an events input (加减分事项类型), matched by code: added, relabelled, repriced, removed. */
function diffKinds(
  from: EventKindSpec[],
  to: EventKindSpec[],
  about: { code: string; path: string },
  prefix: Localized,
  pointer: string,
): Change[] {
  const old = new Map(from.map((kind) => [kind.code, kind]));
  const codes = new Set(to.map((kind) => kind.code));
  const changes = to.flatMap((kind, j): Change[] => {
    const at = childPointer(pointer, j);
    const before = old.get(kind.code);
    if (!before) {
      const after = describeKind(kind);
      return [
        {
          kind: 'input-changed',
          ...about,
          pointer: at,
          after: after.zh,
          message: localized(
            `${prefix.zh}新增事项类型（${kind.code}）${after.zh}`,
            `${prefix.en}new kind of event (${kind.code}) ${after.en}`,
          ),
        },
      ];
    }
    return fieldChanges(
      'input-changed',
      about,
      localized(
        `${prefix.zh}事项类型 ${kind.label}（${kind.code}）`,
        `${prefix.en}kind of event ${kind.label} (${kind.code}) `,
      ),
      [
        {
          key: 'label',
          label: localized('名称', 'label'),
          before: before.label,
          after: kind.label,
          pointer: childPointer(at, 'label'),
        },
        {
          key: 'points',
          label: localized('每项分值', 'points each'),
          before: before.points,
          after: kind.points,
          equal: sameDecimal,
          pointer: childPointer(at, 'points'),
        },
      ],
    );
  });
  for (const kind of from) {
    if (codes.has(kind.code)) continue;
    const before = describeKind(kind);
    changes.push({
      kind: 'input-changed',
      ...about,
      pointer,
      before: before.zh,
      message: localized(
        `${prefix.zh}删除事项类型（${kind.code}）${before.zh}`,
        `${prefix.en}kind of event (${kind.code}) removed: ${before.en}`,
      ),
    });
  }
  return changes;
}

const describePoint = (point: ChecklistPointSpec): string => `${point.label} ${point.points}分`;

function diffPoints(
  from: ChecklistPointSpec[],
  to: ChecklistPointSpec[],
  about: { code: string; path: string },
  prefix: Localized,
  pointer: string,
): Change[] {
  const old = new Map(from.map((point) => [point.id, point]));
  const ids = new Set(to.map((point) => point.id));
  const changes = to.flatMap((point, j): Change[] => {
    const at = childPointer(pointer, j);
    const before = old.get(point.id);
    if (!before) {
      const after = describePoint(point);
      return [
        {
          kind: 'input-changed',
          ...about,
          pointer: at,
          after,
          message: localized(
            `${prefix.zh}新增要点（${point.id}）${after}`,
            `${prefix.en}new point (${point.id}) ${point.label}, ${normalDecimal(point.points)} points`,
          ),
        },
      ];
    }
    return fieldChanges(
      'input-changed',
      about,
      localized(`${prefix.zh}要点 ${point.label}（${point.id}）`, `${prefix.en}point ${point.label} (${point.id}) `),
      [
        {
          key: 'label',
          label: localized('名称', 'label'),
          before: before.label,
          after: point.label,
          pointer: childPointer(at, 'label'),
        },
        {
          key: 'points',
          label: localized('分值', 'points'),
          before: before.points,
          after: point.points,
          equal: sameDecimal,
          pointer: childPointer(at, 'points'),
        },
      ],
    );
  });
  for (const point of from) {
    if (ids.has(point.id)) continue;
    const before = describePoint(point);
    changes.push({
      kind: 'input-changed',
      ...about,
      pointer,
      before,
      message: localized(
        `${prefix.zh}删除要点（${point.id}）${before}`,
        `${prefix.en}point (${point.id}) removed: ${point.label}, ${normalDecimal(point.points)} points`,
      ),
    });
  }
  return changes;
}

// ─── indicators ──────────────────────────────────────────────────────────────────────────────────────────────────

interface NodeEntry {
  node: IndicatorNode;
  pointer: string;
  /** The Chinese path of the node: its ancestors' names and its own. */
  path: string;
  parent?: IndicatorNode;
}

/** Every node of a tree in pre-order (top-down, as the file lists them), with its pointer, path and parent. */
function flatten(nodes: IndicatorNode[], pointer = '/indicators', parent?: NodeEntry): NodeEntry[] {
  return nodes.flatMap((node, i) => {
    const at = childPointer(pointer, i);
    const path = parent ? parent.path + PATH_SEPARATOR + node.name : node.name;
    const entry: NodeEntry = { node, pointer: at, path, ...(parent && { parent: parent.node }) };
    return isGroupNode(node) ? [entry, ...flatten(node.children, childPointer(at, 'children'), entry)] : [entry];
  });
}

function diffIndicators(from: IndicatorNode[], to: IndicatorNode[], context: Context): Change[] {
  const oldEntries = flatten(from);
  const newEntries = flatten(to);
  const old = new Map(oldEntries.map((entry) => [entry.node.code, entry]));
  const paths = new Map(newEntries.map((entry) => [entry.node.code, entry.path]));
  const codes = new Set(newEntries.map((entry) => entry.node.code));
  const changes = newEntries.flatMap((entry): Change[] => {
    const before = old.get(entry.node.code);
    if (before) return diffNode(before, entry, context, paths);
    const { node, parent, path } = entry;
    const how = describeNodeMethod(node, context.to);
    const where = parent
      ? localized(`，位于 ${paths.get(parent.code)} 下`, `, under ${paths.get(parent.code)}`)
      : localized('，位于顶层', ', at the top level');
    return [
      {
        kind: 'indicator-added',
        code: node.code,
        pointer: entry.pointer,
        path,
        after: node.name,
        message: localized(
          `新增指标 ${path}（${node.code}），分值 ${node.weight}${where.zh}；${how.zh}`,
          `New indicator ${path} (${node.code}), weight ${node.weight}${where.en}; ${how.en}`,
        ),
      },
    ];
  });
  for (const { node, pointer, path } of oldEntries) {
    if (codes.has(node.code)) continue;
    changes.push({
      kind: 'indicator-removed',
      code: node.code,
      pointer,
      path,
      before: node.name,
      message: localized(
        `删除指标 ${path}（${node.code}），原分值 ${node.weight}`,
        `Indicator ${path} (${node.code}) removed; its weight was ${node.weight}`,
      ),
    });
  }
  return changes;
}

const METHOD_LABELS: Record<string, Localized> = {
  group: localized('下级指标汇总', 'sum of the indicators below'),
  target: localized('目标值计分', 'declared targets'),
  proportional: localized('按比例计分', 'proportional'),
  deduction: localized('扣分法', 'deduction'),
  bands: localized('分档计分', 'bands'),
  checklist: localized('要点计分', 'checklist'),
  judgment: localized('评议计分', 'judgment'),
  boolean: localized('是否达成', 'met or not'),
  'count-adjust': localized('加减分', 'bonus and penalty by count'),
  events: localized('加减分事项', 'itemised bonus and penalty'),
  'judged-adjust': localized('评议加减分', 'judged bonus and penalty'),
};
/** A group has no method; a declared section is scored by its `target` method. */
const methodOf = (node: IndicatorNode): string =>
  isGroupNode(node) ? 'group' : isDeclaredNode(node) ? node.declared.method : node.method.type;
const methodName = (type: string): Localized => {
  const label = METHOD_LABELS[type] ?? localized(type, type);
  return localized(`${label.zh}（${type}）`, label.en === type ? type : `${label.en} (${type})`);
};

function diffNode(from: NodeEntry, to: NodeEntry, context: Context, paths: Map<string, string>): Change[] {
  const { node, path } = to;
  const code = node.code;
  const about = { code, path };
  const prefix = localized(`${path}：`, `${path}: `);
  const changes: Change[] = [];
  const add = (change: Omit<Change, 'code' | 'path'>): void => {
    changes.push({ code, path, ...change });
  };

  if (from.node.name !== node.name) {
    add({
      kind: 'indicator-renamed',
      pointer: childPointer(to.pointer, 'name'),
      before: from.node.name,
      after: node.name,
      message: changedMessage(prefix, localized('名称', 'name'), from.node.name, node.name),
    });
  }
  if (from.parent?.code !== to.parent?.code) {
    const oldParent = from.path.split(PATH_SEPARATOR).slice(0, -1).join(PATH_SEPARATOR);
    const newParent = to.parent ? paths.get(to.parent.code) : undefined;
    add({
      kind: 'indicator-moved',
      pointer: to.pointer,
      ...(from.parent && { before: from.parent.code }),
      ...(to.parent && { after: to.parent.code }),
      message: localized(
        `${prefix.zh}从 ${oldParent || '顶层'} 移至 ${newParent ?? '顶层'}`,
        `${prefix.en}moved from ${oldParent || 'the top level'} to ${newParent ?? 'the top level'}`,
      ),
    });
  }
  if (!sameDecimal(from.node.weight, node.weight)) {
    add({
      kind: 'weight-changed',
      pointer: childPointer(to.pointer, 'weight'),
      before: from.node.weight,
      after: node.weight,
      message: changedMessage(prefix, localized('分值', 'weight'), from.node.weight, node.weight),
    });
  }

  const [oldMethod, newMethod] = [methodOf(from.node), methodOf(node)];
  const sameShape = isGroupNode(from.node) === isGroupNode(node) && isDeclaredNode(from.node) === isDeclaredNode(node);
  if (!sameShape || oldMethod !== newMethod) {
    add({
      kind: 'method-changed',
      pointer: isLeafNode(node) ? childPointer(to.pointer, 'method', 'type') : to.pointer,
      before: oldMethod,
      after: newMethod,
      message: methodChangedMessage(prefix, from.node, node, context),
    });
  } else if (isLeafNode(from.node) && isLeafNode(node)) {
    changes.push(...diffLeaf(from.node, node, to.pointer, prefix, about));
  } else if (isDeclaredNode(from.node) && isDeclaredNode(node)) {
    changes.push(
      ...diffDeclared(from.node.declared, node.declared, about, childPointer(to.pointer, 'declared'), prefix),
    );
  }
  if (isLeafNode(from.node) && isLeafNode(node)) {
    changes.push(...diffLeafExtras(from.node, node, to.pointer, prefix, about));
  }

  const onTop = (entry: IndicatorNode): string => (!isDeclaredNode(entry) && entry.onTop ? '是' : '否');
  if (onTop(from.node) !== onTop(node)) {
    add({
      kind: 'parameter-changed',
      pointer: fieldPointer(to.pointer, node, 'onTop'),
      before: onTop(from.node),
      after: onTop(node),
      message: changedMessage(
        prefix,
        localized('另计加减分，不计入总分（onTop）', 'counted on top of the total (onTop)'),
        onTop(from.node),
        onTop(node),
      ),
    });
  }

  changes.push(...diffNodeNotApplicable(from.node, node, to.pointer, prefix, about));

  const fields: Array<[kind: RuleSetChangeKind, key: string, label: Localized, before?: string, after?: string]> = [
    [
      'explanation-changed',
      'explanation',
      localized('指标解释', 'explanation'),
      from.node.explanation,
      node.explanation,
    ],
    ['basis-changed', 'basis', localized('评分依据模板', '评分依据 template'), basisOf(from.node), basisOf(node)],
  ];
  for (const [kind, key, label, before, after] of fields) {
    changes.push(
      ...fieldChanges(kind, about, prefix, [
        { key, label, before, after, pointer: fieldPointer(to.pointer, node, key) },
      ]),
    );
  }
  return changes;
}

const basisOf = (node: IndicatorNode): string | undefined => (isLeafNode(node) ? node.basis : undefined);

/** 计分方法 由 按比例计分（proportional） 改为 扣分法（deduction）：以100%为基准，每低1个百分点扣0.1分，扣完为止 */
function methodChangedMessage(prefix: Localized, from: IndicatorNode, to: IndicatorNode, context: Context): Localized {
  const [before, after] = [methodName(methodOf(from)), methodName(methodOf(to))];
  const how = describeNodeMethod(to, context.to);
  return localized(
    `${prefix.zh}计分方法 ${before.zh} 改为 ${after.zh}：${how.zh}`,
    `${prefix.en}method: ${before.en} → ${after.en}: ${how.en}`,
  );
}

// ─── methods in words ────────────────────────────────────────────────────────────────────────────────────────────

const suffixOf = (leaf: LeafNode): string => (leaf.metric?.unit === 'percent' ? '%' : '');
const inputName = (file: RuleFile, id: string): Localized => {
  const input = file.inputs.find((spec) => spec.id === id);
  return input
    ? localized(`填报项「${input.label}」（${id}）`, `input ${input.label} (${id})`)
    : localized(`填报项 ${id}`, `input ${id}`);
};
const capsOf = (bonusCap: string | undefined, penaltyCap: string | undefined): Localized => {
  const zh = [bonusCap && `最多加${normalDecimal(bonusCap)}分`, penaltyCap && `最多扣${normalDecimal(penaltyCap)}分`];
  const en = [bonusCap && `at most +${normalDecimal(bonusCap)}`, penaltyCap && `at most −${normalDecimal(penaltyCap)}`];
  return localized(zh.filter(Boolean).join('，'), en.filter(Boolean).join(', '));
};

/** What a node's method does, with all its parameters, in both languages. */
function describeNodeMethod(node: IndicatorNode, file: RuleFile): Localized {
  if (isGroupNode(node)) {
    const names = node.children.map((child) => child.name).join('、');
    return localized(`由下级指标 ${names} 汇总`, `the sum of ${names}`);
  }
  if (isDeclaredNode(node)) {
    const { declared } = node;
    return localized(
      `按申报的绩效目标计分（${declared.levels}级，比较符 ${declared.comparators.join(' ')}）`,
      `scored on the declared targets (${declared.levels} level(s), comparators ${declared.comparators.join(' ')})`,
    );
  }
  return describeMethod(node, file);
}

function describeMethod(leaf: LeafNode, file: RuleFile): Localized {
  const method = leaf.method;
  const suffix = suffixOf(leaf);
  const percent = suffix === '%';
  const metric = leaf.metric?.label ?? leaf.name;
  switch (method.type) {
    case 'proportional': {
      const cap = normalDecimal(method.cap ?? '100');
      return localized(
        `得分＝分值×${metric}${percent ? '' : '÷100'}，${metric}最高按${cap}${suffix}计`,
        `score = weight × ${metric}${percent ? '' : ' ÷ 100'}, counted up to ${cap}${suffix}`,
      );
    }
    case 'deduction': {
      const [reference, perUnit] = [normalDecimal(method.reference), normalDecimal(method.perUnit)];
      const below = method.direction === 'below';
      return localized(
        `以${reference}${suffix}为满分基准，每${below ? '低' : '高'}1${percent ? '个百分点' : ''}扣${perUnit}分，扣完为止`,
        `full marks at ${reference}${suffix}, ${perUnit} off per ${percent ? 'percentage point' : 'unit'} ${
          below ? 'below' : 'above'
        } it, down to 0`,
      );
    }
    case 'bands': {
      const bands = method.bands.map((band) => describeBand(band, leaf));
      const abs = method.of === 'abs' ? localized('按绝对值：', 'on the absolute value: ') : localized('', '');
      return localized(
        abs.zh + bands.map((band) => band.zh).join('；'),
        abs.en + bands.map((band) => band.en).join('; '),
      );
    }
    case 'checklist': {
      const input = file.inputs.find((spec) => spec.id === method.input);
      const points = input?.type === 'checklist' ? input.points : [];
      const name = inputName(file, method.input);
      return localized(
        `按${name.zh}逐项计分：${points.map((p) => `${p.label}${normalDecimal(p.points)}分`).join('；')}`,
        `${name.en}, point by point: ${points.map((p) => `${p.label} ${normalDecimal(p.points)}`).join('; ')}`,
      );
    }
    case 'judgment': {
      const name = inputName(file, method.input);
      const tiers = describeTiers(method.tiers);
      return localized(
        `按${name.zh}评议打分${tiers ? `，档次 ${tiers}` : ''}`,
        `judged through ${name.en}${tiers ? `, tiers ${tiers}` : ''}`,
      );
    }
    case 'boolean': {
      const name = inputName(file, method.input);
      return localized(`${name.zh}为“是”得满分，否则不得分`, `full marks when ${name.en} is yes, else 0`);
    }
    case 'count-adjust': {
      const [p, n] = [method.positive, method.negative];
      const [pi, ni] = [inputName(file, p.input), inputName(file, n.input)];
      return localized(
        `${pi.zh}每项加${normalDecimal(p.each)}分、最多加${normalDecimal(p.cap)}分；${ni.zh}每项减${normalDecimal(
          n.each,
        )}分、最多减${normalDecimal(n.cap)}分`,
        `+${normalDecimal(p.each)} per ${pi.en}, at most +${normalDecimal(p.cap)}; −${normalDecimal(n.each)} per ${
          ni.en
        }, at most −${normalDecimal(n.cap)}`,
      );
    }
    case 'events': {
      const name = inputName(file, method.input);
      const input = file.inputs.find((spec) => spec.id === method.input);
      const kinds = input?.type === 'events' ? input.kinds.map(describeKind) : [];
      const caps = capsOf(method.bonusCap, method.penaltyCap);
      return localized(
        `按${name.zh}逐项加减分：${kinds.map((k) => k.zh).join('；')}${caps.zh ? `；${caps.zh}` : ''}`,
        `itemised through ${name.en}: ${kinds.map((k) => k.en).join('; ')}${caps.en ? `; ${caps.en}` : ''}`,
      );
    }
    case 'judged-adjust': {
      const name = inputName(file, method.input);
      const caps = capsOf(method.bonusCap, method.penaltyCap);
      return localized(
        `按${name.zh}评议加减分${caps.zh ? `，${caps.zh}` : ''}，须写明理由`,
        `judged through ${name.en}${caps.en ? `, ${caps.en}` : ''}, with a reason`,
      );
    }
  }
}

function diffLeaf(
  from: LeafNode,
  to: LeafNode,
  pointer: string,
  prefix: Localized,
  about: { code: string; path: string },
): Change[] {
  const methodPointer = childPointer(pointer, 'method');
  const changes: Change[] = fieldChanges(
    'parameter-changed',
    about,
    localized(`${prefix.zh}参数 `, `${prefix.en}parameter `),
    methodParameters(from.method, to.method, methodPointer),
    true,
  );
  if (from.method.type === 'bands' && to.method.type === 'bands') {
    changes.push(...diffBands(from, to, methodPointer, prefix, about));
  }
  return changes;
}

/** What changes of a leaf besides its method: its metric, places and conditions. */
function diffLeafExtras(
  from: LeafNode,
  to: LeafNode,
  pointer: string,
  prefix: Localized,
  about: { code: string; path: string },
): Change[] {
  const changes: Change[] = [...diffMetric(from.metric, to.metric, about, pointer, prefix)];
  changes.push(
    ...fieldChanges(
      'parameter-changed',
      about,
      localized(`${prefix.zh}参数 `, `${prefix.en}parameter `),
      [
        {
          key: 'places',
          label: localized('得分小数位数', 'score decimal places'),
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
      ...about,
      pointer: fieldPointer(pointer, to, key),
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
      message: changedMessage(
        prefix,
        key === 'applies'
          ? localized('适用条件（applies）', 'applicability (applies)')
          : localized('否决条件（veto）', 'veto (veto)'),
        before,
        after,
      ),
    });
  }
  return changes;
}

const PARAMETER_LABELS: Record<string, Localized> = {
  cap: localized('上限', 'cap'),
  reference: localized('基准值', 'reference'),
  direction: localized('扣分方向', 'direction'),
  perUnit: localized('每单位扣分', 'points off per unit'),
  of: localized('计分对象', 'scored on'),
  monotone: localized('单调性', 'monotone'),
  input: localized('填报项', 'input'),
  tiers: localized('档次', 'tiers'),
  'positive.input': localized('加分填报项', 'bonus input'),
  'positive.each': localized('每次加分', 'bonus each'),
  'positive.cap': localized('加分上限', 'bonus cap'),
  'negative.input': localized('减分填报项', 'penalty input'),
  'negative.each': localized('每次减分', 'penalty each'),
  'negative.cap': localized('减分上限', 'penalty cap'),
  bonusCap: localized('最多加分', 'bonus cap'),
  penaltyCap: localized('最多减分', 'penalty cap'),
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
      label: PARAMETER_LABELS[key] ?? localized(key, key),
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

// ─── bands, by interval ──────────────────────────────────────────────────────────────────────────────────────────

interface ReadBand {
  band: BandSpec;
  index: number;
  /** The interval, or the condition's canonical JSON when it is not one. */
  interval: Interval | string;
}

const readBands = (leaf: LeafNode): ReadBand[] =>
  (leaf.method as { bands: BandSpec[] }).bands.map((band, index) => ({
    band,
    index,
    interval: bandInterval(band.when),
  }));

const intervalKey = (interval: Interval | string): string =>
  typeof interval === 'string'
    ? `json ${interval}`
    : `${interval.lower ? `${interval.lower.inclusive ? '[' : '('}${interval.lower.value.toFixed()}` : '(-∞'},${
        interval.upper ? `${interval.upper.value.toFixed()}${interval.upper.inclusive ? ']' : ')'}` : '+∞)'
      }`;
const awardKey = (band: BandSpec): string =>
  band.score !== undefined ? `score ${normalDecimal(band.score)}` : `fraction ${normalDecimal(band.fraction ?? '0')}`;

/** What a band awards: 得1.5分, 得满分（2分）, 得分值的75%（1.5分）, 不得分. */
function describeAward(band: BandSpec, weight: string): Localized {
  if (band.score !== undefined) {
    const score = normalDecimal(band.score);
    return new Decimal(score).isZero() ? localized('得0分', 'scores 0') : localized(`得${score}分`, `scores ${score}`);
  }
  const fraction = new Decimal(band.fraction ?? '0');
  const points = fraction.times(weight).toFixed();
  if (fraction.isZero()) return localized('不得分', 'scores 0');
  if (fraction.eq(1)) return localized(`得满分（${points}分）`, `full marks (${points})`);
  const percent = fraction.times(100).toFixed();
  return localized(`得分值的${percent}%（${points}分）`, `${percent}% of the weight (${points})`);
}

function describeIntervalEn(interval: Interval, suffix: string): string {
  const { lower, upper } = interval;
  const fmt = (bound: Bound): string => bound.value.toFixed() + suffix;
  if (lower && upper) return `${lower.inclusive ? '[' : '('}${fmt(lower)}, ${fmt(upper)}${upper.inclusive ? ']' : ')'}`;
  if (lower) return `${lower.inclusive ? '≥' : '>'}${fmt(lower)}`;
  if (upper) return `${upper.inclusive ? '≤' : '<'}${fmt(upper)}`;
  return 'any value';
}

function describeWhere(interval: Interval | string, suffix: string): Localized {
  return typeof interval === 'string'
    ? localized(interval, interval)
    : localized(describeInterval(interval, suffix), describeIntervalEn(interval, suffix));
}

function describeBand(band: BandSpec, leaf: LeafNode, interval = bandInterval(band.when)): Localized {
  const where = describeWhere(interval, suffixOf(leaf));
  const award = describeAward(band, leaf.weight);
  return localized(`${where.zh} ${award.zh}`, `${where.en} ${award.en}`);
}

/** The part two intervals share, or undefined when they share nothing. */
function intersect(a: Interval, b: Interval): Interval | undefined {
  const pick = (x: Bound | undefined, y: Bound | undefined, lower: boolean): Bound | undefined => {
    if (!x) return y;
    if (!y) return x;
    const cmp = x.value.comparedTo(y.value);
    if (cmp === 0) return { value: x.value, inclusive: x.inclusive && y.inclusive };
    return cmp > 0 === lower ? x : y;
  };
  const lower = pick(a.lower, b.lower, true);
  const upper = pick(a.upper, b.upper, false);
  if (lower && upper) {
    const cmp = lower.value.comparedTo(upper.value);
    if (cmp > 0 || (cmp === 0 && !(lower.inclusive && upper.inclusive))) return undefined;
  }
  return { ...(lower && { lower }), ...(upper && { upper }) };
}

/**
 * Bands compared by interval: unchanged bands (same interval, same award) say nothing; a band whose interval stayed
 * says what its award became; every other new band says what the values it covers scored before; an old band no
 * new band covers any part of is removed.
 */
function diffBands(
  from: LeafNode,
  to: LeafNode,
  methodPointer: string,
  prefix: Localized,
  about: { code: string; path: string },
): Change[] {
  const bandsPointer = childPointer(methodPointer, 'bands');
  const key = (b: ReadBand): string => `${intervalKey(b.interval)} ${awardKey(b.band)}`;
  const oldBands = readBands(from);
  const newBands = readBands(to);
  const kept = new Set(oldBands.filter((o) => newBands.some((n) => key(n) === key(o))).map(key));
  const oldLeft = oldBands.filter((o) => !kept.has(key(o)));
  const newLeft = newBands.filter((n) => !kept.has(key(n)));
  const changes: Change[] = [];
  const covered = new Set<number>();
  for (const band of newLeft) {
    const pointer = childPointer(bandsPointer, band.index);
    const after = describeBand(band.band, to, band.interval);
    const sameInterval = oldLeft.find((o) => intervalKey(o.interval) === intervalKey(band.interval));
    if (sameInterval) {
      covered.add(sameInterval.index);
      const where = describeWhere(band.interval, suffixOf(to));
      const [was, now] = [describeAward(sameInterval.band, from.weight), describeAward(band.band, to.weight)];
      changes.push({
        kind: 'band-changed',
        ...about,
        pointer,
        before: describeBand(sameInterval.band, from, sameInterval.interval).zh,
        after: after.zh,
        message: localized(
          `${prefix.zh}${where.zh} ${was.zh} 改为 ${now.zh}`,
          `${prefix.en}${where.en}: ${was.en} → ${now.en}`,
        ),
      });
      continue;
    }
    // What the values of this band scored before: the old bands clipped to its interval.
    const parts: Array<{ old: ReadBand; part: Interval }> = [];
    if (typeof band.interval !== 'string') {
      for (const old of oldBands) {
        if (typeof old.interval === 'string') continue;
        const part = intersect(old.interval, band.interval);
        if (!part) continue;
        if (!kept.has(key(old))) covered.add(old.index);
        parts.push({ old, part });
      }
    }
    const points = pointsOf(band.band, to.weight);
    // Scores that stay what they were over the whole band: say so, and name the old band as it was written.
    const unchanged = parts.length > 0 && parts.every(({ old }) => pointsOf(old.band, from.weight).eq(points));
    const before = unchanged
      ? parts.map(({ old }) => describeBand(old.band, from, old.interval))
      : parts.map(({ old, part }) => describeBand(old.band, from, part));
    const was = localized(before.map((b) => b.zh).join('；'), before.map((b) => b.en).join('; '));
    changes.push({
      kind: 'band-changed',
      ...about,
      pointer,
      ...(before.length > 0 && { before: was.zh }),
      after: after.zh,
      message:
        before.length === 0
          ? localized(`${prefix.zh}新增分档 ${after.zh}`, `${prefix.en}new band ${after.en}`)
          : unchanged
            ? localized(
                `${prefix.zh}${after.zh}（原 ${was.zh}，此区间得分不变）`,
                `${prefix.en}${after.en} (was ${was.en}; the same score in this interval)`,
              )
            : localized(`${prefix.zh}${after.zh}（原 ${was.zh}）`, `${prefix.en}${after.en} (was ${was.en})`),
    });
  }
  for (const old of oldLeft) {
    if (covered.has(old.index)) continue;
    const before = describeBand(old.band, from, old.interval);
    changes.push({
      kind: 'band-changed',
      ...about,
      pointer: bandsPointer,
      before: before.zh,
      message: localized(`${prefix.zh}删除分档 ${before.zh}`, `${prefix.en}band removed: ${before.en}`),
    });
  }
  return changes;
}

const pointsOf = (band: BandSpec, weight: string): Decimal =>
  band.score !== undefined ? new Decimal(band.score) : new Decimal(band.fraction ?? '0').times(weight);

/** Formulas compare by their parsed form, so spacing and redundant parentheses are not changes. */
function sameFormula(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const [pa, pb] = [parseFormula(a), parseFormula(b)];
  return pa.ast && pb.ast ? canonicalJson(pa.ast) === canonicalJson(pb.ast) : a === b;
}

function diffMetric(
  from: MetricSpec | undefined,
  to: MetricSpec | undefined,
  about: { code: string; path: string },
  leafPointer: string,
  prefix: Localized,
): Change[] {
  const pointer = fieldPointer(leafPointer, { metric: to }, 'metric');
  const field = (key: keyof MetricSpec, label: Localized, equal?: FieldSpec['equal']): FieldSpec => ({
    key,
    label,
    before: textOf(from?.[key]),
    after: textOf(to?.[key]),
    pointer: fieldPointer(pointer, to, key),
    ...(equal && { equal }),
  });
  return fieldChanges(
    'formula-changed',
    about,
    prefix,
    [
      field('formula', localized('计算公式', 'formula'), sameFormula),
      field('unit', localized('计量单位', 'unit')),
      field('places', localized('显示小数位数', 'display places')),
      field('label', localized('指标口径名称', 'metric label')),
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
  about: { code: string; path: string },
  pointer: string,
  prefix: Localized,
): Change[] {
  const field = (
    key: keyof DeclaredSpec,
    label: Localized,
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
    about,
    localized(`${prefix.zh}申报要求 `, `${prefix.en}declaration `),
    [
      field('method', localized('计分方法', 'method'), from.method, to.method),
      field('levels', localized('申报层级', 'levels'), String(from.levels), String(to.levels)),
      field(
        'comparators',
        localized('可用比较符', 'comparators'),
        from.comparators.join(' '),
        to.comparators.join(' '),
        sameSet,
      ),
      field(
        'qualitativeTiers',
        localized('定性档次', 'qualitative tiers'),
        describeTiers(from.qualitativeTiers),
        describeTiers(to.qualitativeTiers),
      ),
      field(
        'minIndicatorWeight',
        localized('关键指标最低分值', 'smallest key-indicator weight'),
        from.minIndicatorWeight,
        to.minIndicatorWeight,
        sameDecimal,
      ),
      field('places', localized('得分小数位数', 'score decimal places'), textOf(from.places), textOf(to.places)),
    ],
    true,
  );
  const basis = fieldChanges(
    'basis-changed',
    about,
    prefix,
    [
      field('basisMet', localized('达成时评分依据', '评分依据 when met'), from.basisMet, to.basisMet),
      field('basisUnmet', localized('未达成时评分依据', '评分依据 when not met'), from.basisUnmet, to.basisUnmet),
    ],
    true,
  );
  return [...scoring, ...basis];
}

// ─── 不适用 settings ─────────────────────────────────────────────────────────────────────────────────────────────

const POLICY_LABELS: Record<NotApplicablePolicy, Localized> = {
  siblings: localized('分值按比例分给同级指标（siblings）', 'weight to the siblings in proportion (siblings)'),
  parent: localized('上级指标按实际分值折算（parent）', 'parent rescaled from the applicable part (parent)'),
  total: localized('总分按实际分值折算（total）', 'total rescaled from the applicable part (total)'),
};
const describePolicy = (policy: NotApplicablePolicy | undefined, absent: Localized): Localized =>
  policy === undefined ? absent : (POLICY_LABELS[policy] ?? localized(policy, policy));

/** One change of a 不适用 setting, worded 「prefix」「what」 a 改为 b with the settings in words. */
function notApplicableChange(
  about: { code?: string; path?: string },
  pointer: string,
  prefix: Localized,
  what: Localized,
  before: Localized,
  after: Localized,
): Change {
  return {
    kind: 'not-applicable-changed',
    ...(about.code !== undefined && { code: about.code }),
    ...(about.path !== undefined && { path: about.path }),
    pointer,
    before: before.zh,
    after: after.zh,
    message: localized(
      `${prefix.zh}${what.zh} ${before.zh} 改为 ${after.zh}`,
      `${prefix.en}${what.en}: ${before.en} → ${after.en}`,
    ),
  };
}

/** The rule set's default policy for what a department marks 不适用. */
function diffNotApplicablePolicy(from: RuleFile, to: RuleFile): Change[] {
  const [before, after] = [from.notApplicable?.policy, to.notApplicable?.policy];
  if (before === after) return [];
  const none = localized('未规定', 'none');
  return [
    notApplicableChange(
      {},
      to.notApplicable ? toPointer('notApplicable', 'policy') : '',
      localized('规则集：', 'Rule set: '),
      localized('不适用指标的分值分配方式（notApplicable）', 'redistribution of what is marked 不适用 (notApplicable)'),
      describePolicy(before, none),
      describePolicy(after, none),
    ),
  ];
}

const YES_NO = { true: localized('是', 'yes'), false: localized('否', 'no') };

/** A node's own 不适用 settings: may a department mark it (allowNotApplicable), and its children's policy. */
function diffNodeNotApplicable(
  from: IndicatorNode,
  to: IndicatorNode,
  pointer: string,
  prefix: Localized,
  about: { code: string; path: string },
): Change[] {
  const changes: Change[] = [];
  const allowed = (node: IndicatorNode): boolean =>
    isGroupNode(node)
      ? false
      : isDeclaredNode(node)
        ? node.declared.allowNotApplicable === true
        : node.allowNotApplicable === true;
  if (!isGroupNode(to) && allowed(from) !== allowed(to)) {
    const declared = isDeclaredNode(to);
    changes.push(
      notApplicableChange(
        about,
        declared
          ? fieldPointer(childPointer(pointer, 'declared'), to.declared, 'allowNotApplicable')
          : fieldPointer(pointer, to, 'allowNotApplicable'),
        prefix,
        declared
          ? localized(
              '申报的关键指标可由部门标为不适用（allowNotApplicable）',
              'declared rows may be marked 不适用 (allowNotApplicable)',
            )
          : localized(
              '可由部门标为不适用（allowNotApplicable）',
              'may be marked 不适用 by the department (allowNotApplicable)',
            ),
        YES_NO[`${allowed(from)}`],
        YES_NO[`${allowed(to)}`],
      ),
    );
  }
  const policyOf = (node: IndicatorNode): NotApplicablePolicy | undefined =>
    isLeafNode(node) ? undefined : node.notApplicable?.policy;
  const [before, after] = [policyOf(from), policyOf(to)];
  if (before !== after) {
    const inherited = localized('沿用规则集的方式', "the rule set's");
    changes.push(
      notApplicableChange(
        about,
        after !== undefined ? childPointer(pointer, 'notApplicable', 'policy') : pointer,
        prefix,
        localized(
          '下级不适用时的分值分配方式（notApplicable）',
          'redistribution when something below is 不适用 (notApplicable)',
        ),
        describePolicy(before, inherited),
        describePolicy(after, inherited),
      ),
    );
  }
  return changes;
}

// ─── the rule set's vetoes (一票否决与上限) ───────────────────────────────────────────────────────────────────────

const VETO_DEFAULT_NAMES = {
  setGrade: localized('一票否决', 'veto'),
  maxGrade: localized('等次上限', 'grade cap'),
  maxTotal: localized('总分封顶', 'total cap'),
};
const vetoEffectKey = (veto: GradeRuleSpec): keyof typeof VETO_DEFAULT_NAMES =>
  veto.setGrade !== undefined ? 'setGrade' : veto.maxGrade !== undefined ? 'maxGrade' : 'maxTotal';
/** 一票否决与上限「一票否决：重大违纪违规」, as rulePathOf names it. */
const vetoPath = (veto: GradeRuleSpec): string => `一票否决与上限「${veto.name ?? veto.code}」`;

/** 等次定为差（poor） / 等次最高为良（good） / 总分最高为90 */
function describeVetoEffect(veto: GradeRuleSpec, file: RuleFile): Localized {
  const grade = (code: string): Localized => {
    const label = file.grades.find((g) => g.code === code)?.label;
    return label ? localized(`${label}（${code}）`, `${label} (${code})`) : localized(code, code);
  };
  if (veto.setGrade !== undefined) {
    const to = grade(veto.setGrade);
    return localized(`等次定为${to.zh}`, `grade set to ${to.en}`);
  }
  if (veto.maxGrade !== undefined) {
    const to = grade(veto.maxGrade);
    return localized(`等次最高为${to.zh}`, `grade at most ${to.en}`);
  }
  return localized(`总分最高为${veto.maxTotal}`, `total at most ${veto.maxTotal}`);
}

/** 等次定为差（poor），理由“…”，条件 {…} */
function describeVeto(veto: GradeRuleSpec, file: RuleFile): Localized {
  const effect = describeVetoEffect(veto, file);
  const when = canonicalJson(veto.when);
  return localized(
    `${effect.zh}，理由“${oneLine(veto.reason)}”，条件 ${when}`,
    `${effect.en}, reason "${oneLine(veto.reason)}", condition ${when}`,
  );
}

function diffVetoes(from: RuleFile, to: RuleFile): Change[] {
  const [oldList, newList] = [from.vetoes ?? [], to.vetoes ?? []];
  const old = new Map(oldList.map((veto) => [veto.code, veto]));
  const codes = new Set(newList.map((veto) => veto.code));
  const changes = newList.flatMap((veto, i): Change[] => {
    const pointer = toPointer('vetoes', i);
    const path = vetoPath(veto);
    const about = { code: veto.code, path };
    const before = old.get(veto.code);
    if (!before) {
      const how = describeVeto(veto, to);
      return [
        {
          kind: 'veto-added',
          ...about,
          pointer,
          after: veto.reason,
          message: localized(
            `新增${path}（${veto.code}）：${how.zh}`,
            `New ${VETO_DEFAULT_NAMES[vetoEffectKey(veto)].en} ${path} (${veto.code}): ${how.en}`,
          ),
        },
      ];
    }
    const prefix = localized(`${path}：`, `${path}: `);
    const [oldEffect, newEffect] = [describeVetoEffect(before, from), describeVetoEffect(veto, to)];
    const fields: FieldSpec[] = [
      {
        key: 'name',
        label: localized('名称', 'name'),
        before: before.name,
        after: veto.name,
        pointer: fieldPointer(pointer, veto, 'name'),
      },
      {
        key: 'when',
        label: localized('条件', 'condition'),
        before: canonicalJson(before.when),
        after: canonicalJson(veto.when),
        pointer: childPointer(pointer, 'when'),
      },
      {
        key: vetoEffectKey(veto),
        label: localized('效果', 'effect'),
        before: oldEffect.zh,
        after: newEffect.zh,
        pointer: childPointer(pointer, vetoEffectKey(veto)),
      },
      {
        key: 'reason',
        label: localized('理由', 'reason'),
        before: before.reason,
        after: veto.reason,
        pointer: childPointer(pointer, 'reason'),
      },
    ];
    return fieldChanges('veto-changed', about, prefix, fields).map((change) =>
      change.pointer.endsWith(`/${vetoEffectKey(veto)}`)
        ? { ...change, message: changedMessageOf(prefix, localized('效果', 'effect'), oldEffect, newEffect) }
        : change,
    );
  });
  for (const [i, veto] of oldList.entries()) {
    if (codes.has(veto.code)) continue;
    const how = describeVeto(veto, from);
    changes.push({
      kind: 'veto-removed',
      code: veto.code,
      path: vetoPath(veto),
      pointer: toPointer('vetoes', i),
      before: veto.reason,
      message: localized(
        `删除${vetoPath(veto)}（${veto.code}），原为：${how.zh}`,
        `${VETO_DEFAULT_NAMES[vetoEffectKey(veto)].en} ${vetoPath(veto)} (${veto.code}) removed; it was: ${how.en}`,
      ),
    });
  }
  return changes;
}

/** changedMessage with the two sides already worded in both languages. */
const changedMessageOf = (prefix: Localized, what: Localized, before: Localized, after: Localized): Localized =>
  localized(
    `${prefix.zh}${what.zh} ${before.zh} 改为 ${after.zh}`,
    `${prefix.en}${what.en}: ${before.en} → ${after.en}`,
  );
