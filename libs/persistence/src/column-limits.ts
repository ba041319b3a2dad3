import Decimal from 'decimal.js';

/** A DECIMAL(precision, scale) column. */
export interface DecimalColumn {
  precision: number;
  scale: number;
}

/** 全年预算数 / 全年执行数 (submission.budget_total, executed_total): DECIMAL(20,2), 18 digits before the point. */
export const MONEY_COLUMN: DecimalColumn = { precision: 20, scale: 2 };

/** An evaluation's total (evaluation.total): DECIMAL(24,10), every totalPlaces a rule file may set (0–10). */
export const SCORE_COLUMN: DecimalColumn = { precision: 24, scale: 10 };

/** A TEXT column on MySQL/MariaDB holds 65,535 bytes (audit_log.reason, audit_log.details). */
export const TEXT_COLUMN_BYTES = 65_535;

/**
 * Whether a decimal fits a DECIMAL column exactly: at most precision − scale digits before the point and scale
 * after. Checked before a row is written, so that MySQL (which refuses it: 500) and SQLite (which would take it)
 * answer alike, with a 422 naming the value.
 */
export function fitsDecimalColumn(value: Decimal.Value, column: DecimalColumn): boolean {
  const decimal = new Decimal(value);
  if (!decimal.isFinite()) return false;
  return (
    decimal.abs().lt(new Decimal(10).pow(column.precision - column.scale)) && decimal.decimalPlaces() <= column.scale
  );
}

/** Whether a text fits a column of `bytes` bytes in UTF-8 (utf8mb4). */
export const fitsTextColumn = (text: string, bytes = TEXT_COLUMN_BYTES): boolean =>
  Buffer.byteLength(text, 'utf8') <= bytes;
