/**
 * A small terminal table renderer that measures text the way a terminal draws it: CJK ideographs and fullwidth
 * forms take two columns, so a column of Chinese indicator names lines up with the numbers beside it.
 */

/** Code-point ranges a terminal draws two columns wide (East Asian Wide and Fullwidth). */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, CJK symbols and punctuation (、。「」)
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK unified ideographs extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth ASCII forms (（）：，)
  [0xffe0, 0xffe6], // fullwidth signs (￥)
  [0x1f300, 0x1f64f], // pictographs and emoticons
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
  [0x20000, 0x3fffd], // CJK unified ideographs extensions B and later
];

/** Code points that take no column: C0/C1 controls, combining marks, zero-width spaces and joiners. */
const ZERO_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0xfe00, 0xfe0f],
];

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean =>
  ranges.some(([from, to]) => cp >= from && cp <= to);

/** Columns one code point takes in a terminal: 0, 1 or 2. */
export function codePointWidth(cp: number): number {
  if (inRanges(cp, ZERO_RANGES)) return 0;
  return inRanges(cp, WIDE_RANGES) ? 2 : 1;
}

/** Columns a string takes in a terminal: CJK and fullwidth characters count two, everything else one. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0)!);
  return width;
}

/** Pads with spaces to a display width (never truncates). */
export function padDisplay(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? pad + text : text + pad;
}

/**
 * Breaks text into lines of at most `width` columns. Chinese breaks between any two characters; a run of
 * Latin letters or digits breaks at a space when it can, so "94.622" or a file name is not split mid-word.
 * Closing punctuation (，。、）) does not start a line, opening punctuation (（《“) does not end one. Existing newlines are kept. A single character wider than
 * `width` still gets a line of its own.
 */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line: string[] = [];
    let lineWidth = 0;
    for (const char of paragraph) {
      const w = codePointWidth(char.codePointAt(0)!);
      if (lineWidth + w > limit && line.length > 0) {
        const carried = carryWord(line, char);
        // 避头尾: closing punctuation never starts a line and opening punctuation never ends one; up to two
        // characters move down to the next line to make it so.
        if (carried.length === 0 && limit >= 6) {
          let head = char;
          while (NO_LINE_START.has(head) && line.length > 1 && carried.length < 2)
            carried.unshift((head = line.pop()!));
          while (NO_LINE_END.has(line[line.length - 1]) && line.length > 1 && carried.length < 2)
            carried.unshift(line.pop()!);
        }
        lines.push(line.join('').trimEnd());
        line = carried;
        lineWidth = displayWidth(line.join(''));
        if (char === ' ' && line.length === 0) continue;
      }
      line.push(char);
      lineWidth += w;
    }
    lines.push(line.join('').trimEnd());
  }
  return lines;
}

/** Punctuation that may not start a line in Chinese typesetting (避头点号). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〉”’%％…·']);

/** Punctuation that may not end a line (避尾点号). */
const NO_LINE_END = new Set([...'（《「『【〈“‘']);

const isWordChar = (char: string): boolean =>
  /[\p{L}\p{N}._\-%/]/u.test(char) && codePointWidth(char.codePointAt(0)!) === 1;

/** When a break would split a Latin word, moves the word's start from `line` to the next line (in place). */
function carryWord(line: string[], next: string): string[] {
  if (!isWordChar(next) || !isWordChar(line[line.length - 1])) return [];
  let start = line.length;
  while (start > 0 && isWordChar(line[start - 1])) start--;
  if (start === 0) return [];
  const carried = line.splice(start);
  while (line.length > 0 && line[line.length - 1] === ' ') line.pop();
  return carried;
}

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
  /** A wrapping column shrinks (down to minWidth) when the table is wider than the table's maxWidth. */
  wrap?: boolean;
  minWidth?: number;
  /** A wrapping column never grows past this. */
  maxWidth?: number;
}

/** A cell: text, or text indented by some columns (continuation lines keep the indent). */
export type TableCell = string | { text: string; indent: number };

/** A row of cells, or a horizontal rule. */
export type TableRow = TableCell[] | 'rule';

export interface TableOptions {
  /** Total width the table may take, in columns; wrapping columns shrink to fit it. */
  maxWidth?: number;
  /** Spaces between columns. */
  gap?: number;
}

const cellText = (cell: TableCell | undefined): string =>
  cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text;
const cellIndent = (cell: TableCell | undefined): number =>
  cell === undefined || typeof cell === 'string' ? 0 : cell.indent;

/**
 * Renders a table as lines of text: a header, a rule under it, then the rows, columns separated by spaces.
 * Rules are ASCII because box-drawing characters are "ambiguous width" and turn two columns wide in CJK
 * terminals. Wrapping columns give up width, the rightmost first, until the table fits `maxWidth`.
 */
export function renderTable(columns: TableColumn[], rows: TableRow[], options: TableOptions = {}): string[] {
  const gap = options.gap ?? 2;
  const cellRows = rows.filter((row): row is TableCell[] => row !== 'rule');
  const natural = columns.map((column, i) => {
    const widest = Math.max(
      displayWidth(column.header),
      ...cellRows.map((row) => cellIndent(row[i]) + Math.max(0, ...cellText(row[i]).split('\n').map(displayWidth))),
    );
    return column.wrap && column.maxWidth !== undefined ? Math.min(widest, column.maxWidth) : widest;
  });
  const available = options.maxWidth === undefined ? Infinity : options.maxWidth - gap * (columns.length - 1);
  const widths = fitWidths(columns, natural, available);
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w, 0) + gap * (columns.length - 1));
  const renderRow = (cells: TableCell[]): string[] => {
    const wrapped = columns.map((column, i) => {
      const indent = Math.min(cellIndent(cells[i]), Math.max(0, widths[i] - 2));
      return wrapText(cellText(cells[i]), widths[i] - indent).map((line) => ' '.repeat(indent) + line);
    });
    const height = Math.max(...wrapped.map((lines) => lines.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++) {
      const parts = columns.map((column, i) => padDisplay(wrapped[i][l] ?? '', widths[i], column.align));
      lines.push(parts.join(' '.repeat(gap)).trimEnd());
    }
    return lines;
  };
  const out = [...renderRow(columns.map((c) => c.header)), rule];
  for (const row of rows) out.push(...(row === 'rule' ? [rule] : renderRow(row)));
  return out;
}

function fitWidths(columns: TableColumn[], natural: number[], available: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((sum, w) => sum + w, 0) - available;
  for (let i = columns.length - 1; i >= 0 && excess > 0; i--) {
    if (!columns[i].wrap) continue;
    const floor = Math.min(widths[i], Math.max(columns[i].minWidth ?? 10, displayWidth(columns[i].header)));
    const give = Math.min(excess, widths[i] - floor);
    widths[i] -= give;
    excess -= give;
  }
  return widths;
}
