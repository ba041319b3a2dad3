import ExcelJS from 'exceljs';
import {
  diffRuleSets,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  type RuleSet,
} from '@jiping/rules';
import { describeDeclared, describeFormula, describeStandard } from './rule-set-standard';

const LEVEL_NAMES = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标'];
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
/** Fills of the diff workbook: a changed cell, an added row, a removed row. */
export const DIFF_FILLS = { changed: 'FFFFFF00', added: 'FFC6EFCE', removed: 'FFFFC7CE' } as const;
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/** One row of the indicator table: a scored leaf or a declared section, with its ancestors. */
export interface RuleSetRow {
  code: string;
  /** Per level: the node's code, name and weight (empty below the row's own level). */
  levels: Array<{ code: string; name: string; weight: string } | undefined>;
  explanation: string;
  standard: string;
  formula: string;
}

/**
 * The rows of a rule set's indicator table, one per scored leaf or declared section, in tree order, each with its
 * ancestors, 指标解释, the scoring standard in words (describeStandard / describeDeclared) and the metric's formula.
 */
export function ruleSetRows(ruleSet: RuleSet): { depth: number; rows: RuleSetRow[] } {
  const rows: RuleSetRow[] = [];
  let depth = 1;
  const walk = (nodes: readonly IndicatorNode[], path: RuleSetRow['levels'], onTop = false): void => {
    for (const node of nodes) {
      const under = onTop || (!isDeclaredNode(node) && node.onTop === true);
      const levels = [...path, { code: node.code, name: node.name, weight: node.weight }];
      depth = Math.max(depth, levels.length);
      if (isGroupNode(node)) walk(node.children, levels, under);
      else if (isDeclaredNode(node)) {
        rows.push({
          code: node.code,
          levels: [...levels, { code: `${node.code}:declared`, name: '（部门申报的绩效目标及关键指标）', weight: '' }],
          explanation: node.explanation ?? '',
          standard: describeDeclared(node),
          formula: '',
        });
        depth = Math.max(depth, levels.length + 1);
      } else {
        rows.push({
          code: node.code,
          levels,
          explanation: node.explanation ?? '',
          standard: describeStandard(node, ruleSet.file, { onTop: under }),
          formula: describeFormula(node, ruleSet.file.inputs),
        });
      }
    }
  };
  walk(ruleSet.file.indicators, []);
  return { depth: Math.min(depth, LEVEL_NAMES.length), rows };
}

/** The texts of a row's cells, in column order: name, weight per level, then 指标解释, 评分标准, 计算方法, 代码. */
function rowCells(row: RuleSetRow, depth: number): string[] {
  const cells: string[] = [];
  for (let level = 0; level < depth; level++) {
    const node = row.levels[level];
    cells.push(node?.name ?? '', node?.weight ?? '');
  }
  return [...cells, row.explanation, row.standard, row.formula, row.code];
}

interface Highlight {
  /** Row code → 0-based column indexes that changed. */
  changed: Map<string, Set<number>>;
  added: Set<string>;
  removed: Set<string>;
  notes: Map<string, string[]>;
}

/**
 * Adds the indicator table of a rule set as the bureau writes it: levels (merged down their rows), weights,
 * 指标解释, 评分标准 in words, 计算方法 and the code; wrapped text, borders, A4 landscape with the header repeated.
 */
