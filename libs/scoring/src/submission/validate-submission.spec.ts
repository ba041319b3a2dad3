import { GZ_2021, inChinese, inEnglish, loadRuleSet, readJson, SEED_SUBMISSION } from '../../../../test/support/load';
import { scoreSubmission } from '../score-submission';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { parseSubmission, validateDeclaredTargets } from './validate-submission';

type Json = Record<string, any>;

const ruleSet = loadRuleSet(GZ_2021);
const SEED = readJson(SEED_SUBMISSION) as Json;
/** A fresh deep clone of the seed submission (广州市科学技术局 2021), for one test to break. */
const seed = (): Json => structuredClone(SEED);

const RD = '/targets/performance/0';
/** The comparators 广州 2021 lets a department declare (read from the file, which a bureau may narrow). */
const COMPARATORS = ruleSet.file.indicators.flatMap((node) => ('declared' in node ? node.declared.comparators : []));

interface Case {
  breaks: string;
  mutate: (s: Json) => void;
  pointer: string;
  message: string;
}

const cases: Case[] = [
  {
    breaks: 'a missing input',
    mutate: (s) => delete s.inputs.expenditureProgress,
    pointer: '/inputs/expenditureProgress',
    message: 'missing input "expenditureProgress" (支出进度)',
  },
  {
    breaks: 'an input the rule set does not declare',
    mutate: (s) => (s.inputs.procurementBudget = '1643.42'),
    pointer: '/inputs/procurementBudget',
    message: '"procurementBudget" is not an input of guangzhou-department-overall',
  },
  {
    breaks: 'money as a JSON number',
    mutate: (s) => (s.inputs.procurementActual = 1388.29),
    pointer: '/inputs/procurementActual',
    message: '实际采购金额合计数（万元） is a decimal string such as "1388.29", not a JSON number',
  },
  {
    breaks: 'money with 3 decimals',
    mutate: (s) => (s.inputs.procurementActual = '1388.291'),
    pointer: '/inputs/procurementActual',
    message: '实际采购金额合计数（万元） has more than 2 decimal places',
  },
  {
    breaks: 'negative money',
    mutate: (s) => (s.inputs.fixedAssetsInUse = '-10232.75'),
    pointer: '/inputs/fixedAssetsInUse',
    message: '实际在用固定资产总额（万元） must not be negative',
  },
  {
    breaks: 'money written with a thousands separator',
    mutate: (s) => (s.inputs.fixedAssetsTotal = '12,139.05'),
    pointer: '/inputs/fixedAssetsTotal',
    message: '所有固定资产总额（万元） must be a decimal string such as "1388.29"',
  },
  {
    breaks: 'a percent with 3 decimals',
    mutate: (s) => (s.inputs.expenditureProgress = '99.665'),
    pointer: '/inputs/expenditureProgress',
    message: '支出进度 has more than 2 decimal places',
  },
  {
    breaks: 'a boolean given as text',
    mutate: (s) => (s.inputs.assetSystems = 'true'),
    pointer: '/inputs/assetSystems',
    message: '资产管理制度健全 must be true or false',
  },
  {
    breaks: 'a checklist given as a boolean',
    mutate: (s) => (s.inputs.specialFunds = true),
    pointer: '/inputs/specialFunds',
    message: 'a checklist is an object: point id → true/false or { "met", "evidence" }',
  },
  {
    breaks: 'a checklist point given as text',
    mutate: (s) => (s.inputs.specialFunds.withinTerm = 'yes'),
    pointer: '/inputs/specialFunds/withinTerm',
    message: 'must be true/false or { "met": true/false, "evidence" }',
  },
  {
    breaks: 'a fractional count',
    mutate: (s) => (s.inputs.commendations = 1.5),
    pointer: '/inputs/commendations',
    message: '受财政部门表扬次数 must be a whole number ≥ 0',
  },
  {
    breaks: 'a negative count',
    mutate: (s) => (s.inputs.violations = '-1'),
    pointer: '/inputs/violations',
    message: '被审计或财政部门发现问题次数 must be a whole number ≥ 0',
  },
  {
    breaks: 'a count given as a boolean',
    mutate: (s) => (s.inputs.violations = false),
    pointer: '/inputs/violations',
    message: '被审计或财政部门发现问题次数 must be a whole number ≥ 0',
  },
  {
    breaks: 'a checklist with a missing point',
    mutate: (s) => delete s.inputs.budgetPreparation.onTime,
    pointer: '/inputs/budgetPreparation/onTime',
    message: 'missing point "onTime"',
  },
  {
    breaks: 'a checklist with an unknown point',
    mutate: (s) => (s.inputs.budgetPreparation.staffTraining = true),
    pointer: '/inputs/budgetPreparation/staffTraining',
    message: 'unknown key "staffTraining"',
  },
  {
    breaks: 'a judgment without a reason',
    mutate: (s) => delete s.inputs.resultApplication.reason,
    pointer: '/inputs/resultApplication/reason',
    message: 'a non-empty string is required',
  },
  {
    breaks: 'a judgment outside its tier',
    mutate: (s) => (s.inputs.resultApplication.score = '1.5'),
    pointer: '/inputs/resultApplication/score',
    message: '达成 scores between 1.6 and 2',
  },
  {
    breaks: 'a budget header whose breakdowns disagree',
    mutate: (s) => (s.budget.columns.basic.budgeted = '159305670.20'),
    pointer: '/budget/columns/basic/budgeted',
    message: '按资金结构 sums to 5683388911.03 but 按资金来源 sums to 5683388811.03 (difference 100.00)',
  },
  {
    breaks: 'a budget header whose executed amounts disagree (negative difference)',
    mutate: (s) => (s.budget.columns.transfer.executed = '215409999.99'),
    pointer: '/budget/columns/city/executed',
    message: '按预算级次 sums to 5115068546.16 but 按资金来源 sums to 5115068546.17 (difference -0.01)',
  },
  {
    breaks: 'a budget amount as a JSON number',
    mutate: (s) => (s.budget.columns.other.budgeted = 18144),
    pointer: '/budget/columns/other/budgeted',
    message: 'an amount is a decimal string such as "18144", not a JSON number',
  },
  {
    breaks: 'a budget header missing a column',
    mutate: (s) => delete s.budget.columns.transfer,
    pointer: '/budget/columns/transfer',
    message: 'required: { "budgeted", "executed" }',
  },
  {
    breaks: 'a budget in the wrong unit',
    mutate: (s) => (s.budget.unit = '万元'),
    pointer: '/budget/unit',
    message: 'must be "元"',
  },
  {
    breaks: 'the wrong fiscal year',
    mutate: (s) => (s.fiscalYear = 2022),
    pointer: '/fiscalYear',
    message: 'is 2022 but rule set guangzhou-department-overall@2021.1.0 is for 2021',
  },
  {
    breaks: 'a fiscal year given as text',
    mutate: (s) => (s.fiscalYear = '2021'),
    pointer: '/fiscalYear',
    message: 'must be an integer year',
  },
  {
    breaks: 'declared indicators whose weights do not sum to their goal',
    mutate: (s) => (s.targets.performance[0].indicators[0].weight = '4'),
    pointer: `${RD}/weight`,
    message: `"${SEED.targets.performance[0].name}" weighs 12 but its indicators sum to 13`,
  },
  {
    breaks: 'declared goals whose weights do not sum to the section',
    mutate: (s) => {
      s.targets.performance[0].weight = '13';
      s.targets.performance[0].indicators[0].weight = '4';
    },
    pointer: '/targets/performance',
    message: 'the declared weights of 履职效能 sum to 51 but the section weighs 50',
  },
  {
    breaks: 'a declared indicator below the smallest weight',
    mutate: (s) => {
      s.targets.performance[0].indicators[0].weight = '2.5';
      s.targets.performance[0].indicators[1].weight = '2.5';
      s.targets.performance[0].indicators[2].weight = '0.5';
      s.targets.performance[0].indicators[3].weight = '3.5';
    },
    pointer: `${RD}/indicators/2/weight`,
    message: 'a key indicator weighs at least 1',
  },
  {
    breaks: 'an unknown comparator',
    mutate: (s) => (s.targets.performance[0].indicators[0].comparator = '≥'),
    pointer: `${RD}/indicators/0/comparator`,
    message: `must be one of ${COMPARATORS.map((c) => `"${c}"`).join(', ')}`,
  },
  {
    breaks: 'a range target without its upper bound',
    mutate: (s) => (s.targets.performance[0].indicators[0].comparator = 'range'),
    pointer: `${RD}/indicators/0/targetMax`,
    message: 'the upper bound must be a decimal string such as "1388.29"',
  },
  {
    breaks: 'a missing target result',
    mutate: (s) => delete s.targetResults['rd-3'],
    pointer: '/targetResults/rd-3',
    message: 'missing the result of "人才引进、聘用数量"',
  },
  {
    breaks: 'a target actual as a JSON number',
    mutate: (s) => (s.targetResults['rd-1'].actual = 21),
    pointer: '/targetResults/rd-1/actual',
    message: 'an actual value is a decimal string such as "21", not a JSON number',
  },
  {
    breaks: 'a qualitative result in an unknown tier',
    mutate: (s) => (s.targetResults['rd-4'].tier = 'done'),
    pointer: '/targetResults/rd-4/tier',
    message: 'must be one of "achieved"（达成）, "partial"（部分达成）, "unachieved"（未达成）',
  },
  {
    breaks: 'an unknown top-level key',
    mutate: (s) => (s.year = 2021),
    pointer: '/year',
    message: 'unknown key "year"',
  },
  {
    breaks: 'an unknown key in the department',
    mutate: (s) => (s.department.region = '广州'),
    pointer: '/department/region',
    message: 'unknown key "region"',
  },
  {
    breaks: 'an unknown key in a judgment',
    mutate: (s) => (s.inputs.resultApplication.evaluator = '市财政局'),
    pointer: '/inputs/resultApplication/evaluator',
    message: 'unknown key "evaluator"',
  },
  {
    breaks: 'an unknown key in a budget column',
    mutate: (s) => (s.budget.columns.fiscal.rate = '90.00'),
    pointer: '/budget/columns/fiscal/rate',
    message: 'unknown key "rate"',
  },
  {
    breaks: 'an unknown key in a declared indicator',
    mutate: (s) => (s.targets.performance[0].indicators[0].baseline = '18'),
    pointer: `${RD}/indicators/0/baseline`,
    message: 'unknown key "baseline"',
  },
  {
    breaks: 'an unknown key in a target result',
    mutate: (s) => (s.targetResults['rd-1'].score = '3'),
    pointer: '/targetResults/rd-1/score',
    message: 'unknown key "score"',
  },
  {
    breaks: 'a result for a target that was not declared',
    mutate: (s) => (s.targetResults['rd-9'] = { actual: '1' }),
    pointer: '/targetResults/rd-9',
    message: 'unknown key "rd-9"',
  },
  {
    breaks: 'evidence for an unknown indicator',
    mutate: (s) => (s.evidence['no-such-indicator'] = '见附件'),
    pointer: '/evidence/no-such-indicator',
    message: '"no-such-indicator" is not an indicator',
  },
];

