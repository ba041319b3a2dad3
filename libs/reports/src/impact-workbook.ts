import ExcelJS from 'exceljs';
import { beijingTime } from './summary-table';
import { scoreCell } from './score-table-format';

/** One department's line of an impact analysis (the job's rows, as the API gives them). */
export interface ImpactWorkbookRow {
  department: { code: string; name: string };
  before: { total: string; grade: string };
  after: { total: string; grade: string };
  delta: string;
  /** The keys of the assumed values the department's "after" used (absent when none). */
  assumed?: string[];
}

/** The parts of an impact summary the workbook prints (ImpactSummaryResult plus the run's rule sets). */
export interface ImpactWorkbookSummary {
  year: number;
  ruleSet: { ref: string; status: string };
  against: { ref: string; status: string };
  simulation?: { description: string };
  departments: number;
  failed: number;
  changed: number;
  raised: number;
  lowered: number;
  delta: { mean: string; median: string } | null;
  grades: { before: string[]; after: string[] };
  transitions: Record<string, Record<string, number>>;
  gradeChanges: { changed: number; up: number; down: number };
  indicators: Array<{
    code: string;
    name: string;
    meanDelta: string;
    totalDelta: string;
    moved: number;
    raised: number;
    lowered: number;
  }>;
  assumptions?: Array<{
    key: string;
    label: string;
    shown: string;
    reason?: string;
    indicators: Array<{ code: string; name: string }>;
    departments: number;
  }>;
  departmentsWithAssumptions?: number;
}

export interface ImpactWorkbookOptions {
  /** An indicator's Chinese path by code (管理效能 › 资产管理 › 固定资产利用率); the name alone when absent. */
  paths?: ReadonlyMap<string, readonly string[]>;
  /** The two versions as people name them (广州市…指标体系 第1版); the references alone when absent. */
  labels?: { ruleSet: string; against: string };
  /** When it was made (printed as 北京时间); default now. */
  generatedAt?: Date;
}

export const IMPACT_ROW_COLUMNS = [
  '序号',
  '部门代码',
  '部门',
  '原总分',
  '原等次',
  '新总分',
  '新等次',
  '变动',
  '使用的假设值',
] as const;

