import Decimal from 'decimal.js';
import type ExcelJS from 'exceljs';
import { localized, type Localized } from '@jiping/rules';
import type { EnumOption, FieldType } from './rule-workbook-layout';

/** What a cell holds, as Excel or WPS saved it. */
export type CellContent =
  | { kind: 'empty' }
  | { kind: 'number'; value: number; percent: boolean }
  | { kind: 'text'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: Date }
  | { kind: 'error'; value: string };

/** A cell's value read by its field type: the value for the rule file (undefined: empty), or why it cannot be read. */
export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: Localized };

/** The content of a cell: a formula counts by its saved result, rich text by its text. */
export function cellContent(cell: ExcelJS.Cell): CellContent {
  const percent = typeof cell.numFmt === 'string' && cell.numFmt.includes('%');
  const of = (value: unknown): CellContent => {
    if (value === null || value === undefined) return { kind: 'empty' };
    if (typeof value === 'number') return { kind: 'number', value, percent };
    if (typeof value === 'string') return value === '' ? { kind: 'empty' } : { kind: 'text', value };
    if (typeof value === 'boolean') return { kind: 'boolean', value };
    if (value instanceof Date) return { kind: 'date', value };
    if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.richText)) {
        return of((record.richText as Array<{ text?: string }>).map((part) => part.text ?? '').join(''));
      }
      if ('formula' in record || 'sharedFormula' in record) {
        if (record.result === undefined) return { kind: 'error', value: 'formula' };
        return of(record.result);
      }
      if ('error' in record) return { kind: 'error', value: String(record.error) };
      if ('text' in record) return of(record.text);
    }
    return { kind: 'error', value: String(value) };
  };
  return of(cell.value);
}

const DIGITS = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];
const FULL_WIDTH = /[０-９．－＋％]/g;
const toHalfWidth = (text: string): string =>
  text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** What the person typed, for a message: 两分, 90%, 1.255. */
function shown(content: CellContent): string {
  switch (content.kind) {
    case 'empty':
      return '';
    case 'number':
      return content.percent
        ? `${new Decimal(content.value).mul(100).toFixed()}%`
        : new Decimal(content.value).toFixed();
    case 'text':
      return content.value.length > 40 ? `${content.value.slice(0, 40)}…` : content.value;
    case 'boolean':
      return content.value ? 'TRUE' : 'FALSE';
    case 'date':
      return content.value.toISOString().slice(0, 10);
    case 'error':
      return content.value;
  }
}

const found = (content: CellContent): { zh: string; en: string } => {
  const text = shown(content);
  return { zh: `（填了“${text}”）`, en: ` (found "${text}")` };
};

function decimalMessage(type: Extract<FieldType, { kind: 'decimal' }>, content: CellContent): Localized {
  const places = type.places === 0 ? '整数' : `不超过${DIGITS[type.places] ?? type.places}位小数的`;
  const unit = type.percentPoints ? '（百分点，如 90 或 90%）' : '';
  const f = found(content);
  return localized(
    `应为${places}${type.places === 0 ? '' : type.noun}${unit}${f.zh}`,
    `must be a ${type.noun === '分值' ? 'score' : 'number'} with at most ${type.places} decimal places${f.en}`,
  );
}

function optionsMessage(options: EnumOption[], content: CellContent): Localized {
  const f = found(content);
  const list = options.map((o) => o.label);
  return localized(`应从下拉列表中选择：${list.join('、')}${f.zh}`, `must be one of ${list.join(', ')}${f.en}`);
}

