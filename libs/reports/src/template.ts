import ExcelJS from 'exceljs';
import type { DeclaredGoal, DeclaredIndicator, RuleSet, Submission } from '@jiping/rules';
import { fillSubmissionWorkbook, type TemplateFill } from './template-fill';
import {
  COMPARATOR_LABELS,
  DATA_COLUMNS,
  EVENT_COLUMNS,
  EVENT_ROWS,
  eventKindLabel,
  FIRST_ROW,
  inputUnit,
  KIND_LABELS,
  TARGET_COLUMNS,
  TARGET_HEADERS,
  TARGET_ROWS,
  TEMPLATE_SHEETS,
  templateLayout,
} from './template-layout';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const VALUE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
/** The declared (批复) targets of a department's own workbook: shown, locked, grey. */
const DECLARED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
/** Sheet protection: labels locked, value cells (unlocked) editable; no password (it guards against slips). */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  spinCount: 1,
};

/** A money or decimal value: a number ≥ 0 with at most `places` decimals. */
const decimalRule = (cell: string, places: number, negative: boolean): ExcelJS.DataValidation => ({
  type: 'custom',
  allowBlank: true,
  showErrorMessage: true,
  errorTitle: '数值有误',
  error: places === 0 ? '应为整数' : `应为${negative ? '' : '不小于0、'}不超过${places}位小数的数`,
  formulae: [`AND(ISNUMBER(${cell}),${negative ? '' : `${cell}>=0,`}ROUND(${cell},${places})=${cell})`],
});
const listRule = (items: string[], what: string): ExcelJS.DataValidation => ({
  type: 'list',
  allowBlank: true,
  showErrorMessage: true,
  errorTitle: '请从列表选择',
  error: `应为${what}之一：${items.join('、')}`,
  formulae: [`"${items.join(',')}"`],
});

/**
 * A department's own workbook for a year: the template of the rule set, its 履职效能 sheets listing the department's
 * declared targets (read-only: only the results are editable), and its cells filled with the latest year-end data.
 */
export interface DepartmentWorkbookOptions {
  department: { code: string; name: string };
  fiscalYear: number;
  /** The declaration in force (批复, or the latest one awaiting approval) and its revision. */
  targets: NonNullable<Submission['targets']>;
  targetRevision: number;
  approved: boolean;
  /** The latest revision of the year-end data, to fill in (its targets are not used: `targets` are). */
  latest?: { revision: number; data: Omit<TemplateFill, 'targets'> };
}

/** The declaration columns of a 履职效能 sheet (locked in a department's workbook); the others are its results. */
export const DECLARATION_COLUMNS = [
  'goalCode',
  'goalName',
  'goalWeight',
  'code',
  'name',
  'weight',
  'kind',
  'comparator',
  'target',
  'targetMax',
  'unit',
] as const satisfies ReadonlyArray<keyof typeof TARGET_COLUMNS>;

/** The declared indicators of a section, one per sheet row in order, each with its goal when it starts one. */
export function declaredRows(
  levels: 1 | 2,
  declared: DeclaredGoal[] | DeclaredIndicator[] | undefined,
): Array<{ goal?: DeclaredGoal; goalIndex: number; indicator: DeclaredIndicator; index: number }> {
  if (!declared) return [];
  if (levels === 2) {
    return (declared as DeclaredGoal[]).flatMap((goal, goalIndex) =>
      goal.indicators.map((indicator, index) => ({
        goal: index === 0 ? goal : undefined,
        goalIndex,
        indicator,
        index,
      })),
    );
  }
  return (declared as DeclaredIndicator[]).map((indicator, index) => ({ goalIndex: -1, indicator, index }));
}

/**
 * The department template of a rule set (.xlsx): 说明, 基本情况, 年终数据 (one row per declared input, one per checklist
 * point, with its label, unit and explanation), 佐证材料 (one row per scored indicator) and a sheet per declared
 * section for the targets and their year-end results. Value cells carry data validation (money: ≥ 0 with at most two
 * decimals; 是/否 lists; tier lists) and are the only unlocked cells of protected sheets. A very hidden sheet `_映射`
 * maps every row to its input, point or indicator, and names the rule set, so an import reads exactly.
 */
