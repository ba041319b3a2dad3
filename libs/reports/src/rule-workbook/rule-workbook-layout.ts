import Decimal from 'decimal.js';
import {
  bandInterval,
  type BandSpec,
  childPointer,
  describeInterval,
  draftVersion,
  type IndicatorNode,
  type InputSpec,
  type Interval,
  isDeclaredNode,
  isGroupNode,
  isLeafNode,
  type LeafNode,
  PATH_SEPARATOR,
  type RuleFile,
  type RuleSet,
  type TierSpec,
  toPointer,
  valueAtPointer,
} from '@jiping/rules';
import { describeDeclared, describeStandard } from '../rule-set-standard';

/**
 * The editable 指标体系 workbook (可编辑的指标体系工作簿): which sheets, rows and cells a rule file becomes, and which
 * value of the rule file each editable cell holds. The export renders this layout; the import computes the same
 * layout from the base rule file and reads every editable cell back into a copy of it, so that the two can never
 * disagree about what a cell means. Anything the layout does not show is carried through unchanged.
 */

/** Written into the mapping sheet: a workbook of another layout version is refused, not misread. */
export const RULE_WORKBOOK_FORMAT = 'jiping-rule-workbook/1';

export const RULE_WORKBOOK_SHEETS = {
  guide: '说明',
  basics: '基本信息',
  grades: '等次',
  indicators: '指标体系',
  parameters: '计分参数',
  bands: '分档',
  points: '核查要点',
  events: '加减分事项',
  tiers: '评议档次',
  inputs: '填报项',
  mapping: '_映射',
} as const;

/** Rows of every data sheet start here: row 1 is the sheet's title, row 2 its header. */
export const FIRST_DATA_ROW = 3;

/** A choice of a list cell: what the cell shows and the value it stands for in the rule file. */
export interface EnumOption {
  label: string;
  value: unknown;
  /** Other spellings accepted on import (the value itself, an ASCII form). */
  aliases?: string[];
}

/** How an editable cell is read and written. */
export type FieldType =
  | { kind: 'text'; optional?: boolean; multiline?: boolean }
  | {
      kind: 'decimal';
      /** Most decimal places a person may type (in the cell's own unit). */
      places: number;
      /** What the value is, for messages: 分值, 数, 百分点. */
      noun: string;
      optional?: boolean;
      /** The value the format assumes when the key is absent (proportional cap: "100"). */
      defaultValue?: string;
      /** The value is in percentage points: a cell formatted as a percentage (90%) is read as 90. */
      percentPoints?: boolean;
      /** The cell shows the value × 100 (a tier's fraction 0.8 as 80). */
      timesHundred?: boolean;
    }
  | { kind: 'integer'; min: number; max: number; optional?: boolean }
  | { kind: 'enum'; options: EnumOption[]; optional?: boolean; defaultValue?: unknown }
  | { kind: 'list'; options: EnumOption[] }
  | { kind: 'date'; optional?: boolean };

/** Which part of a band row a band cell is (bands are rebuilt per indicator, see BandSet). */
export type BandPart = 'comparator' | 'value' | 'score' | 'fraction' | 'label';

/** An editable cell: the value of the rule file it holds. */
export interface Field {
  /** JSON pointer of the value in the rule file (for band cells: the band, for messages and cell lookup). */
  pointer: string;
  type: FieldType;
  /** The value in the base file (undefined when absent). */
  base: unknown;
  /** What the exported cell shows, when it is not the base value (the next version number). */
  shown?: unknown;
  /** A band cell: applied per band set, not at its pointer. */
  band?: { set: number; row: number; part: BandPart };
}

export interface LayoutCell {
  /** What a locked cell shows; for an editable cell, the display of its field is used. */
  text?: string | number;
  field?: Field;
}

export interface LayoutRow {
  /** What the row is, as the mapping sheet records it: node:<code>, param:<code>:<name>, band:<code>:<n>, … */
  key: string;
  /** 0-based column of the locked cell that identifies the row (checked on import: rows must not move). */
  anchor: number;
  cells: Array<LayoutCell | undefined>;
  /** group: a group or section row (bold); spare: an empty row for a new band. */
  style?: 'group' | 'spare';
}

export interface LayoutColumn {
  header: string;
  width: number;
}

export interface LayoutSheet {
  name: string;
  title: string;
  columns: LayoutColumn[];
  rows: LayoutRow[];
}

/** One band row as the import rebuilds it. */
export interface BandRowRef {
  /** Row index within the 分档 sheet's rows. */
  row: number;
  /** The base band this row shows; undefined for the spare row. */
  index?: number;
  /** The last listed band: no threshold of its own (其余). */
  rest: boolean;
}

/**
 * The bands of one indicator. Listed top down (`down`: the first band reaches +∞), each row but the last holds the
 * band's lower bound — the threshold between it and the next band — so one cell is one threshold; listed bottom up
 * (`up`), each row but the last holds the band's upper bound.
 */
export interface BandSet {
  leafPointer: string;
  code: string;
  direction: 'down' | 'up';
  percent: boolean;
  rows: BandRowRef[];
}

export interface RuleWorkbookLayout {
  sheets: LayoutSheet[];
  bandSets: BandSet[];
  /** What the workbook shows read-only and an import carries through unchanged, one line each (for 说明). */
  carried: string[];
}

// ─── labels ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const METHOD_NAMES: Record<string, string> = {
  group: '下级指标汇总',
  target: '部门申报（目标值计分）',
  proportional: '按比例计分',
  deduction: '扣分法',
  bands: '分档计分',
  checklist: '要点计分',
  judgment: '评议计分',
  boolean: '是否达成',
  'count-adjust': '加减分（按次数）',
  events: '加减分（逐项）',
  'judged-adjust': '加减分（评议）',
};

