import ExcelJS from 'exceljs';
import type { NodeReport, ScoreReport } from '@jiping/scoring';
import { amountCell, type CellNumber, rateCell, scoreCell } from './score-table-format';
import { type ReviewScores, reviewScores } from './score-table-review';

export { renderScoreTableCsv } from './score-table-csv';

/** Options of {@link renderScoreTableXlsx}. */
export interface ScoreTableOptions {
  /** The title row; default `<department><year>年度部门整体支出绩效自评表`. */
  title?: string;
  /** The sheet name; default 自评表. */
  sheetName?: string;
  /**
   * For an adjusted evaluation (复核): the report as the department submitted it, whose scores fill the 自评分 column
   * of every row, 总分 and 等次 beside the 复核分.
   */
  self?: ScoreReport;
}

/** The columns of the 自评表, by role. Review columns exist only when a node carries a 复核. */
interface Layout {
  /** 1-based column of each level's name; its 分值 is the next column. */
  level: (level: number) => number;
  /** 指标解释 (merged detailA:detailB), or 年度指标值 | 实际完成指标值. */
  detailA: number;
  detailB: number;
  self: number;
  reviewed?: number;
  basis: number;
  reason?: number;
  note: number;
  width: number;
}

function layoutFor(reviewed: boolean): Layout {
  const self = 9;
  const next = reviewed ? self + 2 : self + 1;
  return {
    level: (level) => 2 * level - 1,
    detailA: 7,
    detailB: 8,
    self,
    reviewed: reviewed ? self + 1 : undefined,
    basis: next,
    reason: reviewed ? next + 1 : undefined,
    note: reviewed ? next + 2 : next + 1,
    width: reviewed ? next + 2 : next + 1,
  };
}

