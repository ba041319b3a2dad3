import { D } from '../decimal';
import { cheapestPlan, choiceKey, EXACT_PLAN_LIMIT, type PlanCandidate } from './cheapest-plan';

/** A candidate leaf from its options' gains; a gain ending in "j" is judgment-based. */
const leaf = (...gains: string[]): PlanCandidate => ({
  options: gains.map((g) => ({ gain: new D(g.replace('j', '')), judgment: g.endsWith('j') })),
});
const picks = (result: ReturnType<typeof cheapestPlan>): string | undefined =>
  result.choice && choiceKey(result.choice);

describe(cheapestPlan.name, () => {
  it.each([
    ['one leaf that suffices beats two smaller ones', [leaf('0.3'), leaf('0.3'), leaf('0.5')], '0.4', '2:0'],
    ['among single leaves, the least overshoot wins', [leaf('2'), leaf('0.5'), leaf('1')], '0.4', '1:0'],
    ['a leaf’s smallest sufficient option is taken', [leaf('0.01', '0.31'), leaf('1')], '0.3', '0:1'],
    ['ties in overshoot go to the leaf first in tree order', [leaf('0.5'), leaf('0.5')], '0.378', '0:0'],
    ['ties in overshoot go to a figure before a judgment', [leaf('0.5j'), leaf('0.5')], '0.378', '1:0'],
    ['two leaves when no one suffices, the least overshoot', [leaf('2'), leaf('1.5'), leaf('1', '2')], '3', '0:0,2:0'],
    ['exactly what is needed is enough', [leaf('0.378')], '0.378', '0:0'],
  ])('%s', (_title, candidates, needed, expected) => {
    const result = cheapestPlan(candidates, new D(needed));
    expect(result.search).toBe('exact');
    expect(picks(result)).toBe(expected);
  });

  it('reports the gain and the overshoot of the combination', () => {
    const { choice } = cheapestPlan([leaf('2'), leaf('1.5')], new D('3'));
    expect([choice!.gain.toFixed(), choice!.overshoot.toFixed()]).toEqual(['3.5', '0.5']);
  });

  it('finds nothing when all the options together fall short', () => {
    expect(cheapestPlan([leaf('1'), leaf('0.5', '1')], new D('2.01')).choice).toBeUndefined();
  });

  it('skips excluded combinations and returns the next best', () => {
    const candidates = [leaf('0.5'), leaf('0.5'), leaf('2')];
    expect(picks(cheapestPlan(candidates, new D('0.4'), new Set(['0:0'])))).toBe('1:0');
    expect(picks(cheapestPlan(candidates, new D('0.4'), new Set(['0:0', '1:0'])))).toBe('2:0');
  });

  it(`searches greedily beyond ${EXACT_PLAN_LIMIT} candidate leaves, dropping leaves and options not needed`, () => {
    const candidates = [
      ...Array.from({ length: EXACT_PLAN_LIMIT }, () => leaf('0.1')),
      leaf('0.5', '3'),
      leaf('1', '2'),
    ];
    const result = cheapestPlan(candidates, new D('3.5'));
    expect(result.search).toBe('greedy');
    // Largest first: 3 + 2 ≥ 3.5; then the smaller option of the 2-point leaf (1) still makes 4.
    expect(picks(result)).toBe(`${EXACT_PLAN_LIMIT}:1,${EXACT_PLAN_LIMIT + 1}:0`);
    expect(result.choice!.overshoot.toFixed()).toBe('0.5');
  });

  it(`finds the one pair that reaches the need among ${EXACT_PLAN_LIMIT} candidates`, () => {
    const candidates = Array.from({ length: EXACT_PLAN_LIMIT }, (_, i) => leaf(i === 3 || i === 11 ? '1.5' : '0.1'));
    expect(picks(cheapestPlan(candidates, new D('3')))).toBe('3:0,11:0');
  });
});