export const INPUT_TYPE_NAMES: Record<string, string> = {
  money: '金额',
  percent: '百分比',
  count: '次数',
  number: '数值',
  boolean: '是/否',
  checklist: '核查要点',
  judgment: '评议',
  text: '文字',
  events: '加减分事项',
};

/** Labels of method parameters the layout does not know by type (methods added to the format later). */
const PARAMETER_NAMES: Record<string, string> = {
  cap: '上限',
  reference: '基准值',
  perUnit: '每单位扣分',
  bonusCap: '加分上限',
  penaltyCap: '扣分上限',
  each: '每次分值',
  points: '分值',
};

const ON_TOP: EnumOption[] = [
  { label: '另计（在总分之外加减）', value: true, aliases: ['true', '另计'] },
  { label: '计入总分', value: false, aliases: ['false'] },
];
const YES_NO: EnumOption[] = [
  { label: '是', value: true, aliases: ['true', 'TRUE', 'Y', 'y'] },
  { label: '否', value: false, aliases: ['false', 'FALSE', 'N', 'n'] },
];
const ROUNDING_MODES: EnumOption[] = [
  { label: '四舍五入', value: 'half-up', aliases: ['half-up'] },
  { label: '银行家舍入', value: 'half-even', aliases: ['half-even', '四舍六入五成双'] },
  { label: '截断', value: 'truncate', aliases: ['truncate'] },
];
const METRIC_UNITS: EnumOption[] = [
  { label: '百分比', value: 'percent', aliases: ['percent', '%'] },
  { label: '数值', value: 'number', aliases: ['number'] },
];
const DIRECTIONS: EnumOption[] = [
  { label: '低于基准值扣分', value: 'below', aliases: ['below', '低于'] },
  { label: '高于基准值扣分', value: 'above', aliases: ['above', '高于'] },
];
const BAND_OF: EnumOption[] = [
  { label: '按指标值', value: 'value', aliases: ['value'] },
  { label: '按绝对值', value: 'abs', aliases: ['abs'] },
];
const MONOTONE: EnumOption[] = [
  { label: '递增（指标值越高得分不降）', value: 'increasing', aliases: ['increasing', '递增'] },
  { label: '递减（指标值越高得分不升）', value: 'decreasing', aliases: ['decreasing', '递减'] },
];
const LEVELS: EnumOption[] = [
  { label: '绩效目标及关键指标（两级）', value: 2, aliases: ['2', '两级'] },
  { label: '仅关键指标（一级）', value: 1, aliases: ['1', '一级'] },
];
export const COMPARATOR_OPTIONS: EnumOption[] = [
  { label: '≥', value: '>=', aliases: ['>=', '≥（正向）', '正向'] },
  { label: '≤', value: '<=', aliases: ['<=', '≤（反向）', '反向'] },
  { label: '=', value: '=', aliases: ['＝'] },
  { label: '区间', value: 'range', aliases: ['range'] },
];
const MONEY_UNITS: EnumOption[] = [
  { label: '元', value: '元' },
  { label: '万元', value: '万元' },
];
export const LOWER_COMPARATORS: EnumOption[] = [
  { label: '≥', value: true, aliases: ['>=', '≥（含）', '含'] },
  { label: '＞', value: false, aliases: ['>', '不含'] },
];
export const UPPER_COMPARATORS: EnumOption[] = [
  { label: '≤', value: true, aliases: ['<=', '≤（含）', '含'] },
  { label: '＜', value: false, aliases: ['<', '不含'] },
];

const SCORE = (optional = false): FieldType => ({ kind: 'decimal', places: 2, noun: '分值', optional });
const NUMBER = (percent: boolean, optional = false): FieldType => ({
  kind: 'decimal',
  places: 4,
  noun: percent ? '百分点数' : '数',
  optional,
  percentPoints: percent,
});
const PLACES: FieldType = { kind: 'integer', min: 0, max: 10, optional: true };
const TEXT: FieldType = { kind: 'text' };
const OPTIONAL_TEXT: FieldType = { kind: 'text', optional: true, multiline: true };

// ─── the layout ─────────────────────────────────────────────────────────────────────────────────────────────────

interface NodeEntry {
  node: IndicatorNode;
  pointer: string;
  depth: number;
  path: string[];
}

function flatten(nodes: readonly IndicatorNode[], pointer = '/indicators', path: string[] = []): NodeEntry[] {
  return nodes.flatMap((node, i) => {
    const at = childPointer(pointer, i);
    const names = [...path, node.name];
    const entry: NodeEntry = { node, pointer: at, depth: path.length, path: names };
    return isGroupNode(node) ? [entry, ...flatten(node.children, childPointer(at, 'children'), names)] : [entry];
  });
}

const plain = (value: string): string => new Decimal(value).toFixed();

/** Keys of a node, leaf, metric or file the layout shows; anything else is carried through and listed in 说明. */
const NODE_KEYS = new Set(['code', 'name', 'weight', 'explanation', 'children', 'declared', 'onTop']);
const LEAF_KEYS = new Set([...NODE_KEYS, 'metric', 'method', 'places', 'basis']);
const DECLARED_KEYS = new Set([
  'method',
  'comparators',
  'qualitativeTiers',
  'minIndicatorWeight',
  'levels',
  'places',
  'basisMet',
  'basisUnmet',
]);
const FILE_KEYS = new Set([
  'id',
  'version',
  'title',
  'jurisdiction',
  'kind',
  'fiscalYear',
  'source',
  'effectiveFrom',
  'total',
  'rounding',
  'grades',
  'inputs',
  'indicators',
]);
/** What the file-level keys the workbook does not edit are, in the bureau's words. */
const CARRIED_FILE_KEYS: Record<string, string> = {
  tests: '内嵌测试用例（tests）：规则改变得分时，导入可选择按新规则更新其预期结果',
  budgetHeader: '单位基本情况（预算执行情况表）的结构（budgetHeader）',
  continues: '承接的上一版本及数据映射（continues）',
  vetoes: '一票否决与等次上限、总分封顶（vetoes）',
};
/** Kept as they are and not worth a line in 说明. */
const FORMAT_KEYS = new Set(['$schema', 'formatVersion']);
const INPUT_KEYS = new Set([
  'id',
  'label',
  'type',
  'unit',
  'places',
  'allowNegative',
  'maxLength',
  'description',
  'kinds',
]);

