import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RuleProblem, type RuleWarning, type Submission } from '@jiping/rules';
import { checkRuleFile, scoreSubmission, ScoringError } from '@jiping/scoring';
import { run } from '../../apps/cli/src/cli';
import { GZ_2021, loadRuleSet, readJson, SEED_SUBMISSION } from '../support/load';

/**
 * Mistakes a bureau really makes, planted one at a time in the shipped 广州 2021 rule file: each must be reported in
 * Chinese, naming the indicator by its Chinese path (管理效能 › 资产管理 › 固定资产利用率) with the JSON pointer beside,
 * by the engine and by `jiping validate` alike, and in English on request.
 */

type Json = Record<string, any>;

const FIXED_ASSETS = '/indicators/0/children/3/children/2';
const PROCUREMENT = '/indicators/0/children/1/children/0';
const COMMENDATION = '/indicators/2/children/0/children/0';
const SEED_TEST = '内嵌测试「2021年自评数据（履职效能简化为一个目标）」';

/** The node at /indicators/i/children/j/…, by its child indexes. */
function at(file: Json, ...path: number[]): Json {
  let node: Json = { children: file.indicators };
  for (const index of path) node = node.children[index];
  return node;
}

interface Planted {
  /** What the bureau did wrong. */
  mistake: string;
  edit: (file: Json) => void;
  /** problem: the file is refused; warning: it is accepted with a warning. */
  as: 'problem' | 'warning';
  pointer: string;
  path: string;
  zh: string;
  /** A part of the English message. */
  en: string;
}

const PLANTED: Planted[] = [
  {
    mistake: 'a gap between two bands (80–85 % covered by none)',
    edit: (file) => (at(file, 0, 3, 2).method.bands[1].when.all[0].value = '85'),
    as: 'problem',
    pointer: `${FIXED_ASSETS}/method/bands/1/when`,
    path: '管理效能 › 资产管理 › 固定资产利用率',
    zh: '指标值为 80%（含）-85%（区间 [80, 85)）时没有对应的档次：档次之间有空缺',
    en: 'covered by no band',
  },
  {
    mistake: 'weights that no longer sum to their parent’s (政府采购执行率 2 → 1.5)',
    edit: (file) => (at(file, 0, 1, 0).weight = '1.5'),
    as: 'problem',
    pointer: '/indicators/0/children/1/weight',
    path: '管理效能 › 采购管理',
    zh: '“采购管理”分值为 2，但下级指标分值之和为 1.5',
    en: '1.5',
  },
  {
    mistake: 'a misspelt input in a formula',
    edit: (file) => {
      const metric = at(file, 0, 1, 0).metric;
      metric.formula = metric.formula.replace('procurementPlanned', 'procurementPlaned');
    },
    as: 'problem',
    pointer: `${PROCUREMENT}/metric/formula`,
    path: '管理效能 › 采购管理 › 政府采购执行率',
    zh: '“procurementPlaned”不是已声明的填报项，是否应为 procurementPlanned？',
    en: 'did you mean procurementPlanned?',
  },
  {
    mistake: 'a duplicate indicator code (the first occurrence is named)',
    edit: (file) => (at(file, 0, 3, 2).code = 'procurement-execution-rate'),
    as: 'problem',
    pointer: `${FIXED_ASSETS}/code`,
    path: '管理效能 › 资产管理 › 固定资产利用率',
    zh:
      '指标代码“procurement-execution-rate”重复（首次出现于 管理效能 › 采购管理 › 政府采购执行率，' +
      '/indicators/0/children/1/children/0）',
    en: '/indicators/0/children/1/children/0',
  },
  {
    mistake: 'a grade bound above 100',
    edit: (file) => (file.grades[0].min = '105'),
    as: 'problem',
    pointer: '/grades/0/min',
    path: '等次「优」',
    zh: '没有总分能达到 105：总分最高为 100',
    en: '105',
  },
  {
    mistake: 'a stale test expectation',
    edit: (file) => (file.tests[0].expected.total = '95.000'),
    as: 'problem',
    pointer: '/tests/0/expected/total',
    path: SEED_TEST,
    zh: '总分算得 94.622，预期写的是 95.000',
    en: 'total is 94.622, expected 95.000',
  },
  {
    mistake: 'a percent threshold written as a ratio ("0.9" for 90 %)',
    edit: (file) => {
      const [top, second] = at(file, 0, 3, 2).method.bands;
      top.when.all[0].value = '0.9';
      second.when.all[1].value = '0.9';
      second.when.all[0].value = '0.8';
      const bands = at(file, 0, 3, 2).method.bands;
      bands[2].when.all[1].value = '0.8';
      bands[2].when.all[0].value = '0.7';
      bands[3].when.all[1].value = '0.7';
      bands[3].when.all[0].value = '0.6';
      bands[4].when.all[0].value = '0.6';
    },
    as: 'warning',
    pointer: `${FIXED_ASSETS}/method/bands/0/when/all/0/value`,
    path: '管理效能 › 资产管理 › 固定资产利用率',
    zh: '“0.9”看起来是比例，但百分比以百分点计（"90" 表示 90%）：是否应写成 "90"？写成 "0.9" 几乎人人都能达到',
    en: '0.9',
  },
  {
    mistake: 'an 指标解释 that contradicts the method (每项加1.5分 while the method gives 2.5)',
    edit: (file) => {
      const leaf = at(file, 2, 0, 0);
      leaf.explanation = leaf.explanation.replace('每项加2.5分', '每项加1.5分');
    },
    as: 'warning',
    pointer: `${COMMENDATION}/explanation`,
    path: '加减分项 › 工作表现加减分 › 工作受表彰或批评',
    zh: '指标解释写的是“每项加1.5分”，但计分方法为每次加 2.5 分：请改写指标解释，或检查计分方法',
    en: '1.5',
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-planted-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function jiping(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), debug: false });
  return { code, out: out.join(''), err: err.join('') };
}