export async function buildSubmissionTemplate(
  ruleSet: RuleSet,
  department?: DepartmentWorkbookOptions,
): Promise<Buffer> {
  const layout = templateLayout(ruleSet);
  const file = ruleSet.file;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  workbook.title = department
    ? `${department.department.name} ${department.fiscalYear}年度 ${file.title} 填报表`
    : `${file.title} 填报模板`;
  const sheets = layout.targets.map((t) => t.sheet).join('、');

  const guide = workbook.addWorksheet(TEMPLATE_SHEETS.guide);
  guide.columns = [{ width: 110 }];
  const lines = [
    department
      ? `${department.department.name}（${department.department.code}）${department.fiscalYear}年度填报表：${file.title}`
      : `${file.title}（${file.fiscalYear}年度）填报模板`,
    `规则集：${ruleSet.id} 版本 ${ruleSet.version}（${file.source}）`,
    ...(department
      ? [
          (department.targetRevision > 0
            ? `绩效目标：第${department.targetRevision}版${department.approved ? '（已批复）' : '（尚未批复，以批复后的为准）'}；`
            : '') +
            (department.latest
              ? `已按第${department.latest.revision}版年终数据预填，修改后上传即保存为新的一版。`
              : '尚无年终数据，请逐项填写。'),
        ]
      : []),
    '1. 只填写浅黄色单元格；其余单元格已锁定，请勿增删行、列或工作表。',
    '2. 金额按所示单位填写，不小于0，最多两位小数；百分比填百分点（99.66 表示 99.66%）。',
    '3. 是/否、达成等级从下拉列表选择；核查要点每项一行；评议类填写得分和理由。',
    ...(layout.events.length > 0
      ? [
          `3a. ${layout.events.map((e) => e.sheet).join('、')}：每个加减分事项一行，从下拉列表选择事项类型并写明文件、事由；没有事项则留空。`,
        ]
      : []),
    department
      ? `4. ${sheets || '（无申报指标）'}：已列出批复的绩效目标和关键指标，灰色单元格（目标、指标、分值、年度指标值）不能修改；只填写实际完成值、达成等级、自评分、完成情况和原因。如需调整目标，请重新申报绩效目标并经批复后重新下载本表。`
      : `4. ${sheets || '（无申报指标）'}：每个关键指标一行，目标代码和指标代码与绩效目标申报一致；同一目标的后续行可不重复目标列。`,
    `5. 填好后通过 POST /departments/${department?.department.code ?? '{code}'}/years/${department?.fiscalYear ?? '{year}'}/submissions 以 multipart 字段 file 上传；每个错误都会指明工作表和单元格${department ? '；与批复不一致的目标会被拒绝' : ''}。`,
  ];
  lines.forEach((text, i) => {
    const cell = guide.getCell(`A${i + 1}`);
    cell.value = text;
    cell.alignment = { wrapText: true };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  await guide.protect('', PROTECTION);

  // 基本情况
  const basics = workbook.addWorksheet(TEMPLATE_SHEETS.basics);
  basics.columns = [{ width: 24 }, { width: 22 }, { width: 60 }, { width: 22 }];
  title(basics, `单位基本情况（金额单位：${file.budgetHeader?.unit ?? '元'}）`, 4);
  header(basics, ['项目', '分类', '填报值 / 全年预算数', '全年执行数']);
  for (const entry of layout.basics) {
    const r = entry.row;
    if (entry.kind === 'budget') {
      basics.getCell(`A${r}`).value = entry.breakdown;
      basics.getCell(`B${r}`).value = entry.label;
      for (const col of ['C', 'D']) {
        const cell = editable(basics.getCell(`${col}${r}`));
        cell.numFmt = '#,##0.00';
        cell.dataValidation = decimalRule(`${col}${r}`, 2, false);
      }
      continue;
    }
    basics.getCell(`A${r}`).value = entry.label;
    const cell = editable(basics.getCell(`C${r}`));
    if (entry.kind === 'unitCount') cell.dataValidation = decimalRule(`C${r}`, 0, false);
    else cell.alignment = { wrapText: true, vertical: 'top' };
  }
  await basics.protect('', PROTECTION);

  // 年终数据
  const data = workbook.addWorksheet(TEMPLATE_SHEETS.data);
  data.columns = [
    { width: 26 },
    { width: 34 },
    { width: 18 },
    { width: 10 },
    { width: 50 },
    { width: 8 },
    { width: 60 },
  ];
  title(data, `年终数据（${file.title}，${file.fiscalYear}年度）`, 7);
  header(data, ['指标', '填报项', '填报值', '得分', '理由 / 佐证材料', '单位', '说明']);
  for (const entry of layout.data) {
    const r = entry.row;
    const input = entry.input;
    data.getCell(`${DATA_COLUMNS.indicator}${r}`).value = entry.indicator;
    data.getCell(`${DATA_COLUMNS.unit}${r}`).value = inputUnit(input);
    const value = editable(data.getCell(`${DATA_COLUMNS.value}${r}`));
    const explanation = data.getCell(`${DATA_COLUMNS.explanation}${r}`);
    explanation.alignment = { wrapText: true, vertical: 'top' };
    if (entry.kind === 'point') {
      const point = entry.input.points.find((p) => p.id === entry.pointId)!;
      data.getCell(`${DATA_COLUMNS.label}${r}`).value = `${input.label}：${point.label}`;
      explanation.value = `核查要点（${point.points}分）；填“是”或“否”，可在E列写佐证材料`;
      value.dataValidation = listRule(['是', '否'], '是/否');
      editable(data.getCell(`${DATA_COLUMNS.note}${r}`)).alignment = { wrapText: true };
      continue;
    }
    data.getCell(`${DATA_COLUMNS.label}${r}`).value = input.label;
    explanation.value = input.description ?? '';
    switch (input.type) {
      case 'money':
        value.numFmt = '#,##0.00';
        value.dataValidation = decimalRule(`C${r}`, 2, input.allowNegative === true);
        break;
      case 'percent':
        value.dataValidation = decimalRule(`C${r}`, input.places ?? 2, input.allowNegative === true);
        break;
      case 'number':
        value.dataValidation = decimalRule(`C${r}`, input.places ?? 4, input.allowNegative === true);
        break;
      case 'count':
        value.dataValidation = decimalRule(`C${r}`, 0, false);
        break;
      case 'boolean':
        value.dataValidation = listRule(['是', '否'], '是/否');
        break;
      case 'judgment': {
        const tiers = entry.kind === 'input' ? entry.tiers : undefined;
        const range = entry.kind === 'input' ? entry.range : undefined;
        if (tiers)
          value.dataValidation = listRule(
            tiers.map((t) => t.label),
            '评议等级',
          );
        const score = editable(data.getCell(`${DATA_COLUMNS.score}${r}`));
        score.dataValidation = decimalRule(`D${r}`, 4, range !== undefined);
        editable(data.getCell(`${DATA_COLUMNS.note}${r}`)).alignment = { wrapText: true };
        explanation.value =
          `${input.description ?? ''}${input.description ? '；' : ''}` +
          (range
            ? `D列填加减分（${range.min}至${range.max}分，减分填负数），E列填理由（必填）`
            : `${tiers ? 'C列选评议等级，' : ''}D列填得分，E列填理由（必填）`);
        break;
      }
      case 'text':
        value.alignment = { wrapText: true };
        break;
    }
  }
  await data.protect('', PROTECTION);

  // 佐证材料
  const evidence = workbook.addWorksheet(TEMPLATE_SHEETS.evidence);
  evidence.columns = [{ width: 16 }, { width: 20 }, { width: 30 }, { width: 80 }];
  title(evidence, '佐证材料 / 说明（按指标，写入评分依据）', 4);
  header(evidence, ['一级指标', '二级指标', '三级指标', '佐证材料 / 说明']);
  for (const entry of layout.evidence) {
    const [first = '', second = '', ...rest] = entry.path;
    evidence.getCell(`A${entry.row}`).value = first;
    evidence.getCell(`B${entry.row}`).value = rest.length > 0 ? second : '';
    evidence.getCell(`C${entry.row}`).value = rest.length > 0 ? rest.join(' / ') : second;
    editable(evidence.getCell(`D${entry.row}`)).alignment = { wrapText: true };
  }
  await evidence.protect('', PROTECTION);

  // 履职效能 (declared sections)
  for (const section of layout.targets) {
    const sheet = workbook.addWorksheet(section.sheet);
    const keys = Object.keys(TARGET_COLUMNS) as Array<keyof typeof TARGET_COLUMNS>;
    sheet.columns = keys.map((k) => ({
      width: ['goalName', 'name', 'text', 'reason', 'target'].includes(k) ? 30 : 12,
    }));
    const spec = section.node.declared;
    title(
      sheet,
      `${section.node.name}（${section.node.weight}分）：申报的绩效目标与关键指标及其年终完成情况` +
        `${spec.levels === 1 ? '（仅指标一级，目标列留空）' : ''}`,
      keys.length,
    );
    header(
      sheet,
      keys.map((k) => TARGET_HEADERS[k]),
    );
    const tiers = spec.qualitativeTiers.map((t) => t.label);
    const comparators = spec.comparators.map((c) => COMPARATOR_LABELS[c]);
    if (department) {
      // The department's declaration: its rows only, declaration cells locked, the results of each kind editable.
      const rows = declaredRows(spec.levels, department.targets[section.node.code]);
      rows.forEach(({ indicator }, i) => {
        const r = FIRST_ROW + i;
        for (const key of DECLARATION_COLUMNS) {
          const cell = sheet.getCell(`${TARGET_COLUMNS[key]}${r}`);
          cell.fill = DECLARED_FILL;
          cell.protection = { locked: true };
        }
        const results =
          indicator.kind === 'qualitative'
            ? (['tier', 'score', 'text', 'reason'] as const)
            : (['actual', 'text', 'reason'] as const);
        for (const key of results) editable(sheet.getCell(`${TARGET_COLUMNS[key]}${r}`));
        if (indicator.kind === 'qualitative') {
          sheet.getCell(`${TARGET_COLUMNS.tier}${r}`).dataValidation = listRule(tiers, '达成等级');
          sheet.getCell(`${TARGET_COLUMNS.score}${r}`).dataValidation = decimalRule(
            `${TARGET_COLUMNS.score}${r}`,
            4,
            false,
          );
        }
        for (const key of ['text', 'reason'] as const) {
          sheet.getCell(`${TARGET_COLUMNS[key]}${r}`).alignment = { wrapText: true, vertical: 'top' };
        }
      });
      await sheet.protect('', PROTECTION);
      continue;
    }
    for (let r = FIRST_ROW; r < FIRST_ROW + TARGET_ROWS; r++) {
      for (const key of keys) editable(sheet.getCell(`${TARGET_COLUMNS[key]}${r}`));
      sheet.getCell(`${TARGET_COLUMNS.kind}${r}`).dataValidation = listRule(Object.values(KIND_LABELS), '类型');
      sheet.getCell(`${TARGET_COLUMNS.comparator}${r}`).dataValidation = listRule(comparators, '比较方式');
      sheet.getCell(`${TARGET_COLUMNS.tier}${r}`).dataValidation = listRule(tiers, '达成等级');
      for (const key of ['goalWeight', 'weight', 'score'] as const) {
        const col = TARGET_COLUMNS[key];
        sheet.getCell(`${col}${r}`).dataValidation = decimalRule(`${col}${r}`, 4, false);
      }
    }
    await sheet.protect('', { ...PROTECTION, insertRows: true, deleteRows: true });
  }

  // 加减分事项 (events inputs): one row per event, its kind from a list and what happened
  for (const events of layout.events) {
    const sheet = workbook.addWorksheet(events.sheet);
    sheet.columns = [{ width: 30 }, { width: 90 }];
    const kinds = events.input.kinds.map(eventKindLabel);
    title(
      sheet,
      `${events.input.label}${events.indicator ? `（${events.indicator}）` : ''}：每个事项一行，选择事项类型并写明文件、事由；没有事项则留空`,
      2,
    );
    header(sheet, ['事项类型', '事项说明（文件、事由）']);
    for (let r = FIRST_ROW; r < FIRST_ROW + EVENT_ROWS; r++) {
      editable(sheet.getCell(`${EVENT_COLUMNS.kind}${r}`)).dataValidation = listRule(kinds, '事项类型');
      editable(sheet.getCell(`${EVENT_COLUMNS.text}${r}`)).alignment = { wrapText: true };
    }
    await sheet.protect('', PROTECTION);
  }

  // _映射: row → input / point / indicator, and the rule set the template was made from.
  const mapping = workbook.addWorksheet(TEMPLATE_SHEETS.mapping, { state: 'veryHidden' });
  mapping.addRow(['ruleSet', ruleSet.id, ruleSet.version, ruleSet.checksum]);
  if (department) {
    mapping.addRow([
      'declaration',
      department.department.code,
      department.fiscalYear,
      department.targetRevision,
      department.latest?.revision ?? '',
    ]);
  }
  for (const entry of layout.basics) {
    mapping.addRow([TEMPLATE_SHEETS.basics, entry.row, entry.kind, entry.kind === 'budget' ? entry.column : '']);
  }
  for (const entry of layout.data) {
    mapping.addRow([
      TEMPLATE_SHEETS.data,
      entry.row,
      entry.kind,
      entry.input.id,
      entry.kind === 'point' ? entry.pointId : '',
    ]);
  }
  for (const entry of layout.evidence) mapping.addRow([TEMPLATE_SHEETS.evidence, entry.row, 'indicator', entry.code]);
  for (const section of layout.targets) mapping.addRow([section.sheet, FIRST_ROW, 'declared', section.node.code]);
  for (const events of layout.events) mapping.addRow([events.sheet, FIRST_ROW, 'events', events.input.id]);

  if (department) {
    const latest = department.latest?.data ?? { department: {}, inputs: {} };
    fillSubmissionWorkbook(workbook, ruleSet, { ...latest, targets: department.targets });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A 绩效目标申报表: for whom, and the declaration it starts from (the latest one, to change; none: blank). */
export interface TargetsWorkbookOptions {
  department: { code: string; name: string };
  fiscalYear: number;
  latest?: { revision: number; approved: boolean; targets: NonNullable<Submission['targets']> };
}

/**
 * The 绩效目标申报表 of a department's year (.xlsx): 说明, then one sheet per declared section of the rule set with the
 * declaration columns of the department template's 履职效能 sheet (目标代码, 绩效目标, 目标分值, 指标代码, 关键指标,
 * 指标分值, 类型, 比较, 年度指标值, 区间上限, 单位) in the same places, so importTargetsWorkbook (and the template's own
 * reader) read it; prefilled with the latest declaration when there is one, with blank rows to add to it, lists for
 * 类型 and 比较, decimals checked; labels locked, sheets protected (rows may be inserted and deleted). The hidden
 * `_映射` sheet names the rule set.
 */
export async function buildTargetsWorkbook(ruleSet: RuleSet, options: TargetsWorkbookOptions): Promise<Buffer> {
  const layout = templateLayout(ruleSet);
  const file = ruleSet.file;
  const { department, fiscalYear, latest } = options;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  workbook.title = `${department.name} ${fiscalYear}年度绩效目标申报表`;

  const guide = workbook.addWorksheet(TEMPLATE_SHEETS.guide);
  guide.columns = [{ width: 110 }];
  const sections = layout.targets.map((t) => `${t.sheet}（${t.node.weight}分）`).join('、');
  const lines = [
    `${department.name}（${department.code}）${fiscalYear}年度绩效目标申报表`,
    `规则集：${ruleSet.id} 版本 ${ruleSet.version}（${file.title}）`,
    latest
      ? `已按第${latest.revision}版申报${latest.approved ? '（已批复）' : '（待批复）'}预填；修改后上传即为新的一版申报，经绩效处批复后生效。`
      : '尚未申报：请逐项填写；上传后经绩效处批复生效。',
    `1. ${sections}：每个关键指标一行；一个绩效目标的第一行填写目标代码、绩效目标和目标分值，同一目标的后续行目标列留空。`,
    '2. 类型选“定量”或“定性”。定量指标填比较方式（≥、≤、=、区间）、年度指标值（区间时另填区间上限）和单位；定性指标的年度指标值填文字。',
    '3. 分值最多四位小数；目标分值之和、每个目标下指标分值之和须与规则一致，代码不能重复。',
    `4. 先预览：POST /departments/${department.code}/years/${fiscalYear}/targets/workbook-import?dryRun=true（multipart 字段 file），每个问题都会指明工作表和单元格；去掉 dryRun 即保存为新的一版申报。`,
  ];
  lines.forEach((text, i) => {
    const cell = guide.getCell(`A${i + 1}`);
    cell.value = text;
    cell.alignment = { wrapText: true };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  await guide.protect('', PROTECTION);

  for (const section of layout.targets) {
    const sheet = workbook.addWorksheet(section.sheet);
    const spec = section.node.declared;
    sheet.columns = DECLARATION_COLUMNS.map((k) => ({
      width: ['goalName', 'name', 'target'].includes(k) ? 36 : k === 'unit' ? 10 : 12,
    }));
    title(
      sheet,
      `${section.node.name}（${section.node.weight}分）：绩效目标与关键指标申报${spec.levels === 1 ? '（仅指标一级，目标列留空）' : ''}`,
      DECLARATION_COLUMNS.length,
    );
    header(
      sheet,
      DECLARATION_COLUMNS.map((k) => TARGET_HEADERS[k]),
    );
    const comparators = spec.comparators.map((c) => COMPARATOR_LABELS[c]);
    const rows = declaredRows(spec.levels, latest?.targets[section.node.code]);
    for (let r = FIRST_ROW; r < FIRST_ROW + rows.length + TARGET_ROWS; r++) {
      for (const key of DECLARATION_COLUMNS) editable(sheet.getCell(`${TARGET_COLUMNS[key]}${r}`));
      sheet.getCell(`${TARGET_COLUMNS.kind}${r}`).dataValidation = listRule(Object.values(KIND_LABELS), '类型');
      sheet.getCell(`${TARGET_COLUMNS.comparator}${r}`).dataValidation = listRule(comparators, '比较方式');
      for (const key of ['goalWeight', 'weight'] as const) {
        const col = TARGET_COLUMNS[key];
        sheet.getCell(`${col}${r}`).dataValidation = decimalRule(`${col}${r}`, 4, false);
      }
      for (const key of ['goalName', 'name', 'target'] as const) {
        sheet.getCell(`${TARGET_COLUMNS[key]}${r}`).alignment = { wrapText: true, vertical: 'top' };
      }
    }
    await sheet.protect('', { ...PROTECTION, insertRows: true, deleteRows: true });
  }

  const mapping = workbook.addWorksheet(TEMPLATE_SHEETS.mapping, { state: 'veryHidden' });
  mapping.addRow(['ruleSet', ruleSet.id, ruleSet.version, ruleSet.checksum]);
  mapping.addRow(['targets', department.code, fiscalYear, latest?.revision ?? '']);
  for (const section of layout.targets) mapping.addRow([section.sheet, FIRST_ROW, 'declared', section.node.code]);
  if (latest) fillSubmissionWorkbook(workbook, ruleSet, { department: {}, inputs: {}, targets: latest.targets });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function title(sheet: ExcelJS.Worksheet, text: string, columns: number): void {
  sheet.mergeCells(1, 1, 1, columns);
  const cell = sheet.getCell('A1');
  cell.value = text;
  cell.font = { bold: true, size: 13 };
}

function header(sheet: ExcelJS.Worksheet, labels: string[]): void {
  const row = sheet.getRow(2);
  labels.forEach((label, i) => {
    const cell = row.getCell(i + 1);
    cell.value = label;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
}

/** Unlocks a value cell and shades it: the cells a department fills. */
function editable(cell: ExcelJS.Cell): ExcelJS.Cell {
  cell.protection = { locked: false };
  cell.fill = VALUE_FILL;
  return cell;
}