class LayoutBuilder {
  readonly carried: string[] = [];
  readonly bandSets: BandSet[] = [];
  private readonly entries: NodeEntry[];
  private readonly depth: number;

  constructor(private readonly file: RuleFile) {
    this.entries = flatten(file.indicators);
    this.depth = Math.max(1, ...this.entries.map((e) => e.depth + 1));
  }

  build(): RuleWorkbookLayout {
    const sheets = [
      this.basicsSheet(),
      this.gradesSheet(),
      this.indicatorSheet(),
      this.parametersSheet(),
      this.bandsSheet(),
      this.pointsSheet(),
      this.eventsSheet(),
      this.tiersSheet(),
      this.inputsSheet(),
    ];
    const fileLines = Object.entries(CARRIED_FILE_KEYS)
      .filter(([key]) => (this.file as unknown as Record<string, unknown>)[key] !== undefined)
      .map(([, what]) => what);
    for (const key of Object.keys(this.file)) {
      if (!FILE_KEYS.has(key) && !(key in CARRIED_FILE_KEYS) && !FORMAT_KEYS.has(key)) {
        fileLines.push(`规则集的其他设置（${key}）`);
      }
    }
    this.carried.unshift(...fileLines);
    return { sheets, bandSets: this.bandSets, carried: this.carried };
  }

  private field(pointer: string, type: FieldType, shown?: unknown): Field {
    return { pointer, type, base: valueAtPointer(this.file, pointer), ...(shown !== undefined && { shown }) };
  }

  /**
   * An editable cell for the value at `pointer`, or a locked one when Excel cannot hold the value as it is (text
   * longer than a cell takes, or with characters a workbook cannot store): the value is then carried unchanged.
   */
  private cell(pointer: string, type: FieldType, shown?: unknown): LayoutCell {
    const field = this.field(pointer, type, shown);
    const value = field.base;
    if (typeof value === 'string' && !fitsCell(value)) {
      this.carried.push(`${pointer}：文字过长或含工作簿无法保存的字符`);
      return { text: '（过长或含特殊字符，不可在工作簿中修改，导入时原样保留）' };
    }
    return { field };
  }

  private pathOf(entry: NodeEntry): string {
    return entry.path.join(PATH_SEPARATOR);
  }

  // 基本信息: the file's metadata and rounding, one row each.
  private basicsSheet(): LayoutSheet {
    const file = this.file;
    const rows: LayoutRow[] = [];
    const row = (key: string, label: string, cell: LayoutCell, note = ''): void => {
      rows.push({ key: `meta:${key}`, anchor: 0, cells: [{ text: label }, cell, { text: note }] });
    };
    row('id', '规则集标识', { text: file.id }, '同一系列各年度、各版本不变；不可修改');
    row('baseVersion', '基础版本', { text: file.version }, '本工作簿导出自此版本');
    row(
      'version',
      '新版本号',
      this.cell('/version', TEXT, draftVersion(file.version)),
      '导入后生成的草稿的版本号（已按基础版本加一，可修改）；改了评价年度而未改此项时，按新年度编号（如 2022.1.0）',
    );
    row('title', '标题', this.cell('/title', TEXT));
    row('jurisdiction', '适用地区', this.cell('/jurisdiction', TEXT));
    row('kind', '评价类型', { text: file.kind }, '不可修改');
    row(
      'fiscalYear',
      '评价年度',
      this.cell('/fiscalYear', { kind: 'integer', min: 2000, max: 2100 }),
      '改为其他年度时，内嵌测试的年度随之修改，并记录承接的基础版本（continues），以便用基础年度的数据模拟',
    );
    row('source', '依据文件', this.cell('/source', { kind: 'text', multiline: true }));
    row(
      'effectiveFrom',
      '生效日期',
      this.cell('/effectiveFrom', { kind: 'date', optional: true }),
      '格式 2022-01-01，可留空',
    );
    row('total', '总分', this.cell('/total', SCORE()), '一级指标分值之和须等于总分');
    row(
      'rounding.mode',
      '舍入方式',
      this.cell('/rounding/mode', { kind: 'enum', options: ROUNDING_MODES }),
      '指标值、得分和总分都按此方式舍入',
    );
    row(
      'rounding.scorePlaces',
      '得分小数位数',
      this.cell('/rounding/scorePlaces', { kind: 'integer', min: 0, max: 10 }),
      '0 为取整；单个指标可在「计分参数」中另设',
    );
    row(
      'rounding.totalPlaces',
      '总分小数位数',
      this.cell('/rounding/totalPlaces', { kind: 'integer', min: 0, max: 10 }),
      '不少于得分小数位数',
    );
    row(
      'rounding.ratePlaces',
      '比率小数位数',
      this.cell('/rounding/ratePlaces', { kind: 'integer', min: 0, max: 10 }),
      '百分比类指标值按百分点保留的小数位数（2 → 84.48%）',
    );
    return {
      name: RULE_WORKBOOK_SHEETS.basics,
      title: `${file.title}：基本信息`,
      columns: [
        { header: '项目', width: 18 },
        { header: '内容', width: 60 },
        { header: '说明', width: 60 },
      ],
      rows,
    };
  }

