import type { Submission } from '@jiping/rules';
import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../../test/support/load';
import { scoreSubmission } from '../score-submission';
import { scoresByCode } from '../check-rule-file';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { applyChanges, attributeToChanges, type SubmissionChange } from './apply-changes';

type Json = Record<string, any>;

const ruleSet = loadRuleSet(GZ_2021);
const SEED = readJson(SEED_SUBMISSION) as Submission;
/** A fresh deep clone of the seed submission (广州市科学技术局 2021). */
const seed = (): Submission => structuredClone(SEED);

/** The ScoringError applyChanges throws, or a failure when it throws none. */
function rejection(changes: SubmissionChange[]): ScoringError {
  try {
    applyChanges(seed(), changes);
  } catch (error) {
    if (error instanceof ScoringError) return error;
    throw error;
  }
  throw new Error('applyChanges accepted the changes');
}

describe(applyChanges.name, () => {
  it.each<[string, SubmissionChange, (s: Json) => unknown, unknown]>([
    [
      'replaces an input',
      { pointer: '/inputs/procurementActual', value: '1643.42' },
      (s) => s.inputs.procurementActual,
      '1643.42',
    ],
    [
      'replaces one checklist point',
      { pointer: '/inputs/budgetPreparation/preAssessment', value: true },
      (s) => s.inputs.budgetPreparation.preAssessment,
      true,
    ],
    [
      'replaces a target’s actual value',
      { pointer: '/targetResults/rd-1/actual', value: '15' },
      (s) => s.targetResults['rd-1'],
      { actual: '15' },
    ],
    [
      'creates the last key when its parent exists',
      { pointer: '/overview/shortfall', value: '无' },
      (s) => s.overview.shortfall,
      '无',
    ],
    [
      'unescapes ~1 and ~0 (RFC 6901)',
      { pointer: '/evidence/a~1b~0c', value: '佐证' },
      (s) => s.evidence['a/b~c'],
      '佐证',
    ],
    [
      'replaces a whole part',
      { pointer: '/evidence', value: { 'budget-completion-rate': '见公报' } },
      (s) => s.evidence,
      { 'budget-completion-rate': '见公报' },
    ],
    [
      'passes a JSON number through (validation refuses it later)',
      { pointer: '/inputs/procurementActual', value: 1643.42 },
      (s) => s.inputs.procurementActual,
      1643.42,
    ],
  ])('%s', (_name, change, read, expected) => {
    expect(read(applyChanges(seed(), [change]) as unknown as Json)).toEqual(expected);
  });

  it('leaves the submission and the values it was given unchanged', () => {
    const submission = seed();
    const value = { met: true, evidence: '补充材料' };
    const changed = applyChanges(submission, [{ pointer: '/inputs/budgetPreparation/preAssessment', value }]);
    expect(submission).toEqual(SEED);
    expect((changed.inputs.budgetPreparation as Json).preAssessment).toEqual(value);
    expect((changed.inputs.budgetPreparation as Json).preAssessment).not.toBe(value);
    value.met = false;
    expect((changed.inputs.budgetPreparation as Json).preAssessment.met).toBe(true);
  });

  it('copies the objects along each pointer and shares the rest with the submission', () => {
    const submission = seed();
    const changed = applyChanges(submission, [
      { pointer: '/inputs/budgetPreparation/preAssessment', value: true },
      { pointer: '/targetResults/rd-1/actual', value: '25' },
    ]);
    expect(submission).toEqual(SEED);
    for (const copied of [
      (s: Submission) => s,
      (s: Submission) => s.inputs,
      (s: Submission) => s.inputs.budgetPreparation,
      (s: Submission) => s.targetResults,
      (s: Submission) => s.targetResults!['rd-1'],
    ])
      expect(copied(changed)).not.toBe(copied(submission));
    expect(changed.targets).toBe(submission.targets);
    expect(changed.inputs.specialFunds).toBe(submission.inputs.specialFunds);
    expect(changed.targetResults!['rd-2']).toBe(submission.targetResults!['rd-2']);
  });

  it('applies changes in order: a later change may fill an object an earlier one created', () => {
    const changed = applyChanges(seed(), [
      { pointer: '/targetResults/rd-1', value: {} },
      { pointer: '/targetResults/rd-1/actual', value: '25' },
      { pointer: '/inputs/procurementActual', value: '1500.00' },
      { pointer: '/inputs/procurementActual', value: '1643.42' },
    ]);
    expect(changed.targetResults!['rd-1']).toEqual({ actual: '25' });
    expect(changed.inputs.procurementActual).toBe('1643.42');
  });

  it('makes a key "__proto__" an own key, never the prototype', () => {
    const changed = applyChanges(seed(), [{ pointer: '/evidence/__proto__', value: { polluted: true } }]);
    expect(Object.getPrototypeOf(changed.evidence)).toBe(Object.prototype);
    expect(Object.hasOwn(changed.evidence!, '__proto__')).toBe(true);
    expect(({} as Json).polluted).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['the empty pointer', '', 'the empty pointer names the whole submission'],
    ['a pointer without a leading slash', 'inputs/procurementActual', 'a JSON pointer starts with "/"'],
    ['a bad escape', '/inputs/a~2b', '"~" must be followed by 0 or 1'],
    ['a pointer that is not a string', 7, 'a JSON pointer string is required'],
    ['the format version', '/formatVersion', '/formatVersion cannot be changed'],
    ['the department', '/department/name', '/department cannot be changed'],
    ['the fiscal year', '/fiscalYear', '/fiscalYear cannot be changed'],
    ['the declared targets', '/targets/performance/0/weight', 'declared targets (绩效目标申报) are not what-if inputs'],
    ['a field a submission does not have', '/scores/fixed-asset-utilization', '"scores" is not a part of a submission'],
    ['a missing parent', '/targetResults/rd-99/actual', '/targetResults/rd-99 does not exist'],
    ['a key under a string', '/inputs/procurementActual/value', '/inputs/procurementActual is a string, not an object'],
    ['a key under a boolean', '/inputs/assetSystems/met', '/inputs/assetSystems is a boolean, not an object'],
  ])('refuses %s at /changes/0/pointer', (_name, pointer, message) => {
    const error = rejection([{ pointer: pointer as string, value: '1' }]);
    expect(error.code).toBe(ScoringErrorCode.INVALID_SUBMISSION);
    expect(error.problems).toEqual([
      { pointer: '/changes/0/pointer', message: { zh: expect.any(String), en: expect.stringContaining(message) } },
    ]);
  });

  it('refuses a change without a value at /changes/0/value', () => {
    const error = rejection([{ pointer: '/inputs/procurementActual' } as SubmissionChange]);
    expect(error.problems).toEqual([
      {
        pointer: '/changes/0/value',
        message: { zh: '必填：要设置的值（任意 JSON 值）', en: 'a value is required (any JSON value)' },
      },
    ]);
  });

  it('reports every bad change at once, each at its index', () => {
    const error = rejection([
      { pointer: '/fiscalYear', value: 2022 },
      { pointer: '/inputs/procurementActual', value: '1643.42' },
      { pointer: '/targets', value: {} },
      { pointer: 'inputs', value: '1' },
    ]);
    expect(error.message).toBe('3 what-if change(s) cannot be applied; nothing was scored');
    expect(error.problems.map((p) => p.pointer)).toEqual([
      '/changes/0/pointer',
      '/changes/2/pointer',
      '/changes/3/pointer',
    ]);
  });

  it.each<[string, SubmissionChange[], Record<string, string>, string]>([
    [
      '实际采购金额 equal to the plan: 政府采购执行率 1.69 → 2.00',
      [{ pointer: '/inputs/procurementActual', value: '1643.42' }],
      { 'procurement-execution-rate': '2.00' },
      '94.932',
    ],
    [
      'the third 部门预算编制 point met: 2.00 → 3.00',
      [{ pointer: '/inputs/budgetPreparation/preAssessment/met', value: true }],
      { 'budget-preparation': '3.00' },
      '95.622',
    ],
    [
      'a key indicator missed (15 of ≥ 20): 3 → 2.25, and 绩效目标完成率 20/21',
      [{ pointer: '/targetResults/rd-1/actual', value: '15' }],
      { 'rd-1': '2.25', 'target-completion-rate': '1.90' },
      '93.772',
    ],
  ])('scores the changed seed: %s', async (_name, changes, scores, total) => {
    const report = await scoreSubmission(ruleSet, applyChanges(seed(), changes));
    const byCode = scoresByCode(report.sections);
    expect(Object.fromEntries(Object.keys(scores).map((code) => [code, byCode.get(code)]))).toEqual(scores);
    expect(report.total).toBe(total);
  });
});

