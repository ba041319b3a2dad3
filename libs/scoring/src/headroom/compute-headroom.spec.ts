import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Submission, toRuleSet } from '@jiping/rules';
import { compileRuleSet } from '../compile-rule-set';
import { D } from '../decimal';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { ScoringErrorCode } from '../scoring.error';
import { applyChanges as applyWhatIfChanges } from '../what-if/apply-changes';
import { computeHeadroom } from './compute-headroom';
import type { Headroom, HeadroomOption } from './headroom.types';

/** What-if's applyChanges: every change headroom suggests must be one a what-if takes. */
const applyChanges = (submission: unknown, changes: Array<{ pointer: string; value: unknown }>): unknown =>
  applyWhatIfChanges(submission as Submission, changes);

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (path: string): any => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const COMPILED = compileRuleSet(toRuleSet(read('rules/guangzhou/department-overall/2021.json')));
const SEED = read('test/fixtures/gz-kjj-2021/submission.json');

const nodeOf = (report: ScoreReport, code: string): NodeReport => {
  const walk = (nodes: NodeReport[]): NodeReport | undefined =>
    nodes.reduce<NodeReport | undefined>(
      (found, n) => found ?? (n.code === code ? n : walk(n.children ?? [])),
      undefined,
    );
  return walk(report.sections)!;
};
/** The seed with one input set to a value, scored by the engine. */
const scoredWith = (input: string, value: string): Promise<ScoreReport> =>
  scoreSubmission(COMPILED, applyChanges(SEED, [{ pointer: `/inputs/${input}`, value }]));
const optionsOf = (headroom: Headroom, code: string): HeadroomOption[] =>
  headroom.lost.find((l) => l.code === code)!.options;
const optionOf = (headroom: Headroom, code: string, input: string, step: HeadroomOption['step']): HeadroomOption =>
  optionsOf(headroom, code).find((o) => o.input === input && o.step === step)!;
/** One unit of the input's precision back towards the submitted value. */
const oneStepBack = (option: HeadroomOption): string => {
  const places = option.to.includes('.') ? option.to.split('.')[1].length : 0;
  const unit = new D(10).pow(-places);
  const back = new D(option.to).gt(option.from) ? new D(option.to).sub(unit) : new D(option.to).add(unit);
  return back.toFixed(places);
};

