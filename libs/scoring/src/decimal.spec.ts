import fc from 'fast-check';
import { D, fixed } from './decimal';

describe(fixed.name, () => {
  it('shows exactly what toFixed(places) shows, rounded or padded', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, scale]) => new D(digits.toString()).div(new D(10).pow(scale)));
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
