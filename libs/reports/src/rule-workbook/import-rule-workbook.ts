import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import {
  bandInterval,
  type BandSpec,
  type Bound,
  childPointer,
  type Condition,
  draftVersion,
  followFiscalYear,
  type Interval,
  localized,
  type Localized,
  parsePointer,
  type RuleFile,
  type RuleSet,
} from '@jiping/rules';
import { DEFAULT_WORKBOOK_LIMITS, inspectWorkbookZip, type WorkbookLimits } from '../import-zip-guard';
import {
  type BandSet,
  cellAddress,
  type Field,
  FIRST_DATA_ROW,
  anchorText,
  type LayoutSheet,
  RULE_WORKBOOK_FORMAT,
  RULE_WORKBOOK_SHEETS,
  ruleWorkbookLayout,
} from './rule-workbook-layout';
import { cellContent, finalValue, parseCell, sameValue } from './rule-workbook-values';

/**
 * A problem of an imported workbook: what is wrong (Chinese first), the cell in the form a bureau reads it
 * (指标体系!F12) when there is one, and the JSON pointer of the value in the rule file.
 */
export interface RuleWorkbookProblem {
  pointer: string;
  message: Localized;
  /** e.g. 指标体系!F12 */
  cell?: string;
  /** The indicator's Chinese path, 填报项「…」, 等次「…」 (for problems the rule-file checks found). */
  path?: string;
}

export interface RuleWorkbookImport {
  /**
   * The new rule file: the base with every cell that was read applied (a cell that could not be read keeps the base's
   * value, and is among the problems). Absent when the workbook as a whole cannot be read (not one exported from the
   * base, rows moved, sheets missing).
   */
  draft?: RuleFile;
  /** Every cell that could not be read, and why the workbook could not be read at all. */
  problems: RuleWorkbookProblem[];
  /** Things worth a look that do not stop the import (a band's wording left as it was while its interval moved). */
  notes: RuleWorkbookProblem[];
  /** JSON pointer of the draft → the cell its value came from, to name the cell of a later problem (cellOf). */
  cells: Record<string, string>;
  /** The version the workbook says it was exported from. */
  exportedFrom?: { id: string; version: string; checksum: string };
}

type Mutable = Record<string, unknown>;

/**
 * Reads an edited 指标体系 workbook (renderEditableRuleWorkbook) back into a new rule file based on `base`: the
 * layout of the base says what every editable cell holds, each cell is read by its type (分值 at most two decimals,
 * lists by their labels, …), a value that means what the base says keeps the base's exact text, and everything the
 * workbook does not show is carried through unchanged. Bands are rebuilt from their thresholds. When the fiscal year
 * changes, the embedded tests follow it and the draft records the base as the version it continues.
 *
 * The buffer is checked like any upload before it is expanded (size, zip bombs). The workbook must have been exported
 * from `base` (same checksum) with its rows where they were. The draft is not validated here: run it through the
 * rule-file checks (checkRuleFile) and name the cells of their problems with cellOf.
 */
export async function importRuleWorkbook(
  base: RuleSet,
  buffer: Buffer,
  limits: Partial<WorkbookLimits> = {},
): Promise<RuleWorkbookImport> {
  const { problem } = await inspectWorkbookZip(buffer, { ...DEFAULT_WORKBOOK_LIMITS, ...limits });
  if (problem) return fatal(localized(problem, problem));
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (error) {
    const reason = (error as Error).message;
    return fatal(localized(`无法读取工作簿：${reason}`, `the workbook cannot be read: ${reason}`));
  }
  return new WorkbookReader(base, workbook).read();
}

const fatal = (message: Localized, extra: Partial<RuleWorkbookImport> = {}): RuleWorkbookImport => ({
  problems: [{ pointer: '', message }],
  notes: [],
  cells: {},
  ...extra,
});

/** The cell a pointer's value came from, or its nearest ancestor's (a problem inside a band names the band's row). */
export function cellOf(cells: Record<string, string>, pointer: string): string | undefined {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    if (cells[p]) return cells[p];
  }
  return undefined;
}

interface ReadField {
  field: Field;
  cell: string;
  value?: unknown;
  ok: boolean;
}

class WorkbookReader {
  private readonly problems: RuleWorkbookProblem[] = [];
  private readonly notes: RuleWorkbookProblem[] = [];
  private readonly cells: Record<string, string> = {};
  private readonly layout;

