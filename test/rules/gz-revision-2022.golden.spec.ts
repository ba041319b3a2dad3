import type { Submission } from '@jiping/rules';
import {
  compareReports,
  type NodeReport,
  scoreContinued,
  scoreContinuedSummary,
  scoresByCode,
  scoreSubmission,
} from '@jiping/scoring';
import { GZ_2021, GZ_2022_DRAFT, loadRuleSet, readJson, SEED_SUBMISSION } from '../support/load';

const gz2021 = loadRuleSet(GZ_2021);
const draft = loadRuleSet(GZ_2022_DRAFT);
const seed = readJson(SEED_SUBMISSION) as Submission;

function find(nodes: NodeReport[], code: string): NodeReport | undefined {
  for (const node of nodes) {
    if (node.code === code) return node;
    const inside = node.children && find(node.children, code);
    if (inside) return inside;
  }
  return undefined;
}

/**
 * The worked example of issue 11: the shipped 2021 seed (广州市科学技术局, 94.622 优) under the example 2022 revision
 * (docs/examples/guangzhou-department-overall-2022-draft.json), computed by hand:
 *
 *   政府采购执行率  1388.29/1643.42 = 84.48 %; deduction 0.1 per point below 100: 2 − 15.52 × 0.1 = 0.448 → 0.45 (was 1.69)
 *   固定资产利用率  10232.75/12139.05 = 84.30 % < 85 % → 0 (was [80, 90) → 1.50)
 *   资产管理制度健全性 (boolean, 1) → removed; 数据安全管理 (checklist 0.5 + 0.5, both assumed met) → 1.00: no change
 *   工作受表彰或批评  1 commendation × 1.5 (cap 3) = 1.5 (was 2.5)
 *   total          94.622 − 1.24 − 1.50 − 1.00 = 90.882; 优 now needs ≥ 92 → 良
 */
describe('the 2021 seed under the 2022 revision draft (2021年数据按2022年规则模拟)', () => {
  it('scores 90.882, 良, with the three changes the revision makes', async () => {
    const report = await scoreContinued(draft, gz2021, seed);
    expect([report.total, report.grade, report.gradeCode]).toEqual(['90.882', '良', 'good']);
    expect(report.fiscalYear).toBe(2022);
    expect(report.ruleSet).toMatchObject({ id: 'guangzhou-department-overall', version: '2022.0.1' });
    const scores = scoresByCode(report.sections);
    expect(
      Object.fromEntries(
        ['procurement-execution-rate', 'fixed-asset-utilization', 'data-security', 'commendation-criticism'].map(
          (code) => [code, scores.get(code)],
        ),
      ),
    ).toEqual({
      'procurement-execution-rate': '0.45',
      'fixed-asset-utilization': '0.00',
      'data-security': '1.00',
      'commendation-criticism': '1.5',
    });
    expect(find(report.sections, 'procurement-execution-rate')!.basis).toBe(
      '实际采购金额合计数1388.29万元/采购计划金额合计数1643.42万元×100%=84.48%，2-(100-84.48)×0.1=0.45',
    );
  });

  it('says what it simulated, marks the assumed 数据安全管理 points on the leaf, and notes what it left out', async () => {
    const report = await scoreContinued(draft, gz2021, seed);
    expect(report.simulation).toMatchObject({
      description: '2021年数据按2022年规则模拟',
      from: { id: 'guangzhou-department-overall', version: '2021.1.0', fiscalYear: 2021, checksum: gz2021.checksum },
      to: { id: 'guangzhou-department-overall', version: '2022.0.1', fiscalYear: 2022, checksum: draft.checksum },
    });
    expect(report.simulation!.assumptions.map((a) => [a.key, a.label, a.shown, a.indicators])).toEqual([
      ['dataSecurity/dataRules', '数据安全管理 › 已制定数据安全管理制度', '满足', ['data-security']],
      ['dataSecurity/riskAssessment', '数据安全管理 › 按要求开展数据安全风险评估', '满足', ['data-security']],
    ]);
    expect(report.simulation!.notes.map((n) => [n.kind, n.code])).toEqual([
      ['input-dropped', 'assetSystems'],
      ['evidence-dropped', 'asset-systems'],
    ]);
    expect(report.simulation!.notes[0].message).toBe(
      '2021年数据中的 资产管理制度健全（assetSystems）在新规则中已删除，不参与模拟',
    );

    const dataSecurity = find(report.sections, 'data-security')!;
    expect(dataSecurity.assumed!.map((a) => [a.key, a.shown])).toEqual([
      ['dataSecurity/dataRules', '满足'],
      ['dataSecurity/riskAssessment', '满足'],
    ]);
    expect(dataSecurity.basis).toMatch(
      /共2项要点满足2项，得1\.00分（模拟假定：已制定数据安全管理制度按满足计，按要求开展数据安全风险评估按满足计。2022年新增指标，2021年无此项考核要求，模拟2021年数据时按满足计）$/,
    );
    // Only the leaf that read an assumption is marked.
    expect(find(report.sections, 'procurement-execution-rate')!.assumed).toBeUndefined();
  });

  it('moves the seed from 94.622 优 to 90.882 良: 采购 1.69 → 0.45, 资产利用 1.50 → 0.00, 加减分 2.5 → 1.5', async () => {
    const before = await scoreSubmission(gz2021, seed);
    const after = await scoreContinued(draft, gz2021, seed);
    const comparison = compareReports(before, after);
    expect(comparison.total).toEqual({ before: '94.622', after: '90.882', delta: '-3.740' });
    expect(comparison.grade).toEqual({ before: '优', after: '良', changed: true });
    const leaves = comparison.changed.filter((n) => n.kind === 'leaf').map((n) => [n.code, n.before, n.after, n.delta]);
    expect(leaves).toEqual([
      ['procurement-execution-rate', '1.69', '0.45', '-1.24'],
      ['data-security', null, '1.00', '1.00'],
      ['asset-systems', '1.00', null, '-1.00'],
      ['fixed-asset-utilization', '1.50', '0.00', '-1.50'],
      ['commendation-criticism', '2.5', '1.5', '-1.0'],
    ]);
  });

  it('gives the same scores on the compiled summary path, with the assumptions it used', () => {
    const summary = scoreContinuedSummary(draft, gz2021, seed);
    expect([summary.total, summary.grade]).toEqual(['90.882', '良']);
    expect(summary.scores['procurement-execution-rate']).toBe('0.45');
    expect(summary.assumed).toEqual(['dataSecurity/dataRules', 'dataSecurity/riskAssessment']);
  });
});
