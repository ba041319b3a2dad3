import Decimal from 'decimal.js';

/**
 * How a decimal string of a report is shown in a spreadsheet cell: the number, and an Excel number format with as
 * many decimals as the string has (1.9320 → '0.0000', 1.69 → '0.00', 2.5 → '0.0', 45 → '0').
 */
export interface CellNumber {
  value: number;
  numFmt: string;
}

const DECIMAL = /^-?\d+(\.(\d+))?$/;

/** The places written in a decimal string: '1.9320' → 4, '2.5' → 1, '45' → 0. */
export function placesOf(decimal: string): number {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal string: "${decimal}"`);
  return match[2]?.length ?? 0;
}

const zeros = (places: number): string => (places === 0 ? '0' : `0.${'0'.repeat(places)}`);

/** A score or weight: the number with a format keeping its written decimals (trailing zeros included). */
export function scoreCell(decimal: string): CellNumber {
  return { value: new Decimal(decimal).toNumber(), numFmt: zeros(placesOf(decimal)) };
}

/** An amount: the number with thousands separators and its written decimals ('#,##0.00' for 5683370667.03). */
export function amountCell(decimal: string): CellNumber {
  const places = placesOf(decimal);
  return { value: new Decimal(decimal).toNumber(), numFmt: places === 0 ? '#,##0' : `#,##0.${'0'.repeat(places)}` };
}

/**
 * A rate as the report shows it ('90.00%'): the fraction (0.9) with a percent format of the same decimals
 * ('0.00%'). A string that is not a percent is returned as text.
 */
export function rateCell(shown: string): CellNumber | string {
  const match = /^(-?\d+(?:\.\d+)?)%$/.exec(shown.trim());
  if (!match) return shown;
  return { value: new Decimal(match[1]).div(100).toNumber(), numFmt: `${zeros(placesOf(match[1]))}%` };
}
