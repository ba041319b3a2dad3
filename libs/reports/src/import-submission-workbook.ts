import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import {
  type Comparator,
  type DeclaredGoal,
  type DeclaredIndicator,
  type InputValue,
  type Message,
  type RuleSet,
  type Submission,
  type TargetResult,
  toPointer,
} from '@jiping/rules';
import { DEFAULT_WORKBOOK_LIMITS, inspectWorkbookZip, type WorkbookLimits } from './import-zip-guard';
import {
  COMPARATOR_LABELS,
  DATA_COLUMNS,
  EVENT_COLUMNS,
  eventKindLabel,
  type EventsSheet,
  FIRST_ROW,
  KIND_LABELS,
  TARGET_COLUMNS,
  TEMPLATE_SHEETS,
  type TargetSection,
  templateLayout,
} from './template-layout';

/** The year-end data read from a filled template: the API's SubmissionBody plus the declared targets. */
export interface ImportedSubmission {
  unitCount?: number;
  overview?: Submission['overview'];
  budget?: Submission['budget'];
  inputs: Submission['inputs'];
  evidence?: Submission['evidence'];
  targetResults?: Submission['targetResults'];
  /** The declared goals and indicators as the sheet lists them (the API scores the department's declaration). */
  targets?: Submission['targets'];
}

/**
 * A problem of a workbook: what is wrong, the JSON pointer of the value it fills, and where the user finds it, the
 * cell in Chinese form (`path`: 年终数据!C12). The messages are Chinese (the template is); English on request shows
 * the same text.
 */
export interface WorkbookProblem {
  pointer: string;
  /** e.g. `应为不超过两位小数的金额（万元）` */
  message: Message;
  /** The cell: 年终数据!C12. */
  path?: string;
}

export interface WorkbookImport {
  /** Present only when there is no problem. */
  body?: ImportedSubmission;
  problems: WorkbookProblem[];
  /** Where each value came from: JSON pointer → cell (年终数据!C12), to name the cell of a later problem. */
  cells: Record<string, string>;
}

type Cell = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'text'; value: string } | { kind: 'other' };

const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const YES = new Set(['是', 'true', 'TRUE', 'Y', 'y']);
const NO = new Set(['否', 'false', 'FALSE', 'N', 'n']);

/**
 * Reads a filled department template (see buildSubmissionTemplate) back into the submission JSON. The buffer is
 * refused before the xlsx reader expands it when it is too large, not a zip, or a zip bomb, whatever sizes it declares
 * (see inspectWorkbookZip). Amounts come
 * out as decimal strings exactly as typed (a numeric cell 1388.29 → "1388.29", a text cell "18144.00" stays so);
 * more than two decimals, negatives or text in a money cell are problems. Every problem names its cell, in Chinese
 * form (`年终数据!C12: 应为不超过两位小数的金额`), and the pointer of the value. Checks only the form of the cells:
 * the engine's parseSubmission checks the meaning, and `cells` names the cell of each of its pointers.
 */
export async function importSubmissionWorkbook(
  ruleSet: RuleSet,
  buffer: Buffer,
  limits: Partial<WorkbookLimits> = {},
): Promise<WorkbookImport> {
  const loaded = await loadGuarded(buffer, limits);
  return 'problem' in loaded
    ? { problems: [{ pointer: '', message: loaded.problem }], cells: {} }
    : new Reader(ruleSet, loaded.workbook).read();
}

/** The workbook, once the zip guard lets it through and the xlsx reader can open it; else why not. */
async function loadGuarded(
  buffer: Buffer,
  limits: Partial<WorkbookLimits>,
): Promise<{ workbook: ExcelJS.Workbook } | { problem: Message }> {
  const { problem } = await inspectWorkbookZip(buffer, { ...DEFAULT_WORKBOOK_LIMITS, ...limits });
  if (problem) return { problem };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (error) {
    return { problem: `无法读取工作簿：${(error as Error).message}` };
  }
  return { workbook };
}

/** The declared targets read from a 绩效目标申报表 (see buildTargetsWorkbook). */
export interface TargetsWorkbookImport {
  /** Present only when there is no problem: per declared section, its goals and indicators. */
  targets?: NonNullable<Submission['targets']>;
  problems: WorkbookProblem[];
  /** JSON pointer (/targets/performance/0/indicators/1/weight) → cell (履职效能!F4). */
  cells: Record<string, string>;
}