describe(attributeToChanges.name, () => {
  const changes: SubmissionChange[] = [
    { pointer: '/inputs/procurementActual', value: 1643.42 },
    { pointer: '/inputs/resultApplication/score', value: '9' },
    { pointer: '/targetResults', value: {} },
  ];
  const name = (index: number) => `/changes/${index}`;

  it.each<[string, string, string]>([
    ['a problem at a change’s pointer', '/inputs/procurementActual', 'm (set by /changes/0)'],
    ['a problem above a change’s pointer', '/inputs/resultApplication', 'm (set by /changes/1)'],
    ['a problem inside a changed value', '/targetResults/rd-1', 'm (set by /changes/2)'],
    ['a problem no change touched', '/inputs/procurementPlanned', 'm'],
    ['a problem at a sibling whose name extends a changed key', '/inputs/procurementActualTotal', 'm'],
    ['a problem of the whole submission', '', 'm'],
  ])('attributes %s', (_name, pointer, message) => {
    const m = { zh: '某', en: 'm' };
    const expected =
      message === 'm' ? m : { zh: `某（由 ${message.slice('m (set by '.length, -1)} 修改）`, en: message };
    expect(attributeToChanges([{ pointer, message: m }], changes, name)).toEqual([{ pointer, message: expected }]);
  });

  it('names every change that touched the problem', () => {
    const both = [...changes, { pointer: '/inputs/procurementActual', value: '1' }];
    const m = { zh: '某', en: 'm' };
    expect(attributeToChanges([{ pointer: '/inputs/procurementActual', message: m }], both, name)).toEqual([
      {
        pointer: '/inputs/procurementActual',
        message: { zh: '某（由 /changes/0、/changes/3 修改）', en: 'm (set by /changes/0, /changes/3)' },
      },
    ]);
  });

  it('keeps the submission pointer of a JSON-number amount and names its change', async () => {
    const changed = applyChanges(seed(), [changes[0]]);
    const error = await scoreSubmission(ruleSet, changed).catch((e: unknown) => e as ScoringError);
    expect(error).toBeInstanceOf(ScoringError);
    const problems = attributeToChanges((error as ScoringError).problems, [changes[0]], name);
    expect(problems).toEqual([
      {
        pointer: '/inputs/procurementActual',
        message: {
          zh: expect.stringMatching(/不能写成 JSON 数字（由 \/changes\/0 修改）$/),
          en: expect.stringMatching(/not a JSON number \(set by \/changes\/0\)$/),
        },
        path: '填报项「实际采购金额合计数」',
      },
    ]);
  });
});
