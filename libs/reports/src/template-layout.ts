import {
  type DeclaredNode,
  type EventsInputSpec,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  isLeafNode,
  type LeafNode,
  type RuleSet,
  type TierSpec,
} from '@jiping/rules';

/** The sheet names of the department template (工作表名). */
export const TEMPLATE_SHEETS = {
  guide: '说明',
  basics: '基本情况',
  data: '年终数据',
  evidence: '佐证材料',
  mapping: '_映射',
} as const;

/** The first data row of every template sheet (row 1 title, row 2 header). */
export const FIRST_ROW = 3;
/** Blank rows offered for the declared targets of a section. */
export const TARGET_ROWS = 80;
/** Blank rows offered for the 加减分 events of an events input. */
export const EVENT_ROWS = 50;

/** Columns of a 加减分事项 sheet: the kind (from a list) and what happened. */
export const EVENT_COLUMNS = { kind: 'A', text: 'B' } as const;

/** How a kind of event reads in the template's list: 国家级表彰（+2分）. */
export const eventKindLabel = (kind: { label: string; points: string }): string =>
  `${kind.label}（${kind.points.startsWith('-') ? kind.points : `+${kind.points}`}分）`;

/** Columns of the 年终数据 sheet: C holds the value, D a judged score, E the reason or evidence. */
export const DATA_COLUMNS = {
  indicator: 'A',
  label: 'B',
  value: 'C',
  score: 'D',
  note: 'E',
  unit: 'F',
  explanation: 'G',
} as const;

/** Columns of a declared-targets sheet (履职效能). */
export const TARGET_COLUMNS = {
  goalCode: 'A',
  goalName: 'B',
  goalWeight: 'C',
  code: 'D',
  name: 'E',
  weight: 'F',
  kind: 'G',
  comparator: 'H',
  target: 'I',
  targetMax: 'J',
  unit: 'K',
  actual: 'L',
  tier: 'M',
  score: 'N',
  text: 'O',
  reason: 'P',
} as const;
export const TARGET_HEADERS: Record<keyof typeof TARGET_COLUMNS, string> = {
  goalCode: '目标代码',
  goalName: '绩效目标',
  goalWeight: '目标分值',
  code: '指标代码',
  name: '关键指标',
  weight: '指标分值',
  kind: '类型（定量/定性）',
  comparator: '比较（≥/≤/=/区间）',
  target: '年度指标值',
  targetMax: '区间上限',
  unit: '单位',
  actual: '实际完成值（定量）',
  tier: '达成等级（定性）',
  score: '自评分（定性）',
  text: '实际完成情况（文字）',
  reason: '未达标原因/评分理由',
};
export const KIND_LABELS = { quantitative: '定量', qualitative: '定性' } as const;
export const COMPARATOR_LABELS = { '>=': '≥', '<=': '≤', '=': '=', range: '区间' } as const;

/** One row of the 年终数据 sheet. */
export type DataRow =
  | {
      kind: 'input';
      row: number;
      input: InputSpec;
      indicator: string;
      tiers?: TierSpec[];
      /** A judged 加减分 reads it: the score lies in [−penaltyCap, bonusCap] and may be negative. */
      range?: { min: string; max: string };
    }
  | { kind: 'point'; row: number; input: InputSpec & { type: 'checklist' }; pointId: string; indicator: string };

/** One row of the 基本情况 sheet. */
export type BasicsRow =
  | { kind: 'unitCount'; row: number; label: string }
  | { kind: 'overview'; row: number; field: 'goal' | 'achievement' | 'shortfall'; label: string }
  | { kind: 'budget'; row: number; column: string; label: string; breakdown: string };

/** One row of the 佐证材料 sheet: a scored indicator. */
export interface EvidenceRow {
  row: number;
  code: string;
  path: string[];
}

/** A declared section (履职效能) and its sheet. */
export interface TargetSection {
  sheet: string;
  node: DeclaredNode;
}

/** An events input (加减分事项) and its sheet: one row per event. */
export interface EventsSheet {
  sheet: string;
  input: EventsInputSpec;
  /** The indicator that scores it, for the sheet's title. */
  indicator: string;
}

/** Where every cell of the template is: derived from the rule set alone, so build and import agree exactly. */
export interface TemplateLayout {
  basics: BasicsRow[];
  data: DataRow[];
  evidence: EvidenceRow[];
  targets: TargetSection[];
  events: EventsSheet[];
}

