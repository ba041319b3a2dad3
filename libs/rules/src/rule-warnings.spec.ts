import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BandsMethod, CountAdjustMethod, LeafNode, RuleFile } from './rule-file.types';
import { ruleFileWarnings } from './rule-warnings';
import { validateRuleFile } from './validate-rule-file';

const read = (path: string): RuleFile => JSON.parse(readFileSync(join(__dirname, '../../..', path), 'utf8'));
const GZ_2021 = read('rules/guangzhou/department-overall/2021.json');
const gz = (): RuleFile => structuredClone(GZ_2021);

function at(file: RuleFile, ...path: number[]): LeafNode {
  let nodes: unknown[] = file.indicators;
  let node: unknown;
  for (const index of path) {
    node = nodes[index];
    nodes = (node as { children?: unknown[] }).children ?? [];
  }
  return node as LeafNode;
}
const COMMENDATION = [2, 0, 0] as const; // 工作受表彰或批评 (count-adjust, w 5)
const FIXED_ASSETS = [0, 3, 2] as const; // 固定资产利用率 (bands on a percent metric)
const PROCUREMENT = [0, 1, 0] as const; // 政府采购执行率 (proportional)
const FA = '/indicators/0/children/3/children/2';

/** Warnings of a file that is still valid: a warning never stands in for an error. */
function warningsOf(file: RuleFile) {
  expect(validateRuleFile(file)).toEqual([]);
  return ruleFileWarnings(file);
}

describe(ruleFileWarnings.name, () => {
  it.each(['rules/guangzhou/department-overall/2021.json', 'rules/national/project-self-evaluation/2020.json'])(
    'finds nothing to warn about in the shipped %s',
    (path) => {
      expect(ruleFileWarnings(read(path))).toEqual([]);
    },
  );

  it('warns of an input nothing reads', () => {
    const file = gz();
    file.inputs.push({ id: 'staffCount', label: '在编人数', type: 'count' });
    expect(warningsOf(file)).toEqual([
      {
        kind: 'unused-input',
        pointer: `/inputs/${file.inputs.length - 1}/id`,
        path: '填报项「在编人数」',
        message: {
          zh: expect.stringMatching(/^填报项“在编人数”（staffCount）没有任何指标、公式、条件或评分依据用到/),
          en: expect.stringContaining('input staffCount (在编人数) is read by no indicator'),
        },
      },
    ]);
  });

  it('counts an input read only by a 评分依据 template or a condition as used', () => {
    const file = gz();
    file.inputs.push({ id: 'staffCount', label: '在编人数', type: 'count' });
    at(file, ...PROCUREMENT).basis = '在编{staffCount}人，{calc}';
    expect(warningsOf(file)).toEqual([]);
  });

  it('warns of an 指标解释 still saying 每项加2.5分 after the method moved to 1.5, and of its old cap', () => {
    const file = gz();
    const method = at(file, ...COMMENDATION).method as CountAdjustMethod;
    method.positive.each = '1.5';
    method.positive.cap = '3';
    const warnings = warningsOf(file).filter((w) => w.kind === 'text-contradicts-method');
    expect(warnings).toEqual([
      {
        kind: 'text-contradicts-method',
        pointer: '/indicators/2/children/0/children/0/explanation',
        path: '加减分项 › 工作表现加减分 › 工作受表彰或批评',
        message: {
          zh: '指标解释写的是“每项加2.5分”，但计分方法为每次加 1.5 分：请改写指标解释，或检查计分方法',
          en: expect.stringContaining('says "每项加2.5分" but the method gives 1.5 per event'),
        },
      },
      {
        kind: 'text-contradicts-method',
        pointer: '/indicators/2/children/0/children/0/explanation',
        path: '加减分项 › 工作表现加减分 › 工作受表彰或批评',
        message: {
          zh: '指标解释写的是“加分最多不超过5分”，但计分方法的加分上限为 3 分：请改写指标解释，或检查计分方法',
          en: expect.stringContaining('caps it at 3'),
        },
      },
    ]);
  });

  it('warns of a percent in an 指标解释 that no band uses', () => {
    const file = gz();
    at(file, ...FIXED_ASSETS).explanation = '固定资产利用率达到95%以上的得满分。';
    expect(warningsOf(file)).toEqual([
      expect.objectContaining({
        kind: 'text-contradicts-method',
        pointer: `${FA}/explanation`,
        message: expect.objectContaining({ zh: expect.stringMatching(/^指标解释提到“95%”，但各档次的界值是 /) }),
      }),
    ]);
  });

  it('warns of band thresholds written as ratios on a percent metric, at each bound', () => {
    const file = gz();
    const bands = (at(file, ...FIXED_ASSETS).method as BandsMethod).bands;
    for (const band of bands) {
      for (const part of (band.when as { all: Array<{ value: string }> }).all) {
        part.value = String(Number(part.value) / 100);
      }
    }
    const warnings = warningsOf(file);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.kind === 'ratio-threshold')).toBe(true);
    expect(warnings[0]).toEqual({
      kind: 'ratio-threshold',
      pointer: `${FA}/method/bands/0/when/all/0/value`,
      path: '管理效能 › 资产管理 › 固定资产利用率',
      message: {
        zh: '“0.9”看起来是比例，但百分比以百分点计（"90" 表示 90%）：是否应写成 "90"？写成 "0.9" 几乎人人都能达到',
        en: expect.stringContaining('did you mean "90"?'),
      },
    });
  });

  it('warns of a proportional cap of "0.95"', () => {
    const file = gz();
    (at(file, ...PROCUREMENT).method as { cap?: string }).cap = '0.95';
    expect(warningsOf(file).map((w) => [w.kind, w.pointer])).toEqual([
      ['ratio-threshold', '/indicators/0/children/1/children/0/method/cap'],
      ['unreachable-total', '/total'],
    ]);
  });

  it('warns of a total and a top grade no submission can reach', () => {
    const file = gz();
    const bands = (at(file, ...FIXED_ASSETS).method as BandsMethod).bands;
    bands[0].score = '1.5'; // the top band no longer gives the weight, 2
    file.grades[0].min = '99.8';
    expect(warningsOf(file)).toEqual([
      {
        kind: 'unreachable-total',
        pointer: '/total',
        path: '总分',
        message: {
          zh: '满分 100 分无法达到：各指标最高可得合计 99.5 分（“固定资产利用率”最高 1.5 分（分值 2））。请检查这些指标的档次或上限',
          en: expect.stringContaining('at most 99.5'),
        },
      },
      {
        kind: 'unreachable-total',
        pointer: '/grades/0/min',
        path: '等次「优」',
        message: {
          zh: '等次“优”要求总分不低于 99.8，但总分最高只能得 99.5 分：没有部门能评为“优”',
          en: expect.stringContaining('no department can get it'),
        },
      },
    ]);
  });
});
