import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Localized, type RuleFile, type RuleSet, type Submission, toRuleSet } from '@jiping/rules';
import { GZ_2021, GZ_2022_DRAFT, loadRuleSet, readJson, ROOT, SEED_SUBMISSION } from '../../../../test/support/load';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { continueSubmission } from './continue-submission';
import { scoreContinued } from './score-continued';

type Json = Record<string, any>;
const gz2021 = loadRuleSet(GZ_2021);
const DRAFT = JSON.parse(readFileSync(join(ROOT, GZ_2022_DRAFT), 'utf8')) as RuleFile;
const SEED = readJson(SEED_SUBMISSION) as Submission;
const seed = (): Submission => structuredClone(SEED);

/** The example 2022 draft with a change, as a rule set (its embedded tests are not rerun here). */
function draft(change: (file: Json) => void = () => undefined): RuleSet {
  const file = structuredClone(DRAFT) as Json;
  change(file);
  return toRuleSet(file);
}
/** A localized message whose Chinese contains `text`. */
const zh = (text: string) => expect.objectContaining({ zh: expect.stringContaining(text) });
const input = (file: Json, id: string): Json => file.inputs.find((i: Json) => i.id === id);

function refusal(later: RuleSet, earlier: RuleSet, submission: Submission): ScoringError {
  try {
    continueSubmission(later, earlier, submission);
  } catch (error) {
    if (error instanceof ScoringError) return error;
    throw error;
  }
  throw new Error('continueSubmission mapped the data');
}

