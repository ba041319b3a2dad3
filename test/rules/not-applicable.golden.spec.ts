import fc from 'fast-check';
import {
  type GroupNode,
  inLang,
  type LeafNode,
  type NotApplicablePolicy,
  type RuleFile,
  toRuleSet,
  validateRuleFile,
} from '@jiping/rules';
import {
  D,
  impactFrameOf,
  impactScoringOf,
  ImpactSummary,
  type NodeReport,
  proportional,
  type ScoreReport,
  scoreSubmission,
  scoreSubmissionSummary,
  scoreSubmissionSync,
  ScoringError,
} from '@jiping/scoring';
import { submissionArbitrary } from '../../libs/scoring/src/compiled/differential.arbitraries';
import { renderScoreTableCsv } from '../../libs/reports/src/score-table-csv';
import { GZ_2021, readJson, SEED_SUBMISSION } from '../support/load';

/**
 * 不适用 on the real 2021 table of 广州市科学技术局 (94.622 优; 管理效能 42.122, 履职效能 50, 加减分 2.5).
 * 资产管理 (4) = 资产管理制度健全性 1 (1.00) + 资产账务核对情况 1 (1.00) + 固定资产利用率 2 (84.30 % → 1.50) = 3.50.
 * The department marks 资产管理制度健全性 不适用; each policy is computed by hand below.
 */
type Submission = Record<string, unknown> & { notApplicable?: Record<string, string> };
const seed = (): Submission => readJson(SEED_SUBMISSION) as Submission;
const REASON = '本单位资产由机关事务管理局统一管理，未单独制定资产管理制度';

/** 广州 2021 with 资产管理制度健全性 and the declared key indicators allowed 不适用, under a policy. */
function withNotApplicable(policy: NotApplicablePolicy): RuleFile {
  const file = readJson(GZ_2021) as RuleFile;
  file.version = `2021.9.0-${policy}`;
  file.notApplicable = { policy };
  const assets = (file.indicators[0] as GroupNode).children[3] as GroupNode;
  (assets.children[0] as LeafNode).allowNotApplicable = true;
  const performance = file.indicators[1];
  if ('declared' in performance) performance.declared.allowNotApplicable = true;
  return file;
}
const node = (report: ScoreReport, code: string): NodeReport => {
  const walk = (nodes: NodeReport[]): NodeReport | undefined =>
    nodes.map((n) => (n.code === code ? n : walk(n.children ?? []))).find((n) => n !== undefined);
  return walk(report.sections)!;
};
const marked = (codes: Record<string, string>): Submission => ({ ...seed(), notApplicable: codes });

