import { type GradeRuleSpec, inLang, type RuleFile, rulePathOf, toRuleSet, validateRuleFile } from '@jiping/rules';
import {
  checkRuleFile,
  compareReports,
  impactFrameOf,
  ImpactSummary,
  scoreSubmission,
  scoreSubmissionSummary,
  scoreSubmissionSync,
} from '@jiping/scoring';
import { GZ_2021, readJson, SEED_SUBMISSION } from '../support/load';

/**
 * 一票否决 and caps of the rule set (RuleFile.vetoes) on the real 2021 table of 广州市科学技术局 (94.622 优):
 * 管理效能 42.122 + 履职效能 50 + 加减分 2.5 (1 commendation × 2.5, no violation).
 * Figures of the seed used below (shared/fixtures/gz-kjj-2021/expected.json):
 *   政府采购执行率 1388.29 / 1643.42 = 84.4757…% → 84.48 %, scored 1.69;
 *   资产管理 = 资产管理制度健全性 1 + 资产账务核对情况 1 + 固定资产利用率 1.50 = 3.50 (of 4);
 *   履职效能: 21 targets declared, 21 met.
 */
const gz = (): RuleFile => readJson(GZ_2021) as RuleFile;
const seed = (): Record<string, unknown> & { inputs: Record<string, unknown> } =>
  readJson(SEED_SUBMISSION) as Record<string, unknown> & { inputs: Record<string, unknown> };
const withVetoes = (vetoes: GradeRuleSpec[]): RuleFile => ({ ...gz(), version: '2021.9.0', vetoes });

const MAJOR_VIOLATION: GradeRuleSpec = {
  code: 'major-violation',
  name: '一票否决：通报批评',
  when: { all: [{ fact: 'violations', operator: 'decimalGreaterThanInclusive', value: '3' }] },
  setGrade: 'poor',
  reason: '本年度被通报批评3次及以上',
};
const PROCUREMENT_CAP: GradeRuleSpec = {
  code: 'procurement-below-85',
  when: { all: [{ fact: 'metric:procurement-execution-rate', operator: 'decimalLessThan', value: '85' }] },
  maxGrade: 'good',
  reason: '政府采购执行率低于85%',
};
const ASSET_CAP: GradeRuleSpec = {
  code: 'asset-management-short',
  name: '总分封顶：资产管理',
  when: { all: [{ fact: 'score:asset-management', operator: 'decimalLessThan', value: '4' }] },
  maxTotal: '90',
  reason: '资产管理未得满分',
};

