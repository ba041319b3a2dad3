import {
  type DeclaredNode,
  type IndicatorNode,
  type InputSpec,
  type LeafNode,
  type RoundingPolicy,
  type RuleSet,
  type TierSpec,
  toRuleSet,
} from '@jiping/rules';
import { D } from '../decimal';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { inEnglish } from '../../../../test/support/load';

// Minimal rule sets: one section of a few leaves (or one declared-target section), built here and validated by
// toRuleSet, so every case runs through the real validator, compiler, json-rules-engine and scorer.

const TIERS: TierSpec[] = [
  { code: 'achieved', label: '达成', min: '0.8', max: '1' },
  { code: 'partial', label: '部分达成', min: '0.6', max: '0.8' },
  { code: 'unachieved', label: '未达成', min: '0', max: '0.6' },
];

const money = (id: string): InputSpec => ({ id, label: id, type: 'money', unit: '万元' });
const ratio = (code: string, weight: string, method: LeafNode['method'], extra: Partial<LeafNode> = {}): LeafNode => ({
  code,
  name: code,
  weight,
  metric: { formula: 'actual / planned', unit: 'percent' },
  method,
  ...extra,
});

function ruleSetOf(indicators: IndicatorNode[], inputs: InputSpec[], rounding: Partial<RoundingPolicy> = {}): RuleSet {
  const total = indicators.reduce((sum, node) => sum.add(node.weight), new D(0)).toFixed();
  return toRuleSet({
    formatVersion: '1',
    id: 'method-test',
    version: '1.0.0',
    title: '计分方法测试',
    jurisdiction: '测试',
    kind: 'department-overall',
    fiscalYear: 2021,
    source: 'methods.spec.ts',
    total,
    rounding: { mode: 'half-up', scorePlaces: 2, totalPlaces: 2, ratePlaces: 2, ...rounding },
    grades: [{ code: 'any', label: '任意', min: '0' }],
    inputs,
    indicators,
    tests: [],
  });
}

/** One section holding the given leaves; its weight is their sum. */
function sectionOf(...leaves: LeafNode[]): IndicatorNode {
  const weight = leaves.reduce((sum, leaf) => sum.add(leaf.weight), new D(0)).toFixed();
  return { code: 'section', name: '测试', weight, children: leaves };
}

const submission = (inputs: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  formatVersion: '1',
  department: { code: 'test-dept', name: '测试单位' },
  fiscalYear: 2021,
  inputs,
  ...extra,
});

function nodeOf(report: ScoreReport, code: string): NodeReport {
  const walk = (nodes: NodeReport[]): NodeReport | undefined => {
    for (const node of nodes) {
      const found = node.code === code ? node : walk(node.children ?? []);
      if (found) return found;
    }
    return undefined;
  };
  const node = walk(report.sections);
  if (!node) throw new Error(`no node ${code} in the report`);
  return node;
}

async function scoringError(ruleSet: RuleSet, value: unknown): Promise<ScoringError> {
  const error = await scoreSubmission(ruleSet, value).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScoringError)) throw new Error(`expected a ScoringError, got ${String(error)}`);
  return error;
}

