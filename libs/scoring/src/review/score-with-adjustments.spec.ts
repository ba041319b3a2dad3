import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../../test/support/load';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { type Adjustment, applyAdjustments, scoreWithAdjustments } from './score-with-adjustments';

type Json = Record<string, any>;

const ruleSet = loadRuleSet(GZ_2021);
const SEED = readJson(SEED_SUBMISSION) as Json;
/** A fresh deep clone of the seed submission (广州市科学技术局 2021, 94.622). */
const seed = (): Json => structuredClone(SEED);

const nodesOf = (nodes: NodeReport[]): NodeReport[] => nodes.flatMap((n) => [n, ...nodesOf(n.children ?? [])]);
const node = (report: ScoreReport, code: string): NodeReport => nodesOf(report.sections).find((n) => n.code === code)!;
const reviewed = (report: ScoreReport): string[] =>
  nodesOf(report.sections)
    .filter((n) => n.review)
    .map((n) => n.code);

const PRE_ASSESSMENT = '/inputs/budgetPreparation/preAssessment';
const PRE_ASSESSMENT_REASON = '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见';
const RESULT_APPLICATION_REASON = '绩效结果应用整改未全部落实，评为部分达成';

describe(scoreWithAdjustments.name, () => {
  it('re-scores a checklist point ruled met: 部门预算编制情况 2.00 → 3.00, total 95.622', async () => {
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: PRE_ASSESSMENT, value: true, reason: PRE_ASSESSMENT_REASON },
    ]);
    expect([report.total, report.grade]).toEqual(['95.622', '优']);
    const leaf = node(report, 'budget-preparation');
    expect(leaf.score).toBe('3.00');
    expect(leaf.review).toEqual({
      selfScore: '2.00',
      reviewedScore: '3.00',
      reason: PRE_ASSESSMENT_REASON,
      changes: [{ pointer: PRE_ASSESSMENT, before: false, after: true }],
    });
    // The point keeps its evidence; only whether it is met was the evaluator's.
    expect(leaf.calc).toContain('3.新增预算入库项目开展事前立项预算评估，得1分');
    expect(leaf.calc).toContain('《广州市本级重大政策和项目财政立项预算评估管理办法（试行）》');
    expect(node(report, 'fund-management').score).toBe('14.932');
    expect(reviewed(report)).toEqual(['budget-preparation']);
    expect(report.lostPoints.map((l) => l.code)).not.toContain('budget-preparation');
  });

  it('takes a point submitted as { met, evidence } at …/<point>/met too (as headroom suggests it), evidence kept', async () => {
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: `${PRE_ASSESSMENT}/met`, value: true, reason: PRE_ASSESSMENT_REASON },
    ]);
    expect([report.total, node(report, 'budget-preparation').score]).toEqual(['95.622', '3.00']);
    expect(node(report, 'budget-preparation').review?.changes).toEqual([
      { pointer: `${PRE_ASSESSMENT}/met`, before: false, after: true },
    ]);
    expect(node(report, 'budget-preparation').calc).toContain(
      '《广州市本级重大政策和项目财政立项预算评估管理办法（试行）》',
    );
    const adjusted = applyAdjustments(ruleSet, seed(), [
      { pointer: `${PRE_ASSESSMENT}/met`, value: true, reason: PRE_ASSESSMENT_REASON },
    ]) as Json;
    expect(adjusted.inputs.budgetPreparation.preAssessment).toEqual({
      ...SEED.inputs.budgetPreparation.preAssessment,
      met: true,
    });
    await expect(
      scoreWithAdjustments(ruleSet, seed(), [
        { pointer: `${PRE_ASSESSMENT}/note`, value: 'x', reason: PRE_ASSESSMENT_REASON },
      ]),
    ).rejects.toMatchObject({ code: ScoringErrorCode.INVALID_ADJUSTMENT });
  });

  it.each<[string, Adjustment[]]>([
    [
      'the whole judgment',
      [
        {
          pointer: '/inputs/resultApplication',
          value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
          reason: RESULT_APPLICATION_REASON,
        },
      ],
    ],
    [
      'its score and its tier',
      [
        { pointer: '/inputs/resultApplication/score', value: '1.4', reason: RESULT_APPLICATION_REASON },
        { pointer: '/inputs/resultApplication/tier', value: 'partial', reason: RESULT_APPLICATION_REASON },
      ],
    ],
  ])('re-scores the judgment 绩效结果应用 as 部分达成 1.4 → 1.40, adjusting %s', async (_how, adjustments) => {
    const report = await scoreWithAdjustments(ruleSet, seed(), adjustments);
    const leaf = node(report, 'result-application');
    expect(leaf.score).toBe('1.40');
    expect(leaf.decision?.rule).toBe('judgment:partial');
    expect(leaf.review).toMatchObject({ selfScore: '2.00', reviewedScore: '1.40', reason: RESULT_APPLICATION_REASON });
    expect(leaf.review!.changes).toHaveLength(adjustments.length);
    expect(report.total).toBe('94.022');
    expect(reviewed(report)).toEqual(['result-application']);
  });

  it('re-scores a qualitative target ruled 部分达成, and 绩效目标完成率 counts it as not met', async () => {
    const reason = '三家研究院中一家未完成阶段性考核';
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: '/targetResults/rd-4/tier', value: 'partial', reason },
      { pointer: '/targetResults/rd-4/score', value: '1.5', reason },
    ]);
    const target = node(report, 'rd-4');
    expect([target.score, target.target?.tier, target.target?.met]).toEqual(['1.50', 'partial', false]);
    expect(target.review).toEqual({
      selfScore: '2.00',
      reviewedScore: '1.50',
      reason,
      changes: [
        { pointer: '/targetResults/rd-4/tier', before: 'achieved', after: 'partial' },
        { pointer: '/targetResults/rd-4/score', before: '2', after: '1.5' },
      ],
    });
    // 20/21 = 95.24 % × 2 = 1.90: a consequence, not an adjusted leaf, so it carries no review.
    expect(node(report, 'target-completion-rate').score).toBe('1.90');
    expect(reviewed(report)).toEqual(['rd-4']);
    expect(report.total).toBe('94.022');
  });

  it('scores a quantitative target ruled unmet below its weight although its comparator holds (21 ≥ 20)', async () => {
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: '/targetResults/rd-1/ruling', value: 'unmet', reason: '支持方向数量佐证不足' },
    ]);
    const target = node(report, 'rd-1');
    expect([target.score, target.target?.met, target.decision?.rule]).toEqual(['2.99', false, 'target:ruled-unmet']);
    expect(target.basis).toContain('复核认定未完成');
    expect(target.review).toMatchObject({
      selfScore: '3.00',
      reviewedScore: '2.99',
      changes: [{ pointer: '/targetResults/rd-1/ruling', before: null, after: 'unmet' }],
    });
    expect(node(report, 'target-completion-rate').score).toBe('1.90');
    expect(report.total).toBe('94.512');
  });

  it('scores a quantitative target ruled met with full marks although its comparator fails (15 < 20)', async () => {
    const submission = seed();
    submission.targetResults['rd-1'].actual = '15';
    expect(node(await scoreSubmission(ruleSet, submission), 'rd-1').score).toBe('2.25');
    const report = await scoreWithAdjustments(ruleSet, submission, [
      { pointer: '/targetResults/rd-1/ruling', value: 'met', reason: '年中调整支持方向，经批复目标值调为15个' },
    ]);
    const target = node(report, 'rd-1');
    expect([target.score, target.target?.met, target.decision?.rule]).toEqual(['3.00', true, 'target:ruled-met']);
    expect(target.review).toMatchObject({ selfScore: '2.25', reviewedScore: '3.00' });
    expect(node(report, 'target-completion-rate').score).toBe('2.00');
  });

  it('re-scores a boolean input and touches only the leaf that reads it', async () => {
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: '/inputs/assetReconciliation', value: false, reason: '账实核对存在差异' },
    ]);
    expect(node(report, 'asset-reconciliation').review).toMatchObject({ selfScore: '1.00', reviewedScore: '0.00' });
    expect(reviewed(report)).toEqual(['asset-reconciliation']);
    expect(report.total).toBe('93.622');
  });

  it('applies adjustments in order: the later one of a value wins and both stay in the review', async () => {
    const report = await scoreWithAdjustments(ruleSet, seed(), [
      { pointer: PRE_ASSESSMENT, value: true, reason: '初审认定' },
      { pointer: PRE_ASSESSMENT, value: false, reason: '复审撤销' },
    ]);
    expect(node(report, 'budget-preparation').review).toEqual({
      selfScore: '2.00',
      reviewedScore: '2.00',
      reason: '初审认定；复审撤销',
      changes: [
        { pointer: PRE_ASSESSMENT, before: false, after: true },
        { pointer: PRE_ASSESSMENT, before: true, after: false },
      ],
    });
    expect(report.total).toBe('94.622');
  });

  it('leaves the submission it was given unchanged and reviews nothing without adjustments', async () => {
    const submission = seed();
    await scoreWithAdjustments(ruleSet, submission, [{ pointer: PRE_ASSESSMENT, value: true, reason: '复核' }]);
    expect(submission).toEqual(SEED);
    const report = await scoreWithAdjustments(ruleSet, submission, []);
    expect(report).toEqual(await scoreSubmission(ruleSet, SEED));
  });

  it('refuses every adjustment that is not judgment-based or has no reason, all at once', async () => {
    const adjustments = [
      { pointer: '/inputs/procurementActual', value: '1643.42', reason: '按计划金额' },
      { pointer: '/inputs/expenditureProgress', value: '100', reason: '按全年' },
      { pointer: '/inputs/commendations', value: 2, reason: '另有一次表扬' },
      { pointer: '/targets/performance/0/weight', value: '10', reason: '调权重' },
      { pointer: '/targetResults/rd-1/actual', value: '25', reason: '更正' },
      { pointer: '/targetResults/rd-4/ruling', value: 'met', reason: '定性' },
      { pointer: '/inputs/budgetPreparation', value: {}, reason: '整项' },
      { pointer: '/inputs/noSuchInput', value: true, reason: '无' },
      { pointer: '/targetResults/no-such-target/tier', value: 'partial', reason: '无' },
      { pointer: 'inputs/assetSystems', value: true, reason: '无斜杠' },
      { pointer: PRE_ASSESSMENT, value: true, reason: '' },
      { pointer: PRE_ASSESSMENT, value: true, reason: '   ' },
      { pointer: PRE_ASSESSMENT, value: true },
      { pointer: PRE_ASSESSMENT, reason: '缺值' },
      'not an adjustment',
    ] as unknown as Adjustment[];
    const error = await scoreWithAdjustments(ruleSet, seed(), adjustments).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScoringError);
    const { code, problems } = error as ScoringError;
    expect(code).toBe(ScoringErrorCode.INVALID_ADJUSTMENT);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/adjustments/0/pointer',
      '/adjustments/1/pointer',
      '/adjustments/2/pointer',
      '/adjustments/3/pointer',
      '/adjustments/4/pointer',
      '/adjustments/5/pointer',
      '/adjustments/6/pointer',
      '/adjustments/7/pointer',
      '/adjustments/8/pointer',
      '/adjustments/9/pointer',
      '/adjustments/10/reason',
      '/adjustments/11/reason',
      '/adjustments/12/reason',
      '/adjustments/13/value',
      '/adjustments/14',
    ]);
    expect(problems[0].message.en).toContain('is a submitted figure, not a judgment');
    expect(problems[0].message.zh).toContain('是部门填报的数据，不是评议值，不能复核');
    expect(problems[4].message.en).toContain('/targetResults/rd-1/ruling');
    expect(problems[5].message.en).toContain('is qualitative');
    expect(problems[5].message.zh).toContain('是定性指标');
    expect(problems[6].message.en).toContain('its points are staffData, onTime, preAssessment');
    expect(problems[6].message.zh).toContain('要点有 staffData、onTime、preAssessment');
    expect(problems[7].message).toEqual({
      zh: '“noSuchInput”不是规则集 guangzhou-department-overall@2021.1.0 的填报项',
      en: '"noSuchInput" is not an input of guangzhou-department-overall@2021.1.0',
    });
    expect(problems[10].message).toEqual({ zh: '必填：复核理由', en: 'a reason (复核理由) is required' });
  });

  it.each<[string, Adjustment, string, string]>([
    [
      'a judged score outside its tier',
      { pointer: '/inputs/resultApplication/tier', value: 'partial', reason: '部分达成' },
      '/inputs/resultApplication/score',
      '部分达成 scores between 1.2 and 1.6',
    ],
    [
      'a qualitative score outside its tier',
      { pointer: '/targetResults/rd-4/score', value: '1.5', reason: '扣分' },
      '/targetResults/rd-4/score',
      '达成 scores between 1.6 and 2',
    ],
    [
      'a checklist point that is not true or false',
      { pointer: PRE_ASSESSMENT, value: 'yes', reason: '复核' },
      PRE_ASSESSMENT,
      'must be true/false or { "met": true/false, "evidence" }',
    ],
    [
      'a ruling that is neither met nor unmet',
      { pointer: '/targetResults/rd-1/ruling', value: 'partly', reason: '复核' },
      '/targetResults/rd-1/ruling',
      'must be "met" or "unmet"',
    ],
  ])(
    'refuses %s like any submission problem, pointing into the submission',
    async (_what, adjustment, pointer, message) => {
      await expect(scoreWithAdjustments(ruleSet, seed(), [adjustment])).rejects.toMatchObject({
        code: ScoringErrorCode.INVALID_SUBMISSION,
        problems: [{ pointer, message: { en: message } }],
      });
    },
  );

  it('refuses a ruling on a qualitative result submitted directly', async () => {
    const submission = seed();
    submission.targetResults['rd-4'].ruling = 'met';
    await expect(scoreWithAdjustments(ruleSet, submission, [])).rejects.toMatchObject({
      code: ScoringErrorCode.INVALID_SUBMISSION,
      problems: [
        {
          pointer: '/targetResults/rd-4/ruling',
          message: { zh: expect.stringContaining('只有定量指标'), en: expect.stringContaining('only a quantitative') },
        },
      ],
    });
  });
});