describe('不适用 with the weight redistributed, each policy by hand', () => {
  // (a) siblings: 资产账务核对情况 1 and 固定资产利用率 2 share 4: 1 × 4/3 = 1.333…, 2 × 4/3 = 2.666…; at 2 places
  // ⌊⌋ 1.33 + 2.66 = 3.99, the unit left goes to the larger remainder (800 mod 300 = 200 > 400 mod 300 = 100):
  // 1.33 and 2.67 (sum 4.00). Scores: 1.00 × 1.33 ÷ 1 = 1.33; 1.50 × 2.67 ÷ 2 = 2.0025 → 2.00. 资产管理 3.33;
  // 管理效能 42.122 − 3.50 + 3.33 = 41.952; total 94.622 − 0.17 = 94.452 优.
  it('siblings: 1.33 + 2.00 = 3.33, total 94.452', async () => {
    const report = await scoreSubmission(toRuleSet(withNotApplicable('siblings')), marked({ 'asset-systems': REASON }));
    expect(node(report, 'asset-systems')).toMatchObject({ status: 'not-applicable', score: '0.00', lost: '0.00' });
    expect(node(report, 'asset-systems').basis).toContain(`不适用：${REASON}`);
    expect(node(report, 'asset-reconciliation')).toMatchObject({ weight: '1.33', score: '1.33' });
    expect(node(report, 'fixed-asset-utilization')).toMatchObject({ weight: '2.67', score: '2.00' });
    expect(node(report, 'fixed-asset-utilization').basis).toContain(
      '“资产管理制度健全性”不适用，其分值1分按权重分配：本项分值由2分调整为2.67分，得分1.5×2.67÷2=2.00分',
    );
    expect(node(report, 'asset-management')).toMatchObject({ weight: '4', score: '3.33', lost: '0.67' });
    expect(node(report, 'management').score).toBe('41.952');
    expect(report).toMatchObject({ total: '94.452', grade: '优' });
    expect(report.notApplicable).toEqual({
      indicators: [{ code: 'asset-systems', name: '资产管理制度健全性', reason: REASON }],
    });
    expect(report.lostPoints.map((l) => l.code)).not.toContain('asset-systems');
  });

  // (b) parent (按实际分值折算): 实得 1.00 + 1.50 = 2.50 of 适用分值 3; 2.50 ÷ 3 × 4 = 3.333… → 3.33;
  // 管理效能 41.952; total 94.452 优. The leaves keep their own weights and scores.
  it('parent: 2.50 ÷ 3 × 4 = 3.33, total 94.452', () => {
    const report = scoreSubmissionSync(toRuleSet(withNotApplicable('parent')), marked({ 'asset-systems': REASON }));
    expect(node(report, 'asset-reconciliation')).toMatchObject({ weight: '1', score: '1.00' });
    expect(node(report, 'fixed-asset-utilization')).toMatchObject({ weight: '2', score: '1.50' });
    expect(node(report, 'asset-management')).toMatchObject({ score: '3.33', max: '4' });
    expect(node(report, 'asset-management').basis).toBe(
      '“资产管理制度健全性”不适用，适用分值3分，实得2.5分；按实际分值折算：2.5÷3×4=3.33分',
    );
    expect(report).toMatchObject({ total: '94.452', grade: '优' });
  });

  // (c) total: nothing redistributed below; 资产管理 2.50 of 3, 管理效能 41.122; 实得分 41.122 + 50 + 2.5 = 93.622,
  // 适用分值 100 − 1 = 99; 93.622 ÷ 99 × 100 = 94.5676… → 94.568 优.
  it('total: 93.622 ÷ 99 × 100 = 94.568', () => {
    const report = scoreSubmissionSync(toRuleSet(withNotApplicable('total')), marked({ 'asset-systems': REASON }));
    expect(node(report, 'asset-management')).toMatchObject({ score: '2.50', max: '3' });
    expect(node(report, 'management').score).toBe('41.122');
    expect(report).toMatchObject({ total: '94.568', grade: '优' });
    expect(report.notApplicable?.total).toBe(
      '不适用指标的分值1分不计入，适用分值99分；实得分93.622÷适用分值99×100=94.568分',
    );
    const csv = renderScoreTableCsv(report);
    expect(csv).toContain('不适用：' + REASON);
  });

  // A declared key indicator: 聚焦重点产业 goal rd (12) = rd-1 3 + rd-2 2 + rd-3 2 + rd-4 2 + rd-5 3, all met.
  // rd-2 不适用 under siblings: 3 × 12/10 = 3.6, 2 × 12/10 = 2.4 — exact: 3.60, 2.40, 2.40, 3.60 (sum 12.00), all
  // full. 绩效目标完成率 counts 20 met of 20 declared (rd-2 counts neither): 2.00. Total stays 94.622.
  it('siblings within a declared goal: 3.60 + 2.40 + 2.40 + 3.60, total 94.622', () => {
    const report = scoreSubmissionSync(
      toRuleSet(withNotApplicable('siblings')),
      marked({ 'rd-2': '本年度未安排该类项目' }),
    );
    expect(
      ['rd-1', 'rd-2', 'rd-3', 'rd-4', 'rd-5'].map((c) => [node(report, c).weight, node(report, c).score]),
    ).toEqual([
      ['3.6', '3.60'],
      ['2', '0.00'],
      ['2.4', '2.40'],
      ['2.4', '2.40'],
      ['3.6', '3.60'],
    ]);
    expect(node(report, 'rd-2').status).toBe('not-applicable');
    expect(node(report, 'target-completion-rate').score).toBe('2.00');
    expect(report.total).toBe('94.622');
  });

  it('gives the same scores on both paths and in the summary, and impact counts the departments that marked 不适用', async () => {
    const plain = toRuleSet(readJson(GZ_2021) as RuleFile);
    for (const policy of ['siblings', 'parent', 'total'] as const) {
      const ruleSet = toRuleSet(withNotApplicable(policy));
      const submission = marked({ 'asset-systems': REASON, 'rd-2': '本年度未安排该类项目' });
      const report = scoreSubmissionSync(ruleSet, submission);
      expect(await scoreSubmission(ruleSet, submission, { engine: 'json-rules-engine' })).toEqual(report);
      expect(scoreSubmissionSummary(ruleSet, submission)).toEqual(impactScoringOf(report));
      const summary = new ImpactSummary({ before: impactFrameOf(plain), after: impactFrameOf(ruleSet) });
      const row = summary.add({
        department: { code: 'gz-kjj', name: '广州市科学技术局' },
        before: scoreSubmissionSummary(plain, seed()),
        after: scoreSubmissionSummary(ruleSet, submission),
      });
      expect(row.after.notApplicable).toEqual(['asset-systems', 'rd-2']);
      expect(summary.result().notApplicable).toEqual([
        { code: 'asset-systems', name: '资产管理制度健全性', departments: 1 },
        { code: 'rd-2', name: 'rd-2', departments: 1 },
      ]);
    }
  });

  it('refuses 不适用 where the rule set does not allow it, and a missing reason, in Chinese with the path', async () => {
    const ruleSet = toRuleSet(withNotApplicable('parent'));
    const error = await scoreSubmission(
      ruleSet,
      marked({ 'fixed-asset-utilization': '无', 'asset-systems': '' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScoringError);
    expect(
      (error as ScoringError).problems.map((p) => ({ pointer: p.pointer, path: p.path, zh: inLang(p.message, 'zh') })),
    ).toEqual([
      {
        pointer: '/notApplicable/fixed-asset-utilization',
        path: '管理效能 › 资产管理 › 固定资产利用率',
        zh: '“固定资产利用率”不可标为不适用：本规则集未允许该指标不适用',
      },
      {
        pointer: '/notApplicable/asset-systems',
        path: '管理效能 › 资产管理 › 资产管理制度健全性',
        zh: '必填，不能为空',
      },
    ]);
  });
});

describe('checks of 不适用 on upload', () => {
  const problems = (file: RuleFile): Array<[string, string]> =>
    validateRuleFile(file).map((p) => [p.pointer, inLang(p.message, 'zh')]);

  it('refuses a leaf that may be 不适用 without a policy, and a parent all of whose children may be, without one above', () => {
    const file = withNotApplicable('parent');
    delete file.notApplicable;
    const assets = (file.indicators[0] as GroupNode).children[3] as GroupNode;
    for (const child of assets.children) (child as LeafNode).allowNotApplicable = true;
    assets.notApplicable = { policy: 'siblings' };
    const performance = file.indicators[1];
    if ('declared' in performance) performance.declared.allowNotApplicable = false;
    expect(problems(file)).toEqual([
      [
        '/indicators/0/children/3',
        '“资产管理”的下级指标都可标为不适用，它本身也可能不适用：须在上级“管理效能”或规则集写 notApplicable.policy（siblings、parent 或 total）',
      ],
    ]);
    assets.notApplicable = undefined;
    expect(problems(file).map(([pointer]) => pointer)).toEqual([
      '/indicators/0/children/3',
      '/indicators/0/children/3/children/0',
      '/indicators/0/children/3/children/1',
      '/indicators/0/children/3/children/2',
    ]);
    (file.indicators[0] as GroupNode).notApplicable = { policy: 'total' };
    expect(problems(file)).toContainEqual([
      '/indicators/0/notApplicable/policy',
      '“total”（总分按 实得分÷适用分值×总分 折算）只能写在规则集一级的 notApplicable；“管理效能”可写 siblings 或 parent',
    ]);
  });

  it('refuses 加减分 marked as may be 不适用', () => {
    const file = withNotApplicable('total');
    const bonus = ((file.indicators[2] as GroupNode).children[0] as GroupNode).children[0] as LeafNode;
    bonus.allowNotApplicable = true;
    expect(problems(file)).toEqual([
      ['/indicators/2/children/0/children/0/allowNotApplicable', '“工作受表彰或批评”是加减分，不能标为不适用'],
    ]);
  });
});

describe('不适用 properties', () => {
  // With nothing marked, a rule set that allows 不适用 scores every generated submission exactly as the one that
  // does not — under each policy.
  it('marking nothing gives the normal total and scores, under every policy', () => {
    const plain = toRuleSet(readJson(GZ_2021) as RuleFile);
    const ruleSets = (['siblings', 'parent', 'total'] as const).map((p) => toRuleSet(withNotApplicable(p)));
    const submissions = fc.sample(submissionArbitrary(plain, seed()), { numRuns: 300, seed: 7 });
    let compared = 0;
    for (const submission of submissions) {
      let expected;
      try {
        expected = scoreSubmissionSummary(plain, submission);
      } catch {
        continue;
      }
      for (const ruleSet of ruleSets) expect(scoreSubmissionSummary(ruleSet, submission)).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(150);
  });

  // Proportional redistribution conserves the parent's weight exactly, and each share is within one unit (at the
  // places) of its exact proportion w × total ÷ Σw.
  it('shares a weight exactly among any weights', () => {
    const decimal = (max: number, places: number) =>
      fc.integer({ min: 1, max: max * 10 ** places }).map((n) => new D(n).div(10 ** places));
    fc.assert(
      fc.property(
        fc.array(decimal(20, 2), { minLength: 1, maxLength: 8 }),
        decimal(50, 1),
        fc.integer({ min: 0, max: 4 }),
        (weights, total, places) => {
          const shares = proportional(weights, total, places);
          const sum = shares.reduce((s, x) => s.add(x), new D(0));
          expect(sum.eq(total)).toBe(true);
          const all = weights.reduce((s, w) => s.add(w), new D(0));
          const unit = new D(10).pow(-Math.max(places, total.decimalPlaces()));
          shares.forEach((share, i) => {
            expect(share.sub(weights[i].mul(total).div(all)).abs().lt(unit)).toBe(true);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