  private gradesSheet(): LayoutSheet {
    const rows = this.file.grades.map(
      (grade, i): LayoutRow => ({
        key: `grade:${grade.code}`,
        anchor: 0,
        cells: [
          { text: grade.code },
          this.cell(toPointer('grades', i, 'label'), TEXT),
          this.cell(toPointer('grades', i, 'min'), { kind: 'decimal', places: 4, noun: '分数' }),
        ],
      }),
    );
    return {
      name: RULE_WORKBOOK_SHEETS.grades,
      title: '等次：从高到低排列，总分不低于下限即为该等次',
      columns: [
        { header: '等次代码', width: 14 },
        { header: '等次名称', width: 14 },
        { header: '分数下限（含）', width: 16 },
      ],
      rows,
    };
  }

  // 指标体系: one row per indicator, its name in the column of its level.
  private indicatorSheet(): LayoutSheet {
    const depth = this.depth;
    const levelNames = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标', '六级指标'];
    const columns: LayoutColumn[] = [
      ...Array.from({ length: depth }, (_, i) => ({ header: levelNames[i] ?? `${i + 1}级指标`, width: 18 })),
      { header: '代码', width: 20 },
      { header: '计分方法', width: 14 },
      { header: '分值', width: 8 },
      { header: '指标解释', width: 45 },
      { header: '评分标准（导出时按规则生成，仅供参考，修改无效）', width: 55 },
    ];
    const rows = this.entries.map((entry): LayoutRow => {
      const { node, pointer } = entry;
      const cells: Array<LayoutCell | undefined> = Array.from({ length: depth }, () => undefined);
      cells[entry.depth] = this.cell(childPointer(pointer, 'name'), TEXT);
      const method = isGroupNode(node) ? 'group' : isDeclaredNode(node) ? 'target' : node.method.type;
      cells.push(
        { text: node.code },
        { text: METHOD_NAMES[method] ?? method },
        this.cell(childPointer(pointer, 'weight'), SCORE()),
        this.cell(childPointer(pointer, 'explanation'), OPTIONAL_TEXT),
        { text: this.standardOf(node) },
      );
      this.noteCarriedKeys(entry);
      return { key: `node:${node.code}`, anchor: depth, cells, ...(isGroupNode(node) && { style: 'group' as const }) };
    });
    return {
      name: RULE_WORKBOOK_SHEETS.indicators,
      title: `${this.file.title}（版本 ${this.file.version}，满分${this.file.total}分）`,
      columns,
      rows,
    };
  }

  /** Whether a node is counted on top of the total: it, or the top-level group it lies in, says so. */
  private onTop(node: IndicatorNode): boolean {
    const top = this.entries.find((e) => e.depth === 0 && (e.node === node || this.within(e.node, node)));
    return (top?.node as { onTop?: boolean } | undefined)?.onTop === true;
  }

  private within(group: IndicatorNode, node: IndicatorNode): boolean {
    return isGroupNode(group) && group.children.some((child) => child === node || this.within(child, node));
  }

  private standardOf(node: IndicatorNode): string {
    try {
      if (isDeclaredNode(node)) return describeDeclared(node);
      if (isLeafNode(node)) return describeStandard(node, this.file, { onTop: this.onTop(node) });
    } catch {
      // a construct the generated wording does not know yet: the cell stays empty
    }
    return '';
  }

  /** Keys of a node the workbook does not show: listed in 说明 and shown read-only in 计分参数. */
  private unknownKeys(entry: NodeEntry): string[] {
    const node = entry.node as unknown as Record<string, unknown>;
    const known = isLeafNode(entry.node) ? LEAF_KEYS : NODE_KEYS;
    return Object.keys(node).filter((key) => !known.has(key) && node[key] !== undefined);
  }

  private noteCarriedKeys(entry: NodeEntry): void {
    const names: Record<string, string> = { applies: '适用条件（applies）', veto: '否决条件（veto）' };
    for (const key of this.unknownKeys(entry)) {
      this.carried.push(`${this.pathOf(entry)}：${names[key] ?? `其他设置（${key}）`}`);
    }
    if (isLeafNode(entry.node) && !KNOWN_METHODS.has(entry.node.method.type)) {
      this.carried.push(`${this.pathOf(entry)}：计分方法 ${entry.node.method.type} 的非数值参数`);
    }
  }

  // 计分参数: one row per parameter of each scored indicator.
  private parametersSheet(): LayoutSheet {
    const rows: LayoutRow[] = [];
    for (const entry of this.entries) {
      const path = this.pathOf(entry);
      const code = entry.node.code;
      if ((entry.node as { onTop?: boolean }).onTop !== undefined) {
        rows.push({
          key: `param:${code}:onTop`,
          anchor: 2,
          cells: [
            { text: path },
            { text: code },
            { text: '计入方式' },
            this.cell(childPointer(entry.pointer, 'onTop'), { kind: 'enum', options: ON_TOP }),
            { text: `另计：加减分在满分${this.file.total}分之外，总分可超过${this.file.total}分` },
          ],
        });
      }
      if (isGroupNode(entry.node)) continue;
      const add = (name: string, label: string, cell: LayoutCell, note = ''): void => {
        rows.push({
          key: `param:${code}:${name}`,
          anchor: 2,
          cells: [{ text: path }, { text: code }, { text: label }, cell, { text: note }],
        });
      };
      if (isDeclaredNode(entry.node)) this.declaredParameters(entry, add);
      else if (isLeafNode(entry.node)) this.leafParameters(entry, entry.node, add);
      for (const key of this.unknownKeys(entry)) {
        const value = (entry.node as unknown as Record<string, unknown>)[key];
        const label = key === 'applies' ? '适用条件' : key === 'veto' ? '否决条件' : `其他设置（${key}）`;
        add(`readonly:${key}`, label, { text: readOnlyText(key, value) }, '只读：导入时原样保留');
      }
    }
    return {
      name: RULE_WORKBOOK_SHEETS.parameters,
      title: '计分参数：每个计分指标的计算方法参数（浅黄色可改）',
      columns: [
        { header: '指标', width: 34 },
        { header: '代码', width: 22 },
        { header: '参数', width: 26 },
        { header: '值', width: 34 },
        { header: '说明', width: 50 },
      ],
      rows,
    };
  }

