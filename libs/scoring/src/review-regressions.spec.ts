import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toRuleSet, validateRuleFile } from '@jiping/rules';
import { scoreSubmission } from './score-submission';
import { ScoringErrorCode } from './scoring.error';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string): any => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const GZ = 'rules/guangzhou/department-overall/2021.json';
const NATIONAL = 'rules/national/project-self-evaluation/2020.json';
const leafAt = (file: any, ...path: number[]): any =>
  path.reduce((node, i, depth) => (depth === 0 ? file.indicators[i] : node.children[i]), undefined as any);

describe('rule-file checks added on review', () => {
  it('refuses a proportional cap above 100 %, which would score above the weight', () => {
    const file = read(GZ);
    leafAt(file, 0, 1, 0).method.cap = '120';
    expect(validateRuleFile(file)).toEqual([
      {
        pointer: '/indicators/0/children/1/children/0/method/cap',
        message: {
          zh: '封顶值必须在 (0, 100] 之间：一项指标的得分不会超过它的分值',
          en: expect.stringContaining('(0, 100]'),
        },
        path: '管理效能 › 采购管理 › 政府采购执行率',
      },
    ]);
  });

  it('refuses a decimal operator compared with something that is not a decimal string', () => {
    const file = read(GZ);
    leafAt(file, 0, 1, 0).applies = {
      when: { all: [{ fact: 'procurementPlanned', operator: 'decimalGreaterThan', value: 'abc' }] },
      otherwise: 'full',
      reason: '无政府采购计划',
    };
    expect(validateRuleFile(file)).toEqual([
      {
        pointer: '/indicators/0/children/1/children/0/applies/when/all/0/value',
        message: {
          zh: '“decimalGreaterThan”比较的值要写成带引号的十进制数，如 "90"',
          en: expect.stringContaining('decimal string'),
        },
        path: '管理效能 › 采购管理 › 政府采购执行率',
      },
    ]);
  });

  it('refuses a 评分依据 placeholder the engine cannot fill in', () => {
    const file = read(GZ);
    leafAt(file, 0, 1, 0).basis = '{procurementActual}/{budgetPreparation}={metric}，{targetsMet}';
    const problems = validateRuleFile(file);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/indicators/0/children/1/children/0/basis',
      '/indicators/0/children/1/children/0/basis',
    ]);
    expect(problems[0].message.zh).toMatch(/^评分依据模板中的 \{budgetPreparation\} 无法填写/);
    expect(problems[0].message.en).toContain('{budgetPreparation}');
    expect(problems[1].message.zh).toMatch(/^评分依据模板中的 \{targetsMet\} 无法填写/);
  });
});

describe('scoring fixes added on review', () => {
  it('checks that a one-level declared section sums to its weight', async () => {
    const file = read(NATIONAL);
    const satisfaction = file.indicators[3];
    satisfaction.declared.levels = 1;
    const submission = read('test/fixtures/national-project-2020/submission.json');
    const [goal] = submission.targets.satisfaction;
    submission.targets.satisfaction = goal.indicators.slice(0, 1); // 6 of the section's 10
    delete submission.targetResults[goal.indicators[1].code];
    await expect(scoreSubmission(toRuleSet(file), submission)).rejects.toMatchObject({
      code: ScoringErrorCode.INVALID_SUBMISSION,
      problems: [{ pointer: '/targets/satisfaction', message: { en: expect.stringContaining('sum to 6') } }],
    });
  });

  it('counts declared sections inside a group when a formula reads score() of the group', async () => {
    const file = read(NATIONAL);
    const [execution, output, outcome, satisfaction] = file.indicators;
    // Regroup: a group "results" holding the three declared sections; execution-rate now reads their score.
    file.indicators = [
      {
        ...execution,
        metric: { formula: 'score("results") / 90', unit: 'percent' },
        basis: undefined,
      },
      { code: 'results', name: '产出效益满意度', weight: '90', children: [output, outcome, satisfaction] },
    ];
    const report = await scoreSubmission(toRuleSet(file), read('test/fixtures/national-project-2020/submission.json'));
    // 47.52 + 29.39 + 9.94 = 86.85; 86.85 / 90 = 96.50 % → 10 × 96.50 % = 9.65
    expect(report.sections[1].score).toBe('86.85');
    expect(report.sections[0]).toMatchObject({ score: '9.65', metric: { shown: '96.50%' } });
  });

  it('explains a leaf that does not apply without its template', async () => {
    const file = read(GZ);
    leafAt(file, 0, 1, 0).applies = {
      when: { all: [{ fact: 'procurementPlanned', operator: 'decimalGreaterThan', value: '0' }] },
      otherwise: 'full',
      reason: '本年度无政府采购计划',
    };
    const submission = read('test/fixtures/gz-kjj-2021/submission.json');
    submission.inputs.procurementPlanned = '0';
    submission.inputs.procurementActual = '0';
    const report = await scoreSubmission(toRuleSet(file), submission);
    const leaf = report.sections[0].children![1].children![0];
    expect(leaf).toMatchObject({
      status: 'not-applicable',
      score: '2.00',
      basis: '不适用：本年度无政府采购计划，得2.00分',
    });
    expect(report.total).toBe('94.932');
  });

  it('shows the absolute value of a banded metric with its decimals', async () => {
    const submission = read('test/fixtures/gz-kjj-2021/submission.json');
    submission.inputs.finalAccountRevenue = submission.inputs.budgetRevenue;
    const report = await scoreSubmission(toRuleSet(read(GZ)), submission);
    expect(report.sections[0].children![0].children![3].calc).toBe('绝对值0.00%在≤5%区间，得2.00分');
  });

  it('refuses a declared code that reuses a group code of the rule set', async () => {
    const submission = read('test/fixtures/gz-kjj-2021/submission.json');
    submission.targets.performance[0].code = 'fund-management';
    await expect(scoreSubmission(toRuleSet(read(GZ)), submission)).rejects.toMatchObject({
      problems: [
        {
          pointer: '/targets/performance/0/code',
          message: {
            zh: '代码“fund-management”重复（与指标“管理效能 › 资金管理”的代码相同）',
            en: 'duplicate code "fund-management" (the code of indicator 管理效能 › 资金管理)',
          },
        },
      ],
    });
  });
});