  constructor(
    private readonly base: RuleSet,
    private readonly workbook: ExcelJS.Workbook,
  ) {
    this.layout = ruleWorkbookLayout(base);
  }

  read(): RuleWorkbookImport {
    const mapping = this.workbook.getWorksheet(RULE_WORKBOOK_SHEETS.mapping);
    if (!mapping) {
      return fatal(
        localized(
          `不是可导入的指标体系工作簿：缺少隐藏的“${RULE_WORKBOOK_SHEETS.mapping}”工作表。请先导出可编辑的指标体系工作簿（GET /rule-sets/{ref}/workbook.xlsx 或 jiping workbook export），在其中修改后再导入`,
          `not an importable indicator-system workbook: the hidden sheet "${RULE_WORKBOOK_SHEETS.mapping}" is missing. Export the editable workbook first (GET /rule-sets/{ref}/workbook.xlsx or jiping workbook export), edit it, then import it`,
        ),
      );
    }
    const head = mapping.getRow(1);
    const text = (col: number): string => String(cellContentText(head.getCell(col)));
    const exportedFrom = { id: text(3), version: text(4), checksum: text(5) };
    if (text(1) !== 'format' || text(2) !== RULE_WORKBOOK_FORMAT) {
      return fatal(
        localized(
          `工作簿的格式是“${text(2)}”，本系统读取“${RULE_WORKBOOK_FORMAT}”：请重新导出后修改`,
          `the workbook's format is "${text(2)}"; this service reads "${RULE_WORKBOOK_FORMAT}": export it again`,
        ),
      );
    }
    if (exportedFrom.checksum !== this.base.checksum) {
      return fatal(
        localized(
          `此工作簿导出自 ${exportedFrom.id} 版本 ${exportedFrom.version}（校验和 ${exportedFrom.checksum.slice(0, 12)}），` +
            `不是导入基础 ${this.base.id} 版本 ${this.base.version}（校验和 ${this.base.checksum.slice(0, 12)}）：` +
            '请以导出它的那个版本为基础导入，或从导入基础重新导出后再修改',
          `this workbook was exported from ${exportedFrom.id} ${exportedFrom.version} (checksum ${exportedFrom.checksum.slice(0, 12)}), ` +
            `not from the base ${this.base.id} ${this.base.version} (checksum ${this.base.checksum.slice(0, 12)}): ` +
            'import it on the version it was exported from, or export the base again and edit that',
        ),
        { exportedFrom },
      );
    }
    const structure = this.checkStructure(mapping);
    if (structure.length > 0) return { problems: structure, notes: [], cells: {}, exportedFrom };

    const read: ReadField[] = [];
    for (const sheet of this.layout.sheets) read.push(...this.readSheet(sheet));
    const draft = structuredClone(this.base.file) as RuleFile;
    const versionCell = read.find((r) => r.field.pointer === '/version');
    for (const item of read) {
      if (item.field.band) continue;
      this.cells[item.field.pointer] = item.cell;
      if (!item.ok || sameValue(item.field.type, item.value, item.field.base)) continue;
      setAt(draft, item.field.pointer, finalValue(item.field.type, item.value));
    }
    this.layout.bandSets.forEach((set, index) => {
      this.applyBands(
        draft,
        set,
        read.filter((r) => r.field.band?.set === index),
      );
    });
    if (draft.fiscalYear !== this.base.file.fiscalYear) {
      // the suggested version was left as exported: number it in the new year (2021.1.0 → 2022.1.0)
      if (versionCell?.ok && versionCell.value === versionCell.field.shown) {
        draft.version = draftVersion(this.base.version, this.base.file.fiscalYear, draft.fiscalYear);
      }
      followFiscalYear(draft, this.base.file);
    }
    return { draft, problems: this.problems, notes: this.notes, cells: this.cells, exportedFrom };
  }

