import type { Submission } from '@jiping/rules';
import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../../test/support/load';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { applyChanges } from './apply-changes';
import { compareReports, type NodeComparison } from './compare-reports';

const ruleSet = loadRuleSet(GZ_2021);
const SEED = readJson(SEED_SUBMISSION) as Submission;

/** A node with just what a comparison reads; a group when it has children. */
const node = (code: string, score: string, children?: NodeReport[], level = 1): NodeReport => ({
  code,
  name: `指标${code}`,
  level,
  kind: children ? 'group' : 'leaf',
  weight: '10',
  max: '10',
  score,
  lost: '0',
  status: 'partial',
  children: children?.map((child) => ({ ...child, level: level + 1 })),
});
const report = (sections: NodeReport[], total: string, grade = '优'): ScoreReport =>
  ({ sections, total, grade, gradeCode: grade }) as unknown as ScoreReport;

/** [code, before, after, delta] of comparisons, to compare compactly. */
const rows = (nodes: NodeComparison[]) => nodes.map((n) => [n.code, n.before, n.after, n.delta]);

describe(compareReports.name, () => {
  it.each<[string, string, string, string]>([
    ['a gain with two places', '1.69', '2.00', '0.31'],
    ['a loss with two places', '2.00', '1.50', '-0.50'],
    ['no change', '1.9320', '1.9320', '0.0000'],
    ['the places of the more precise side', '2.5', '1.25', '-1.25'],
    ['a whole number and a decimal', '5', '2.5', '-2.5'],
    ['a move through zero (no "-0")', '-2.5', '0.0', '2.5'],
  ])('gives the delta of %s: %s → %s is %s', (_name, before, after, delta) => {
    const comparison = compareReports(report([node('a', before)], before), report([node('a', after)], after));
    expect(comparison.nodes).toEqual([{ code: 'a', name: '指标a', level: 1, kind: 'leaf', before, after, delta }]);
    expect(comparison.total).toEqual({ before, after, delta });
  });

  it('compares every node in tree order and lists the ones that moved', () => {
    const before = report([node('s1', '3.50', [node('a', '1.50'), node('b', '2.00')]), node('s2', '5')], '8.50');
    const after = report([node('s1', '4.00', [node('a', '2.00'), node('b', '2.00')]), node('s2', '5')], '9.00');
    const comparison = compareReports(before, after);
    expect(rows(comparison.nodes)).toEqual([
      ['s1', '3.50', '4.00', '0.50'],
      ['a', '1.50', '2.00', '0.50'],
      ['b', '2.00', '2.00', '0.00'],
      ['s2', '5', '5', '0'],
    ]);
    expect(rows(comparison.sections)).toEqual([
      ['s1', '3.50', '4.00', '0.50'],
      ['s2', '5', '5', '0'],
    ]);
    expect(rows(comparison.changed)).toEqual([
      ['s1', '3.50', '4.00', '0.50'],
      ['a', '1.50', '2.00', '0.50'],
    ]);
    expect(comparison.nodes[1]).toMatchObject({ level: 2, kind: 'leaf', name: '指标a' });
  });

  it('keeps nodes found on one side only, with null on the other, among their siblings', () => {
    const before = report([node('s', '5.00', [node('a', '2.00'), node('gone', '3.00')])], '5.00');
    const after = report([node('s', '6.00', [node('new', '1.00'), node('a', '2.00'), node('b', '3.00')])], '6.00');
    const comparison = compareReports(before, after);
    expect(rows(comparison.nodes)).toEqual([
      ['s', '5.00', '6.00', '1.00'],
      ['new', null, '1.00', '1.00'],
      ['a', '2.00', '2.00', '0.00'],
      ['b', null, '3.00', '3.00'],
      ['gone', '3.00', null, '-3.00'],
    ]);
    expect(rows(comparison.changed).map(([code]) => code)).toEqual(['s', 'new', 'b', 'gone']);
  });

  it.each<[string, string, string, boolean]>([
    ['keeps', '优', '优', false],
    ['changes', '优', '良', true],
  ])('says when the grade %s: %s → %s', (_name, before, after, changed) => {
    const comparison = compareReports(report([], '90', before), report([], '89', after));
    expect(comparison.grade).toEqual({ before, after, changed });
  });

  it('compares the seed before and after 实际采购金额 equals the plan: 1.69 → 2.00, total 94.622 → 94.932', async () => {
    const before = await scoreSubmission(ruleSet, SEED);
    const after = await scoreSubmission(
      ruleSet,
      applyChanges(SEED, [{ pointer: '/inputs/procurementActual', value: '1643.42' }]),
    );
    const comparison = compareReports(before, after);
    expect(rows(comparison.changed)).toEqual([
      ['management', '42.122', '42.432', '0.310'],
      ['procurement-management', '1.69', '2.00', '0.31'],
      ['procurement-execution-rate', '1.69', '2.00', '0.31'],
    ]);
    expect(comparison.changed.map((n) => n.name)).toEqual(['管理效能', '采购管理', '政府采购执行率']);
    expect(rows(comparison.sections)).toEqual([
      ['management', '42.122', '42.432', '0.310'],
      ['performance', '50.00', '50.00', '0.00'],
      ['bonus-penalty', '2.5', '2.5', '0.0'],
    ]);
    expect(comparison.total).toEqual({ before: '94.622', after: '94.932', delta: '0.310' });
    expect(comparison.grade).toEqual({ before: '优', after: '优', changed: false });
    const count = (nodes: NodeReport[]): number => nodes.reduce((n, x) => n + 1 + count(x.children ?? []), 0);
    expect(comparison.nodes).toHaveLength(count(after.sections));
    expect(comparison.nodes.every((n) => n.before !== null && n.after !== null)).toBe(true);
  });
});