  private declaredParameters(entry: NodeEntry, add: ParameterAdder): void {
    const at = (key: string): string => childPointer(entry.pointer, 'declared', key);
    add('levels', '申报层级', this.cell(at('levels'), { kind: 'enum', options: LEVELS }));
    add(
      'comparators',
      '定量指标可用的比较方式',
      this.cell(at('comparators'), { kind: 'list', options: COMPARATOR_OPTIONS }),
      '从 ≥、≤、=、区间 中选，用顿号分隔，如“≥、≤、=、区间”',
    );
    add('minIndicatorWeight', '关键指标最低分值', this.cell(at('minIndicatorWeight'), SCORE(true)), '可留空（不限）');
    add('places', '得分小数位数', this.cell(at('places'), PLACES), '留空按规则集的得分小数位数；0 为取整');
    add('basisMet', '达成时评分依据开头', this.cell(at('basisMet'), OPTIONAL_TEXT), '留空为“已完成年度指标值”');
    add('basisUnmet', '未达成时评分依据开头', this.cell(at('basisUnmet'), OPTIONAL_TEXT), '留空为“未完成年度指标值”');
    add('qualitativeTiers', '定性指标档次', { text: `见「${RULE_WORKBOOK_SHEETS.tiers}」工作表` });
    const declared = (entry.node as unknown as { declared: Record<string, unknown> }).declared;
    for (const key of Object.keys(declared).filter((k) => !DECLARED_KEYS.has(k))) {
      add(
        `readonly:declared.${key}`,
        `其他设置（${key}）`,
        { text: readOnlyText(key, declared[key]) },
        '只读：导入时原样保留',
      );
      this.carried.push(`${this.pathOf(entry)}：申报设置 ${key}`);
    }
  }

  private leafParameters(entry: NodeEntry, leaf: LeafNode, add: ParameterAdder): void {
    const p = entry.pointer;
    const method = leaf.method as unknown as Record<string, unknown> & { type: string };
    const percent = leaf.metric?.unit === 'percent';
    const unit = percent ? '（%）' : '';
    if (leaf.metric) {
      const m = childPointer(p, 'metric');
      add(
        'metric.formula',
        '指标值计算公式',
        this.cell(childPointer(m, 'formula'), TEXT),
        `用填报项代码（见「${RULE_WORKBOOK_SHEETS.inputs}」）和 + - * / ( ) 书写；百分比填报项在公式中按比率计`,
      );
      add(
        'metric.unit',
        '指标值单位',
        this.cell(childPointer(m, 'unit'), { kind: 'enum', options: METRIC_UNITS }),
        '百分比：公式算出比率，指标值按百分点计',
      );
      add(
        'metric.places',
        '指标值小数位数',
        this.cell(childPointer(m, 'places'), PLACES),
        '留空：百分比按规则集的比率小数位数，数值保留2位',
      );
      add(
        'metric.label',
        '指标值名称',
        this.cell(childPointer(m, 'label'), { kind: 'text', optional: true }),
        '留空用指标名称',
      );
    }
    const at = (key: string): string => childPointer(p, 'method', key);
    switch (method.type) {
      case 'proportional':
        add(
          'cap',
          '比率上限（%）',
          {
            field: this.field(at('cap'), {
              kind: 'decimal',
              places: 4,
              noun: '百分点数',
              optional: true,
              percentPoints: true,
              defaultValue: '100',
            }),
          },
          '得分=分值×min(比率, 上限)/100；留空为100',
        );
        break;
      case 'deduction':
        add('reference', `基准值${unit}`, this.cell(at('reference'), NUMBER(percent)), '达到基准值得满分');
        add('direction', '扣分方向', this.cell(at('direction'), { kind: 'enum', options: DIRECTIONS }));
        add(
          'perUnit',
          percent ? '每差1个百分点扣分' : '每差1个单位扣分',
          this.cell(at('perUnit'), { kind: 'decimal', places: 4, noun: '分值' }),
          '扣完为止',
        );
        break;
      case 'bands':
        add(
          'of',
          '分档依据',
          this.cell(at('of'), { kind: 'enum', options: BAND_OF, optional: true, defaultValue: 'value' }),
          '按绝对值：如差异率不论正负',
        );
        add(
          'monotone',
          '单调性（可空）',
          this.cell(at('monotone'), { kind: 'enum', options: MONOTONE, optional: true }),
          '声明后，上传时检查各档得分是否随指标值单调变化',
        );
        add('bands', '各档分界与得分', { text: `见「${RULE_WORKBOOK_SHEETS.bands}」工作表` });
        break;
      case 'checklist':
        add(
          'input',
          '核查要点',
          { text: `${this.inputName(String(method.input))}：见「${RULE_WORKBOOK_SHEETS.points}」工作表` },
          '各要点分值之和须等于指标分值',
        );
        break;
      case 'judgment':
        add('input', '评议填报项', { text: this.inputName(String(method.input)) });
        if (Array.isArray(method.tiers))
          add('tiers', '评议档次', { text: `见「${RULE_WORKBOOK_SHEETS.tiers}」工作表` });
        break;
      case 'boolean':
        add('input', '判断填报项', { text: this.inputName(String(method.input)) }, '“是”得满分，“否”不得分');
        break;
      case 'count-adjust':
        for (const [side, verb] of [
          ['positive', '加'],
          ['negative', '扣'],
        ] as const) {
          const input = (method[side] as { input: string }).input;
          add(`${side}.each`, `每次${verb}分（${this.inputName(input)}）`, {
            field: this.field(childPointer(p, 'method', side, 'each'), SCORE()),
          });
          add(
            `${side}.cap`,
            `最多${verb}分`,
            this.cell(childPointer(p, 'method', side, 'cap'), SCORE()),
            '不超过指标分值',
          );
        }
        break;
      case 'events':
      case 'judged-adjust':
        add(
          'input',
          method.type === 'events' ? '加减分事项' : '评议填报项',
          {
            text:
              method.type === 'events'
                ? `${this.inputName(String(method.input))}：见「${RULE_WORKBOOK_SHEETS.events}」工作表`
                : this.inputName(String(method.input)),
          },
          method.type === 'events' ? '各类事项的每项分值在「加减分事项」中修改' : '评价组在上下限内评议，须说明理由',
        );
        add('bonusCap', '最多加分', this.cell(at('bonusCap'), SCORE(true)), '留空为不加分');
        add('penaltyCap', '最多扣分', this.cell(at('penaltyCap'), SCORE(true)), '留空为不扣分');
        break;
      default:
        this.genericParameters(p, method, add);
    }
    add('places', '得分小数位数', this.cell(childPointer(p, 'places'), PLACES), '留空按规则集的得分小数位数；0 为取整');
    add(
      'basis',
      '评分依据模板',
      this.cell(childPointer(p, 'basis'), OPTIONAL_TEXT),
      '可用 {calc} {metric} {score} {weight} {evidence} {填报项代码}；留空时评分依据为计算过程',
    );
  }