describe(computeHeadroom.name, () => {
  let seed: Headroom;
  beforeAll(async () => {
    seed = await computeHeadroom(COMPILED, SEED);
  });

  it('lists exactly the six leaves that lost points on the seed, the largest loss first', () => {
    expect(seed.lost.map((l) => [l.name, l.lost, l.score, l.max, l.method])).toEqual([
      ['工作受表彰或批评', '2.5', '2.5', '5', 'count-adjust'],
      ['部门预算编制情况', '1.00', '2.00', '3', 'checklist'],
      ['财政拨款收入预决算差异率', '1.00', '1.00', '2', 'bands'],
      ['固定资产利用率', '0.50', '1.50', '2', 'bands'],
      ['政府采购执行率', '0.31', '1.69', '2', 'proportional'],
      ['预算完成率', '0.0680', '1.9320', '2', 'deduction'],
    ]);
    expect(seed.lost.map((l) => l.reason)).toEqual([
      '加分2.5分，未达上限5分',
      '未满足：新增预算入库项目开展事前立项预算评估（1分）',
      '绝对值11.44%，落在10%-20%（含）区间',
      '84.30%，落在80%（含）-90%区间',
      '84.48%未达100%',
      '99.66%低于100%，扣0.068分',
    ]);
  });

  it('sums the losses to 5.378 = 100 − 94.622 and, at the top grade, reports the room to 100 without a plan', () => {
    expect(seed).toMatchObject({ total: '94.622', grade: '优', totalLost: '5.378', toMaximum: '5.378' });
    expect(seed.lost.reduce((s, l) => s.add(l.lost), new D(0)).toFixed(3)).toBe('5.378');
    expect(seed.nextGrade).toBeNull();
    expect(seed.plan).toBeNull();
  });

  it('shows the room of 工作受表彰或批评 up to +5 as a judgment: one more commendation gains 2.5', () => {
    expect(optionsOf(seed, 'commendation-criticism')).toEqual([
      expect.objectContaining({
        kind: 'judgment',
        step: 'full',
        input: 'commendations',
        from: '1',
        to: '2',
        scoreTo: '5.0',
        gain: '2.5',
        total: '97.122',
        changes: [{ pointer: '/inputs/commendations', value: '2' }],
      }),
    ]);
  });

  it('shows the unmet checklist point of 部门预算编制情况 and its point as a judgment', () => {
    expect(optionsOf(seed, 'budget-preparation')).toEqual([
      expect.objectContaining({
        kind: 'judgment',
        label: '新增预算入库项目开展事前立项预算评估',
        pointer: '/inputs/budgetPreparation/preAssessment/met',
        scoreTo: '3.00',
        gain: '1.00',
        total: '95.622',
      }),
    ]);
  });

  it('finds the smallest 实际采购金额合计数 that gains on 政府采购执行率 (84.48 % → 84.75 %, 1.69 → 1.70)', async () => {
    const option = optionOf(seed, 'procurement-execution-rate', 'procurementActual', 'first-gain');
    expect(option).toMatchObject({ from: '1388.29', to: '1392.72', metricFrom: '84.48', metricTo: '84.75' });
    expect(option).toMatchObject({ scoreTo: '1.70', gain: '0.01', total: '94.632', kind: 'figure' });
    expect(nodeOf(await scoredWith('procurementActual', '1392.71'), 'procurement-execution-rate').score).toBe('1.69');
  });

  it('finds the 实际采购金额合计数 that gains the whole 0.31 of 政府采购执行率: 99.75 % × 2 = 1.995 → 2.00', async () => {
    const option = optionOf(seed, 'procurement-execution-rate', 'procurementActual', 'full');
    expect(option).toMatchObject({ from: '1388.29', to: '1639.23', metricFrom: '84.48', metricTo: '99.75' });
    expect(option).toMatchObject({ scoreTo: '2.00', gain: '0.31', total: '94.932', calc: '99.75%×2=2.00' });
    expect(option.changes).toEqual([{ pointer: '/inputs/procurementActual', value: '1639.23' }]);
    const centLess = await scoredWith('procurementActual', '1639.22');
    expect(nodeOf(centLess, 'procurement-execution-rate').metric!.value).toBe('99.74');
    expect(nodeOf(centLess, 'procurement-execution-rate').score).toBe('1.99');
    // Executing the whole plan (actual = planned, 100 %) gains the same 0.31: nothing more to gain past 1639.23.
    expect((await scoredWith('procurementActual', '1643.42')).total).toBe('94.932');
  });

  it('finds the smaller 采购计划金额合计数 that gains the same 0.31 (the improving direction is down)', () => {
    expect(optionOf(seed, 'procurement-execution-rate', 'procurementPlanned', 'full')).toMatchObject({
      from: '1643.42',
      to: '1391.83',
      metricTo: '99.75',
      gain: '0.31',
    });
  });

  it('finds the exact smallest 在用固定资产 whose rounded 固定资产利用率 reaches 90.00 % (one cent less does not)', async () => {
    const option = optionOf(seed, 'fixed-asset-utilization', 'fixedAssetsInUse', 'full');
    expect(option).toMatchObject({ from: '10232.75', to: '10924.54', metricFrom: '84.30', metricTo: '90.00' });
    expect(option).toMatchObject({ scoreTo: '2.00', gain: '0.50', total: '95.122' });
    const reached = nodeOf(await scoredWith('fixedAssetsInUse', '10924.54'), 'fixed-asset-utilization');
    expect([reached.metric!.value, reached.score]).toEqual(['90', '2.00']);
    const centLess = nodeOf(await scoredWith('fixedAssetsInUse', '10924.53'), 'fixed-asset-utilization');
    expect([centLess.metric!.value, centLess.score]).toEqual(['89.99', '1.50']);
  });

  it('finds both bands above 财政拨款收入预决算差异率 11.44 %: → 10.00 % gains 0.5 and → 5.00 % gains 1', () => {
    const options = optionsOf(seed, 'revenue-budget-variance').filter((o) => o.input === 'finalAccountRevenue');
    expect(options.map((o) => [o.step, o.to, o.metricTo, o.scoreTo, o.gain])).toEqual([
      ['first-gain', '482110.03', '-10.00', '1.50', '0.50'],
      ['full', '508895.41', '-5.00', '2.00', '1.00'],
    ]);
  });

  it('finds the 支出进度 of 预算完成率: 99.67 % gains 0.0020, 100 % gains the whole 0.0680', () => {
    expect(optionsOf(seed, 'budget-completion-rate').map((o) => [o.step, o.to, o.gain, o.total])).toEqual([
      ['first-gain', '99.67', '0.0020', '94.624'],
      ['full', '100.00', '0.0680', '94.690'],
    ]);
  });

  it('proposes only figure changes whose one-step-smaller change scores less (each is the smallest)', async () => {
    const figures = seed.lost.flatMap((l) =>
      l.options.filter((o) => o.kind === 'figure').map((o) => ({ code: l.code, option: o })),
    );
    expect(figures).toHaveLength(12);
    for (const { code, option } of figures) {
      const at = nodeOf(await scoredWith(option.input, option.to), code);
      const before = nodeOf(await scoredWith(option.input, oneStepBack(option)), code);
      expect(at.score).toBe(option.scoreTo);
      expect(new D(before.score).lt(option.scoreTo)).toBe(true);
    }
  });

  it('scores every option with the engine: the option’s changes alone give its total', async () => {
    for (const option of seed.lost.flatMap((l) => l.options)) {
      expect((await scoreSubmission(COMPILED, applyChanges(SEED, option.changes))).total).toBe(option.total);
    }
  });

  it('stays within a few hundred scorings on the seed', () => {
    expect(seed.scorings).toBeGreaterThan(0);
    expect(seed.scorings).toBeLessThan(300);
  });

  describe('on a weak submission (the seed with 3 violations: 89.622, 良)', () => {
    const weak = applyChanges(SEED, [{ pointer: '/inputs/violations', value: '3' }]);
    let headroom: Headroom;
    beforeAll(async () => {
      headroom = await computeHeadroom(COMPILED, weak);
    });

    it('lifts it back to 优 with the cheapest plan, verified by the engine', async () => {
      expect(headroom).toMatchObject({ total: '89.622', grade: '良', totalLost: '10.378', toMaximum: '10.378' });
      expect(headroom.nextGrade).toEqual({
        code: 'excellent',
        label: '优',
        min: '90',
        needed: '0.378',
        reachable: true,
      });
      const plan = headroom.plan!;
      // One leaf suffices; of the single changes that do, the 0.5 bands (差异率, 利用率) overshoot least, and the
      // first in tree order wins the tie.
      expect(plan).toMatchObject({ search: 'exact', leavesChanged: 1, expectedGain: '0.500', overshoot: '0.122' });
      expect(plan.steps.map((s) => [s.name, s.option.input, s.option.to])).toEqual([
        ['财政拨款收入预决算差异率', 'finalAccountRevenue', '482110.03'],
      ]);
      expect(plan.verified).toEqual({ total: '90.122', grade: '优', gradeCode: 'excellent', reached: true });
      const rescored = await scoreSubmission(COMPILED, applyChanges(weak, plan.steps[0].option.changes));
      expect([rescored.total, rescored.grade]).toEqual(['90.122', '优']);
      expect(new D(rescored.total).gte(90)).toBe(true);
    });

    it('shows how fewer violations or one more commendation lift 工作受表彰或批评 from −2.5', () => {
      const options = optionsOf(headroom, 'commendation-criticism');
      expect(options.map((o) => [o.kind, o.input, o.from, o.to, o.scoreTo, o.gain])).toEqual([
        ['judgment', 'commendations', '1', '2', '0.0', '2.5'],
        ['judgment', 'violations', '3', '1', '0.0', '2.5'],
        ['judgment', 'violations', '3', '0', '2.5', '5.0'],
      ]);
    });
  });

  it('combines two leaves when no single one reaches the next grade, preferring figures on a tie', async () => {
    // Six leaves down to 0 or less: 86.000 (良), 4 points short of 优; no leaf can gain more than its 2 points.
    const weak = applyChanges(SEED, [
      { pointer: '/inputs/commendations', value: '2' },
      { pointer: '/inputs/expenditureProgress', value: '90' },
      { pointer: '/inputs/budgetPreparation/onTime/met', value: false },
      {
        pointer: '/inputs/specialFunds',
        value: { withinTerm: false, platformDisclosure: false, measuresValid: false },
      },
      { pointer: '/inputs/finalAccountRevenue', value: '100000' },
      { pointer: '/inputs/procurementActual', value: '0' },
      { pointer: '/inputs/fixedAssetsInUse', value: '5000' },
      { pointer: '/inputs/resultApplication', value: { score: '0', tier: 'unachieved', reason: '未应用' } },
    ]);
    const headroom = await computeHeadroom(COMPILED, weak);
    expect([headroom.total, headroom.grade, headroom.nextGrade?.needed]).toEqual(['86.000', '良', '4.000']);
    const plan = headroom.plan!;
    // Every pair of full leaves gains exactly 4; the first pair in tree order without a judgment wins.
    expect(plan).toMatchObject({ leavesChanged: 2, expectedGain: '4.000', overshoot: '0.000' });
    expect(plan.steps.map((s) => [s.name, s.option.kind, s.option.to])).toEqual([
      ['预算完成率', 'figure', '100.00'],
      ['财政拨款收入预决算差异率', 'figure', '508895.41'],
    ]);
    expect(plan.verified).toEqual({ total: '90.000', grade: '优', gradeCode: 'excellent', reached: true });
    const rescored = await scoreSubmission(
      COMPILED,
      applyChanges(
        weak,
        plan.steps.flatMap((s) => s.option.changes),
      ),
    );
    expect(rescored.total).toBe('90.000');
  });

  it('never modifies the submission it is given', async () => {
    const frozen = structuredClone(SEED);
    const deepFreeze = (value: any): any => {
      Object.values(value).forEach((v) => v && typeof v === 'object' && deepFreeze(v));
      return Object.freeze(value);
    };
    await expect(computeHeadroom(COMPILED, deepFreeze(frozen))).resolves.toMatchObject({ total: '94.622' });
    expect(frozen).toEqual(SEED);
  });

  it('refuses a submission the engine cannot score with INVALID_SUBMISSION', async () => {
    const broken = applyChanges(SEED, [{ pointer: '/inputs/procurementActual', value: 1388.29 }]);
    await expect(computeHeadroom(COMPILED, broken)).rejects.toMatchObject({
      code: ScoringErrorCode.INVALID_SUBMISSION,
    });
  });

  it('works from an uncompiled rule set and another framework (项目支出: targets and proportional)', async () => {
    const ruleSet = toRuleSet(read('rules/national/project-self-evaluation/2020.json'));
    const headroom = await computeHeadroom(ruleSet, read('test/fixtures/national-project-2020/submission.json'));
    expect(headroom.totalLost).toBe(new D(headroom.maxTotal).sub(headroom.total).toFixed(2));
    expect(headroom.lost.length).toBeGreaterThan(0);
    for (const leaf of headroom.lost) {
      expect(leaf.options.length).toBeGreaterThan(0);
      for (const option of leaf.options) expect(new D(option.gain).gt(0)).toBe(true);
    }
  });
});
