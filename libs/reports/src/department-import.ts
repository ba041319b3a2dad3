import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Localized, localized, toPointer } from '@jiping/rules';
import { checkWorkbookZip, DEFAULT_WORKBOOK_LIMITS } from './import-zip-guard';

/**
 * The department list (部门名单) a bureau imports in bulk: one row per department with its code, name, region and
 * parent department, from the xlsx template (see {@link buildDepartmentImportTemplate}) or a CSV with the same
 * columns. This module reads the file and checks each row on its own (forms, lengths, duplicates within the file);
 * what needs the database (a code already used, a parent that exists, a cycle) the API checks. Every problem names
 * its row and column as a clerk sees them in Excel.
 */

/** The columns, in the template's order: the key read, the Chinese header, the names also accepted as headers. */
export const DEPARTMENT_IMPORT_COLUMNS = [
  { key: 'code', header: '部门代码', aliases: ['代码', '单位代码', 'code'], required: true },
  { key: 'name', header: '部门名称', aliases: ['名称', '单位名称', 'name'], required: true },
  { key: 'region', header: '地区', aliases: ['区域', '所属地区', 'region'], required: true },
  {
    key: 'parentCode',
    header: '上级部门代码',
    aliases: ['上级部门', '上级单位代码', 'parent', 'parentcode'],
    required: false,
  },
] as const;

export type DepartmentImportField = (typeof DEPARTMENT_IMPORT_COLUMNS)[number]['key'];

/** The sheet of the template that holds the list. */
export const DEPARTMENT_IMPORT_SHEET = '部门';
/** Most rows one file may hold (larger lists: split the file). */
export const MAX_DEPARTMENT_IMPORT_ROWS = 10_000;
/** A row whose 部门代码 starts with this is the template's example and is not imported. */
export const EXAMPLE_MARK = '示例';

/** A department code: kebab-case, at most 64 characters (as POST /departments takes it). */
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LIMITS: Record<'name' | 'region', number> = { name: 200, region: 100 };

/** One department as read from a row; `row` is the row number a spreadsheet shows (the header is row 1). */
export interface DepartmentImportRow {
  row: number;
  code: string;
  name: string;
  region: string;
  parentCode: string | null;
}

/** A problem of the file: where (row, column, cell) and why, in Chinese and English. */
export interface DepartmentImportProblem {
  /** `/rows/<row>/<field>`, or `/file` for the file as a whole, `/rows/1` for the header row. */
  pointer: string;
  /** The row number as a spreadsheet shows it (1 is the header); 0 for the file as a whole. */
  row: number;
  /** The column's Chinese header, when the problem is in one column. */
  column?: string;
  /** Where a clerk finds it: 部门!A12 in a workbook, 第12行第1列 in a CSV. */
  cell?: string;
  message: Localized;
}

export interface DepartmentImportRead {
  rows: DepartmentImportRow[];
  problems: DepartmentImportProblem[];
  /** Rows skipped because they are empty or the template's example. */
  skipped: number;
}

export type DepartmentImportFormat = 'xlsx' | 'csv';

/** Tells an xlsx (a zip) from a CSV by its first bytes. */
export function departmentImportFormat(buffer: Buffer): DepartmentImportFormat {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50 ? 'xlsx' : 'csv';
}

/**
 * Reads and checks a department list. Every row is checked (nothing stops at the first problem); a file with any
 * problem yields them all, and the caller stores nothing. Empty rows and the template's example row are skipped.
 */
export async function readDepartmentImport(
  buffer: Buffer,
  format: DepartmentImportFormat = departmentImportFormat(buffer),
): Promise<DepartmentImportRead> {
  const table = format === 'xlsx' ? await xlsxTable(buffer) : csvTable(buffer);
  if ('problem' in table) return { rows: [], problems: [fileProblem(table.problem)], skipped: 0 };
  return checkTable(table.cells, table.cellName);
}

/** The data rows as text, row 1 the header; and how a cell is named. */
interface Table {
  cells: string[][];
  cellName: (row: number, column: number) => string;
}

async function xlsxTable(buffer: Buffer): Promise<Table | { problem: Localized }> {
  const refused = checkWorkbookZip(buffer, DEFAULT_WORKBOOK_LIMITS);
  if (refused) return { problem: localized(refused, `the file is refused: ${refused}`) };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (error) {
    const reason = (error as Error).message;
    return { problem: localized(`无法读取工作簿：${reason}`, `the workbook cannot be read: ${reason}`) };
  }
  const sheet = workbook.getWorksheet(DEPARTMENT_IMPORT_SHEET) ?? workbook.worksheets[0];
  if (!sheet) return { problem: localized('工作簿中没有工作表', 'the workbook has no sheet') };
  if (sheet.rowCount > MAX_DEPARTMENT_IMPORT_ROWS + 1) return { problem: tooManyRows(sheet.rowCount - 1) };
  const cells: string[][] = [];
  const width = Math.max(sheet.columnCount, DEPARTMENT_IMPORT_COLUMNS.length);
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    cells.push(Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1))));
  }
  return { cells, cellName: (row, column) => `${sheet.name}!${columnLetter(column)}${row}` };
}