function addIndicatorSheet(workbook: ExcelJS.Workbook, name: string, ruleSet: RuleSet, highlight?: Highlight): void {
  const { depth, rows } = ruleSetRows(ruleSet);
  const file = ruleSet.file;
  const sheet = workbook.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const headers = [
    ...LEVEL_NAMES.slice(0, depth).flatMap((level) => [level, '分值']),
    '指标解释',
    '评分标准',
    '计算方法',
    '代码',
    ...(highlight ? ['变更说明'] : []),
  ];
  sheet.columns = headers.map((h) => ({
    width: h === '分值' ? 7 : h === '评分标准' ? 60 : h === '指标解释' ? 45 : h === '变更说明' ? 50 : 18,
  }));
  sheet.mergeCells(1, 1, 1, headers.length);
  const title = sheet.getCell('A1');
  title.value = `${file.title}（${file.fiscalYear}年度，版本 ${ruleSet.version}，满分${file.total}分）`;
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const header = sheet.getRow(2);
  headers.forEach((text, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  sheet.pageSetup.printTitlesRow = '2:2';
  sheet.views = [{ state: 'frozen', ySplit: 2 }];

  const first = 3;
  rows.forEach((row, i) => {
    const cells = rowCells(row, depth);
    const excelRow = sheet.getRow(first + i);
    cells.forEach((text, c) => {
      const cell = excelRow.getCell(c + 1);
      cell.value = c % 2 === 1 && c < depth * 2 && text !== '' ? Number(text) : text;
      cell.border = BORDER;
      cell.alignment = { wrapText: true, vertical: 'middle' };
      if (highlight?.changed.get(row.code)?.has(c)) cell.fill = fill(DIFF_FILLS.changed);
    });
    if (highlight) {
      const state = highlight.added.has(row.code) ? 'added' : highlight.removed.has(row.code) ? 'removed' : undefined;
      if (state) {
        for (let c = 1; c <= headers.length; c++) excelRow.getCell(c).fill = fill(DIFF_FILLS[state]);
      }
      const notes = highlight.notes.get(row.code);
      const noteCell = excelRow.getCell(headers.length);
      noteCell.value = notes?.join('\n') ?? '';
      noteCell.alignment = { wrapText: true, vertical: 'middle' };
      noteCell.border = BORDER;
    }
  });
  // Merge each level's name and weight down the rows that share the node.
  for (let level = 0; level < depth - 1; level++) {
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const same =
        i < rows.length && rows[i].levels[level] && rows[i].levels[level]?.code === rows[start].levels[level]?.code;
      if (same) continue;
      if (i - 1 > start && rows[start].levels[level]) {
        for (const col of [level * 2 + 1, level * 2 + 2]) {
          const top = sheet.getCell(first + start, col);
          const fillOfTop = top.fill;
          sheet.mergeCells(first + start, col, first + i - 1, col);
          if (fillOfTop) top.fill = fillOfTop;
        }
      }
      start = i;
    }
  }
}

/** The declared inputs with their type, unit and checklist points: what departments will be asked for. */
function addInputsSheet(workbook: ExcelJS.Workbook, ruleSet: RuleSet): void {
  const sheet = workbook.addWorksheet('填报数据', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [{ width: 26 }, { width: 34 }, { width: 10 }, { width: 10 }, { width: 70 }];
  sheet.addRow(['代码', '填报项', '类型', '单位/分值', '说明']).eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  const TYPES: Record<InputSpec['type'], string> = {
    money: '金额',
    percent: '百分比',
    count: '次数',
    number: '数值',
    boolean: '是/否',
    checklist: '核查要点',
    judgment: '评议',
    events: '加减分事项',
    text: '文字',
  };
  for (const input of ruleSet.file.inputs) {
    const unit = input.type === 'money' ? input.unit : input.type === 'percent' ? '%' : '';
    sheet.addRow([input.id, input.label, TYPES[input.type], unit, input.description ?? '']);
    if (input.type === 'checklist') {
      for (const point of input.points)
        sheet.addRow([`${input.id}/${point.id}`, `· ${point.label}`, '要点', `${point.points}分`, '']);
    }
    if (input.type === 'events') {
      for (const kind of input.kinds) {
        const points = kind.points.startsWith('-') ? `${kind.points}分` : `+${kind.points}分`;
        sheet.addRow([`${input.id}/${kind.code}`, `· ${kind.label}`, '事项类型', `每项${points}`, '']);
      }
    }
  }
  sheet.getColumn(5).alignment = { wrapText: true };
  sheet.getColumn(2).alignment = { wrapText: true };
}

/**
 * The indicator system of a rule set as the bureau writes it (.xlsx), for review without JSON: sheet 指标体系 (levels
 * merged, weights, 指标解释, 评分标准 generated from the rules, 计算方法) and sheet 填报数据 (the declared inputs and
 * checklist points).
 */
export async function renderRuleSetWorkbook(ruleSet: RuleSet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  addIndicatorSheet(workbook, '指标体系', ruleSet);
  addInputsSheet(workbook, ruleSet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Two versions of a rule set side by side (.xlsx): 变更 lists every change of diffRuleSets; 新版 is the new indicator
 * table with each cell whose text changed filled yellow, added rows green and a 变更说明 column; 旧版 is the old one
 * with removed rows red. Rows are matched by indicator code.
 */
export async function renderRuleSetDiffWorkbook(from: RuleSet, to: RuleSet): Promise<Buffer> {
  const diff = diffRuleSets(from, to);
  const before = ruleSetRows(from);
  const after = ruleSetRows(to);
  const depth = Math.max(before.depth, after.depth);
  const oldRows = new Map(before.rows.map((r) => [r.code, rowCells(r, depth)]));
  const newRows = new Map(after.rows.map((r) => [r.code, rowCells(r, depth)]));
  const notes = new Map<string, string[]>();
  for (const change of diff.changes) {
    if (!change.code) continue;
    const list = notes.get(change.code) ?? [];
    list.push(change.message);
    notes.set(change.code, list);
  }
  // A change of a group (its weight, its name) is noted on every row below it.
  for (const row of after.rows) {
    for (const level of row.levels.slice(0, -1)) {
      const groupNotes = level ? notes.get(level.code) : undefined;
      if (groupNotes && level!.code !== row.code) notes.set(row.code, [...(notes.get(row.code) ?? []), ...groupNotes]);
    }
  }
  const changed = new Map<string, Set<number>>();
  for (const [code, cells] of newRows) {
    const old = oldRows.get(code);
    if (!old) continue;
    const columns = new Set(cells.map((text, i) => (text !== old[i] ? i : -1)).filter((i) => i >= 0));
    if (columns.size > 0) changed.set(code, columns);
  }
  const added = new Set([...newRows.keys()].filter((code) => !oldRows.has(code)));
  const removed = new Set([...oldRows.keys()].filter((code) => !newRows.has(code)));

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  const summary = workbook.addWorksheet('变更');
  summary.columns = [{ width: 20 }, { width: 28 }, { width: 80 }, { width: 30 }, { width: 30 }];
  summary.addRow([`${from.file.title}：版本 ${from.version} → ${to.version}，${diff.changes.length} 处变更`]).font = {
    bold: true,
  };
  summary.addRow(['类型', '代码', '变更内容', '原值', '新值']).eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  for (const change of diff.changes) {
    summary.addRow([change.kind, change.code ?? '', change.message, change.before ?? '', change.after ?? '']);
  }
  summary.getColumn(3).alignment = { wrapText: true };
  addIndicatorSheet(workbook, `新版（${to.version}）`.slice(0, 31), to, {
    changed,
    added,
    removed: new Set(),
    notes,
  });
  addIndicatorSheet(workbook, `旧版（${from.version}）`.slice(0, 31), from, {
    changed: new Map(),
    added: new Set(),
    removed,
    notes: new Map([...removed].map((code) => [code, ['本版删除']])),
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