/** The decimal a number or text cell holds, as an exact decimal string in the cell's own unit. */
function readDecimal(type: Extract<FieldType, { kind: 'decimal' }>, content: CellContent, base: unknown): ParsedValue {
  let value: Decimal;
  if (content.kind === 'number') {
    if (!Number.isFinite(content.value)) return { ok: false, message: decimalMessage(type, content) };
    value = new Decimal(content.value);
    if (content.percent) {
      if (!type.percentPoints) {
        const f = found(content);
        return {
          ok: false,
          message: localized(`应为${type.noun}，不是百分比${f.zh}`, `must be a plain number, not a percentage${f.en}`),
        };
      }
      value = value.mul(100);
    }
  } else if (content.kind === 'text') {
    let text = toHalfWidth(content.value.trim()).replace(/\s+/g, '');
    if (type.percentPoints) text = text.replace(/%$/, '');
    if (type.noun === '分值') text = text.replace(/分$/, '');
    if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return { ok: false, message: decimalMessage(type, content) };
    value = new Decimal(text);
  } else {
    return { ok: false, message: decimalMessage(type, content) };
  }
  const result = (type.timesHundred ? value.div(100) : value).toFixed();
  // more places than a person may type, unless it is the base's own value shown back
  const isBase = typeof base === 'string' && isDecimal(base) && new Decimal(base).eq(result);
  if (value.decimalPlaces() > type.places && !isBase) return { ok: false, message: decimalMessage(type, content) };
  return { ok: true, value: result };
}

function readOption(options: EnumOption[], content: CellContent): ParsedValue {
  const text =
    content.kind === 'text'
      ? content.value.trim()
      : content.kind === 'number'
        ? String(content.value)
        : content.kind === 'boolean'
          ? String(content.value)
          : undefined;
  const option =
    text === undefined
      ? undefined
      : options.find((o) => o.label === text || (o.aliases ?? []).includes(text) || String(o.value) === text);
  return option ? { ok: true, value: option.value } : { ok: false, message: optionsMessage(options, content) };
}

