import fc from 'fast-check';
import Decimal from 'decimal.js';
import { D, fixed, maxOf, minOf, roundTo } from './decimal';

const decimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
  .map(([digits, scale]) => new D(digits.toString()).div(new D(10).pow(scale)));

describe(fixed.name, () => {
  it('shows exactly what toFixed(places) shows, rounded or padded', () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 8 }), (value, places) => {
        expect(fixed(value, places)).toBe(value.toFixed(places));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    ['0', 2, '0.00'],
    ['-0', 2, '0.00'],
    ['-1.5', 2, '-1.50'],
    ['94.622', 3, '94.622'],
    ['2.445', 2, '2.45'],
    ['-2.445', 2, '-2.45'],
    ['1e21', 1, '1000000000000000000000.0'],
    ['1e-7', 8, '0.00000010'],
  ])('shows %s with %i decimals as %s', (text, places, shown) => {
    expect(fixed(new D(text), places)).toBe(shown);
    expect(new D(text).toFixed(places)).toBe(shown);
  });
});

describe('maxOf and minOf', () => {
  it('pick what D.max and D.min pick, without copying it', () => {
    const pair = fc.oneof(
      fc.tuple(decimal, decimal),
      decimal.map((value) => [value, new D(value)] as const),
      fc.constant([new D('0'), new D('-0')] as const),
      fc.constant([new D('-0'), new D('0')] as const),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const [max, min] = [maxOf(a, b), minOf(a, b)];
        expect(max === a || max === b).toBe(true);
        expect(min === a || min === b).toBe(true);
        // same value and sign (of zero too) as decimal.js's own choice
        expect([max.toString(), max.isNegative()]).toEqual([D.max(a, b).toString(), D.max(a, b).isNegative()]);
        expect([min.toString(), min.isNegative()]).toEqual([D.min(a, b).toString(), D.min(a, b).isNegative()]);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe(roundTo.name, () => {
  it.each([
    ['half-up', Decimal.ROUND_HALF_UP],
    ['half-even', Decimal.ROUND_HALF_EVEN],
    ['truncate', Decimal.ROUND_DOWN],
  ] as const)('gives what toDecimalPlaces gives (%s), the sign of zero included', (mode, rounding) => {
    fc.assert(
      fc.property(fc.oneof(decimal, fc.constant(new D('-0'))), fc.integer({ min: 0, max: 8 }), (value, places) => {
        const rounded = roundTo(value, places, mode);
        const expected = value.toDecimalPlaces(places, rounding);
        expect([rounded.toString(), rounded.isNegative()]).toEqual([expected.toString(), expected.isNegative()]);
      }),
      { numRuns: 3_000 },
    );
  });
});