/**
 * Reads a filled 绩效目标申报表 — or the 履职效能 sheets of a department template, which have the same columns — back
 * into the declared targets, after the same zip guard as a submission workbook. Every problem names its cell
 * (履职效能!H5: 应为比较方式之一…) and pointer; only the form of the cells is checked here, the rule set's checks of the
 * declaration (weights summing to the section's, codes unique…) come after, and `cells` names their cells.
 */
export async function importTargetsWorkbook(
  ruleSet: RuleSet,
  buffer: Buffer,
  limits: Partial<WorkbookLimits> = {},
): Promise<TargetsWorkbookImport> {
  const loaded = await loadGuarded(buffer, limits);
  return 'problem' in loaded
    ? { problems: [{ pointer: '', message: loaded.problem }], cells: {} }
    : new Reader(ruleSet, loaded.workbook).readDeclaration();
}

class Reader {
  readonly problems: WorkbookProblem[] = [];
  readonly cells: Record<string, string> = {};
  private readonly layout;

  constructor(
    private readonly ruleSet: RuleSet,
    private readonly workbook: ExcelJS.Workbook,
  ) {
    this.layout = templateLayout(ruleSet);
  }

  read(): WorkbookImport {
    const names = [
      TEMPLATE_SHEETS.basics,
      TEMPLATE_SHEETS.data,
      TEMPLATE_SHEETS.evidence,
      ...this.layout.targets.map((t) => t.sheet),
      ...this.layout.events.map((e) => e.sheet),
    ];
    const missing = names.filter((name) => !this.workbook.getWorksheet(name));
    if (missing.length > 0) {
      const found = this.workbook.worksheets.map((s) => s.name).join('、') || '无';
      return {
        problems: missing.map((name) => ({
          pointer: '',
          message: `缺少工作表“${name}”（找到：${found}）：请使用 GET /rule-sets/{ref}/template.xlsx 下载的模板`,
        })),
        cells: {},
      };
    }
    this.checkRuleSet();
    if (this.problems.length > 0) return { problems: this.problems, cells: {} };

    const body: ImportedSubmission = { inputs: {} };
    this.readBasics(body);
    this.readData(body);
    this.readEvidence(body);
    for (const section of this.layout.targets) this.readTargets(section, body);
    for (const events of this.layout.events) this.readEvents(events, body);
    return this.problems.length > 0
      ? { problems: this.problems, cells: this.cells }
      : { body, problems: [], cells: this.cells };
  }

  /** Only the declared sections' sheets: a 绩效目标申报表. */
  readDeclaration(): TargetsWorkbookImport {
    const missing = this.layout.targets.map((t) => t.sheet).filter((name) => !this.workbook.getWorksheet(name));
    if (missing.length > 0) {
      const found = this.workbook.worksheets.map((s) => s.name).join('、') || '无';
      return {
        problems: missing.map((name) => ({
          pointer: '',
          message: `缺少工作表“${name}”（找到：${found}）：请使用 GET …/targets/template.xlsx 下载的绩效目标申报表`,
        })),
        cells: {},
      };
    }
    this.checkRuleSet();
    if (this.problems.length > 0) return { problems: this.problems, cells: {} };
    const body: ImportedSubmission = { inputs: {} };
    for (const section of this.layout.targets) {
      this.readTargets(section, body);
      this.cells[toPointer('targets', section.node.code)] ??= `${section.sheet}!${TARGET_COLUMNS.goalCode}${FIRST_ROW}`;
    }
    if (this.problems.length > 0) return { problems: this.problems, cells: this.cells };
    const targets = Object.fromEntries(
      this.layout.targets.map((t) => [t.node.code, body.targets?.[t.node.code] ?? []]),
    );
    return { targets, problems: [], cells: this.cells };
  }

  /** The hidden sheet names the rule set the template was made from. */
  private checkRuleSet(): void {
    const mapping = this.workbook.getWorksheet(TEMPLATE_SHEETS.mapping);
    const id = mapping ? text(mapping.getCell('B1')) : undefined;
    if (!mapping || id === undefined) {
      this.problems.push({ pointer: '', message: '工作簿不是 jiping 生成的模板（缺少隐藏的映射表）：请重新下载模板' });
      return;
    }
    if (id !== this.ruleSet.id) {
      this.problems.push({
        pointer: '',
        message: `模板属于规则集“${id}”，不是“${this.ruleSet.id}”：请下载本年度的模板`,
      });
    }
  }