  /** Every sheet is there, the mapping names the rows the base's layout has, and no row was inserted or moved. */
  private checkStructure(mapping: ExcelJS.Worksheet): RuleWorkbookProblem[] {
    const problems: RuleWorkbookProblem[] = [];
    const keys = new Map<string, string>();
    mapping.eachRow((row, n) => {
      if (n === 1) return;
      keys.set(
        `${cellContentText(row.getCell(1))}#${cellContentText(row.getCell(2))}`,
        cellContentText(row.getCell(3)),
      );
    });
    for (const sheet of this.layout.sheets) {
      const worksheet = this.workbook.getWorksheet(sheet.name);
      if (!worksheet) {
        const found = this.workbook.worksheets.filter((w) => w.state === 'visible').map((w) => w.name);
        problems.push({
          pointer: '',
          message: localized(
            `缺少工作表“${sheet.name}”（找到：${found.join('、') || '无'}）：请勿删除或重命名工作表`,
            `the sheet "${sheet.name}" is missing (found: ${found.join(', ') || 'none'}): do not delete or rename sheets`,
          ),
        });
        continue;
      }
      for (const [r, row] of sheet.rows.entries()) {
        const excelRow = FIRST_DATA_ROW + r;
        if (keys.get(`${sheet.name}#${excelRow}`) !== row.key) {
          problems.push({
            pointer: '',
            message: localized(
              `工作表“${sheet.name}”第 ${excelRow} 行与隐藏的映射表不一致：工作簿不是从此版本导出的，或映射表被改动。请重新导出后修改`,
              `row ${excelRow} of sheet "${sheet.name}" does not match the hidden mapping sheet: export the workbook again and edit that`,
            ),
          });
          return problems;
        }
        const anchor = row.cells[row.anchor]?.text;
        if (anchor === undefined) continue;
        const actual = cellContentText(worksheet.getCell(excelRow, row.anchor + 1));
        if (anchorText(actual) !== anchorText(String(anchor))) {
          problems.push({
            pointer: '',
            cell: cellAddress(sheet.name, r, row.anchor),
            message: localized(
              `此处应为“${anchor}”，实际是“${actual}”：行被插入、删除、移动或排序过。请勿改变行的位置；可重新导出后再修改`,
              `expected "${anchor}" here but found "${actual}": rows were inserted, deleted, moved or sorted. Keep rows where they are, or export again`,
            ),
          });
          return problems;
        }
      }
    }
    return problems;
  }

  private readSheet(sheet: LayoutSheet): ReadField[] {
    const worksheet = this.workbook.getWorksheet(sheet.name)!;
    const out: ReadField[] = [];
    sheet.rows.forEach((row, r) => {
      row.cells.forEach((spec, c) => {
        if (!spec?.field) return;
        const cell = cellAddress(sheet.name, r, c);
        const content = cellContent(worksheet.getCell(FIRST_DATA_ROW + r, c + 1));
        const parsed = parseCell(spec.field.type, content, spec.field.base);
        if (!parsed.ok) {
          this.problems.push({ pointer: spec.field.pointer, cell, message: parsed.message });
          out.push({ field: spec.field, cell, ok: false });
        } else out.push({ field: spec.field, cell, value: parsed.value, ok: true });
      });
    });
    return out;
  }