describe(continueSubmission.name, () => {
  it('relabels the year, carries same-id inputs over and assumes the declared new ones', () => {
    const { submission, simulation } = continueSubmission(draft(), gz2021, seed());
    expect(submission.fiscalYear).toBe(2022);
    expect(submission.inputs.procurementActual).toBe('1388.29');
    expect(submission.inputs.budgetPreparation).toEqual(SEED.inputs.budgetPreparation);
    expect(submission.inputs.dataSecurity).toEqual({ dataRules: true, riskAssessment: true });
    expect(submission.inputs).not.toHaveProperty('assetSystems');
    expect(submission.targets).toEqual(SEED.targets);
    expect(submission.evidence).not.toHaveProperty('asset-systems');
    expect(simulation.description).toEqual({
      zh: '2021年数据按2022年规则模拟',
      en: '2021 data scored under the 2022 rules (simulation)',
    });
  });

  it('never modifies the submission it is given', () => {
    const submission = seed();
    continueSubmission(draft(), gz2021, submission);
    expect(submission).toEqual(SEED);
  });

  it('uses a value the data has over the assumption (so a what-if may set it), and then assumes nothing', () => {
    const submission = seed();
    (submission.inputs as Json).dataSecurity = { dataRules: true, riskAssessment: false };
    const { submission: continued, simulation } = continueSubmission(draft(), gz2021, submission);
    expect(continued.inputs.dataSecurity).toEqual({ dataRules: true, riskAssessment: false });
    expect(simulation.assumptions).toEqual([]);
  });

  it('takes a renamed input from its earlier id, with a note', () => {
    const later = draft((file) => {
      input(file, 'procurementActual').id = 'procurementExecuted';
      file.indicators[0].children[1].children[0].metric.formula = 'procurementExecuted / procurementPlanned';
      file.indicators[0].children[1].children[0].basis = '{calc}';
      file.continues.inputs.push({ id: 'procurementExecuted', from: 'procurementActual' });
      for (const test of file.tests) {
        test.submission.inputs.procurementExecuted = test.submission.inputs.procurementActual;
        delete test.submission.inputs.procurementActual;
      }
    });
    const { submission, simulation } = continueSubmission(later, gz2021, seed());
    expect(submission.inputs.procurementExecuted).toBe('1388.29');
    expect(submission.inputs).not.toHaveProperty('procurementActual');
    expect(simulation.notes).toContainEqual({
      kind: 'input-renamed',
      code: 'procurementExecuted',
      message: expect.objectContaining({
        zh: '2021年的 实际采购金额合计数（procurementActual）对应为 实际采购金额合计数（procurementExecuted）',
      }),
    });
  });

  it('assumes a point added to a checklist that carries over, and drops a point the checklist lost', () => {
    const later = draft((file) => {
      const points = input(file, 'budgetPreparation').points;
      points.splice(2, 1, { id: 'onlineFiling', label: '通过一体化系统报送', points: '1' });
      file.continues.inputs.push({
        id: 'budgetPreparation',
        assume: { onlineFiling: false },
        reason: '2022年新增要点，按未满足计',
      });
      for (const test of file.tests) {
        const value = test.submission.inputs.budgetPreparation;
        delete value.preAssessment;
        value.onlineFiling = true;
      }
    });
    const { submission, simulation } = continueSubmission(later, gz2021, seed());
    expect(Object.keys(submission.inputs.budgetPreparation as Json)).toEqual(['staffData', 'onTime', 'onlineFiling']);
    expect((submission.inputs.budgetPreparation as Json).onlineFiling).toBe(false);
    expect(simulation.assumptions.map((a) => [a.key, a.shown, a.reason])).toContainEqual([
      'budgetPreparation/onlineFiling',
      '不满足',
      '2022年新增要点，按未满足计',
    ]);
    expect(simulation.notes.map((n) => [n.kind, n.code])).toContainEqual([
      'point-dropped',
      'budgetPreparation/preAssessment',
    ]);
  });

  it('refuses a new input that has neither a value nor a declaration, at its pointer into the rule file', () => {
    const error = refusal(
      draft((file) => (file.continues.inputs = [])),
      gz2021,
      seed(),
    );
    expect(error.code).toBe(ScoringErrorCode.CANNOT_SIMULATE);
    const at = DRAFT.inputs.findIndex((i) => i.id === 'dataSecurity');
    expect(error.problems).toEqual([
      {
        pointer: `/inputs/${at}`,
        message: zh('新增输入项 数据安全管理（dataSecurity）在2021年数据中没有'),
      },
    ]);
  });

  it('refuses a new checklist point without an assumed value', () => {
    const later = draft((file) => (file.continues.inputs[0].assume = { dataRules: true }));
    expect(refusal(later, gz2021, seed()).problems).toEqual([
      {
        pointer: '/continues/inputs/0/assume',
        message: zh('要点 按要求开展数据安全风险评估（riskAssessment）也需要假定值'),
      },
    ]);
  });

  it('refuses an input whose type changed, unless a value is declared for it', () => {
    // 支出进度 becomes a plain number (the formula reads it as it is): percent data no longer fits as it was.
    const later = (assume: boolean): RuleSet =>
      draft((file) => {
        Object.assign(input(file, 'expenditureProgress'), { type: 'number', places: 2 });
        if (assume) file.continues.inputs.push({ id: 'expenditureProgress', assume: '100' });
      });
    expect(refusal(later(false), gz2021, seed()).problems[0].message).toEqual(zh('类型由 percent 改为 number'));
    const { submission, simulation } = continueSubmission(later(true), gz2021, seed());
    expect(submission.inputs.expenditureProgress).toBe('100');
    expect(simulation.notes.map((n) => n.kind)).toContain('input-dropped');
  });

  it('refuses data of another series or year, and a rule set that declares no continuation', () => {
    const national = loadRuleSet('rules/national/project-self-evaluation/2020.json');
    expect(refusal(draft(), national, seed()).problems).toEqual([
      {
        pointer: '/continues',
        message: zh('承接 guangzhou-department-overall 2021 年度（2021.1.0）'),
      },
    ]);
    const error = refusal(
      draft((file) => delete file.continues),
      gz2021,
      seed(),
    );
    expect((error.text as Localized).zh).toContain('未声明承接哪个版本（continues）');
    expect((error.text as Localized).zh).toContain(
      '"continues": { "id": "guangzhou-department-overall", "version": "2021.1.0", "fiscalYear": 2021 }',
    );
  });

  it('notes data made under another version of the continued year', () => {
    const other = toRuleSet({ ...structuredClone(gz2021.file), version: '2021.2.0' });
    const { simulation } = continueSubmission(draft(), other, seed());
    expect(simulation.notes[0]).toMatchObject({ kind: 'version-differs', code: '2021.2.0' });
  });

  it('drops the targets and results of a declared section the new rules do not have', () => {
    const later = draft((file) => {
      // 履职效能 becomes a plain leaf scored by a judgment: the departments' declared targets no longer apply.
      file.indicators[1] = {
        code: 'duty-performance',
        name: '履职效能',
        weight: '50',
        method: { type: 'judgment', input: 'dutyPerformance' },
      };
      Object.assign(file.indicators[0].children[5].children[3], {
        metric: { formula: 'expenditureProgress', unit: 'percent' },
        basis: '{calc}',
      });
      file.inputs.push({ id: 'dutyPerformance', label: '履职效能评议', type: 'judgment' });
      file.continues.inputs.push({ id: 'dutyPerformance', assume: { score: '45', reason: '按90%计' } });
      file.tests = [];
    });
    const { submission, simulation } = continueSubmission(later, gz2021, seed());
    expect(submission.targets).toEqual({});
    expect(submission.targetResults).toEqual({});
    expect(submission.inputs.dutyPerformance).toEqual({ score: '45', reason: '按90%计' });
    expect(simulation.notes.map((n) => [n.kind, n.code])).toContainEqual(['targets-dropped', 'performance']);
  });

  it('scores the mapped data and says, when it does not fit, that it was a simulation', async () => {
    const later = draft((file) => (file.indicators[0].children[5].children[5].method.tiers[0].code = 'met'));
    await expect(scoreContinued(later, gz2021, seed())).rejects.toMatchObject({
      code: ScoringErrorCode.INVALID_SUBMISSION,
      text: {
        zh: expect.stringMatching(/^2021年数据按2022年规则模拟：/),
        en: expect.stringMatching(/^2021 data scored under the 2022 rules \(simulation\): /),
      },
      problems: [expect.objectContaining({ pointer: '/inputs/resultApplication/tier' })],
    });
  });
});