describe('一票否决 and caps of the grade and the total (rules.vetoes)', () => {
  it('leaves the seed at 94.622 优 when no veto holds, and traces the rule that did not fire', async () => {
    const report = await scoreSubmission(toRuleSet(withVetoes([MAJOR_VIOLATION])), seed());
    expect(report).toMatchObject({ total: '94.622', grade: '优', gradeCode: 'excellent' });
    expect(report.vetoes).toBeUndefined();
    expect(report.beforeVetoes).toBeUndefined();
    expect(report.trace.notFired).toContain('vetoes#major-violation');
  });

  // 3 violations: count-adjust +2.5 (1 commendation) − min(3 × 2.5, 5) = 2.5 − 5 = −2.5;
  // total 42.122 + 50 − 2.5 = 89.622 → 良 by the total; the veto sets 差.
  it('sets the grade: 3 violations → 89.622, 良 by the total, 差 by the veto', async () => {
    const submission = seed();
    submission.inputs.violations = 3;
    const ruleSet = toRuleSet(withVetoes([MAJOR_VIOLATION]));
    for (const engine of ['compiled', 'json-rules-engine'] as const) {
      const report = await scoreSubmission(ruleSet, submission, { engine });
      expect(report).toMatchObject({ total: '89.622', grade: '差', gradeCode: 'poor' });
      expect(report.beforeVetoes).toEqual({ total: '89.622', grade: '良', gradeCode: 'good' });
      expect(report.vetoes).toEqual([
        {
          code: 'major-violation',
          name: '一票否决：通报批评',
          effect: 'set-grade',
          reason: '本年度被通报批评3次及以上',
          grade: '差',
          gradeCode: 'poor',
          changed: true,
          text: '一票否决：通报批评：本年度被通报批评3次及以上，等次定为差（按总分为良）',
        },
      ]);
      expect(report.trace.fired).toContain('vetoes#major-violation');
    }
    expect(scoreSubmissionSummary(ruleSet, submission)).toMatchObject({
      total: '89.622',
      grade: '差',
      vetoes: ['major-violation'],
    });
  });

  // 84.48 % < 85 %: at most 良. 资产管理 3.50 < 4: the total at most 90 → 90.000 (优 by 90 ≥ 90), then 良.
  it('caps the total and the grade: 94.622 → 90.000, 优 → 良', () => {
    const report = scoreSubmissionSync(toRuleSet(withVetoes([PROCUREMENT_CAP, ASSET_CAP])), seed());
    expect(report).toMatchObject({ total: '90.000', grade: '良', gradeCode: 'good' });
    expect(report.beforeVetoes).toEqual({ total: '94.622', grade: '优', gradeCode: 'excellent' });
    expect(report.vetoes!.map((v) => v.text)).toEqual([
      '等次上限：政府采购执行率低于85%，等次最高为良，由优调整为良',
      '总分封顶：资产管理：资产管理未得满分，总分最高为90.000分，由94.622分调整为90.000分',
    ]);
    // the indicators keep their own scores: the cap is on the total only
    expect(report.sections.map((s) => s.score)).toEqual(['42.122', '50.00', '2.5']);
  });

  // A cap above the total (95 > 94.622) and a grade cap at the grade the total already has (优) change nothing,
  // and say so.
  it('says when a veto that held changed nothing', () => {
    const report = scoreSubmissionSync(
      toRuleSet(
        withVetoes([
          { ...ASSET_CAP, code: 'cap-95', name: undefined, maxTotal: '95' },
          { ...PROCUREMENT_CAP, code: 'at-most-excellent', maxGrade: 'excellent' },
        ]),
      ),
      seed(),
    );
    expect(report).toMatchObject({ total: '94.622', grade: '优' });
    expect(report.vetoes!.map((v) => [v.changed, v.text])).toEqual([
      [false, '总分封顶：资产管理未得满分，总分最高为95.000分（总分94.622分，不受影响）'],
      [false, '等次上限：政府采购执行率低于85%，等次最高为优（按总分为优，不受影响）'],
    ]);
  });

  // status, counts of targets and the total as facts: 绩效结果应用 is full (2 of 2), 21 of 21 targets met, 94.622 ≥ 90.
  it('reads statuses, target counts and the total', () => {
    const report = scoreSubmissionSync(
      toRuleSet(
        withVetoes([
          {
            code: 'all-facts',
            when: {
              all: [
                { fact: 'status:result-application', operator: 'equal', value: 'full' },
                { fact: 'targetsMet:performance', operator: 'decimalEqual', value: '21' },
                { fact: 'targetsDeclared:performance', operator: 'decimalEqual', value: '21' },
                { fact: 'total', operator: 'decimalGreaterThanInclusive', value: '94.622' },
              ],
            },
            maxGrade: 'fair',
            reason: '演示',
          },
        ]),
      ),
      seed(),
    );
    expect(report).toMatchObject({ total: '94.622', grade: '中' });
  });

  it('carries the grade after the veto into what-if and into the impact transition matrix', () => {
    const before = toRuleSet(gz());
    const after = toRuleSet(withVetoes([PROCUREMENT_CAP, ASSET_CAP]));
    const comparison = compareReports(scoreSubmissionSync(before, seed()), scoreSubmissionSync(after, seed()));
    expect(comparison.grade).toEqual({ before: '优', after: '良', changed: true });
    expect(comparison.total).toEqual({ before: '94.622', after: '90.000', delta: '-4.622' });
    expect(comparison.vetoes?.after.map((v) => v.code)).toEqual(['procurement-below-85', 'asset-management-short']);

    const summary = new ImpactSummary({ before: impactFrameOf(before), after: impactFrameOf(after) });
    const row = summary.add({
      department: { code: 'gz-kjj', name: '广州市科学技术局' },
      before: scoreSubmissionSummary(before, seed()),
      after: scoreSubmissionSummary(after, seed()),
    });
    expect(row.after).toEqual({
      total: '90.000',
      grade: '良',
      vetoes: ['procurement-below-85', 'asset-management-short'],
    });
    const result = summary.result();
    expect(result.transitions['优']).toEqual({ 优: 0, 良: 1, 中: 0, 差: 0 });
    expect(result.vetoes).toEqual([
      { code: 'procurement-below-85', name: '等次上限', reason: '政府采购执行率低于85%', before: 0, after: 1 },
      { code: 'asset-management-short', name: '总分封顶：资产管理', reason: '资产管理未得满分', before: 0, after: 1 },
    ]);
  });

  it('keeps a valid file with vetoes valid, and its embedded tests run with them', async () => {
    const file = withVetoes([PROCUREMENT_CAP]);
    file.tests = [{ ...file.tests[0], expected: { ...file.tests[0].expected, total: '94.622', grade: '良' } }];
    expect(validateRuleFile(file)).toEqual([]);
    const checked = await checkRuleFile(file);
    expect(checked.problems).toEqual([]);
  });
});