  /** Rebuilds the bands of one indicator from its rows when any of them changed; the base's bands otherwise. */
  private applyBands(draft: RuleFile, set: BandSet, fields: ReadField[]): void {
    const partsOf = (row: number) => {
      const of = (part: string): ReadField | undefined =>
        fields.find((f) => f.field.band!.row === row && f.field.band!.part === part);
      return {
        comparator: of('comparator'),
        value: of('value'),
        score: of('score'),
        fraction: of('fraction'),
        label: of('label'),
      };
    };
    const rows = set.rows.map((ref) => ({ ref, parts: partsOf(ref.row) }));
    const baseBands = (valueAtPath(this.base.file, set.leafPointer, 'method', 'bands') as BandSpec[]) ?? [];
    // cells of the base's bands, for problems found later when nothing is rebuilt
    for (const { ref, parts } of rows) {
      if (ref.index === undefined) continue;
      this.noteBandCells(set, ref.index, parts);
    }
    if (fields.some((f) => !f.ok)) return;
    const changed = rows.some(({ ref, parts }) =>
      Object.values(parts).some(
        (f) => f && (ref.index === undefined ? f.value !== undefined : !sameValue(f.field.type, f.value, f.field.base)),
      ),
    );
    if (!changed) return;

    interface Planned {
      bound?: Bound;
      score?: string;
      fraction?: string;
      label?: string;
      parts: ReturnType<typeof partsOf>;
      baseIndex?: number;
      rest: boolean;
    }
    const planned: Planned[] = [];
    const spares: Planned[] = [];
    let broken = false;
    const problem = (item: ReadField | undefined, zh: string, en: string): void => {
      broken = true;
      this.problems.push({
        pointer: item?.field.pointer ?? childPointer(set.leafPointer, 'method', 'bands'),
        cell: item?.cell,
        message: localized(zh, en),
      });
    };
    for (const { ref, parts } of rows) {
      const value = parts.value?.value as string | undefined;
      const inclusive = parts.comparator?.value as boolean | undefined;
      const score = parts.score?.value as string | undefined;
      const fraction = parts.fraction?.value as string | undefined;
      const label = parts.label?.value as string | undefined;
      const empty = value === undefined && score === undefined && fraction === undefined;
      if (ref.index === undefined && empty && label === undefined) continue; // the spare row left empty
      if (!ref.rest && empty) continue; // a band cleared: removed
      if (score !== undefined && fraction !== undefined) {
        problem(parts.fraction, '得分和得分比例只填一个', 'give either a score or a fraction of the weight, not both');
        continue;
      }
      if (score === undefined && fraction === undefined) {
        problem(parts.score, '请填写本档得分', "give the band's score");
        continue;
      }
      const item: Planned = {
        score,
        fraction,
        label: label === undefined ? undefined : label.trim(),
        parts,
        baseIndex: ref.index,
        rest: ref.rest,
      };
      if (!ref.rest) {
        if (value === undefined) {
          problem(
            parts.value,
            '请填写分界值（要删除这一档，请同时清空分界值和得分）',
            'give the threshold (to remove the band, clear both its threshold and its score)',
          );
          continue;
        }
        if (inclusive === undefined) {
          problem(
            parts.comparator,
            `请选择比较方式：${set.direction === 'down' ? '≥ 或 ＞' : '≤ 或 ＜'}`,
            `choose how the threshold compares: ${set.direction === 'down' ? '≥ or >' : '≤ or <'}`,
          );
          continue;
        }
        item.bound = { value: new Decimal(value), inclusive };
      }
      (ref.index === undefined ? spares : planned).push(item);
    }
    if (broken) return;
    // a new band goes where its threshold puts it among the listed ones (the 其余 band stays last)
    for (const spare of spares) {
      const before = (other: Planned): boolean =>
        other.rest ||
        (set.direction === 'down'
          ? other.bound!.value.lt(spare.bound!.value)
          : other.bound!.value.gt(spare.bound!.value));
      const at = planned.findIndex(before);
      planned.splice(at < 0 ? planned.length : at, 0, spare);
    }
    const baseIntervals = baseBands.map((band) => bandInterval(band.when));
    const bottom = set.direction === 'down' ? baseIntervals[baseIntervals.length - 1] : baseIntervals[0];
    const bottomLower = typeof bottom === 'object' ? bottom.lower : undefined;
    const bands: BandSpec[] = planned.map((item, k) => {
      const previous = planned[k - 1]?.bound;
      const interval: Interval =
        set.direction === 'down'
          ? {
              ...(item.bound && { lower: item.bound }),
              ...(previous && { upper: { value: previous.value, inclusive: !previous.inclusive } }),
            }
          : {
              ...(item.bound && { upper: item.bound }),
              ...(previous && { lower: { value: previous.value, inclusive: !previous.inclusive } }),
            };
      const isBottom = set.direction === 'down' ? k === planned.length - 1 : k === 0;
      if (isBottom && bottomLower && !interval.lower) interval.lower = bottomLower;
      return this.band(interval, item, baseBands, baseIntervals, set);
    });
    const method = valueAtPath(draft, set.leafPointer, 'method') as Mutable;
    method.bands = bands;
    planned.forEach((item, j) => {
      const at = childPointer(set.leafPointer, 'method', 'bands', j);
      const threshold = item.parts.value?.cell ?? item.parts.score?.cell;
      if (threshold) {
        this.cells[at] = threshold;
        this.cells[childPointer(at, 'when')] = threshold;
      }
      for (const part of ['score', 'fraction', 'label'] as const) {
        const cell = item.parts[part]?.cell;
        if (cell) this.cells[childPointer(at, part)] = cell;
      }
    });
  }

