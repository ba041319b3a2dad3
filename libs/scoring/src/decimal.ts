import Decimal from 'decimal.js';
import type { RoundingMode } from '@jiping/rules';

/**
 * The one Decimal of the engine: 40 significant digits, half-up. Quotients are computed at this precision and
 * only ever rounded by {@link roundTo}, with the places and mode the rule set declares (domain.md §5).
 */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type D = Decimal;

const MODES: Record<RoundingMode, Decimal.Rounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  truncate: Decimal.ROUND_DOWN,
};

/**
 * The only place scores and metrics are rounded. A value with no more than `places` decimals is returned as it is
 * (toDecimalPlaces would copy it unchanged: Decimals are immutable).
 */
export function roundTo(value: Decimal, places: number, mode: RoundingMode): Decimal {
  return value.decimalPlaces() <= places ? value : value.toDecimalPlaces(places, MODES[mode]);
}

export const ZERO = new D(0);
export const HUNDRED = new D(100);

/**
 * Shows a decimal with exactly `places` decimals (no exponent, no thousands separators): `value.toFixed(places)`.
 * Scores and metrics are shown after they are rounded, so they rarely need rounding again; for those the digits are
 * padded with zeros instead (decimal.js's toFixed(places) copies and re-rounds the value first, ≈6× the cost — a
 * report shows some 350 numbers). A value with more decimals than `places` is rounded by decimal.js as before.
 */
export function fixed(value: Decimal, places: number): string {
  const decimals = value.decimalPlaces();
  if (decimals > places) return value.toFixed(places);
  const text = value.toFixed();
  return decimals === places ? text : (decimals === 0 ? text + '.' : text) + '0'.repeat(places - decimals);
}

/**
 * The larger of two decimals, itself: D.max copies every argument into a new Decimal. Picks as D.max does, 0 over −0.
 */
export const maxOf = (a: Decimal, b: Decimal): Decimal => {
  const order = a.cmp(b);
  return order < 0 || (order === 0 && a.isNegative()) ? b : a;
};
/** The smaller of two decimals, itself (D.min copies every argument). Picks as D.min does, −0 over 0. */
export const minOf = (a: Decimal, b: Decimal): Decimal => {
  const order = a.cmp(b);
  return order > 0 || (order === 0 && !a.isNegative()) ? b : a;
};

/** Shows a decimal as written, without trailing zeros: 2, 0.2, 2.5. */
export const plain = (value: Decimal): string => value.toFixed();

const CONSTANT_LIMIT = 10_000;
const constants = new Map<string, Decimal>();

/**
 * A rule set's constant ("0.5", "2.5", "100") parsed once and shared: Decimals are immutable, and a method that
 * adds a checklist point's "0.5" for every submission should not parse it every time.
 */
export function constant(text: string): Decimal {
  let value = constants.get(text);
  if (value === undefined) {
    if (constants.size >= CONSTANT_LIMIT) constants.clear();
    value = new D(text);
    constants.set(text, value);
  }
  return value;
}

/**
 * How a score is rounded and shown at its places, and how a 评分依据 writes a computation that rounding changes.
 * A computation is written to the score's places and at least 2 decimals (84.48%×2=1.69); when the score keeps
 * fewer (整数 or 一位小数) and rounding changes it, the step is written: 86.20%×10=8.62，取整得9分.
 */
export interface Rounder {
  readonly places: number;
  /** Rounds a score to the places in the rule set's mode. */
  round(value: Decimal): Decimal;
  /** Shows a rounded score with exactly the places. */
  show(value: Decimal): string;
  /** What follows "=" in a computation of `exact` that gave `score`: `1.69`, or `8.62，取整得9分`. */
  result(exact: Decimal, score: Decimal): string;
  /** "得…分" for a value `exact` that gave `score`: `得1.50分`, or `得1.5分，取整得2分`. */
  earns(exact: Decimal, score: Decimal): string;
}

/** The {@link Rounder} of `places` in `mode`. */
export function rounderOf(places: number, mode: RoundingMode): Rounder {
  const show = (value: Decimal): string => fixed(value, places);
  const rounding = places === 0 ? '取整' : `保留${places}位小数`;
  /** The value before rounding, when rounding changes what a 评分依据 would show. */
  const before = (exact: Decimal, score: Decimal): string | undefined =>
    places >= 2 || exact.eq(score) ? undefined : intermediate(exact, score, places, mode);
  return {
    places,
    round: (value) => roundTo(value, places, mode),
    show,
    result: (exact, score) => {
      const value = before(exact, score);
      return value === undefined ? show(score) : `${value}，${rounding}得${show(score)}分`;
    },
    earns: (exact, score) => {
      const value = before(exact, score);
      return value === undefined ? `得${show(score)}分` : `得${value}分，${rounding}得${show(score)}分`;
    },
  };
}

/**
 * A value before rounding as a 评分依据 writes it: as it is when it has at most 2 decimals (8.62, 1.5), else with 2
 * decimals (8.6203… → 8.62), more only where fewer would round to another score than the value itself does (8.496 is
 * 8.50 at 2 places, yet gives 8).
 */
function intermediate(exact: Decimal, score: Decimal, places: number, mode: RoundingMode): string {
  for (let digits = Math.max(2, places + 1); digits <= 20; digits++) {
    if (exact.decimalPlaces() <= digits) return exact.toFixed();
    const shown = roundTo(exact, digits, mode);
    if (roundTo(shown, places, mode).eq(score)) return fixed(shown, digits);
  }
  return exact.toFixed();
}