  private readBasics(body: ImportedSubmission): void {
    const sheet = this.workbook.getWorksheet(TEMPLATE_SHEETS.basics)!;
    const overview: NonNullable<Submission['overview']> = {};
    const columns: Record<string, { budgeted: string; executed: string }> = {};
    let budgetSeen = false;
    for (const entry of this.layout.basics) {
      if (!this.expectLabel(sheet, `A${entry.row}`, entry.kind === 'budget' ? undefined : entry.label)) continue;
      if (entry.kind === 'unitCount') {
        const count = this.count(sheet, `C${entry.row}`, '/unitCount');
        if (count !== undefined) body.unitCount = count;
      } else if (entry.kind === 'overview') {
        const value = this.text(sheet, `C${entry.row}`, toPointer('overview', entry.field));
        if (value !== undefined) overview[entry.field] = value;
      } else {
        this.expectLabel(sheet, `B${entry.row}`, entry.label);
        const budgeted = this.decimal(
          sheet,
          `C${entry.row}`,
          toPointer('budget', 'columns', entry.column, 'budgeted'),
          2,
        );
        const executed = this.decimal(
          sheet,
          `D${entry.row}`,
          toPointer('budget', 'columns', entry.column, 'executed'),
          2,
        );
        if (budgeted !== undefined || executed !== undefined) budgetSeen = true;
        columns[entry.column] = { budgeted: budgeted ?? '', executed: executed ?? '' };
      }
    }
    if (Object.keys(overview).length > 0) body.overview = overview;
    if (budgetSeen) body.budget = { unit: this.ruleSet.file.budgetHeader?.unit ?? '元', columns };
  }

  private readData(body: ImportedSubmission): void {
    const sheet = this.workbook.getWorksheet(TEMPLATE_SHEETS.data)!;
    for (const entry of this.layout.data) {
      const r = entry.row;
      const input = entry.input;
      const at = (col: string): string => `${col}${r}`;
      if (entry.kind === 'point') {
        const point = entry.input.points.find((p) => p.id === entry.pointId)!;
        if (!this.expectLabel(sheet, at(DATA_COLUMNS.label), `${input.label}：${point.label}`)) continue;
        const pointer = toPointer('inputs', input.id, entry.pointId);
        this.cells[toPointer('inputs', input.id)] ??= ref(sheet, at(DATA_COLUMNS.value));
        const met = this.yesNo(sheet, at(DATA_COLUMNS.value), pointer);
        const evidence = this.text(
          sheet,
          at(DATA_COLUMNS.note),
          toPointer('inputs', input.id, entry.pointId, 'evidence'),
        );
        if (met === undefined) continue;
        const list = (body.inputs[input.id] ??= {}) as Record<string, boolean | { met: boolean; evidence?: string }>;
        list[entry.pointId] = evidence === undefined ? met : { met, evidence };
        continue;
      }
      if (!this.expectLabel(sheet, at(DATA_COLUMNS.label), input.label)) continue;
      const pointer = toPointer('inputs', input.id);
      let value: InputValue | undefined;
      switch (input.type) {
        case 'money':
          value = this.decimal(
            sheet,
            at(DATA_COLUMNS.value),
            pointer,
            2,
            input.allowNegative === true,
            `${input.unit}`,
          );
          break;
        case 'percent':
        case 'number':
          value = this.decimal(sheet, at(DATA_COLUMNS.value), pointer, undefined, input.allowNegative === true);
          break;
        case 'count':
          value = this.count(sheet, at(DATA_COLUMNS.value), pointer);
          break;
        case 'boolean':
          value = this.yesNo(sheet, at(DATA_COLUMNS.value), pointer);
          break;
        case 'text':
          value = this.text(sheet, at(DATA_COLUMNS.value), pointer);
          break;
        case 'judgment': {
          const tiers = entry.kind === 'input' ? entry.tiers : undefined;
          const label = this.text(sheet, at(DATA_COLUMNS.value), toPointer('inputs', input.id, 'tier'));
          const signed = entry.kind === 'input' && entry.range !== undefined;
          const score = this.decimal(
            sheet,
            at(DATA_COLUMNS.score),
            toPointer('inputs', input.id, 'score'),
            undefined,
            signed,
          );
          const reason = this.text(sheet, at(DATA_COLUMNS.note), toPointer('inputs', input.id, 'reason'));
          this.cells[pointer] = ref(sheet, at(DATA_COLUMNS.score));
          if (label === undefined && score === undefined && reason === undefined) break;
          let tier: string | undefined;
          if (label !== undefined) {
            tier = tiers?.find((t) => t.label === label || t.code === label)?.code;
            if (!tier) {
              this.problem(
                sheet,
                at(DATA_COLUMNS.value),
                toPointer('inputs', input.id, 'tier'),
                `应为评议等级之一：${(tiers ?? []).map((t) => t.label).join('、') || '（本指标不分等级，请留空）'}`,
              );
              break;
            }
          }
          value = { score: score ?? '', ...(tier ? { tier } : {}), reason: reason ?? '' };
          break;
        }
      }
      if (value !== undefined) body.inputs[input.id] = value;
    }
  }