function readDate(content: CellContent): ParsedValue {
  if (content.kind === 'date') {
    const d = content.value;
    const pad = (n: number): string => String(n).padStart(2, '0');
    return { ok: true, value: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` };
  }
  if (content.kind === 'text') {
    const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(toHalfWidth(content.value.trim()));
    if (match) {
      const [, y, m, d] = match.map(Number);
      const date = new Date(Date.UTC(y, m - 1, d));
      if (date.getUTCMonth() === m - 1 && date.getUTCDate() === d) {
        return { ok: true, value: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
      }
    }
  }
  const f = found(content);
  return {
    ok: false,
    message: localized(`应为日期，如 2022-01-01${f.zh}`, `must be a date such as 2022-01-01${f.en}`),
  };
}

/**
 * Reads a cell by its field type. Empty gives `{ ok: true, value: undefined }` for an optional field (the key is
 * left out) and a problem for a required one. Numbers become exact decimal strings (a numeric cell 1.5 → "1.5"),
 * with at most the type's places (unless the value is `base`, the rule file's own, shown back); a percentage cell
 * (90%) counts as 90 where the value is in percentage points.
 */
export function parseCell(type: FieldType, content: CellContent, base?: unknown): ParsedValue {
  // spaces alone are empty, but for a text, which keeps them when they are what the base says (see finalValue)
  if (content.kind === 'text' && type.kind !== 'text' && content.value.trim() === '') content = { kind: 'empty' };
  if (content.kind === 'error') {
    const message =
      content.value === 'formula'
        ? localized(
            '公式没有保存计算结果：请在 Excel 或 WPS 中打开并保存后再导入，或直接填写数值',
            'the formula has no saved result: open and save the workbook in Excel or WPS, or type the value',
          )
        : localized(`单元格是错误值 ${content.value}`, `the cell holds the error ${content.value}`);
    return { ok: false, message };
  }
  if (content.kind === 'empty') {
    if (type.kind !== 'list' && type.optional) return { ok: true, value: undefined };
    return {
      ok: false,
      message:
        type.kind === 'decimal'
          ? localized(`请填写${type.noun}`, `a ${type.noun === '分值' ? 'score' : 'number'} is required`)
          : type.kind === 'enum'
            ? localized(
                `请从下拉列表中选择：${type.options.map((o) => o.label).join('、')}`,
                `choose one of ${type.options.map((o) => o.label).join(', ')}`,
              )
            : localized('不能为空', 'must not be empty'),
    };
  }
  switch (type.kind) {
    case 'text': {
      if (content.kind === 'text') return { ok: true, value: content.value.replace(/\r\n?/g, '\n') };
      if (content.kind === 'number') return { ok: true, value: new Decimal(content.value).toFixed() };
      if (content.kind === 'date') return readDate(content);
      return { ok: true, value: String(content.value) };
    }
    case 'decimal':
      return readDecimal(type, content, base);
    case 'integer': {
      const text =
        content.kind === 'number' ? String(content.value) : content.kind === 'text' ? content.value.trim() : '';
      const n = /^-?\d+$/.test(toHalfWidth(text)) ? Number(toHalfWidth(text)) : NaN;
      if (Number.isSafeInteger(n) && n >= type.min && n <= type.max) return { ok: true, value: n };
      const f = found(content);
      return {
        ok: false,
        message: localized(
          `应为 ${type.min} 到 ${type.max} 之间的整数${f.zh}`,
          `must be a whole number from ${type.min} to ${type.max}${f.en}`,
        ),
      };
    }
    case 'enum':
      return readOption(type.options, content);
    case 'list': {
      const text = content.kind === 'text' ? content.value : shown(content);
      const parts = text
        .split(/[、,，;；\s]+/)
        .map((part) => part.trim())
        .filter((part) => part !== '');
      const values: unknown[] = [];
      for (const part of parts) {
        const read = readOption(type.options, { kind: 'text', value: part });
        if (!read.ok || values.includes(read.value)) {
          const f = found(content);
          const list = type.options.map((o) => o.label).join('、');
          return {
            ok: false,
            message: localized(
              `应为 ${list} 中的一项或几项，用顿号分隔，不重复${f.zh}`,
              `must list some of ${type.options.map((o) => o.label).join(', ')}, separated by 、, without repeats${f.en}`,
            ),
          };
        }
        values.push(read.value);
      }
      return { ok: true, value: values };
    }
    case 'date':
      return readDate(content);
  }
}

/** Whether a value read from a cell means the same as the base value (decimals by value, defaults applied). */
export function sameValue(type: FieldType, read: unknown, base: unknown): boolean {
  const withDefault = (value: unknown): unknown =>
    value === undefined && (type.kind === 'decimal' || type.kind === 'enum') ? type.defaultValue : value;
  const [a, b] = [withDefault(read), withDefault(base)];
  if (a === undefined || b === undefined) return a === b;
  switch (type.kind) {
    case 'decimal':
      return typeof a === 'string' && typeof b === 'string' && isDecimal(b) && new Decimal(a).eq(b);
    case 'list':
      return (
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === b.length &&
        [...a].map(String).sort().join('\n') === [...b].map(String).sort().join('\n')
      );
    case 'text': {
      // a workbook stores line breaks as \n, and a person's stray spaces at either end are not content
      const plain = (text: unknown): unknown => (typeof text === 'string' ? text.replace(/\r\n?/g, '\n').trim() : text);
      return a === b || plain(a) === plain(b);
    }
    default:
      return a === b;
  }
}

const isDecimal = (text: string): boolean => /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text);

/**
 * The value a changed cell gives the rule file: a text trimmed (a person's stray spaces are not content); an
 * optional text left with nothing but spaces is absent.
 */
export function finalValue(type: FieldType, value: unknown): unknown {
  if (type.kind !== 'text' || typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' && type.optional ? undefined : trimmed;
}

/** What the exported cell holds for a value: a number where Excel keeps the decimal exactly, else its text. */
export function displayValue(type: FieldType, value: unknown): string | number | null {
  const shownValue =
    value === undefined && (type.kind === 'decimal' || type.kind === 'enum') ? type.defaultValue : value;
  if (shownValue === undefined || shownValue === null) return null;
  switch (type.kind) {
    case 'decimal': {
      if (typeof shownValue !== 'string' || !isDecimal(shownValue)) return String(shownValue);
      const decimal = type.timesHundred ? new Decimal(shownValue).mul(100) : new Decimal(shownValue);
      const number = decimal.toNumber();
      return new Decimal(number).eq(decimal) && decimal.toFixed() === new Decimal(number).toFixed()
        ? number
        : decimal.toFixed();
    }
    case 'integer':
      return typeof shownValue === 'number' ? shownValue : String(shownValue);
    case 'enum':
      return type.options.find((o) => o.value === shownValue)?.label ?? String(shownValue);
    case 'list':
      return Array.isArray(shownValue)
        ? shownValue.map((v) => type.options.find((o) => o.value === v)?.label ?? String(v)).join('、')
        : String(shownValue);
    default:
      return typeof shownValue === 'string' ? shownValue : JSON.stringify(shownValue);
  }
}