  /** A method the layout does not know by type: its decimal parameters are editable, the rest carried. */
  private genericParameters(pointer: string, method: Record<string, unknown>, add: ParameterAdder): void {
    const decimal = (value: unknown): value is string =>
      typeof value === 'string' && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value);
    for (const [key, value] of Object.entries(method)) {
      if (key === 'type') continue;
      if (decimal(value)) {
        add(key, PARAMETER_NAMES[key] ?? key, this.cell(childPointer(pointer, 'method', key), NUMBER(false)));
      } else if (key === 'input' && typeof value === 'string') {
        add('input', '填报项', { text: this.inputName(value) });
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [sub, inner] of Object.entries(value as Record<string, unknown>)) {
          if (decimal(inner)) {
            add(`${key}.${sub}`, `${PARAMETER_NAMES[key] ?? key}：${PARAMETER_NAMES[sub] ?? sub}`, {
              field: this.field(childPointer(pointer, 'method', key, sub), NUMBER(false)),
            });
          }
        }
      }
    }
  }

  private inputName(id: string): string {
    const input = this.file.inputs.find((i) => i.id === id);
    return input ? `${input.label}（${id}）` : id;
  }

  // 分档: one row per band, one threshold per row.
  private bandsSheet(): LayoutSheet {
    const rows: LayoutRow[] = [];
    for (const entry of this.entries) {
      const leaf = entry.node;
      if (!isLeafNode(leaf) || leaf.method.type !== 'bands') continue;
      const bands = leaf.method.bands;
      const intervals = bands.map((band) => bandInterval(band.when));
      if (intervals.some((interval) => typeof interval === 'string')) {
        this.carried.push(`${this.pathOf(entry)}：分档条件（不是简单区间，原样保留）`);
        continue;
      }
      const readable = intervals as Interval[];
      const direction: BandSet['direction'] = readable.length > 1 && readable[0].upper !== undefined ? 'up' : 'down';
      const boundOf = (i: number) => (direction === 'down' ? readable[i].lower : readable[i].upper);
      if (readable.slice(0, -1).some((_, i) => boundOf(i) === undefined)) {
        this.carried.push(`${this.pathOf(entry)}：分档条件（各档不首尾相接，原样保留）`);
        continue;
      }
      const percent = leaf.metric?.unit === 'percent';
      const set: BandSet = { leafPointer: entry.pointer, code: leaf.code, direction, percent, rows: [] };
      const setIndex = this.bandSets.length;
      const path = this.pathOf(entry);
      const suffix = percent ? '%' : '';
      const comparators = direction === 'down' ? LOWER_COMPARATORS : UPPER_COMPARATORS;
      const bandPointer = (i: number): string => childPointer(entry.pointer, 'method', 'bands', i);
      const bandField = (i: number | undefined, part: BandPart, type: FieldType, base: unknown): Field => ({
        pointer:
          i === undefined
            ? childPointer(entry.pointer, 'method', 'bands')
            : childPointer(bandPointer(i), part === 'comparator' || part === 'value' ? 'when' : part),
        type,
        base,
        band: { set: setIndex, row: rows.length, part },
      });
      bands.forEach((band: BandSpec, i) => {
        const rest = i === bands.length - 1;
        const bound = boundOf(i);
        const cells: Array<LayoutCell | undefined> = [
          { text: path },
          { text: leaf.code },
          { text: `第${i + 1}档` },
          rest || !bound
            ? { text: '其余' }
            : {
                field: bandField(
                  i,
                  'comparator',
                  { kind: 'enum', options: comparators, optional: true },
                  bound.inclusive,
                ),
              },
          // may be cleared: a band whose threshold and score are both empty is removed
          rest || !bound
            ? { text: '' }
            : { field: bandField(i, 'value', NUMBER(percent, true), bound.value.toFixed()) },
          { field: bandField(i, 'score', SCORE(true), band.score) },
          {
            field: bandField(
              i,
              'fraction',
              { kind: 'decimal', places: 4, noun: '比例', optional: true },
              band.fraction,
            ),
          },
          { field: bandField(i, 'label', { kind: 'text', optional: true }, band.label) },
          {
            text: `${describeInterval(readable[i], suffix)} ${band.score !== undefined ? `得${plain(band.score)}分` : `得分值×${band.fraction}`}`,
          },
        ];
        set.rows.push({ row: rows.length, index: i, rest });
        rows.push({ key: `band:${leaf.code}:${i + 1}`, anchor: 2, cells });
      });
      set.rows.push({ row: rows.length, rest: false });
      rows.push({
        key: `band:${leaf.code}:new`,
        anchor: 2,
        style: 'spare',
        cells: [
          { text: path },
          { text: leaf.code },
          { text: '新增一档（可留空）' },
          {
            field: bandField(
              undefined,
              'comparator',
              { kind: 'enum', options: comparators, optional: true },
              undefined,
            ),
          },
          { field: bandField(undefined, 'value', NUMBER(percent, true), undefined) },
          { field: bandField(undefined, 'score', SCORE(true), undefined) },
          {
            field: bandField(
              undefined,
              'fraction',
              { kind: 'decimal', places: 4, noun: '比例', optional: true },
              undefined,
            ),
          },
          { field: bandField(undefined, 'label', { kind: 'text', optional: true }, undefined) },
          { text: '' },
        ],
      });
      this.bandSets.push(set);
    }
    return {
      name: RULE_WORKBOOK_SHEETS.bands,
      title: '分档：每档一行；分界值是本档与下一档的分界，改一个分界值即同时改变相邻两档；清空分界值和得分即删除该档',
      columns: [
        { header: '指标', width: 34 },
        { header: '代码', width: 22 },
        { header: '档次', width: 16 },
        { header: '比较', width: 8 },
        { header: '分界值（百分比类填百分点）', width: 16 },
        { header: '得分', width: 8 },
        { header: '或：得分占分值比例', width: 12 },
        { header: '档次说明（可空，自动生成）', width: 22 },
        { header: '导出时的区间与得分', width: 26 },
      ],
      rows,
    };
  }

  // 核查要点: one row per point of each checklist input.
  private pointsSheet(): LayoutSheet {
    const rows: LayoutRow[] = [];
    this.file.inputs.forEach((input, i) => {
      if (input.type !== 'checklist') return;
      const user = this.entries.find(
        (e) =>
          isLeafNode(e.node) &&
          e.node.method.type === 'checklist' &&
          (e.node.method as { input: string }).input === input.id,
      );
      const where = user ? `${this.pathOf(user)}（${user.node.weight}分）` : '（未被计分指标使用）';
      input.points.forEach((point, j) => {
        rows.push({
          key: `point:${input.id}:${point.id}`,
          anchor: 2,
          cells: [
            { text: where },
            { text: `${input.label}（${input.id}）` },
            { text: point.id },
            this.cell(toPointer('inputs', i, 'points', j, 'label'), TEXT),
            this.cell(toPointer('inputs', i, 'points', j, 'points'), SCORE()),
          ],
        });
      });
    });
    return {
      name: RULE_WORKBOOK_SHEETS.points,
      title: '核查要点：每项要点的内容和分值；同一指标各要点分值之和须等于指标分值',
      columns: [
        { header: '指标（分值）', width: 38 },
        { header: '填报项', width: 30 },
        { header: '要点代码', width: 20 },
        { header: '要点内容', width: 50 },
        { header: '分值', width: 8 },
      ],
      rows,
    };
  }

  // 加减分事项: one row per kind of event of each events input, with its points (加分为正，扣分为负).
  private eventsSheet(): LayoutSheet {
    const rows: LayoutRow[] = [];
    this.file.inputs.forEach((input, i) => {
      const kinds = (input as { kinds?: Array<{ code: string; label: string; points: string }> }).kinds;
      if (input.type !== ('events' as InputSpec['type']) || !Array.isArray(kinds)) return;
      const user = this.entries.find(
        (e) => isLeafNode(e.node) && (e.node.method as { input?: string }).input === input.id,
      );
      const where = user ? this.pathOf(user) : '（未被计分指标使用）';
      kinds.forEach((kind, j) => {
        rows.push({
          key: `event:${input.id}:${kind.code}`,
          anchor: 2,
          cells: [
            { text: where },
            { text: `${input.label}（${input.id}）` },
            { text: kind.code },
            this.cell(toPointer('inputs', i, 'kinds', j, 'label'), TEXT),
            this.cell(toPointer('inputs', i, 'kinds', j, 'points'), {
              kind: 'decimal',
              places: 2,
              noun: '分值',
            }),
          ],
        });
      });
    });
    return {
      name: RULE_WORKBOOK_SHEETS.events,
      title: '加减分事项：各类事项的名称和每项分值（加分为正数，扣分为负数）；加、扣分的上限在「计分参数」中',
      columns: [
        { header: '指标', width: 34 },
        { header: '填报项', width: 30 },
        { header: '事项代码', width: 24 },
        { header: '事项名称', width: 30 },
        { header: '每项分值', width: 10 },
      ],
      rows,
    };
  }

  // 评议档次: judgment tiers and declared sections' qualitative tiers, as percentages of the weight.
  private tiersSheet(): LayoutSheet {
    const rows: LayoutRow[] = [];
    for (const entry of this.entries) {
      const node = entry.node;
      let tiers: TierSpec[] | undefined;
      let base = '';
      if (isDeclaredNode(node)) {
        tiers = node.declared.qualitativeTiers;
        base = childPointer(entry.pointer, 'declared', 'qualitativeTiers');
      } else if (isLeafNode(node) && node.method.type === 'judgment' && node.method.tiers) {
        tiers = node.method.tiers;
        base = childPointer(entry.pointer, 'method', 'tiers');
      }
      if (!tiers) continue;
      const weight = isDeclaredNode(node) ? undefined : new Decimal(node.weight);
      tiers.forEach((tier, i) => {
        const percent: FieldType = {
          kind: 'decimal',
          places: 2,
          noun: '百分数',
          timesHundred: true,
          percentPoints: true,
        };
        rows.push({
          key: `tier:${node.code}:${tier.code}`,
          anchor: 2,
          cells: [
            { text: this.pathOf(entry) },
            { text: node.code },
            { text: tier.code },
            this.cell(childPointer(base, i, 'label'), TEXT),
            this.cell(childPointer(base, i, 'min'), percent),
            this.cell(childPointer(base, i, 'max'), percent),
            {
              text: weight
                ? `${plain(weight.mul(tier.min).toFixed())}-${plain(weight.mul(tier.max).toFixed())}分`
                : '按申报的关键指标分值折算',
            },
          ],
        });
      });
    }
    return {
      name: RULE_WORKBOOK_SHEETS.tiers,
      title: '评议档次：各档得分占分值的百分比范围（含两端），须从0%到100%首尾相接',
      columns: [
        { header: '指标', width: 34 },
        { header: '代码', width: 22 },
        { header: '档次代码', width: 14 },
        { header: '档次名称', width: 14 },
        { header: '下限（占分值%）', width: 14 },
        { header: '上限（占分值%）', width: 14 },
        { header: '导出时折合分值', width: 20 },
      ],
      rows,
    };
  }

  // 填报项: the declared inputs.
  private inputsSheet(): LayoutSheet {
    const rows = this.file.inputs.map((input, i): LayoutRow => {
      const at = (key: string): string => toPointer('inputs', i, key);
      const record = input as unknown as Record<string, unknown>;
      const unit = this.inputUnitCell(input, at('unit'));
      const places =
        input.type === 'percent' || input.type === 'number'
          ? this.cell(at('places'), PLACES)
          : input.type === 'text'
            ? this.cell(at('maxLength'), { kind: 'integer', min: 1, max: 100000, optional: true } as FieldType)
            : { text: '' };
      const negative =
        input.type === 'money' || input.type === 'percent' || input.type === 'number'
          ? this.cell(at('allowNegative'), { kind: 'enum', options: YES_NO, optional: true, defaultValue: false })
          : { text: '' };
      const users = this.entries.filter((e) => usesInput(e.node, input.id)).map((e) => e.node.name);
      for (const key of Object.keys(record).filter((k) => !INPUT_KEYS.has(k) && k !== 'points')) {
        this.carried.push(`填报项「${input.label}」：${key}`);
      }
      return {
        key: `input:${input.id}`,
        anchor: 0,
        cells: [
          { text: input.id },
          this.cell(at('label'), TEXT),
          { text: INPUT_TYPE_NAMES[input.type] ?? input.type },
          unit,
          places,
          negative,
          this.cell(at('description'), OPTIONAL_TEXT),
          { text: users.join('、') },
        ],
      };
    });
    return {
      name: RULE_WORKBOOK_SHEETS.inputs,
      title: '填报项：部门年终填报的数据（代码供公式引用，不可修改）',
      columns: [
        { header: '代码', width: 24 },
        { header: '名称', width: 30 },
        { header: '类型', width: 10 },
        { header: '单位', width: 10 },
        { header: '小数位数/最大字数', width: 12 },
        { header: '允许负数', width: 10 },
        { header: '说明', width: 50 },
        { header: '用于指标', width: 30 },
      ],
      rows,
    };
  }

  private inputUnitCell(input: InputSpec, pointer: string): LayoutCell {
    switch (input.type) {
      case 'money':
        return this.cell(pointer, { kind: 'enum', options: MONEY_UNITS });
      case 'count':
      case 'number':
        return this.cell(pointer, { kind: 'text', optional: true });
      case 'percent':
        return { text: '%' };
      default:
        return { text: '' };
    }
  }
}