describe(scoreSubmission.name, () => {
  describe('proportional', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf(
          ratio('procurement', '2', { type: 'proportional', cap: '100' }),
          ratio('capped-90', '2', { type: 'proportional', cap: '90' }),
        ),
      ],
      [money('actual'), money('planned')],
    );

    it.each([
      // actual, planned, metric, score at cap 100, score at cap 90
      ['8447.57', '10000', '84.48', '1.69', '1.69'], // 84.4757 % is shown and scored as 84.48 %
      ['1388.29', '1643.42', '84.48', '1.69', '1.69'], // the seed's 政府采购执行率
      ['8447.49', '10000', '84.47', '1.69', '1.69'], // 84.4749 % → 84.47 %; 2 × 84.47 % = 1.6894
      ['10000', '10000', '100.00', '2.00', '1.80'],
      ['12000', '10000', '120.00', '2.00', '1.80'], // over-execution earns nothing beyond the cap
      ['9500', '10000', '95.00', '1.90', '1.80'],
      ['0', '10000', '0.00', '0.00', '0.00'],
    ])('scores %s/%s as metric %s → %s (cap 90 → %s)', async (actual, planned, metric, score, capped) => {
      const report = await scoreSubmission(ruleSet, submission({ actual, planned }));

      expect(nodeOf(report, 'procurement')).toMatchObject({ score, metric: { shown: `${metric}%` } });
      expect(nodeOf(report, 'capped-90').score).toBe(capped);
    });

    it('multiplies the rounded metric by the weight in the 评分依据', async () => {
      const report = await scoreSubmission(ruleSet, submission({ actual: '8447.57', planned: '10000' }));

      expect(nodeOf(report, 'procurement')).toMatchObject({
        metric: { computed: '84.4757', shown: '84.48%' },
        calc: '84.48%×2=1.69',
        decision: { rule: 'proportional' },
      });
    });

    it('refuses a zero denominator as an undefined metric naming the inputs', async () => {
      const error = await scoringError(ruleSet, submission({ actual: '10', planned: '0' }));

      expect(error.code).toBe(ScoringErrorCode.METRIC_UNDEFINED);
      expect(error.problems.map((p) => p.pointer)).toEqual(['/inputs/actual', '/inputs/planned']);
    });
  });

  describe('deduction', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf(
          {
            code: 'completion',
            name: '预算完成率',
            weight: '2',
            metric: { formula: 'progress', unit: 'percent' },
            method: { type: 'deduction', reference: '100', direction: 'below', perUnit: '0.2' },
            places: 4,
          },
          ratio('public-expense', '2', { type: 'deduction', reference: '100', direction: 'above', perUnit: '0.2' }),
        ),
      ],
      [{ id: 'progress', label: '支出进度', type: 'percent' }, money('actual'), money('planned')],
    );

    it.each([
      ['99.66', '1.9320'], // domain.md §3: 2 − (100 − 99.66) × 0.2
      ['100', '2.0000'], // exactly at the reference
      ['100.50', '2.0000'], // above the reference is not the bad direction
      ['95', '1.0000'],
      ['90.01', '0.0020'],
      ['90', '0.0000'], // deducted exactly to 0
      ['40', '0.0000'], // far below: never negative
    ])('scores 支出进度 %s %% below the reference as %s (4 places)', async (progress, score) => {
      const report = await scoreSubmission(ruleSet, submission({ progress, actual: '1', planned: '1' }));

      expect(nodeOf(report, 'completion').score).toBe(score);
    });

    it.each([
      ['10500', '1.00'], // 105 %: 5 pp over at 0.2 per pp
      ['10000', '2.00'], // exactly at the reference
      ['9752', '2.00'], // under the reference is not the bad direction
      ['10001', '2.00'], // 100.01 % → 2 − 0.002 = 1.998 → 2.00
      ['10250', '1.50'],
      ['20000', '0.00'], // far above: never negative
    ])('scores an actual of %s against 10000 above the reference as %s', async (actual, score) => {
      const report = await scoreSubmission(ruleSet, submission({ progress: '100', actual, planned: '10000' }));

      expect(nodeOf(report, 'public-expense').score).toBe(score);
    });

    it('shows the deduction in the calc', async () => {
      const report = await scoreSubmission(ruleSet, submission({ progress: '99.66', actual: '1', planned: '1' }));

      expect(nodeOf(report, 'completion')).toMatchObject({
        calc: '2-(100-99.66)×0.2=1.9320',
        decision: { rule: 'deduction:deducted' },
      });
    });
  });

  describe('bands', () => {
    const gte = (value: string) => ({ fact: 'metric', operator: 'decimalGreaterThanInclusive', value });
    const lt = (value: string) => ({ fact: 'metric', operator: 'decimalLessThan', value });
    const gt = (value: string) => ({ fact: 'metric', operator: 'decimalGreaterThan', value });
    const lte = (value: string) => ({ fact: 'metric', operator: 'decimalLessThanInclusive', value });
    const ruleSet = ruleSetOf(
      [
        sectionOf(
          ratio('utilization', '2', {
            type: 'bands',
            monotone: 'increasing',
            bands: [
              { when: { all: [gte('90')] }, score: '2' },
              { when: { all: [gte('80'), lt('90')] }, score: '1.5' },
              { when: { all: [gte('70'), lt('80')] }, score: '1' },
              { when: { all: [lt('70')] }, fraction: '0' },
            ],
          }),
          {
            code: 'variance',
            name: '差异率',
            weight: '2',
            metric: { formula: '(actual - planned) / planned', unit: 'percent' },
            method: {
              type: 'bands',
              of: 'abs',
              monotone: 'decreasing',
              bands: [
                { when: { all: [lte('5')] }, score: '2' },
                { when: { all: [gt('5'), lte('10')] }, fraction: '0.75' },
                { when: { all: [gt('10'), lte('20')] }, score: '1' },
                { when: { all: [gt('20')] }, score: '0' },
              ],
            },
          },
        ),
      ],
      [money('actual'), money('planned')],
    );

    it.each([
      // actual against 10000, metric, score of 利用率 (≥90 → 2; [80, 90) → 1.5; [70, 80) → 1; <70 → 0)
      ['9000', '90.00', '2.00', 'utilization#band-1'], // 90 is closed on the top band
      ['8999', '89.99', '1.50', 'utilization#band-2'],
      ['8000', '80.00', '1.50', 'utilization#band-2'], // 80 is closed on [80, 90)
      ['7999.5', '80.00', '1.50', 'utilization#band-2'], // 79.995 % is rounded to 80.00 % before banding
      ['7999.4', '79.99', '1.00', 'utilization#band-3'],
      ['7000', '70.00', '1.00', 'utilization#band-3'],
      ['6999', '69.99', '0.00', 'utilization#band-4'],
      ['0', '0.00', '0.00', 'utilization#band-4'],
      ['15000', '150.00', '2.00', 'utilization#band-1'],
    ])('bands an actual of %s (metric %s) to %s by %s', async (actual, metric, score, rule) => {
      const report = await scoreSubmission(ruleSet, submission({ actual, planned: '10000' }));

      expect(nodeOf(report, 'utilization')).toMatchObject({
        score,
        metric: { shown: `${metric}%` },
        decision: { rule },
      });
      expect(report.trace.fired).toContain(rule);
    });

    it.each([
      // actual against 10000 → variance, score on abs (≤5 → 2; (5, 10] → 0.75 × 2; (10, 20] → 1; >20 → 0)
      ['9500', '-5.00', '2.00'], // |−5| is closed on ≤5
      ['10500', '5.00', '2.00'],
      ['9499', '-5.01', '1.50'],
      ['9000', '-10.00', '1.50'],
      ['8856', '-11.44', '1.00'], // the seed's 财政拨款收入预决算差异率, negative
      ['11144', '11.44', '1.00'],
      ['8000', '-20.00', '1.00'],
      ['7999', '-20.01', '0.00'],
      ['0', '-100.00', '0.00'],
    ])('bands an actual of %s (variance %s %%) on its absolute value to %s', async (actual, variance, score) => {
      const report = await scoreSubmission(ruleSet, submission({ actual, planned: '10000' }));

      expect(nodeOf(report, 'variance')).toMatchObject({ score, metric: { shown: `${variance}%` } });
    });

    it('says which band decided in the 评分依据', async () => {
      const report = await scoreSubmission(ruleSet, submission({ actual: '8430', planned: '10000' }));

      expect(nodeOf(report, 'utilization').calc).toBe('84.30%在80%（含）-90%区间，得1.50分');
    });
  });

  describe('target', () => {
    const declaredRuleSet = (weight: string): RuleSet =>
      ruleSetOf(
        [
          {
            code: 'performance',
            name: '履职效能',
            weight,
            declared: { method: 'target', levels: 1, comparators: ['>=', '<=', '=', 'range'], qualitativeTiers: TIERS },
          } satisfies DeclaredNode,
        ],
        [],
      );
    const quantitative = (weight: string, comparator: string, target: string, actual: string, targetMax?: string) =>
      submission(
        {},
        {
          targets: {
            performance: [
              {
                code: 'kpi-1',
                name: '关键指标',
                weight,
                kind: 'quantitative',
                comparator,
                target,
                targetMax,
                unit: '个',
              },
            ],
          },
          targetResults: { 'kpi-1': { actual } },
        },
      );

    it.each([
      // weight, comparator, target, targetMax, actual → score, met
      ['3', '>=', '20', undefined, '21', '3.00', true], // the seed's rd-1: 21 ≥ 20
      ['3', '>=', '20', undefined, '20', '3.00', true],
      ['3', '>=', '20', undefined, '40', '3.00', true], // over-achievement earns no bonus
      ['3', '>=', '24', undefined, '5', '0.63', false], // domain.md §5: 3 × 5 / 24 = 0.625 exactly → 0.63
      ['2', '>=', '120', undefined, '100', '1.67', false],
      ['3', '>=', '20', undefined, '0', '0.00', false],
      ['3', '<=', '10', undefined, '8', '3.00', true],
      ['3', '<=', '10', undefined, '10', '3.00', true],
      ['3', '<=', '10', undefined, '12', '2.50', false], // reverse: 3 × 10 / 12
      ['3', '<=', '8', undefined, '12.8', '1.88', false], // 3 × 8 / 12.8 = 1.875 → 1.88
      ['3', '=', '100', undefined, '100', '3.00', true],
      ['3', '=', '100', undefined, '80', '2.40', false], // below: 3 × 80 / 100
      ['3', '=', '100', undefined, '125', '2.40', false], // above: 3 × 100 / 125
      ['3', 'range', '70', '80', '70', '3.00', true],
      ['3', 'range', '70', '80', '80', '3.00', true],
      ['3', 'range', '70', '80', '75', '3.00', true],
      ['3', 'range', '70', '80', '60', '2.57', false], // below: 3 × 60 / 70
      ['3', 'range', '70', '80', '90', '2.67', false], // above: 3 × 80 / 90
    ])(
      'scores w %s, %s %s (max %s), actual %s as %s (met %s)',
      async (weight, comparator, target, targetMax, actual, score, met) => {
        const report = await scoreSubmission(
          declaredRuleSet(weight),
          quantitative(weight, comparator, target, actual, targetMax),
        );

        expect(nodeOf(report, 'kpi-1')).toMatchObject({
          score,
          target: { met },
          decision: { rule: met ? 'target:met' : 'target:unmet' },
        });
      },
    );

    it('multiplies before dividing (5/24 × 3 at 20 digits would round to 0.62)', async () => {
      // The mistake domain.md §5 warns about, reproduced with decimal.js' default precision.
      expect(new D(5).div(24).toSignificantDigits(20).mul(3).toFixed(2)).toBe('0.62');

      const report = await scoreSubmission(declaredRuleSet('3'), quantitative('3', '>=', '24', '5'));

      expect(nodeOf(report, 'kpi-1')).toMatchObject({ score: '0.63', calc: expect.stringContaining('3×5/24=0.63') });
    });

    const qualitative = (tier: string, score: string) =>
      submission(
        {},
        {
          targets: {
            performance: [{ code: 'kpi-1', name: '定性指标', weight: '2', kind: 'qualitative', target: '完成建设' }],
          },
          targetResults: { 'kpi-1': { tier, score, reason: '自评' } },
        },
      );

    it.each([
      // tier, self-score (weight 2) → met
      ['achieved', '2', true],
      ['achieved', '1.6', true], // 达成 starts at 80 % of 2
      ['partial', '1.6', false], // and 部分达成 ends there
      ['partial', '1.2', false],
      ['unachieved', '1.2', false],
      ['unachieved', '0', false],
    ])('accepts a %s self-score of %s at its tier bound (met %s)', async (tier, score, met) => {
      const report = await scoreSubmission(declaredRuleSet('2'), qualitative(tier, score));

      expect(nodeOf(report, 'kpi-1')).toMatchObject({ score: new D(score).toFixed(2), target: { met, tier } });
    });

    it.each([
      ['achieved', '1.59', '达成 scores between 1.6 and 2'],
      ['partial', '1.61', '部分达成 scores between 1.2 and 1.6'],
      ['unachieved', '1.21', '未达成 scores between 0 and 1.2'],
      ['achieved', '2.01', 'must lie in [0, 2]'],
    ])('rejects a %s self-score of %s outside its tier', async (tier, score, message) => {
      const error = await scoringError(declaredRuleSet('2'), qualitative(tier, score));

      expect(error.code).toBe(ScoringErrorCode.INVALID_SUBMISSION);
      expect(inEnglish(error.problems)).toEqual([{ pointer: '/targetResults/kpi-1/score', message }]);
    });
  });

  describe('checklist', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf({
          code: 'special-funds',
          name: '专项资金管理情况',
          weight: '2',
          method: { type: 'checklist', input: 'funds' },
        }),
      ],
      [
        {
          id: 'funds',
          label: '专项资金管理情况',
          type: 'checklist',
          points: [
            { id: 'withinTerm', label: '在规定期限内', points: '1' },
            { id: 'disclosed', label: '信息公开', points: '0.5' },
            { id: 'valid', label: '办法有效', points: '0.5' },
          ],
        },
      ],
    );

    it.each([
      [{ withinTerm: true, disclosed: true, valid: true }, '2.00'],
      [{ withinTerm: true, disclosed: false, valid: true }, '1.50'],
      [{ withinTerm: false, disclosed: true, valid: true }, '1.00'],
      [{ withinTerm: { met: true, evidence: '见附件' }, disclosed: { met: false }, valid: false }, '1.00'],
      [{ withinTerm: false, disclosed: false, valid: false }, '0.00'],
    ])('scores the points met in %j as %s', async (funds, score) => {
      const report = await scoreSubmission(ruleSet, submission({ funds }));

      expect(nodeOf(report, 'special-funds').score).toBe(score);
    });
  });

  describe('boolean', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf({
          code: 'asset-systems',
          name: '资产管理制度健全性',
          weight: '1',
          method: { type: 'boolean', input: 'systems' },
        }),
      ],
      [{ id: 'systems', label: '资产管理制度健全', type: 'boolean' }],
    );

    it.each([
      [true, '1.00', 'full'],
      [false, '0.00', 'zero'],
    ])('scores %s as %s', async (systems, score, status) => {
      const report = await scoreSubmission(ruleSet, submission({ systems }));

      expect(nodeOf(report, 'asset-systems')).toMatchObject({ score, status });
    });
  });

  describe('judgment', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf(
          {
            code: 'tiered',
            name: '绩效结果应用',
            weight: '2',
            method: { type: 'judgment', input: 'application', tiers: TIERS },
          },
          { code: 'free', name: '自由评议', weight: '3', method: { type: 'judgment', input: 'free' } },
        ),
      ],
      [
        { id: 'application', label: '绩效结果应用', type: 'judgment' },
        { id: 'free', label: '自由评议', type: 'judgment' },
      ],
    );
    const judged = (
      application: Record<string, unknown>,
      free: Record<string, unknown> = { score: '3', reason: '好' },
    ) => submission({ application, free });

    it.each([
      ['achieved', '2', '2.00'],
      ['achieved', '1.6', '1.60'],
      ['partial', '1.25', '1.25'],
      ['unachieved', '0', '0.00'],
    ])('scores a %s judgment of %s as %s', async (tier, score, expected) => {
      const report = await scoreSubmission(ruleSet, judged({ score, tier, reason: '已整改' }));

      expect(nodeOf(report, 'tiered')).toMatchObject({ score: expected, decision: { rule: `judgment:${tier}` } });
    });

    it('scores an untiered judgment anywhere in [0, w]', async () => {
      const report = await scoreSubmission(
        ruleSet,
        judged({ score: '2', tier: 'achieved', reason: '好' }, { score: '0.125', reason: '一般' }),
      );

      expect(nodeOf(report, 'free').score).toBe('0.13');
    });

    it.each([
      [
        { score: '1.5', tier: 'achieved', reason: '已整改' },
        '/inputs/application/score',
        '达成 scores between 1.6 and 2',
      ],
      [
        { score: '1.7', tier: 'partial', reason: '已整改' },
        '/inputs/application/score',
        '部分达成 scores between 1.2 and 1.6',
      ],
      [{ score: '2.5', tier: 'achieved', reason: '已整改' }, '/inputs/application/score', 'must lie in [0, 2]'],
      [{ score: '2', tier: 'excellent', reason: '已整改' }, '/inputs/application/tier', 'must be one of'],
      [{ score: '2', reason: '已整改' }, '/inputs/application/tier', 'must be one of'],
      [{ score: '2', tier: 'achieved' }, '/inputs/application/reason', 'a non-empty string is required'],
      [{ score: '2', tier: 'achieved', reason: '  ' }, '/inputs/application/reason', 'a non-empty string is required'],
    ])('rejects the judgment %j at %s', async (application, pointer, message) => {
      const error = await scoringError(ruleSet, judged(application));

      expect(error.code).toBe(ScoringErrorCode.INVALID_SUBMISSION);
      expect(inEnglish(error.problems)).toEqual([{ pointer, message: expect.stringContaining(message) }]);
    });

    it('rejects an untiered judgment above its weight', async () => {
      const error = await scoringError(
        ruleSet,
        judged({ score: '2', tier: 'achieved', reason: '好' }, { score: '3.5', reason: '好' }),
      );

      expect(error.problems).toEqual([
        {
          pointer: '/inputs/free/score',
          message: { zh: '分数应在 0 到 3 之间', en: 'must lie in [0, 3]' },
          path: '填报项「自由评议」',
        },
      ]);
    });
  });

  describe('count-adjust', () => {
    const ruleSet = ruleSetOf(
      [
        sectionOf({
          code: 'commendation-criticism',
          name: '工作受表彰或批评',
          weight: '5',
          method: {
            type: 'count-adjust',
            positive: { input: 'commendations', each: '2.5', cap: '5' },
            negative: { input: 'violations', each: '2.5', cap: '5' },
          },
          places: 1,
        }),
      ],
      [
        { id: 'commendations', label: '表扬', type: 'count', unit: '次' },
        { id: 'violations', label: '批评', type: 'count', unit: '次' },
      ],
    );

    it.each([
      [0, 0, '0.0', 'neutral'],
      [1, 0, '2.5', 'bonus'], // the seed
      [2, 0, '5.0', 'bonus'],
      [3, 0, '5.0', 'bonus'], // capped at +5
      [0, 1, '-2.5', 'penalty'],
      [0, 3, '-5.0', 'penalty'], // capped at −5
      [1, 1, '0.0', 'neutral'],
      [3, 1, '2.5', 'bonus'], // the cap applies before netting
      [4, 4, '0.0', 'neutral'],
    ])('scores %i commendation(s) and %i violation(s) as %s', async (commendations, violations, score, status) => {
      const report = await scoreSubmission(ruleSet, submission({ commendations, violations }));

      expect(nodeOf(report, 'commendation-criticism')).toMatchObject({ score, status });
      expect(report.total).toBe(new D(score).toFixed(2));
    });
  });

  describe('rounding modes', () => {
    const ruleSetIn = (mode: RoundingPolicy['mode'], weight: string): RuleSet =>
      ruleSetOf([sectionOf(ratio('rate', weight, { type: 'proportional' }))], [money('actual'), money('planned')], {
        mode,
      });

    it.each([
      // mode, weight, actual (of 10000), metric, score
      ['half-up', '1', '1250', '12.50', '0.13'],
      ['half-even', '1', '1250', '12.50', '0.12'],
      ['truncate', '1', '1250', '12.50', '0.12'],
      ['half-up', '1', '1350', '13.50', '0.14'],
      ['half-even', '1', '1350', '13.50', '0.14'],
      ['truncate', '1', '1350', '13.50', '0.13'],
      ['half-up', '1', '1248.5', '12.49', '0.12'], // the metric too is rounded in the rule set's mode
      ['half-even', '1', '1248.5', '12.48', '0.12'],
      ['half-even', '1', '1249.5', '12.50', '0.12'],
      ['truncate', '1', '1249.9', '12.49', '0.12'],
      ['half-up', '2', '8447.57', '84.48', '1.69'],
      ['truncate', '2', '8447.57', '84.47', '1.68'], // 84.4757 → 84.47; 2 × 84.47 % = 1.6894 → 1.68
    ] as const)('rounds %s: w %s, actual %s → metric %s → %s', async (mode, weight, actual, metric, score) => {
      const report = await scoreSubmission(ruleSetIn(mode, weight), submission({ actual, planned: '10000' }));

      expect(nodeOf(report, 'rate')).toMatchObject({ score, metric: { shown: `${metric}%` } });
    });
  });

  describe("precision set by the bureau: a leaf's places, a declared section's places, and the rounding step", () => {
    const leafIn = (places: number, mode: RoundingPolicy['mode'] = 'half-up'): RuleSet =>
      ruleSetOf(
        [sectionOf(ratio('rate', '10', { type: 'proportional' }, { places }))],
        [money('actual'), money('planned')],
        { mode, totalPlaces: 2 },
      );

    it.each([
      // places, mode, actual (of 4320), calc — the computation is written with 2 decimals, the step when it rounds
      [0, 'half-up', '3724', '86.20%×10=8.62，取整得9分'], // 廊坊 2019: 86.2037…% → 86.20 %; × 10 = 8.62 → 9
      [0, 'truncate', '3724', '86.20%×10=8.62，取整得8分'],
      [1, 'half-up', '3724', '86.20%×10=8.62，保留1位小数得8.6分'],
      [2, 'half-up', '3724', '86.20%×10=8.62'], // 2 places: the score is the computation
      [0, 'half-up', '4320', '100.00%×10=10'], // rounding changes nothing: no step
      [0, 'half-up', '2160', '50.00%×10=5'],
      [0, 'half-up', '3650.4', '84.50%×10=8.45，取整得8分'],
      [0, 'half-up', '3672', '85.00%×10=8.5，取整得9分'], // a value with fewer decimals is written as it is
      [1, 'half-even', '3672', '85.00%×10=8.5'],
    ] as const)('places %s (%s), actual %s: %s', async (places, mode, actual, calc) => {
      const report = await scoreSubmission(leafIn(places, mode), submission({ actual, planned: '4320' }));

      expect(nodeOf(report, 'rate').calc).toBe(calc);
    });

    it('writes more decimals where 2 would round to another score than the value does (8.496 → 8, not 8.50 → 8)', async () => {
      // 10 × 84.96 % = 8.496: at 2 decimals 8.50, which would read as 9; the value itself gives 8
      const report = await scoreSubmission(leafIn(0), submission({ actual: '8496', planned: '10000' }));

      expect(nodeOf(report, 'rate')).toMatchObject({ score: '8', calc: '84.96%×10=8.496，取整得8分' });
    });

    const declaredIn = (places: number | undefined): RuleSet =>
      ruleSetOf(
        [
          {
            code: 'output',
            name: '产出指标',
            weight: '10',
            declared: {
              method: 'target',
              levels: 1,
              comparators: ['>='],
              qualitativeTiers: TIERS,
              ...(places === undefined ? {} : { places }),
            },
          } satisfies DeclaredNode,
        ],
        [],
      );
    const funds = (actual: string) =>
      submission(
        {},
        {
          targets: {
            output: [
              {
                code: 'funds',
                name: '工程资金金额',
                weight: '10',
                kind: 'quantitative',
                comparator: '>=',
                target: '43.2',
                unit: '万元',
              },
            ],
          },
          targetResults: { funds: { actual } },
        },
      );

    it.each([
      // places, actual → score, calc: 10 × 37.24 / 43.2 = 8.6203…
      [undefined, '37.24', '8.62', '10×37.24/43.2=8.62'],
      [0, '37.24', '9', '10×37.24/43.2=8.62，取整得9分'],
      [1, '37.24', '8.6', '10×37.24/43.2=8.62，保留1位小数得8.6分'],
      [0, '43.2', '10', '得10分'],
    ] as const)(
      'a declared section with places %s rounds its targets: actual %s → %s',
      async (places, actual, score, calc) => {
        const report = await scoreSubmission(declaredIn(places), funds(actual));

        expect(nodeOf(report, 'funds')).toMatchObject({ score, calc: expect.stringContaining(calc) });
        expect(nodeOf(report, 'output').score).toBe(score);
      },
    );
  });
});