describe(parseSubmission.name, () => {
  it('parses the seed submission without a problem', () => {
    const { problems, parsed } = parseSubmission(ruleSet, seed());

    expect(problems).toEqual([]);
    expect(parsed!.numbers.get('procurementActual')!.toFixed()).toBe('1388.29');
    expect(parsed!.numberTexts.get('otherFunds')).toBe('0');
  });

  it.each(cases)('names $pointer for $breaks', ({ mutate, pointer, message }) => {
    const submission = seed();
    mutate(submission);

    const { problems, parsed } = parseSubmission(ruleSet, submission);

    expect(inEnglish(problems)).toEqual([{ pointer, message }]);
    expect(problems[0].message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(parsed).toBeUndefined();
  });

  it('says it in Chinese, naming the input, the declared indicator and the first of a duplicate code', () => {
    const submission = seed();
    submission.inputs.procurementActual = 1388.29;
    submission.inputs.procurmentPlanned = '1643.42';
    submission.targets.performance[0].indicators[1].code = 'rd-1';

    expect(inChinese(parseSubmission(ruleSet, submission).problems)).toEqual([
      {
        pointer: '/inputs/procurmentPlanned',
        message: '“procurmentPlanned”不是规则集 guangzhou-department-overall 的填报项，是否应为 procurementPlanned？',
      },
      {
        pointer: '/inputs/procurementActual',
        message: '实际采购金额合计数（万元）要写成带引号的数字，如 "1388.29"，不能写成 JSON 数字',
        path: '填报项「实际采购金额合计数」',
      },
      {
        pointer: `${RD}/indicators/1/code`,
        message: `代码“rd-1”重复（首次出现于 ${RD}/indicators/0/code）`,
        path: `履职效能 › ${SEED.targets.performance[0].name} › ${SEED.targets.performance[0].indicators[1].name}`,
      },
      {
        pointer: '/targetResults/rd-2',
        message: '未知的键“rd-2”',
      },
    ]);
  });

  it('names both the duplicate code and the result it orphans', () => {
    const submission = seed();
    submission.targets.performance[0].indicators[1].code = 'rd-1';

    expect(inEnglish(parseSubmission(ruleSet, submission).problems)).toEqual([
      { pointer: `${RD}/indicators/1/code`, message: `duplicate code "rd-1" (first at ${RD}/indicators/0/code)` },
      { pointer: '/targetResults/rd-2', message: 'unknown key "rd-2"' },
    ]);
  });

  it('refuses a declared code that is already an indicator of the rule set', () => {
    const submission = seed();
    submission.targets.performance[0].indicators[0].code = 'budget-completion-rate';
    submission.targetResults['budget-completion-rate'] = submission.targetResults['rd-1'];
    delete submission.targetResults['rd-1'];

    expect(inEnglish(parseSubmission(ruleSet, submission).problems)).toEqual([
      {
        pointer: `${RD}/indicators/0/code`,
        message: 'duplicate code "budget-completion-rate" (the code of indicator 管理效能 › 资金管理 › 预算完成率)',
      },
    ]);
  });

  it('returns several problems together, in document order', () => {
    const submission = seed();
    submission.fiscalYear = 2022;
    submission.inputs.procurementActual = 1388.29;
    delete submission.inputs.resultApplication.reason;
    delete submission.targetResults['rd-3'];

    expect(inEnglish(parseSubmission(ruleSet, submission).problems)).toEqual([
      { pointer: '/fiscalYear', message: expect.stringContaining('is 2022') },
      { pointer: '/inputs/procurementActual', message: expect.stringContaining('decimal string') },
      { pointer: '/inputs/resultApplication/reason', message: 'a non-empty string is required' },
      { pointer: '/targetResults/rd-3', message: expect.stringContaining('missing the result') },
    ]);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'submission'],
  ])('refuses %s as a submission', (_, value) => {
    expect(inEnglish(parseSubmission(ruleSet, value).problems)).toEqual([
      { pointer: '', message: 'a submission is a JSON object' },
    ]);
  });
});