  private readEvidence(body: ImportedSubmission): void {
    const sheet = this.workbook.getWorksheet(TEMPLATE_SHEETS.evidence)!;
    const evidence: Record<string, string> = {};
    for (const entry of this.layout.evidence) {
      const value = this.text(sheet, `D${entry.row}`, toPointer('evidence', entry.code));
      if (value !== undefined) evidence[entry.code] = value;
    }
    if (Object.keys(evidence).length > 0) body.evidence = evidence;
  }

  private readTargets(section: TargetSection, body: ImportedSubmission): void {
    const sheet = this.workbook.getWorksheet(section.sheet)!;
    const spec = section.node.declared;
    const goals: DeclaredGoal[] = [];
    const flat: DeclaredIndicator[] = [];
    const results: Record<string, TargetResult> = {};
    const C = TARGET_COLUMNS;
    // Rows of indicators read in the current goal (or the section), refused ones included: a pointer names the row's
    // place even when an earlier row could not be read.
    let rowsInList = 0;
    for (let r = FIRST_ROW; r <= sheet.rowCount; r++) {
      const at = (col: string): string => `${col}${r}`;
      if (Object.values(C).every((col) => read(sheet.getCell(at(col))).kind === 'empty')) continue;
      const base = goals.length;
      let goal = goals[base - 1];
      const goalCode = this.text(sheet, at(C.goalCode), '');
      if (spec.levels === 2 && goalCode !== undefined) {
        rowsInList = 0;
        const i = goals.length;
        const pointer = toPointer('targets', section.node.code, i);
        goal = {
          code: goalCode,
          name: this.text(sheet, at(C.goalName), `${pointer}/name`) ?? '',
          weight: this.decimal(sheet, at(C.goalWeight), `${pointer}/weight`) ?? '',
          indicators: [],
        };
        this.cells[`${pointer}/code`] = ref(sheet, at(C.goalCode));
        goals.push(goal);
      }
      if (spec.levels === 2 && !goal) {
        this.problem(
          sheet,
          at(C.goalCode),
          toPointer('targets', section.node.code),
          '第一个关键指标之前应先填写目标代码',
        );
        continue;
      }
      const list = spec.levels === 2 ? goal!.indicators : flat;
      const pointer =
        spec.levels === 2
          ? toPointer('targets', section.node.code, goals.length - 1, 'indicators', rowsInList)
          : toPointer('targets', section.node.code, rowsInList);
      const code = this.text(sheet, at(C.code), `${pointer}/code`);
      const name = this.text(sheet, at(C.name), `${pointer}/name`);
      const weight = this.decimal(sheet, at(C.weight), `${pointer}/weight`);
      const kindText = this.text(sheet, at(C.kind), `${pointer}/kind`);
      if (code === undefined) {
        if (name !== undefined || kindText !== undefined) {
          this.problem(sheet, at(C.code), `${pointer}/code`, '应填写指标代码');
          rowsInList += 1;
        }
        continue;
      }
      rowsInList += 1;
      const resultPointer = toPointer('targetResults', code);
      const result: TargetResult = {};
      const textValue = this.text(sheet, at(C.text), `${resultPointer}/text`);
      const reason = this.text(sheet, at(C.reason), `${resultPointer}/reason`);
      let indicator: DeclaredIndicator;
      if (kindText === KIND_LABELS.qualitative) {
        indicator = {
          code,
          name: name ?? '',
          weight: weight ?? '',
          kind: 'qualitative',
          target: this.text(sheet, at(C.target), `${pointer}/target`) ?? '',
        };
        const tierLabel = this.text(sheet, at(C.tier), `${resultPointer}/tier`);
        if (tierLabel !== undefined) {
          const tier = spec.qualitativeTiers.find((t) => t.label === tierLabel || t.code === tierLabel);
          if (tier) result.tier = tier.code;
          else
            this.problem(
              sheet,
              at(C.tier),
              `${resultPointer}/tier`,
              `应为达成等级之一：${spec.qualitativeTiers.map((t) => t.label).join('、')}`,
            );
        }
        const score = this.decimal(sheet, at(C.score), `${resultPointer}/score`);
        if (score !== undefined) result.score = score;
      } else if (kindText === KIND_LABELS.quantitative) {
        const symbol = this.text(sheet, at(C.comparator), `${pointer}/comparator`);
        const comparator = (Object.entries(COMPARATOR_LABELS) as Array<[Comparator, string]>).find(
          ([key, label]) => label === symbol || key === symbol,
        )?.[0];
        if (!comparator) {
          this.problem(
            sheet,
            at(C.comparator),
            `${pointer}/comparator`,
            `应为比较方式之一：${Object.values(COMPARATOR_LABELS).join('、')}`,
          );
          continue;
        }
        const targetMax = this.decimal(sheet, at(C.targetMax), `${pointer}/targetMax`, undefined, true);
        indicator = {
          code,
          name: name ?? '',
          weight: weight ?? '',
          kind: 'quantitative',
          comparator,
          target: this.decimal(sheet, at(C.target), `${pointer}/target`, undefined, true) ?? '',
          ...(targetMax !== undefined ? { targetMax } : {}),
          unit: this.text(sheet, at(C.unit), `${pointer}/unit`) ?? '',
        };
        const actual = this.decimal(sheet, at(C.actual), `${resultPointer}/actual`, undefined, true);
        if (actual !== undefined) result.actual = actual;
      } else {
        this.problem(sheet, at(C.kind), `${pointer}/kind`, '应为“定量”或“定性”');
        continue;
      }
      if (textValue !== undefined) result.text = textValue;
      if (reason !== undefined) result.reason = reason;
      list.push(indicator);
      if (Object.keys(result).length > 0) results[code] = result;
    }
    const declared = spec.levels === 2 ? goals : flat;
    if (declared.length > 0) body.targets = { ...body.targets, [section.node.code]: declared };
    if (Object.keys(results).length > 0) body.targetResults = { ...body.targetResults, ...results };
  }