describe('checks of the vetoes on upload, in Chinese with the path and the pointer', () => {
  const problems = (vetoes: unknown[]): Array<{ pointer: string; path?: string; message: string }> => {
    const file = { ...gz(), vetoes };
    return validateRuleFile(file).map((p) => ({ pointer: p.pointer, path: p.path, message: inLang(p.message, 'zh') }));
  };

  it('names an unknown fact, with the nearest one', () => {
    expect(
      problems([
        {
          ...PROCUREMENT_CAP,
          when: { all: [{ fact: 'violation', operator: 'decimalGreaterThan', value: '0' }] },
        },
      ]),
    ).toEqual([
      {
        pointer: '/vetoes/0/when/all/0/fact',
        path: '一票否决与上限「procurement-below-85」',
        message:
          '未知的事实“violation”：不是已声明的填报项，也不是 total、score:<指标代码>、metric:<指标代码>、status:<指标代码>、targetsMet:<申报部分代码>、targetsDeclared:<申报部分代码>、count:<加减分事项填报项>[:<事项类型>] 或填报项 id，是否应为 violations？',
      },
    ]);
  });

  it('names an unknown indicator in score:, a leaf without metric, an unknown status and a count of no events input', () => {
    const found = problems([
      {
        code: 'bad-facts',
        name: '多处错误',
        when: {
          all: [
            { fact: 'score:asset-managment', operator: 'decimalLessThan', value: '4' },
            { fact: 'metric:asset-systems', operator: 'decimalLessThan', value: '1' },
            { fact: 'status:asset-systems', operator: 'equal', value: 'failed' },
            { fact: 'count:violations', operator: 'decimalGreaterThan', value: '0' },
            { fact: 'totals', operator: 'decimalGreaterThan', value: '0' },
          ],
        },
        setGrade: 'poor',
        reason: '演示',
      },
    ]);
    expect(found.map((p) => [p.pointer, p.message])).toEqual([
      [
        '/vetoes/0/when/all/0/fact',
        '“score:asset-managment”中的指标代码“asset-managment”不存在，是否应为 asset-management？',
      ],
      [
        '/vetoes/0/when/all/1/fact',
        '“资产管理制度健全性”（asset-systems）没有指标值（metric），不能读“metric:asset-systems”',
      ],
      [
        '/vetoes/0/when/all/2/value',
        '指标状态只能是 full、partial、zero、bonus、penalty、neutral、not-applicable、vetoed（现为 "failed"）',
      ],
      ['/vetoes/0/when/all/3/fact', '“count:violations”中的“violations”不是加减分事项（events）类型的填报项'],
      [
        '/vetoes/0/when/all/4/fact',
        '未知的事实“totals”：不是已声明的填报项，也不是 total、score:<指标代码>、metric:<指标代码>、status:<指标代码>、targetsMet:<申报部分代码>、targetsDeclared:<申报部分代码>、count:<加减分事项填报项>[:<事项类型>] 或填报项 id，是否应为 total？',
      ],
    ]);
    expect(found.every((p) => p.path === '一票否决与上限「多处错误」')).toBe(true);
  });

  it('names an unknown grade (a label written for a code), a float operator, two effects and a duplicate code', () => {
    expect(
      problems([
        { ...MAJOR_VIOLATION, setGrade: '差' },
        { ...PROCUREMENT_CAP, maxGrade: 'god' },
        {
          ...MAJOR_VIOLATION,
          when: { all: [{ fact: 'violations', operator: 'greaterThan', value: 2 }] },
          maxTotal: '80',
        },
      ]).map((p) => [p.pointer, p.message]),
    ).toEqual([
      [
        '/vetoes/0/setGrade',
        '“差”不是本规则集的等次代码（可用：excellent、good、fair、poor）：“差”是等次名称，请写等次代码 poor',
      ],
      ['/vetoes/1/maxGrade', '“god”不是本规则集的等次代码（可用：excellent、good、fair、poor），是否应为 good？'],
      ['/vetoes/2/code', '一票否决代码“major-violation”重复（首次出现于 /vetoes/0）'],
      [
        '/vetoes/2',
        '一票否决或上限须写且只写 setGrade（等次定为）、maxGrade（等次最高为）、maxTotal（总分最高为）之一（现写了 setGrade、maxTotal）',
      ],
      ['/vetoes/2/when/all/0/operator', '“greaterThan”按浮点数比较，不精确；请改用“decimalGreaterThan”'],
    ]);
  });

  it('refuses a cap no total exceeds, a negative one and one finer than the total', () => {
    expect(
      problems([
        { ...ASSET_CAP, code: 'a', maxTotal: '100' },
        { ...ASSET_CAP, code: 'b', maxTotal: '-1' },
        { ...ASSET_CAP, code: 'c', maxTotal: '89.9999' },
        { ...ASSET_CAP, code: 'd', maxTotal: undefined },
      ]).map((p) => [p.pointer, p.message]),
    ).toEqual([
      ['/vetoes/0/maxTotal', '总分封顶值 100 须不小于 0 且低于最高总分 100，否则不起作用'],
      ['/vetoes/1/maxTotal', '总分封顶值 -1 须不小于 0 且低于最高总分 100，否则不起作用'],
      ['/vetoes/2/maxTotal', '总分封顶值 89.9999 的小数位数多于总分的 3 位（rounding.totalPlaces）'],
      [
        '/vetoes/3',
        '一票否决或上限须写且只写 setGrade（等次定为）、maxGrade（等次最高为）、maxTotal（总分最高为）之一',
      ],
    ]);
    expect(rulePathOf({ vetoes: [{ code: 'x' }] }, '/vetoes/0/when')).toBe('一票否决与上限「x」');
  });
});