/**
 * The layout of the department template of a rule set: 基本情况 (unit count, overview, budget header), 年终数据 (one
 * row per declared input, one per checklist point), 佐证材料 (one row per scored indicator) and one sheet per
 * declared section. Pure and deterministic: the template and its import both read cells through it.
 */
export function templateLayout(ruleSet: RuleSet): TemplateLayout {
  const file = ruleSet.file;
  const basics: BasicsRow[] = [];
  let row = FIRST_ROW;
  basics.push({ kind: 'unitCount', row: row++, label: '单位个数' });
  basics.push({ kind: 'overview', field: 'goal', row: row++, label: '年度整体绩效目标' });
  basics.push({ kind: 'overview', field: 'achievement', row: row++, label: '整体绩效目标完成情况' });
  basics.push({ kind: 'overview', field: 'shortfall', row: row++, label: '未能完成原因' });
  for (const breakdown of file.budgetHeader?.breakdowns ?? []) {
    for (const column of breakdown.columns) {
      basics.push({ kind: 'budget', row: row++, column: column.code, label: column.label, breakdown: breakdown.label });
    }
  }

  const leaves = collectLeaves(file.indicators, []);
  const usedBy = (id: string): LeafNode | undefined => leaves.find(({ leaf }) => usesInput(leaf, id))?.leaf;
  const data: DataRow[] = [];
  const events: EventsSheet[] = [];
  row = FIRST_ROW;
  for (const input of file.inputs) {
    const leaf = usedBy(input.id);
    const indicator = leaf?.name ?? '';
    if (input.type === 'checklist') {
      for (const point of input.points) data.push({ kind: 'point', row: row++, input, pointId: point.id, indicator });
      continue;
    }
    if (input.type === 'events') {
      events.push({ sheet: sheetName(input.label), input, indicator });
      continue;
    }
    const tiers = leaf?.method.type === 'judgment' ? leaf.method.tiers : undefined;
    const adjust = leaves.find(({ leaf: l }) => l.method.type === 'judged-adjust' && l.method.input === input.id)?.leaf;
    const range =
      adjust?.method.type === 'judged-adjust'
        ? { min: adjust.method.penaltyCap ? `-${adjust.method.penaltyCap}` : '0', max: adjust.method.bonusCap ?? '0' }
        : undefined;
    data.push({
      kind: 'input',
      row: row++,
      input,
      indicator,
      ...(tiers ? { tiers } : {}),
      ...(range ? { range } : {}),
    });
  }

  const evidence = leaves.map(({ leaf, path }, i) => ({ row: FIRST_ROW + i, code: leaf.code, path }));
  const targets = collectDeclared(file.indicators).map((node) => ({ sheet: sheetName(node.name), node }));
  return { basics, data, evidence, targets, events };
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ . */
const sheetName = (name: string): string => name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);

function collectLeaves(nodes: IndicatorNode[], path: string[]): Array<{ leaf: LeafNode; path: string[] }> {
  return nodes.flatMap((node) => {
    if (isGroupNode(node)) return collectLeaves(node.children, [...path, node.name]);
    if (isLeafNode(node)) return [{ leaf: node, path: [...path, node.name] }];
    return [];
  });
}

function collectDeclared(nodes: IndicatorNode[]): DeclaredNode[] {
  return nodes.flatMap((node) => {
    if (isGroupNode(node)) return collectDeclared(node.children);
    return isDeclaredNode(node) ? [node] : [];
  });
}

/** Whether a leaf reads an input: its formula, method or conditions name it. */
function usesInput(leaf: LeafNode, id: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${id}([^A-Za-z0-9_]|$)`);
  const { metric, method, applies, veto } = leaf;
  return word.test(JSON.stringify({ metric, method, applies, veto }));
}

/** The unit shown beside an input's value. */
export function inputUnit(input: InputSpec): string {
  switch (input.type) {
    case 'money':
      return input.unit;
    case 'percent':
      return '%';
    case 'count':
    case 'number':
      return input.unit ?? '';
    case 'boolean':
    case 'checklist':
      return '是/否';
    case 'judgment':
      return '分';
    case 'events':
    case 'text':
      return '';
  }
}
