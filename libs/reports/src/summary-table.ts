import ExcelJS from 'exceljs';
import { csvField } from './score-table-csv';
import { scoreCell } from './score-table-format';

/** One department of the 汇总表: its official scores as the stored evaluations write them. */
export interface SummaryTableRow {
  departmentCode: string;
  departmentName: string;
  region: string;
  /** 自评分 ("94.622"); null when not scored. */
  selfScore: string | null;
  /** 复核分; null when nothing was adjusted. */
  reviewScore: string | null;
  grade: string | null;
  rank: number | null;
  /** The status as users read it (已评分). */
  statusLabel: string;
  /** ISO instant of the submission (提交), or null. */
  submittedAt: string | null;
  late: boolean;
}

/** The statistics printed under the table. */
export interface SummaryTableStatistics {
  departments: number;
  scored: number;
  late: number;
  mean: string | null;
  median: string | null;
  highest: string | null;
  lowest: string | null;
  byGrade: Array<{ grade: string; count: number }>;
  byStatus: Array<{ label: string; count: number }>;
}

export interface SummaryTableOptions {
  fiscalYear: number;
  /** Default `<year>年度部门整体支出绩效自评结果汇总表`. */
  title?: string;
  /** What the list was narrowed to, in words (地区：广州市；等次：优), printed under the title. */
  filters?: string;
  /** When it was made (printed as 北京时间); default now. */
  generatedAt?: Date;
}

export const SUMMARY_TABLE_COLUMNS = ['序号', '部门', '自评分', '复核分', '等次', '排名', '状态', '提交时间'] as const;

const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = { name: '宋体', size: 10 };
const BOLD = { ...FONT, bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const WIDTHS = [6, 36, 10, 10, 8, 8, 10, 24];

/** An instant as the bureau reads it, in Beijing time: 2022-03-01 16:00. */
export function beijingTime(instant: string | Date): string {
  const shifted = new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

const submitted = (row: SummaryTableRow): string =>
  row.submittedAt ? `${beijingTime(row.submittedAt)}${row.late ? '（逾期）' : ''}` : '';

export const defaultSummaryTitle = (fiscalYear: number): string => `${fiscalYear}年度部门整体支出绩效自评结果汇总表`;

/** The statistics in words: 参评部门 3 个，已评分 2 个…; 等次分布…; 填报状态…. */
export function summaryLines(statistics: SummaryTableStatistics): string[] {
  const s = statistics;
  const scores =
    s.scored > 0 ? `；平均分 ${s.mean}，中位数 ${s.median}，最高分 ${s.highest}，最低分 ${s.lowest}` : '；尚无评分';
  return [
    `部门 ${s.departments} 个，已评分 ${s.scored} 个，逾期提交 ${s.late} 个${scores}`,
    `等次分布：${s.byGrade.map((g) => `${g.grade} ${g.count} 个`).join('，') || '无'}`,
    `填报状态：${s.byStatus.map((g) => `${g.label} ${g.count} 个`).join('，')}`,
  ];
}

/**
 * The 汇总表 of a year as an .xlsx workbook in the bureau's printable layout, like the 自评表: the title, when it was
 * made (and the filters), the table (序号, 部门, 自评分, 复核分, 等次, 排名, 状态, 提交时间; scores as numbers keeping
 * their decimals, late submissions marked 逾期), then the statistics; 宋体, borders, A4 portrait fit to the page width,
 * the header row repeated on every printed page and frozen on screen, page numbers in the footer.
 */
export async function renderSummaryTableXlsx(
  rows: SummaryTableRow[],
  statistics: SummaryTableStatistics,
  options: SummaryTableOptions,
): Promise<Buffer> {
  const title = options.title ?? defaultSummaryTitle(options.fiscalYear);
  const workbook = new ExcelJS.Workbook();
  workbook.title = title;
  const sheet = workbook.addWorksheet('汇总表');
  const width = SUMMARY_TABLE_COLUMNS.length;

  sheet.mergeCells(1, 1, 1, width);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { ...BOLD, size: 16 };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 30;

  sheet.mergeCells(2, 1, 2, width);
  const made = `制表时间：北京时间 ${beijingTime(options.generatedAt ?? new Date())}`;
  const subtitle = sheet.getCell(2, 1);
  subtitle.value = options.filters ? `筛选：${options.filters}\u3000\u3000${made}` : made;
  subtitle.font = FONT;
  subtitle.alignment = { horizontal: 'right', vertical: 'middle' };

  const header = 3;
  SUMMARY_TABLE_COLUMNS.forEach((text, i) => {
    const cell = sheet.getCell(header, i + 1);
    cell.value = text;
    cell.font = BOLD;
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  sheet.getRow(header).height = 22;

  rows.forEach((row, i) => {
    const r = header + 1 + i;
    const values: Array<string | number | { value: number; numFmt: string }> = [
      i + 1,
      row.departmentName,
      row.selfScore === null ? '' : scoreCell(row.selfScore),
      row.reviewScore === null ? '' : scoreCell(row.reviewScore),
      row.grade ?? '',
      row.rank ?? '',
      row.statusLabel,
      submitted(row),
    ];
    values.forEach((value, c) => {
      const cell = sheet.getCell(r, c + 1);
      if (typeof value === 'object') {
        cell.value = value.value;
        cell.numFmt = value.numFmt;
      } else cell.value = value;
      cell.font = FONT;
      cell.border = BORDER;
      cell.alignment = { horizontal: c === 1 ? 'left' : 'center', vertical: 'middle', wrapText: true };
    });
  });

  let r = header + rows.length + 2;
  for (const line of summaryLines(statistics)) {
    sheet.mergeCells(r, 1, r, width);
    const cell = sheet.getCell(r, 1);
    cell.value = line;
    cell.font = FONT;
    cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    sheet.getRow(r).height = 18;
    r += 1;
  }

  WIDTHS.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.views = [{ state: 'frozen', ySplit: header }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${header}:${header}`,
  };
  sheet.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The 汇总表 as CSV (UTF-8 with a BOM, CRLF): the title line, the header (the printed columns, then 部门代码, 地区 and
 * 是否逾期 for machines), one row per department with the scores as the reports write them, then the statistics.
 */
export function renderSummaryTableCsv(
  rows: SummaryTableRow[],
  statistics: SummaryTableStatistics,
  options: SummaryTableOptions,
): string {
  const lines: string[][] = [
    [options.title ?? defaultSummaryTitle(options.fiscalYear)],
    ...(options.filters ? [[`筛选：${options.filters}`]] : []),
    [...SUMMARY_TABLE_COLUMNS, '部门代码', '地区', '是否逾期'],
    ...rows.map((row, i) => [
      String(i + 1),
      row.departmentName,
      row.selfScore ?? '',
      row.reviewScore ?? '',
      row.grade ?? '',
      row.rank === null ? '' : String(row.rank),
      row.statusLabel,
      row.submittedAt ? beijingTime(row.submittedAt) : '',
      row.departmentCode,
      row.region,
      row.late ? '是' : '否',
    ]),
    [],
    ...summaryLines(statistics).map((line) => [line]),
  ];
  return '\uFEFF' + lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}