describe(validateDeclaredTargets.name, () => {
  it('accepts the seed declaration', () => {
    expect(validateDeclaredTargets(ruleSet, 'performance', seed().targets.performance)).toEqual([]);
  });

  it('names the section pointer when the goals miss the section weight', () => {
    const goals = seed().targets.performance.slice(1);

    expect(inEnglish(validateDeclaredTargets(ruleSet, 'performance', goals))).toEqual([
      { pointer: '', message: 'the declared weights of 履职效能 sum to 38 but the section weighs 50' },
    ]);
  });

  it('refuses a section that is not declared', () => {
    expect(inEnglish(validateDeclaredTargets(ruleSet, 'management', []))).toEqual([
      { pointer: '', message: '"management" is not a declared-target section of guangzhou-department-overall' },
    ]);
  });
});

describe(scoreSubmission.name, () => {
  it('throws INVALID_SUBMISSION carrying every problem', async () => {
    const submission = seed();
    submission.inputs.procurementActual = 1388.29;
    submission.inputs.commendations = -1;
    submission.budget.columns.basic.budgeted = '159305670.20';

    const error = await scoreSubmission(ruleSet, submission).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ScoringError);
    expect(error).toMatchObject({
      code: ScoringErrorCode.INVALID_SUBMISSION,
      message: expect.stringContaining('3 problem(s)'),
      problems: [
        { pointer: '/budget/columns/basic/budgeted', message: { en: expect.stringContaining('difference 100.00') } },
        { pointer: '/inputs/procurementActual', message: { en: expect.stringContaining('decimal string') } },
        { pointer: '/inputs/commendations', message: { en: expect.stringContaining('whole number') } },
      ],
    });
  });
});