function csvTable(buffer: Buffer): Table | { problem: Localized } {
  if (buffer.length > DEFAULT_WORKBOOK_LIMITS.maxBytes) {
    return {
      problem: localized(
        `文件为 ${buffer.length} 字节，超过上限 ${DEFAULT_WORKBOOK_LIMITS.maxBytes} 字节`,
        `the file has ${buffer.length} bytes, more than the limit of ${DEFAULT_WORKBOOK_LIMITS.maxBytes}`,
      ),
    };
  }
  let records: string[][];
  try {
    records = parse(decodeText(buffer), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch (error) {
    const reason = (error as Error).message;
    return {
      problem: localized(`无法读取 CSV 文件：${reason}`, `the CSV file cannot be read: ${reason}`),
    };
  }
  if (records.length > MAX_DEPARTMENT_IMPORT_ROWS + 1) return { problem: tooManyRows(records.length - 1) };
  return { cells: records, cellName: (row, column) => `第${row}行第${column}列` };
}

/**
 * The text of a CSV file: UTF-8 (with or without a BOM), or else GB18030 — what Excel on a Chinese Windows saves as
 * "CSV (逗号分隔)".
 */
export function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function checkTable(cells: string[][], cellName: Table['cellName']): DepartmentImportRead {
  const problems: DepartmentImportProblem[] = [];
  const header = (cells[0] ?? []).map(normalizeHeader);
  const columnOf = new Map<DepartmentImportField, number>();
  for (const column of DEPARTMENT_IMPORT_COLUMNS) {
    const names = [column.header, ...column.aliases].map(normalizeHeader);
    const index = header.findIndex((h) => names.includes(h));
    if (index >= 0) columnOf.set(column.key, index);
    else if (column.required) {
      problems.push({
        pointer: '/rows/1',
        row: 1,
        column: column.header,
        message: localized(
          `第1行（表头）缺少“${column.header}”列：表头应为 ${DEPARTMENT_IMPORT_COLUMNS.map((c) => c.header).join('、')}`,
          `row 1 (the header) has no column "${column.header}": the header is ${DEPARTMENT_IMPORT_COLUMNS.map((c) => c.header).join(', ')}`,
        ),
      });
    }
  }
  if (problems.length > 0) return { rows: [], problems, skipped: 0 };

  const rows: DepartmentImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  let skipped = 0;
  cells.slice(1).forEach((line, index) => {
    const row = index + 2;
    const value = (field: DepartmentImportField): string => {
      const column = columnOf.get(field);
      return column === undefined ? '' : (line[column] ?? '').trim();
    };
    if (DEPARTMENT_IMPORT_COLUMNS.every((c) => value(c.key) === '') || value('code').startsWith(EXAMPLE_MARK)) {
      skipped += 1;
      return;
    }
    const problem = (field: DepartmentImportField, zh: string, en: string): void => {
      const column = DEPARTMENT_IMPORT_COLUMNS.find((c) => c.key === field)!;
      problems.push({
        pointer: toPointer('rows', row, field),
        row,
        column: column.header,
        cell: cellName(row, columnOf.get(field)! + 1),
        message: localized(`第${row}行“${column.header}”：${zh}`, `row ${row}, ${column.header} (${field}): ${en}`),
      });
    };
    const code = value('code');
    const name = value('name');
    const region = value('region');
    const parentCode = value('parentCode');
    if (code === '') problem('code', '不能为空', 'is required');
    else if (code.length > 64 || !CODE.test(code)) {
      problem(
        'code',
        `“${code}”不是有效的部门代码：应为小写字母、数字和连字符（-），不超过64个字符，如 gz-kjj`,
        `"${code}" is not a department code: lower-case letters, digits and hyphens, at most 64 characters, e.g. gz-kjj`,
      );
    } else if (firstRowOf.has(code)) {
      problem(
        'code',
        `部门代码“${code}”与第${firstRowOf.get(code)}行重复`,
        `the code "${code}" repeats row ${firstRowOf.get(code)}`,
      );
    } else firstRowOf.set(code, row);
    for (const field of ['name', 'region'] as const) {
      const text = field === 'name' ? name : region;
      if (text === '') problem(field, '不能为空', 'is required');
      else if (text.length > LIMITS[field]) {
        problem(
          field,
          `不能超过${LIMITS[field]}个字符（现为${text.length}个）`,
          `at most ${LIMITS[field]} characters (it has ${text.length})`,
        );
      }
    }
    if (parentCode !== '') {
      if (parentCode.length > 64 || !CODE.test(parentCode)) {
        problem(
          'parentCode',
          `“${parentCode}”不是有效的部门代码：请填写上级部门的部门代码（如 gz-kjj），没有上级部门则留空`,
          `"${parentCode}" is not a department code: give the parent's code (e.g. gz-kjj), or leave it empty`,
        );
      } else if (parentCode === code) {
        problem('parentCode', '上级部门不能是部门自身', 'a department cannot be its own parent');
      }
    }
    rows.push({ row, code, name, region, parentCode: parentCode === '' ? null : parentCode });
  });
  if (rows.length === 0 && problems.length === 0) {
    problems.push(
      fileProblem(
        localized(
          '文件中没有部门：请从第2行起每行填写一个部门',
          'the file lists no department (one per row from row 2)',
        ),
      ),
    );
  }
  return { rows, problems, skipped };
}

const fileProblem = (message: Localized): DepartmentImportProblem => ({ pointer: '/file', row: 0, message });

const tooManyRows = (count: number): Localized =>
  localized(
    `文件有 ${count} 行，超过每次导入的上限 ${MAX_DEPARTMENT_IMPORT_ROWS} 行：请分成几个文件导入`,
    `the file has ${count} rows, more than the ${MAX_DEPARTMENT_IMPORT_ROWS} one import takes: split it`,
  );

/** A header as compared: without spaces, asterisks (required marks) and case. */
const normalizeHeader = (text: string): string => text.replace(/[\s*＊]/g, '').toLowerCase();

/** The text a cell shows: rich text joined, a formula's result, a number as written. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value)
    return value.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('result' in value) return value.result === undefined ? '' : String(value.result).trim();
  if ('text' in value) return String(value.text).trim();
  return cell.text.trim();
}

function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * The import template: sheet 部门 with the header row (部门代码, 部门名称, 地区, 上级部门代码) and two example rows
 * (marked 示例, skipped on import), and sheet 说明 saying what each column takes. Cells are text, so a code such as
 * 001 keeps its zeros.
 */
export async function buildDepartmentImportTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  const sheet = workbook.addWorksheet(DEPARTMENT_IMPORT_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = DEPARTMENT_IMPORT_COLUMNS.map((column, i) => ({
    header: column.required ? `${column.header}*` : column.header,
    width: [18, 36, 14, 18][i],
    style: { numFmt: '@', font: { name: '宋体', size: 11 } },
  }));
  const header = sheet.getRow(1);
  header.eachCell((cell) => {
    cell.font = { name: '宋体', size: 11, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
  });
  header.height = 22;
  const examples = [
    [`${EXAMPLE_MARK}gz-kjj`, '广州市科学技术局', '广州市', ''],
    [`${EXAMPLE_MARK}gz-kjj-xxzx`, '广州市科技信息中心', '广州市', 'gz-kjj'],
  ];
  for (const example of examples) {
    const row = sheet.addRow(example);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { name: '宋体', size: 11, italic: true, color: { argb: 'FF808080' } };
    });
  }
  const notes = workbook.addWorksheet('说明');
  notes.getColumn(1).width = 16;
  notes.getColumn(2).width = 90;
  const lines: Array<[string, string]> = [
    [
      '部门代码*',
      '必填。小写字母、数字和连字符（-），不超过64个字符，如 gz-kjj；全表不得重复；部门代码一经创建不再修改。',
    ],
    ['部门名称*', '必填。部门（单位）全称，与自评表上的名称一致，不超过200个字符。'],
    ['地区*', '必填。部门所属地区（如 广州市、越秀区），汇总表可按地区筛选，不超过100个字符。'],
    ['上级部门代码', '选填。上级部门的部门代码：可以是系统中已有的部门，也可以是本表中的其他行；没有上级部门则留空。'],
    ['示例行', `“部门”表第2、3行为示例（部门代码以“${EXAMPLE_MARK}”开头），导入时跳过，可删除或覆盖。`],
    [
      '导入规则',
      '每一行都先检查，任何一行有误则全部不导入，并逐行逐列列出错误；已有的部门代码按本表更新名称、地区和上级部门，内容相同的不作改动；已撤销的部门不能通过导入修改。',
    ],
    [
      '文件格式',
      `本模板（.xlsx），或列相同的 CSV 文件（UTF-8 或 Excel 保存的 GBK 编码）；每个文件不超过 ${MAX_DEPARTMENT_IMPORT_ROWS} 行、5 MB。`,
    ],
  ];
  lines.forEach(([term, text], i) => {
    const row = notes.getRow(i + 1);
    row.getCell(1).value = term;
    row.getCell(1).font = { name: '宋体', size: 11, bold: true };
    row.getCell(2).value = text;
    row.getCell(2).font = { name: '宋体', size: 11 };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = 32;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