type ParameterAdder = (name: string, label: string, cell: LayoutCell, note?: string) => void;

const KNOWN_METHODS = new Set([
  'events',
  'judged-adjust',
  'proportional',
  'deduction',
  'bands',
  'checklist',
  'judgment',
  'boolean',
  'count-adjust',
]);

function usesInput(node: IndicatorNode, id: string): boolean {
  if (!isLeafNode(node)) return false;
  const text = JSON.stringify([node.method, node.metric?.formula ?? '']);
  return text.includes(`"${id}"`) || new RegExp(`\\b${id}\\b`).test(node.metric?.formula ?? '');
}

function readOnlyText(key: string, value: unknown): string {
  const reason = (value as { reason?: unknown } | null)?.reason;
  const json = JSON.stringify(value);
  const text = typeof reason === 'string' ? `${reason}（${json}）` : json;
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** What XML 1.0, and so a workbook, cannot hold: control characters but tab and line breaks, lone surrogates. */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Excel holds at most 32,767 characters in a cell, and none of UNSTORABLE. */
function fitsCell(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return text.length <= 32_767 && !UNSTORABLE.test(text);
}

/** A label as a locked cell shows it: without what a workbook cannot store, and not longer than a cell. */
export function storableText(text: string): string {
  const clean = text.replace(UNSTORABLE, '');
  return clean.length > 32_000 ? `${clean.slice(0, 32_000)}…` : clean;
}

/** How a locked label is compared on import: line breaks and spaces are not what identifies a row. */
export function anchorText(text: string): string {
  return storableText(text).replace(/\s+/g, '');
}

/** The layout of the editable workbook of a rule set: the same for its export and for an import based on it. */
export function ruleWorkbookLayout(ruleSet: RuleSet | RuleFile): RuleWorkbookLayout {
  const file = 'file' in ruleSet && 'checksum' in ruleSet ? ruleSet.file : (ruleSet as RuleFile);
  return new LayoutBuilder(file as RuleFile).build();
}

/** A 0-based column index as its Excel letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The Excel address of a layout cell: 指标体系!F12. */
export function cellAddress(sheet: string, row: number, column: number): string {
  return `${sheet}!${columnLetter(column)}${FIRST_DATA_ROW + row}`;
}
