import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContinuationSpec, RuleFile } from './rule-file.types';
import { validateRuleFile } from './validate-rule-file';

const EXAMPLE = JSON.parse(
  readFileSync(join(__dirname, '../../../docs/examples/guangzhou-department-overall-2022-draft.json'), 'utf8'),
) as RuleFile;

/** A fresh copy of the shipped 2022 example draft (continues 广州 2021), with `continues` changed by `change`. */
function draft(change: (continues: ContinuationSpec, file: RuleFile) => void): RuleFile {
  const file = structuredClone(EXAMPLE);
  change(file.continues!, file);
  return file;
}

const DS = '/continues/inputs/0';

describe('continues (the earlier version a rule file continues)', () => {
  it('is valid in the shipped 2022 example draft', () => {
    expect(validateRuleFile(EXAMPLE)).toEqual([]);
  });

  it('is optional, and every other check still runs on a file that has it', () => {
    expect(validateRuleFile(draft((_c, file) => delete file.continues))).toEqual([]);
    const broken = draft((_c, file) => (file.total = '101'));
    expect(validateRuleFile(broken).map((p) => p.pointer)).toEqual(['/total']);
  });

  it.each<[string, (c: ContinuationSpec, file: RuleFile) => void, string, string]>([
    [
      'continuing itself',
      (c, file) => Object.assign(c, { version: file.version, fiscalYear: 2022 }),
      '/continues',
      '不能承接它自己',
    ],
    ['continuing a later year', (c) => (c.fiscalYear = 2023), '/continues/fiscalYear', '晚于本文件的年度 2022'],
    [
      'an input this file does not declare',
      (c) => (c.inputs![0].id = 'dataSafety'),
      `${DS}/id`,
      '“dataSafety”不是本文件的输入项',
    ],
    [
      'an input declared twice',
      (c) => c.inputs!.push({ id: 'dataSecurity', from: 'assetSystems' }),
      '/continues/inputs/1/id',
      '已声明过一次',
    ],
    ['both from and assume', (c) => (c.inputs![0].from = 'assetSystems'), DS, '二者取一'],
    ['neither from nor assume', (c) => delete c.inputs![0].assume, DS, '二者取一'],
    [
      'a checklist point the input does not have',
      (c) => (c.inputs![0].assume = { dataRules: true, encryption: true }),
      `${DS}/assume/encryption`,
      '“encryption”不是 数据安全管理（dataSecurity） 的要点',
    ],
    [
      'a checklist point assumed as text',
      (c) => (c.inputs![0].assume = { dataRules: '是' }),
      `${DS}/assume/dataRules`,
      'true（满足）或 false（不满足）',
    ],
    ['an empty checklist assumption', (c) => (c.inputs![0].assume = {}), `${DS}/assume`, '至少一个要点'],
    [
      'an amount with three decimals',
      (c) => (c.inputs![0] = { id: 'procurementActual', assume: '1.234' }),
      `${DS}/assume`,
      '最多 2 位小数',
    ],
    [
      'an amount as a JSON number',
      (c) => (c.inputs![0] = { id: 'procurementActual', assume: 1388.29 }),
      `${DS}/assume`,
      '小数字符串',
    ],
    [
      'a negative amount',
      (c) => (c.inputs![0] = { id: 'procurementActual', assume: '-1' }),
      `${DS}/assume`,
      '不能为负数',
    ],
    [
      'a count that is not whole',
      (c) => (c.inputs![0] = { id: 'commendations', assume: '1.5' }),
      `${DS}/assume`,
      '非负整数',
    ],
    [
      'a boolean as text',
      (c) => (c.inputs![0] = { id: 'assetReconciliation', assume: '是' }),
      `${DS}/assume`,
      'true 或 false',
    ],
    [
      'a judgment without a score',
      (c) => (c.inputs![0] = { id: 'resultApplication', assume: { tier: 'achieved' } }),
      `${DS}/assume`,
      'score 为小数字符串',
    ],
    [
      'a judgment in an unknown tier',
      (c) => (c.inputs![0] = { id: 'resultApplication', assume: { score: '2', tier: 'full' } }),
      `${DS}/assume/tier`,
      'achieved（达成）',
    ],
    [
      'a judgment score outside its tier',
      (c) => (c.inputs![0] = { id: 'resultApplication', assume: { score: '1', tier: 'achieved' } }),
      `${DS}/assume/score`,
      '达成的分数在 1.6-2 之间',
    ],
    [
      'a judgment score above the weight',
      (c) => (c.inputs![0] = { id: 'resultApplication', assume: { score: '3', tier: 'achieved' } }),
      `${DS}/assume/score`,
      '超出 绩效结果应用 的分值范围 0-2',
    ],
  ])('refuses %s', (_name, change, pointer, fragment) => {
    const problems = validateRuleFile(draft(change));
    expect(problems).toContainEqual({
      pointer,
      message: { zh: expect.stringContaining(fragment), en: expect.any(String) },
      path: '承接的上一版本（continues）',
    });
  });

  it.each<[string, ContinuationSpec['inputs']]>([
    ['a rename', [{ id: 'procurementActual', from: 'procurementTotal' }]],
    [
      'a carry-over across a change of type, declared as from the same id',
      [{ id: 'dataSecurity', from: 'dataSecurity' }],
    ],
    ['some points of a checklist, as { met }', [{ id: 'dataSecurity', assume: { riskAssessment: { met: false } } }]],
    ['an amount', [{ id: 'procurementActual', assume: '0' }]],
    ['a count as a JSON integer', [{ id: 'commendations', assume: 0 }]],
    [
      'a judgment inside its tier',
      [{ id: 'resultApplication', assume: { score: '1.6', tier: 'achieved', reason: '按达成计' } }],
    ],
  ])('accepts %s', (_name, inputs) => {
    expect(validateRuleFile(draft((c) => (c.inputs = inputs)))).toEqual([]);
  });

  it('refuses unknown keys and a malformed declaration by the schema', () => {
    const problems = validateRuleFile(
      draft((c) => Object.assign(c, { versions: ['2021.1.0'], inputs: [{ id: 'Data-Security', assume: {} }] })),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          pointer: '/continues/versions',
          message: {
            zh: '未知的键“versions”，是否应为 version？',
            en: 'unknown key "versions"; did you mean version?',
          },
          path: '承接的上一版本（continues）',
        },
        {
          pointer: '/continues/inputs/0/id',
          message: { zh: expect.stringContaining('以小写字母开头'), en: expect.stringContaining('camelCase') },
          path: '承接的上一版本（continues）',
        },
      ]),
    );
  });
});