  /** The 加减分 events of an events input: one per non-empty row; the kind as the list shows it, its label or code. */
  private readEvents(events: EventsSheet, body: ImportedSubmission): void {
    const sheet = this.workbook.getWorksheet(events.sheet)!;
    const list: Array<{ kind: string; text: string }> = [];
    for (let r = FIRST_ROW; r <= sheet.rowCount; r++) {
      const at = (col: string): string => `${col}${r}`;
      const pointer = toPointer('inputs', events.input.id, list.length);
      const kindText = this.text(sheet, at(EVENT_COLUMNS.kind), `${pointer}/kind`);
      const description = this.text(sheet, at(EVENT_COLUMNS.text), `${pointer}/text`);
      if (kindText === undefined && description === undefined) continue;
      const kind = events.input.kinds.find(
        (k) => kindText === eventKindLabel(k) || kindText === k.label || kindText === k.code,
      );
      if (!kind) {
        this.problem(
          sheet,
          at(EVENT_COLUMNS.kind),
          `${pointer}/kind`,
          `应为事项类型之一：${events.input.kinds.map(eventKindLabel).join('、')}`,
        );
        continue;
      }
      list.push({ kind: kind.code, text: description ?? '' });
    }
    this.cells[toPointer('inputs', events.input.id)] = `${events.sheet}!${EVENT_COLUMNS.kind}${FIRST_ROW}`;
    body.inputs[events.input.id] = list;
  }

  /** A locked label cell must still read as the template wrote it: rows were not inserted, moved or deleted. */
  private expectLabel(sheet: ExcelJS.Worksheet, address: string, expected: string | undefined): boolean {
    if (expected === undefined) return true;
    const found = text(sheet.getCell(address));
    if (found === expected) return true;
    this.problem(sheet, address, '', `应为“${expected}”，却是“${found ?? ''}”：行被插入、删除或改动，请使用原模板`);
    return false;
  }

  private problem(sheet: ExcelJS.Worksheet, address: string, pointer: string, message: string): void {
    this.problems.push({ pointer, message, path: ref(sheet, address) });
  }

  private note(sheet: ExcelJS.Worksheet, address: string, pointer: string): Cell {
    if (pointer) this.cells[pointer] = ref(sheet, address);
    return read(sheet.getCell(address));
  }