  /** A band as the rule file writes it: the base's own band when it is the same, else a new one. */
  private band(
    interval: Interval,
    item: { score?: string; fraction?: string; label?: string; baseIndex?: number; parts: { label?: ReadField } },
    baseBands: BandSpec[],
    baseIntervals: Array<Interval | string>,
    set: BandSet,
  ): BandSpec {
    const sameBound = (a?: Bound, b?: Bound): boolean =>
      a === undefined || b === undefined ? a === b : a.inclusive === b.inclusive && a.value.eq(b.value);
    const sameAmount = (a?: string, b?: string): boolean =>
      a === undefined || b === undefined ? a === b : new Decimal(a).eq(b);
    const found = baseBands.findIndex((band, i) => {
      const base = baseIntervals[i];
      return (
        typeof base === 'object' &&
        sameBound(base.lower, interval.lower) &&
        sameBound(base.upper, interval.upper) &&
        sameAmount(band.score, item.score) &&
        sameAmount(band.fraction, item.fraction) &&
        (band.label ?? '') === (item.label ?? '')
      );
    });
    if (found >= 0) return structuredClone(baseBands[found]);
    const conditions: Condition[] = [];
    if (interval.lower) {
      conditions.push({
        fact: 'metric',
        operator: interval.lower.inclusive ? 'decimalGreaterThanInclusive' : 'decimalGreaterThan',
        value: interval.lower.value.toFixed(),
      });
    }
    if (interval.upper) {
      conditions.push({
        fact: 'metric',
        operator: interval.upper.inclusive ? 'decimalLessThanInclusive' : 'decimalLessThan',
        value: interval.upper.value.toFixed(),
      });
    }
    const band: BandSpec = { when: { all: conditions } };
    if (item.score !== undefined) band.score = keepText(item.score, item.baseIndex, baseBands, 'score');
    if (item.fraction !== undefined) band.fraction = keepText(item.fraction, item.baseIndex, baseBands, 'fraction');
    if (item.label) {
      band.label = item.label;
      const before = item.baseIndex === undefined ? undefined : baseIntervals[item.baseIndex];
      const labelKept = item.baseIndex !== undefined && baseBands[item.baseIndex].label === item.label;
      if (
        labelKept &&
        typeof before === 'object' &&
        !(sameBound(before.lower, interval.lower) && sameBound(before.upper, interval.upper))
      ) {
        this.notes.push({
          pointer: childPointer(set.leafPointer, 'method', 'bands', item.baseIndex!, 'label'),
          cell: item.parts.label?.cell,
          message: localized(
            `这一档的区间改了，档次说明“${item.label}”没有改：评分依据会照写这句说明，请核对（清空则自动生成）`,
            `the band's interval changed but its wording "${item.label}" did not: the 评分依据 prints it as written; check it (clear it to have it generated)`,
          ),
        });
      }
    }
    return band;
  }

  private noteBandCells(set: BandSet, index: number, parts: Record<string, ReadField | undefined>): void {
    const at = childPointer(set.leafPointer, 'method', 'bands', index);
    const threshold = parts.value?.cell ?? parts.score?.cell;
    if (threshold) {
      this.cells[at] = threshold;
      this.cells[childPointer(at, 'when')] = threshold;
    }
    for (const part of ['score', 'fraction', 'label']) {
      const cell = parts[part]?.cell;
      if (cell) this.cells[childPointer(at, part)] = cell;
    }
  }
}

/** The base band's own text for an amount that did not change ("1.50" stays "1.50"). */
function keepText(value: string, index: number | undefined, bands: BandSpec[], key: 'score' | 'fraction'): string {
  const before = index === undefined ? undefined : bands[index]?.[key];
  return before !== undefined && new Decimal(before).eq(value) ? before : value;
}

function cellContentText(cell: ExcelJS.Cell): string {
  const content = cellContent(cell);
  switch (content.kind) {
    case 'empty':
      return '';
    case 'text':
      return content.value;
    case 'number':
      return String(content.value);
    case 'boolean':
      return String(content.value);
    case 'date':
      return content.value.toISOString();
    case 'error':
      return '';
  }
}

function valueAtPath(root: unknown, pointer: string, ...more: string[]): unknown {
  let node: unknown = root;
  for (const token of [...(parsePointer(pointer) ?? []), ...more]) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Mutable)[token];
  }
  return node;
}

/** Sets (or, for undefined, removes) the value at a pointer whose parent exists. */
function setAt(root: unknown, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer) ?? [];
  const key = tokens.pop()!;
  const parent = valueAtPath(root, tokens.length === 0 ? '' : '/' + tokens.map(escape).join('/')) as Mutable;
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');