describe.each(PLANTED)('a planted mistake: $mistake', (planted) => {
  const file = readJson(GZ_2021) as Json;
  planted.edit(file);

  it(`is reported as a ${planted.as} in Chinese, with the Chinese path and the pointer`, async () => {
    const { problems, warnings } = await checkRuleFile(file);
    const found: Array<RuleProblem | RuleWarning> = planted.as === 'problem' ? problems : warnings;
    const mine = found.filter((p) => p.pointer === planted.pointer);
    expect(mine.map((p) => ({ pointer: p.pointer, path: p.path, zh: (p.message as { zh: string }).zh }))).toEqual([
      { pointer: planted.pointer, path: planted.path, zh: planted.zh },
    ]);
    expect((mine[0].message as { en: string }).en).toContain(planted.en);
    expect((mine[0].message as { en: string }).en).not.toBe(planted.zh);
    // a warning never blocks on its own: only the embedded tests a ratio threshold breaks refuse the file
    const blocking = planted.as === 'warning' ? problems.filter((p) => !p.pointer.startsWith('/tests/')) : [];
    expect(blocking).toEqual([]);
  });

  it('is printed by jiping validate as 路径：消息（位置 指针）, and in English with --lang en', async () => {
    const path = join(dir, `${PLANTED.indexOf(planted)}.json`);
    writeFileSync(path, JSON.stringify(file));
    const zh = await jiping('validate', path);
    expect(zh.out).toContain(`${planted.path}：${planted.zh}（位置 ${planted.pointer}）`);
    const en = await jiping('validate', path, '--lang', 'en');
    expect(en.out).toContain(`${planted.path}: `);
    expect(en.out).toContain(`(at ${planted.pointer})`);
    expect(en.out).not.toContain(planted.zh);
  });
});

describe('a planted mistake in a submission: a misspelt input id', () => {
  it('names the input it should be, in Chinese, with the pointer', async () => {
    const submission = readJson(SEED_SUBMISSION) as Json;
    submission.inputs.procurmentPlanned = submission.inputs.procurementPlanned;
    delete submission.inputs.procurementPlanned;
    const error = await scoreSubmission(loadRuleSet(GZ_2021), submission as Submission).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScoringError);
    const problems = (error as ScoringError).problems;
    const misspelt = problems.find((p) => p.pointer === '/inputs/procurmentPlanned');
    expect((misspelt!.message as { zh: string }).zh).toBe(
      '“procurmentPlanned”不是规则集 guangzhou-department-overall 的填报项，是否应为 procurementPlanned？',
    );
    expect((misspelt!.message as { en: string }).en).toContain('did you mean procurementPlanned?');
    const missing = problems.find((p) => p.pointer === '/inputs/procurementPlanned');
    expect(missing).toMatchObject({ path: expect.stringContaining('填报项「') });
  });
});
