import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleFileText, toRuleSet } from '@jiping/rules';
import { scoreSubmission } from '../score-submission';
import { impactFrameOf, impactScoringOf, type ImpactScoring } from './impact-scoring';
import { type ImpactInput, ImpactSummary } from './impact-summary';

const ROOT = join(__dirname, '..', '..', '..', '..');
const GZ_2021 = toRuleSet(
  parseRuleFileText(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')),
);
const SEED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'));

const GRADES = ['优', '良', '中', '差'];
const FRAME = {
  grades: GRADES,
  indicators: [
    { code: 'a', name: '指标甲' },
    { code: 'b', name: '指标乙' },
  ],
};
const summary = (options: Partial<ConstructorParameters<typeof ImpactSummary>[0]> = {}): ImpactSummary =>
  new ImpactSummary({ before: FRAME, after: FRAME, ...options });

const scoring = (total: string, grade: string, scores: Record<string, string> = {}): ImpactScoring => ({
  total,
  grade,
  scores,
});
const input = (code: string, before: ImpactScoring, after: ImpactScoring): ImpactInput => ({
  department: { code, name: `部门${code}` },
  before,
  after,
});
/** A department whose total moves from `from` to `to` (same grade 良, no indicators). */
const moving = (code: string, from: string, to: string): ImpactInput =>
  input(code, scoring(from, '良'), scoring(to, '良'));

describe(impactFrameOf.name, () => {
  it('lists the grade labels and every leaf and declared section of 广州 2021', () => {
    const frame = impactFrameOf(GZ_2021);
    expect(frame.grades).toEqual(GRADES);
    expect(frame.indicators).toContainEqual({ code: 'fixed-asset-utilization', name: '固定资产利用率' });
    expect(frame.indicators).toContainEqual({ code: 'performance', name: '履职效能' });
    expect(frame.indicators.map((i) => i.code)).not.toContain('management');
    expect(frame.indicators).toHaveLength(23);
  });
});

describe(impactScoringOf.name, () => {
  it('keeps the total, the grade and the leaf and declared-section scores of the seed', async () => {
    const kept = impactScoringOf(await scoreSubmission(GZ_2021, SEED));
    expect({ total: kept.total, grade: kept.grade }).toEqual({ total: '94.622', grade: '优' });
    expect(kept.scores).toMatchObject({
      'fixed-asset-utilization': '1.50',
      'procurement-execution-rate': '1.69',
      'budget-completion-rate': '1.9320',
      performance: '50.00',
      'commendation-criticism': '2.5',
    });
    expect(Object.keys(kept.scores).sort()).toEqual(
      impactFrameOf(GZ_2021)
        .indicators.map((i) => i.code)
        .sort(),
    );
  });
});

describe(ImpactSummary.name, () => {
  it('returns the row of a department, with the delta at the totals’ precision', () => {
    const row = summary().add(input('d1', scoring('95.122', '优'), scoring('89.622', '良')));
    expect(row).toEqual({
      department: { code: 'd1', name: '部门d1' },
      before: { total: '95.122', grade: '优' },
      after: { total: '89.622', grade: '良' },
      delta: '-5.500',
    });
  });

  it.each([
    ['an odd count', ['79.0', '80.5', '80.0'], '0.0'],
    ['an even count', ['79.5', '80.0', '80.0', '79.5'], '-0.25'],
    ['one department', ['79.500'], '-0.500'],
    ['an even count around zero', ['79.5', '80.5'], '0.0'],
  ])('takes the median of %s (from 80.0)', (_, totals, median) => {
    const s = summary();
    totals.forEach((to, i) => s.add(moving(`d${i}`, '80.0', to)));
    expect(s.result().delta!.median).toBe(median);
  });

  it('gives the mean, rounded half-up to 4 decimals, and the extremes with the first department by code', () => {
    const s = summary();
    for (const [code, to] of [
      ['d3', '79.5'],
      ['d1', '80.0'],
      ['d2', '79.5'],
      ['d0', '80.0'],
      ['d4', '80.5'],
    ])
      s.add(moving(code, '80.0', to));
    s.add(moving('d5', '80.0', '80.0'));
    // (-0.5 - 0.5 + 0.5) / 6 = -0.08333…
    expect(s.result().delta).toEqual({
      mean: '-0.0833',
      median: '0.0',
      min: { delta: '-0.5', department: { code: 'd2', name: '部门d2' } },
      max: { delta: '0.5', department: { code: 'd4', name: '部门d4' } },
    });
    expect(s.result()).toMatchObject({ departments: 6, changed: 3, raised: 1, lowered: 2 });
  });

  it('fills every cell of the transition matrix, the cells summing to the departments', () => {
    const s = summary();
    s.add(input('d1', scoring('90.1', '优'), scoring('89.9', '良')));
    s.add(input('d2', scoring('90.1', '优'), scoring('89.9', '良')));
    s.add(input('d3', scoring('79.0', '中'), scoring('80.0', '良')));
    s.add(input('d4', scoring('95.0', '优'), scoring('95.0', '优')));
    const { transitions, gradeChanges, departments } = s.result();
    expect(transitions).toEqual({
      优: { 优: 1, 良: 2, 中: 0, 差: 0 },
      良: { 优: 0, 良: 0, 中: 0, 差: 0 },
      中: { 优: 0, 良: 1, 中: 0, 差: 0 },
      差: { 优: 0, 良: 0, 中: 0, 差: 0 },
    });
    const cells = Object.values(transitions).flatMap((row) => Object.values(row));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(departments);
    expect(gradeChanges).toEqual({ changed: 3, up: 1, down: 2 });
  });

  it('adds a grade label neither rule set lists as a row or column of its own', () => {
    const s = summary();
    s.add(input('d1', scoring('50', '不合格'), scoring('50', '差')));
    expect(s.result().grades.before).toEqual([...GRADES, '不合格']);
    expect(s.result().transitions['不合格']).toEqual({ 优: 0, 良: 0, 中: 0, 差: 1 });
  });

  it('keeps the biggest movers by |delta|, then by code, never a department that did not move', () => {
    const s = summary({ moverLimit: 3 });
    s.add(moving('d1', '80.0', '80.0'));
    s.add(moving('d2', '80.0', '79.0'));
    s.add(moving('d3', '80.0', '81.5'));
    s.add(moving('d4', '80.0', '81.0'));
    s.add(moving('d0', '80.0', '79.0'));
    s.add(moving('d5', '80.0', '80.5'));
    expect(s.result().movers.map((row) => [row.department.code, row.delta])).toEqual([
      ['d3', '1.5'],
      ['d0', '-1.0'],
      ['d2', '-1.0'],
    ]);
    const still = summary();
    still.add(moving('d1', '80.0', '80.0'));
    expect(still.result().movers).toEqual([]);
  });

  it('names only the indicators that moved, with their mean over every department and their counts', () => {
    const s = summary();
    s.add(input('d1', scoring('80', '良', { a: '2.00', b: '1.5' }), scoring('79.5', '中', { a: '1.50', b: '1.5' })));
    s.add(input('d2', scoring('80', '良', { a: '2.00', b: '1.5' }), scoring('80', '良', { a: '2.00', b: '1.5' })));
    s.add(input('d3', scoring('80', '良', { a: '1.00', b: '1.5' }), scoring('80.5', '良', { a: '1.50', b: '1.5' })));
    s.add(input('d4', scoring('80', '良', { a: '2.00', b: '1.5' }), scoring('79.5', '中', { a: '1.50', b: '1.5' })));
    expect(s.result().indicators).toEqual([
      { code: 'a', name: '指标甲', meanDelta: '-0.1250', totalDelta: '-0.50', moved: 3, raised: 1, lowered: 2 },
    ]);
  });

  it('scores an indicator only one rule set has as 0 under the other', () => {
    const s = summary({ after: { grades: GRADES, indicators: [{ code: 'c', name: '新指标' }] } });
    s.add(input('d1', scoring('80', '良', { a: '2' }), scoring('80', '良', { c: '2' })));
    expect(s.result().indicators).toEqual([
      { code: 'a', name: '指标甲', meanDelta: '-2.0000', totalDelta: '-2', moved: 1, raised: 0, lowered: 1 },
      { code: 'c', name: '新指标', meanDelta: '2.0000', totalDelta: '2', moved: 1, raised: 1, lowered: 0 },
    ]);
  });

  it('gives the same summary whatever order the departments arrive in', () => {
    const inputs = Array.from({ length: 40 }, (_, i) => {
      const before = (80 + (i % 7)).toFixed(3);
      const after = (80 + (i % 7) - (i % 3) * 0.5).toFixed(3);
      return input(
        `d${String(i).padStart(2, '0')}`,
        scoring(before, '良', { a: before }),
        scoring(after, '良', { a: after }),
      );
    });
    const forward = summary();
    inputs.forEach((i) => forward.add(i));
    const backward = summary();
    [...inputs].reverse().forEach((i) => backward.add(i));
    expect(backward.result()).toEqual(forward.result());
  });

  it('reports no deltas and zero counts before any department, and counts failures apart', () => {
    const s = summary();
    s.addFailure();
    expect(s.result()).toMatchObject({
      departments: 0,
      failed: 1,
      changed: 0,
      delta: null,
      movers: [],
      indicators: [],
      gradeChanges: { changed: 0, up: 0, down: 0 },
    });
    expect(s.result().transitions['优']).toEqual({ 优: 0, 良: 0, 中: 0, 差: 0 });
  });

  it('never shows a mean that rounds to zero as -0', () => {
    const s = summary();
    s.add(moving('d1', '80.00', '79.99'));
    for (let i = 2; i <= 1000; i++) s.add(moving(`d${i}`, '80.00', '80.00'));
    expect(s.result().delta!.mean).toBe('0.0000');
  });
});