  private text(sheet: ExcelJS.Worksheet, address: string, pointer: string): string | undefined {
    const cell = this.note(sheet, address, pointer);
    if (cell.kind === 'empty') return undefined;
    if (cell.kind === 'number') return numberText(cell.value);
    if (cell.kind === 'text') return cell.value;
    this.problem(sheet, address, pointer, '应为文字');
    return undefined;
  }

  /** A decimal as typed: a numeric cell in its shortest form, a text cell as written (thousands commas dropped). */
  private decimal(
    sheet: ExcelJS.Worksheet,
    address: string,
    pointer: string,
    places?: number,
    negative = false,
    unit?: string,
  ): string | undefined {
    const cell = this.note(sheet, address, pointer);
    if (cell.kind === 'empty') return undefined;
    const what =
      places === 2
        ? `不超过两位小数的金额${unit ? `（${unit}）` : ''}`
        : places === undefined
          ? '数值'
          : `不超过${places}位小数的数`;
    const value =
      cell.kind === 'number' ? numberText(cell.value) : cell.kind === 'text' ? cell.value.replace(/,/g, '') : undefined;
    if (value === undefined || !DECIMAL_TEXT.test(value)) {
      this.problem(sheet, address, pointer, `应为${what}`);
      return undefined;
    }
    const decimals = value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
    if (places !== undefined && decimals > places) {
      this.problem(sheet, address, pointer, `应为${what}（填了${decimals}位小数）`);
      return undefined;
    }
    if (!negative && value.startsWith('-')) {
      this.problem(sheet, address, pointer, `应为不小于0的${what}`);
      return undefined;
    }
    return value;
  }

  private count(sheet: ExcelJS.Worksheet, address: string, pointer: string): number | undefined {
    const cell = this.note(sheet, address, pointer);
    if (cell.kind === 'empty') return undefined;
    const value =
      cell.kind === 'number'
        ? cell.value
        : cell.kind === 'text' && /^[0-9]+$/.test(cell.value)
          ? Number(cell.value)
          : NaN;
    if (!Number.isSafeInteger(value) || value < 0) {
      this.problem(sheet, address, pointer, '应为不小于0的整数');
      return undefined;
    }
    return value;
  }

  private yesNo(sheet: ExcelJS.Worksheet, address: string, pointer: string): boolean | undefined {
    const raw = sheet.getCell(address).value;
    if (pointer) this.cells[pointer] = ref(sheet, address);
    if (typeof raw === 'boolean') return raw;
    const cell = read(sheet.getCell(address));
    if (cell.kind === 'empty') return undefined;
    if (cell.kind === 'text' && YES.has(cell.value)) return true;
    if (cell.kind === 'text' && NO.has(cell.value)) return false;
    this.problem(sheet, address, pointer, '应为“是”或“否”');
    return undefined;
  }
}

/** The cell a pointer's value came from, or its nearest ancestor's (undefined: none). */
export function cellOfPointer(cells: Record<string, string>, pointer: string): string | undefined {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    if (cells[p]) return cells[p];
  }
  return undefined;
}

/** A cell in Chinese spreadsheet form: 年终数据!C12. */
const ref = (sheet: ExcelJS.Worksheet, address: string): string => `${sheet.name}!${address}`;

/** A finite number in its shortest decimal form, never with an exponent: 1388.29 → "1388.29". */
function numberText(value: number): string {
  return new Decimal(value).toFixed();
}

function text(cell: ExcelJS.Cell): string | undefined {
  const value = read(cell);
  if (value.kind === 'text') return value.value;
  if (value.kind === 'number') return numberText(value.value);
  return undefined;
}

/** What a cell holds, formulas by their cached result, rich text and hyperlinks by their text. */
function read(cell: ExcelJS.Cell): Cell {
  let value: unknown = cell.value;
  if (value !== null && typeof value === 'object' && 'result' in value) value = (value as { result: unknown }).result;
  if (value !== null && typeof value === 'object' && 'richText' in value) {
    value = (value as ExcelJS.CellRichTextValue).richText.map((part) => part.text).join('');
  }
  if (value !== null && typeof value === 'object' && 'text' in value) value = (value as { text: unknown }).text;
  if (value === null || value === undefined) return { kind: 'empty' };
  if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'other' };
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? { kind: 'empty' } : { kind: 'text', value: trimmed };
  }
  return { kind: 'other' };
}