const STATUS: Record<string, string> = { draft: '草稿', published: '已发布', superseded: '已替代' };
const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = { name: '宋体', size: 10 };
const BOLD = { ...FONT, bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

type Value = string | number | { value: number; numFmt: string };

const versionText = (side: { ref: string; status: string }, label?: string): string =>
  label
    ? `${label}（${STATUS[side.status] ?? side.status}，${side.ref}）`
    : `${side.ref}（${STATUS[side.status] ?? side.status}）`;

/** The title of an impact workbook: 2021年度规则变更影响分析. */
export const impactTitle = (year: number): string => `${year}年度规则变更影响分析`;

/**
 * A rule-change impact as an .xlsx workbook in the bureau's printable style (宋体, borders, A4, the header repeated):
 * 概要 (the versions, what was simulated, the counts), 等次变动 (the transition matrix, before in rows, after in
 * columns), 部门明细 (every department: 原总分/原等次, 新总分/新等次, 变动 as numbers keeping their decimals, and the
 * assumed values it used), 指标变动 (the mean change per indicator by its Chinese path) and, in a simulation, 模拟假设
 * (each assumed value and how many departments used it).
 */
export async function renderImpactWorkbook(
  summary: ImpactWorkbookSummary,
  rows: ImpactWorkbookRow[],
  options: ImpactWorkbookOptions = {},
): Promise<Buffer> {
  const title = impactTitle(summary.year);
  const workbook = new ExcelJS.Workbook();
  workbook.title = title;
  const assumptionLabels = new Map((summary.assumptions ?? []).map((a) => [a.key, a.label]));
  const pathOf = (code: string, name: string): string => (options.paths?.get(code) ?? [name]).join(' › ');

  // 概要
  const overview = workbook.addWorksheet('概要');
  const lines: Array<[string, Value]> = [
    ['年度', `${summary.year}年`],
    ['候选版本', versionText(summary.ruleSet, options.labels?.ruleSet)],
    ['对照版本', versionText(summary.against, options.labels?.against)],
    ...(summary.simulation ? ([['模拟说明', summary.simulation.description]] as Array<[string, Value]>) : []),
    ['参评部门', summary.departments],
    ['无法评分的部门', summary.failed],
    ['总分变动的部门', summary.changed],
    ['其中上升', summary.raised],
    ['其中下降', summary.lowered],
    ['总分平均变动', summary.delta ? scoreCell(summary.delta.mean) : '—'],
    ['总分变动中位数', summary.delta ? scoreCell(summary.delta.median) : '—'],
    ['等次变动的部门', summary.gradeChanges.changed],
    ['其中升等', summary.gradeChanges.up],
    ['其中降等', summary.gradeChanges.down],
    ...(summary.departmentsWithAssumptions !== undefined
      ? ([['使用假设值的部门', summary.departmentsWithAssumptions]] as Array<[string, Value]>)
      : []),
  ];
  titleRows(overview, title, 2, options.generatedAt);
  lines.forEach(([label, value], i) => {
    const row = 3 + i;
    put(overview.getCell(row, 1), label, BOLD, 'left');
    put(overview.getCell(row, 2), value, FONT, 'left');
  });
  overview.getColumn(1).width = 18;
  overview.getColumn(2).width = 70;
  printSetup(overview, 'portrait');

  // 等次变动
  const matrix = workbook.addWorksheet('等次变动');
  const after = summary.grades.after;
  titleRows(matrix, `${title}：等次变动（部门数）`, after.length + 1, options.generatedAt);
  header(matrix, 3, ['原等次＼新等次', ...after]);
  summary.grades.before.forEach((from, i) => {
    const r = 4 + i;
    put(matrix.getCell(r, 1), from, BOLD, 'center');
    after.forEach((to, c) => put(matrix.getCell(r, c + 2), summary.transitions[from]?.[to] ?? 0, FONT, 'center'));
  });
  matrix.getColumn(1).width = 16;
  after.forEach((_, c) => (matrix.getColumn(c + 2).width = 10));
  printSetup(matrix, 'portrait');

  // 部门明细
  const detail = workbook.addWorksheet('部门明细');
  titleRows(detail, `${title}：部门明细`, IMPACT_ROW_COLUMNS.length, options.generatedAt);
  header(detail, 3, [...IMPACT_ROW_COLUMNS]);
  rows.forEach((row, i) => {
    const values: Value[] = [
      i + 1,
      row.department.code,
      row.department.name,
      scoreCell(row.before.total),
      row.before.grade,
      scoreCell(row.after.total),
      row.after.grade,
      scoreCell(row.delta),
      (row.assumed ?? []).map((key) => assumptionLabels.get(key) ?? key).join('、'),
    ];
    values.forEach((value, c) =>
      put(detail.getCell(4 + i, c + 1), value, FONT, c === 2 || c === 8 ? 'left' : 'center'),
    );
  });
  [6, 16, 30, 10, 8, 10, 8, 10, 40].forEach((w, i) => (detail.getColumn(i + 1).width = w));
  detail.views = [{ state: 'frozen', ySplit: 3 }];
  if (rows.length > 0) detail.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + rows.length, column: 9 } };
  printSetup(detail, 'landscape', 3);

  // 指标变动
  const indicators = workbook.addWorksheet('指标变动');
  const indicatorColumns = ['指标', '平均变动', '合计变动', '变动部门数', '上升', '下降'];
  titleRows(indicators, `${title}：指标变动`, indicatorColumns.length, options.generatedAt);
  header(indicators, 3, indicatorColumns);
  summary.indicators.forEach((indicator, i) => {
    const values: Value[] = [
      pathOf(indicator.code, indicator.name),
      scoreCell(indicator.meanDelta),
      scoreCell(indicator.totalDelta),
      indicator.moved,
      indicator.raised,
      indicator.lowered,
    ];
    values.forEach((value, c) => put(indicators.getCell(4 + i, c + 1), value, FONT, c === 0 ? 'left' : 'center'));
  });
  [56, 12, 12, 12, 8, 8].forEach((w, i) => (indicators.getColumn(i + 1).width = w));
  printSetup(indicators, 'portrait', 3);

  // 模拟假设
  if (summary.assumptions && summary.assumptions.length > 0) {
    const sheet = workbook.addWorksheet('模拟假设');
    const columns = ['假设值', '取值', '涉及指标', '使用的部门数', '说明'];
    titleRows(sheet, summary.simulation?.description ?? `${title}：模拟假设`, columns.length, options.generatedAt);
    header(sheet, 3, columns);
    summary.assumptions.forEach((a, i) => {
      const values: Value[] = [
        a.label,
        a.shown,
        a.indicators.map((x) => pathOf(x.code, x.name)).join('；'),
        a.departments,
        a.reason ?? '',
      ];
      values.forEach((value, c) => put(sheet.getCell(4 + i, c + 1), value, FONT, c === 3 ? 'center' : 'left'));
    });
    [30, 12, 44, 12, 40].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
    printSetup(sheet, 'landscape', 3);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function put(cell: ExcelJS.Cell, value: Value, font: object, horizontal: 'left' | 'center'): void {
  if (typeof value === 'object') {
    cell.value = value.value;
    cell.numFmt = value.numFmt;
  } else cell.value = value;
  cell.font = font;
  cell.border = BORDER;
  cell.alignment = { horizontal, vertical: 'middle', wrapText: true };
}

function titleRows(sheet: ExcelJS.Worksheet, title: string, width: number, generatedAt?: Date): void {
  sheet.mergeCells(1, 1, 1, Math.max(width, 2));
  const cell = sheet.getCell(1, 1);
  cell.value = title;
  cell.font = { ...BOLD, size: 14 };
  cell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 28;
  sheet.mergeCells(2, 1, 2, Math.max(width, 2));
  const made = sheet.getCell(2, 1);
  made.value = `制表时间：北京时间 ${beijingTime(generatedAt ?? new Date())}`;
  made.font = FONT;
  made.alignment = { horizontal: 'right', vertical: 'middle' };
}

function header(sheet: ExcelJS.Worksheet, row: number, texts: string[]): void {
  texts.forEach((text, i) => {
    const cell = sheet.getCell(row, i + 1);
    cell.value = text;
    cell.font = BOLD;
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  sheet.getRow(row).height = 22;
}

function printSetup(sheet: ExcelJS.Worksheet, orientation: 'portrait' | 'landscape', headerRow?: number): void {
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(headerRow && { printTitlesRow: `${headerRow}:${headerRow}` }),
  };
  sheet.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
}