const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = { name: '宋体', size: 10 };
const BOLD = { ...FONT, bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/**
 * Renders the 自评表 of a report as an .xlsx workbook in the bureau's layout (the seed table): the title, the
 * 单位基本情况 block with the budget table, the 管理效能 table (group sections), the 履职效能 table (declared
 * sections), the 加减分 rows, 总分, 等次 and the note. Generic over the report tree: a node's name and 分值 sit in
 * its level's columns and span the rows of its leaves. Numbers are numbers with the report's decimals; when an
 * evaluator adjusted the evaluation (复核), every row, 总分 and 等次 show 自评分 and 复核分 side by side (the 自评分
 * from `options.self`), and a touched leaf its 复核理由.
 */
export async function renderScoreTableXlsx(report: ScoreReport, options: ScoreTableOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${report.engine.name} ${report.engine.version}`;
  workbook.title = options.title ?? defaultTitle(report);
  const sheet = workbook.addWorksheet(options.sheetName ?? '自评表');
  const review = reviewScores(report, options.self);
  const layout = layoutFor(review !== undefined);
  const writer = new SheetWriter(sheet, layout, review);

  writer.title(options.title ?? defaultTitle(report));
  writer.basicInformation(report);
  const headerRows = writer.tables(report);
  writer.totals(report);
  writer.notes(report);

  setColumns(sheet, layout);
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    ...(headerRows ? { printTitlesRow: `${headerRows}:${headerRows}` } : {}),
  };
  sheet.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const defaultTitle = (report: ScoreReport): string =>
  `${report.department.name}${report.fiscalYear}年度部门整体支出绩效自评表`;

function setColumns(sheet: ExcelJS.Worksheet, layout: Layout): void {
  const widths: Record<number, number> = {
    1: 10,
    2: 6,
    // 3–6 also carry the budget table's amounts (5,683,370,667.03): wide enough that none prints as ###.
    3: 18,
    4: 18,
    5: 22,
    6: 18,
    [layout.detailA]: 30,
    [layout.detailB]: 30,
    [layout.self]: 10,
    [layout.basis]: 45,
    [layout.note]: 14,
  };
  if (layout.reviewed) widths[layout.reviewed] = 10;
  if (layout.reason) widths[layout.reason] = 30;
  for (const [column, width] of Object.entries(widths)) sheet.getColumn(Number(column)).width = width;
}

type CellContent = string | CellNumber | undefined;

/** Writes rows top to bottom; every written cell gets the table style (borders, wrapping, font). */
class SheetWriter {
  private row = 1;

  constructor(
    private readonly sheet: ExcelJS.Worksheet,
    private readonly layout: Layout,
    private readonly review: ReviewScores | undefined,
  ) {}

  title(text: string): void {
    this.sheet.mergeCells(this.row, 1, this.row, this.layout.width);
    const cell = this.sheet.getCell(this.row, 1);
    cell.value = text;
    cell.font = { ...BOLD, size: 16 };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    this.sheet.getRow(this.row).height = 30;
    this.row += 1;
  }

  /** 单位基本情况: unit, unit count, the overall goal and its achievement, and the budget table. */
  basicInformation(report: ScoreReport): void {
    const w = this.layout.width;
    this.put(this.row, 1, w, '单位基本情况', { bold: true, fill: true, center: true });
    this.row += 1;
    this.put(this.row, 1, 1, '单位名称', { bold: true });
    this.put(this.row, 2, 8, report.department.name);
    this.put(this.row, 9, w, `单位数：${report.department.unitCount ?? ''}`);
    this.row += 1;
    const overview = report.overview ?? {};
    this.put(this.row, 1, 1, '年度整体绩效目标', { bold: true });
    this.put(this.row, 2, 5, overview.goal ?? '');
    this.put(this.row, 6, 6, '整体绩效目标完成情况', { bold: true });
    this.put(this.row, 7, 8, overview.achievement ?? '');
    this.put(this.row, 9, 9, '未能完成原因', { bold: true });
    this.put(this.row, 10, w, overview.shortfall ?? '');
    const longest = Math.max(...[overview.goal, overview.achievement, overview.shortfall].map((t) => t?.length ?? 0));
    this.sheet.getRow(this.row).height = Math.min(409, Math.max(30, Math.ceil(longest / 40) * 14));
    this.row += 1;
    if (report.header) this.budget(report.header);
  }

  private budget(header: NonNullable<ScoreReport['header']>): void {
    const first = this.row;
    const start = 3;
    const end = Math.max(this.layout.width, start + header.columns.length - 1);
    this.put(first, 1, 2, `年度部门整体支出规模（${header.unit}）`, { bold: true, rows: 2, center: true });
    // The breakdown row: each breakdown (按资金来源…) spans its columns.
    let column = start;
    for (const group of groupBy(header.columns, (c) => c.breakdown)) {
      this.put(first, column, column + group.length - 1, group[0].breakdown, { bold: true, center: true });
      group.forEach((c, i) => this.put(first + 1, column + i, column + i, c.label, { bold: true, center: true }));
      column += group.length;
    }
    if (column <= end) {
      this.put(first, column, end, '');
      this.put(first + 1, column, end, '');
    }
    const lines: Array<[string, (c: (typeof header.columns)[number]) => CellContent]> = [
      ['全年预算数', (c) => amountCell(c.budgeted)],
      ['全年执行数', (c) => amountCell(c.executed)],
      ['完成率', (c) => rateCell(c.rate)],
    ];
    lines.forEach(([label, value], i) => {
      const r = first + 2 + i;
      this.put(r, 1, 2, label, { bold: true, center: true });
      header.columns.forEach((c, j) => this.put(r, start + j, start + j, value(c), { right: true }));
      if (column <= end) this.put(r, column, end, '');
    });
    this.row = first + 5;
  }

  /**
   * The indicator tables, sections in order: group sections under the 管理效能 header, declared sections under the
   * 履职效能 header (group sections after a declared section continue under it, as in the bureau's form). Returns
   * the row of the first table header (repeated on every printed page).
   */
  tables(report: ScoreReport): number | undefined {
    let current: 'group' | 'declared' | undefined;
    let firstHeader: number | undefined;
    for (const section of report.sections) {
      const kind = section.kind === 'declared-section' ? 'declared' : 'group';
      if (current === undefined || (kind === 'declared' && current !== 'declared')) {
        firstHeader ??= this.row;
        this.tableHeader(kind);
      }
      current = kind;
      this.node(section, this.row);
      this.row += leafCount(section);
    }
    return firstHeader;
  }

  private tableHeader(kind: 'group' | 'declared'): void {
    const l = this.layout;
    const r = this.row;
    const style = { bold: true, fill: true, center: true };
    ['一级指标', '分值', '二级指标', '分值', '三级指标', '分值'].forEach((text, i) =>
      this.put(r, i + 1, i + 1, text, style),
    );
    if (kind === 'group') this.put(r, l.detailA, l.detailB, '指标解释', style);
    else {
      this.put(r, l.detailA, l.detailA, '年度指标值', style);
      this.put(r, l.detailB, l.detailB, '实际完成指标值', style);
    }
    this.put(r, l.self, l.self, l.reviewed ? '自评分' : '得分/自评分', style);
    if (l.reviewed) this.put(r, l.reviewed, l.reviewed, '复核分', style);
    const basisEnd = l.reason || kind === 'declared' ? l.basis : l.note;
    this.put(r, l.basis, basisEnd, kind === 'group' ? '评分依据、未达标原因、改进措施' : '评分依据', style);
    if (l.reason) this.put(r, l.reason, l.reason, '复核理由', style);
    if (basisEnd !== l.note) this.put(r, l.note, l.note, '备注', style);
    this.sheet.getRow(r).height = 28;
    this.row += 1;
  }

  /** A node at `row`: its name and 分值 span its leaves' rows; a leaf or target fills the rest of its row. */
  private node(node: NodeReport, row: number): void {
    const span = leafCount(node);
    const column = this.layout.level(Math.min(Math.max(node.level, 1), 3));
    const options = { rows: span, center: node.level < 3 };
    const name = node.onTop ? `${node.name}（另计，不计入满分）` : node.name;
    this.put(row, column, column, name, { ...options, bold: node.level === 1 });
    this.put(row, column + 1, column + 1, scoreCell(node.weight), { ...options, center: true });
    const children = node.children ?? [];
    if (children.length === 0) {
      this.leaf(node, row, column + 2);
      return;
    }
    let r = row;
    for (const child of children) {
      this.node(child, r);
      r += leafCount(child);
    }
  }

  private leaf(node: NodeReport, row: number, firstFree: number): void {
    const l = this.layout;
    // A leaf above level 3 leaves the deeper level columns empty.
    for (let c = firstFree; c < l.detailA; c += 1) this.put(row, c, c, '');
    if (node.kind === 'target' && node.target) {
      const t = node.target;
      const actual = t.actualText ?? (t.actual === undefined ? '' : `${t.actual}${t.unit ?? ''}`);
      this.put(row, l.detailA, l.detailA, t.target);
      this.put(row, l.detailB, l.detailB, actual);
    } else {
      this.put(row, l.detailA, l.detailB, node.explanation ?? '');
    }
    const review = this.review;
    this.put(row, l.self, l.self, review ? optionalScore(review.selfScore(node)) : scoreCell(node.score), {
      center: true,
    });
    if (l.reviewed) this.put(row, l.reviewed, l.reviewed, scoreCell(node.score), { center: true });
    const basis = node.basis ?? node.calc ?? '';
    const isTarget = node.kind === 'target';
    const basisEnd = l.reason || isTarget ? l.basis : l.note;
    this.put(row, l.basis, basisEnd, basis);
    if (l.reason) this.put(row, l.reason, l.reason, node.review?.reason ?? '');
    if (basisEnd !== l.note)
      this.put(row, l.note, l.note, isTarget && !node.target?.met ? (node.lostReason ?? '') : '');
    const longest = Math.max(basis.length, node.explanation?.length ?? 0, node.name.length / 2);
    this.sheet.getRow(row).height = Math.min(409, Math.max(20, Math.ceil(longest / 28) * 13));
  }

  /** 总分 with the rule set's total and the maximum; 等次. */
  totals(report: ScoreReport): void {
    const l = this.layout;
    this.put(this.row, 1, 1, '总分', { bold: true, center: true });
    this.put(this.row, 2, 2, scoreCell(report.maxTotal), { bold: true, center: true });
    const review = this.review;
    const strong = { bold: true, center: true };
    const after = l.reviewed ?? l.self;
    this.put(this.row, 3, l.self - 1, '');
    this.put(this.row, l.self, l.self, review ? optionalScore(review.selfTotal) : scoreCell(report.total), strong);
    if (l.reviewed) this.put(this.row, l.reviewed, l.reviewed, scoreCell(report.total), strong);
    const onTop = report.onTop;
    this.put(
      this.row,
      after + 1,
      l.width,
      [
        onTop
          ? `满分${report.maxTotal}分内得分${onTop.base}，另计加减分${onTop.score.startsWith('-') ? onTop.score : `+${onTop.score}`}（不计入满分）`
          : '',
        report.beforeVetoes && report.beforeVetoes.total !== report.total
          ? `各项得分合计${report.beforeVetoes.total}分，封顶后为${report.total}分`
          : '',
      ]
        .filter((text) => text !== '')
        .join('；'),
    );
    this.row += 1;
    this.put(this.row, 1, 1, '等次', strong);
    this.put(this.row, 2, l.self - 1, '');
    this.put(this.row, l.self, l.self, review ? review.selfGrade : report.grade, strong);
    if (l.reviewed) this.put(this.row, l.reviewed, l.reviewed, report.grade, strong);
    // 一票否决与上限 that held, beside the grade they decided
    this.put(this.row, after + 1, l.width, (report.vetoes ?? []).map((veto) => veto.text).join('；'));
    this.row += 1;
  }

  /** 注：…, from the explanations of the declared sections. */
  notes(report: ScoreReport): void {
    const notes = report.sections.filter((s) => s.kind === 'declared-section' && s.explanation);
    for (const section of notes) {
      this.row += 1;
      this.sheet.mergeCells(this.row, 1, this.row, this.layout.width);
      const cell = this.sheet.getCell(this.row, 1);
      cell.value = `注：${section.explanation}`;
      cell.font = FONT;
      cell.alignment = { wrapText: true, vertical: 'top' };
      this.row += 1;
    }
  }

  /** Writes a value into the (merged) block row..row+rows-1 × from..to, with borders and wrapping. */
  private put(
    row: number,
    from: number,
    to: number,
    content: CellContent,
    style: { bold?: boolean; fill?: boolean; center?: boolean; right?: boolean; rows?: number } = {},
  ): void {
    const last = row + (style.rows ?? 1) - 1;
    if (to > from || last > row) this.sheet.mergeCells(row, from, last, to);
    const cell = this.sheet.getCell(row, from);
    if (typeof content === 'object') {
      cell.value = content.value;
      cell.numFmt = content.numFmt;
    } else if (content !== undefined) cell.value = content;
    for (let r = row; r <= last; r += 1) {
      for (let c = from; c <= to; c += 1) {
        const each = this.sheet.getCell(r, c);
        each.border = BORDER;
        each.font = style.bold ? BOLD : FONT;
        each.alignment = {
          wrapText: true,
          vertical: 'middle',
          horizontal: style.center ? 'center' : style.right ? 'right' : 'left',
        };
        if (style.fill) each.fill = HEADER_FILL;
      }
    }
  }
}

/** A score cell, or an empty cell when the score is not known. */
const optionalScore = (score: string): CellContent => (score === '' ? '' : scoreCell(score));

/** Rows a node takes: one per leaf below it (a leaf, or a node without children, takes one). */
function leafCount(node: NodeReport): number {
  const children = node.children ?? [];
  return children.length === 0 ? 1 : children.reduce((sum, child) => sum + leafCount(child), 0);
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && key(last[0]) === key(item)) last.push(item);
    else groups.push([item]);
  }
  return groups;
}
