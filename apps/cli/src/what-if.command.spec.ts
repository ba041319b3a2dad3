import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportComparison } from '@jiping/scoring';
import { run } from './cli';
import { displayWidth } from './table';
import { parseSetValue } from './what-if.command';

const ROOT = join(__dirname, '..', '..', '..');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');
const GZ_2022_DRAFT = join(ROOT, 'docs/examples/guangzhou-department-overall-2022-draft.json');
const SEED_SUBMISSION = join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json');
const AT_PLAN = '/inputs/procurementActual=1643.42';

interface RunResult {
  code: number;
  out: string;
  err: string;
}

async function jiping(...argv: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), debug: false });
  return { code, out: out.join(''), err: err.join('') };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-what-if-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('jiping what-if', () => {
  it('prints the changed indicators before and after, the total and the grade', async () => {
    const { code, out, err } = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--set', AT_PLAN);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.split('\n')).toEqual([
      '广州市科学技术局（gz-kjj） 2021  guangzhou-department-overall@2021.1.0',
      '变更  /inputs/procurementActual = "1643.42"',
      '',
      '指标                原得分  新得分    变化',
      '------------------------------------------',
      '管理效能            42.122  42.432  +0.310',
      '  采购管理            1.69    2.00   +0.31',
      '    政府采购执行率    1.69    2.00   +0.31',
      '',
      '总分  94.622 → 94.932（+0.310）',
      '等次  优 → 优（不变）',
      '',
    ]);
  });

  it('applies every --set, in order, and shows losses with their sign', async () => {
    const { code, out } = await jiping(
      'what-if',
      GZ_2021,
      SEED_SUBMISSION,
      '--set',
      '/inputs/budgetPreparation/preAssessment/met=true',
      '--set',
      '/inputs/commendations=0',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^ {4}部门预算编制情况 +2\.00 +3\.00 +\+1\.00$/m);
    expect(out).toMatch(/^ {4}工作受表彰或批评 +2\.5 +0\.0 +-2\.5$/m);
    expect(out).toMatch(/^ {6}\/inputs\/commendations = "0"$/m);
    expect(out).toMatch(/^总分 {2}94\.622 → 93\.122（-1\.500）$/m);
  });

  it('says when no score moves', async () => {
    const { code, out } = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--set', '/overview/shortfall=无');
    expect(code).toBe(0);
    expect(out).toContain('得分无变化');
    expect(out).toMatch(/^总分 {2}94\.622 → 94\.622（0\.000）$/m);
  });

  it('prints the comparison as JSON with --json', async () => {
    const { code, out } = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--set', AT_PLAN, '--json');
    expect(code).toBe(0);
    const comparison = JSON.parse(out) as ReportComparison;
    expect(comparison.total).toEqual({ before: '94.622', after: '94.932', delta: '0.310' });
    expect(comparison.grade).toEqual({ before: '优', after: '优', changed: false });
    expect(comparison.changed.map((n) => [n.code, n.before, n.after, n.delta])).toEqual([
      ['management', '42.122', '42.432', '0.310'],
      ['procurement-management', '1.69', '2.00', '0.31'],
      ['procurement-execution-rate', '1.69', '2.00', '0.31'],
    ]);
    expect(comparison.sections.map((s) => s.code)).toEqual(['management', 'performance', 'bonus-penalty']);
  });

  it('fits the table to the terminal width', async () => {
    const out: string[] = [];
    await run(['what-if', GZ_2021, SEED_SUBMISSION, '--set', '/targetResults/rd-1/actual=15'], {
      out: (s) => out.push(s),
      err: () => undefined,
      columns: 40,
    });
    const lines = out.join('').split('\n');
    expect(lines).toContain('总分  94.622 → 93.772（-0.850）');
    for (const line of lines.filter((l) => !l.startsWith('广州市'))) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it('exits 1 listing every change it cannot apply, by its --set', async () => {
    const { code, out, err } = await jiping(
      'what-if',
      GZ_2021,
      SEED_SUBMISSION,
      '--set',
      '/fiscalYear=2022',
      '--set',
      AT_PLAN,
      '--set',
      '/targetResults/rd-99/actual=1',
    );
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err.split('\n')).toEqual([
      `jiping: 2 项修改无法应用到 ${SEED_SUBMISSION}`,
      '--set /fiscalYear=2022：/fiscalYear 不能修改：年度不是模拟的输入：它是所依据填报的年度（位置 /changes/0/pointer）',
      '--set /targetResults/rd-99/actual=1：/targetResults/rd-99 不存在：一项修改只能新增指针的最后一级（位置 /changes/2/pointer）',
      '',
    ]);
  });

  it('exits 1 when the engine refuses a changed value, naming the --set that caused it', async () => {
    const { code, err } = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--set', '/inputs/assetSystems=yes');
    expect(code).toBe(1);
    expect(err).toContain(`jiping: 按修改后的填报文件 ${SEED_SUBMISSION}：填报数据与规则集`);
    expect(err).toMatch(
      /^填报项「.+」：.+（由 --set \/inputs\/assetSystems=yes 修改）（位置 \/inputs\/assetSystems）$/m,
    );
  });

  it('exits 1 on a submission that is invalid before any change', async () => {
    const submission = JSON.parse(readFileSync(SEED_SUBMISSION, 'utf8'));
    submission.inputs.procurementActual = 1388.29;
    const path = join(dir, 'number-amount.json');
    writeFileSync(path, JSON.stringify(submission));
    const { code, err } = await jiping('what-if', GZ_2021, path, '--set', AT_PLAN);
    expect(code).toBe(1);
    expect(err).toContain(`jiping: 填报文件 ${path}：`);
    expect(err).toMatch(/^填报项「实际采购金额合计数」：.*不能写成 JSON 数字（位置 \/inputs\/procurementActual）$/m);
  });

  it.each([
    ['a --set without "="', ['--set', '/inputs/procurementActual']],
    ['a --set without a pointer', ['--set', '=1643.42']],
    ['no --set', []],
  ])('exits 2 on %s', async (_name, options) => {
    const { code, out, err } = await jiping('what-if', GZ_2021, SEED_SUBMISSION, ...options);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(/<位置>=<值>/);
  });

  it('simulates next year’s draft on this year’s data with --base: the 2022 example gives 90.882 良', async () => {
    const { code, out, err } = await jiping('what-if', GZ_2022_DRAFT, SEED_SUBMISSION, '--base', GZ_2021);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.split('\n');
    expect(lines[1]).toBe('模拟  2021年数据按2022年规则模拟（原得分按 guangzhou-department-overall@2021.1.0）');
    expect(out).toMatch(/^ {4}政府采购执行率 +1\.69 +0\.45 +-1\.24$/m);
    expect(out).toMatch(/^ {4}固定资产利用率 +1\.50 +0\.00 +-1\.50$/m);
    expect(out).toMatch(/^ {4}数据安全管理（含假定值） +— +1\.00 +\+1\.00$/m);
    expect(out).toMatch(/^ {4}工作受表彰或批评 +2\.5 +1\.5 +-1\.0$/m);
    expect(out).toContain('总分  94.622 → 90.882（-3.740）');
    expect(out).toContain('等次  优 → 良');
    expect(out).toContain('  数据安全管理 › 已制定数据安全管理制度：按满足计（2022年新增指标');

    const en = await jiping('what-if', GZ_2022_DRAFT, SEED_SUBMISSION, '--base', GZ_2021, '--lang', 'en');
    expect(en.out).toContain('2021 data scored under the 2022 rules (simulation)');
    expect(en.out).toMatch(/^ {4}数据安全管理 \(assumed values\) +— +1\.00 +\+1\.00$/m);
    expect(en.out).toContain('total  94.622 → 90.882 (-3.740)');
    expect(en.out).toContain('grade  优 → 良');
    expect(en.out).not.toMatch(/总分 {2}|等次 {2}|模拟 {2}|假定值（/); // the bureau's own reason stays Chinese

    const json = JSON.parse((await jiping('what-if', GZ_2022_DRAFT, SEED_SUBMISSION, '--base', GZ_2021, '--json')).out);
    expect(json.total).toEqual({ before: '94.622', after: '90.882', delta: '-3.740' });
    expect(json.grade).toEqual({ before: '优', after: '良', changed: true });
    expect(json.simulation.assumptions.map((a: { key: string }) => a.key)).toEqual([
      'dataSecurity/dataRules',
      'dataSecurity/riskAssessment',
    ]);
    expect(json.changed.find((n: { code: string }) => n.code === 'data-security').assumed).toEqual([
      'dataSecurity/dataRules',
      'dataSecurity/riskAssessment',
    ]);
  });

  it('refuses --base that the rule file does not continue, in Chinese (English with --lang en)', async () => {
    const zh = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--base', GZ_2022_DRAFT);
    expect(zh.code).toBe(2);
    expect(zh.err).toMatch(/^jiping: 无法模拟：.*不承接 --base /m);
    const en = await jiping('what-if', GZ_2021, SEED_SUBMISSION, '--base', GZ_2022_DRAFT, '--lang', 'en');
    expect(en.err).toMatch(/^jiping: cannot simulate: .* does not continue --base /m);
  });

  it('exits 2 on a missing argument', async () => {
    const { code } = await jiping('what-if', GZ_2021, '--set', AT_PLAN);
    expect(code).toBe(2);
  });
});

describe(parseSetValue.name, () => {
  it.each<[string, unknown]>([
    ['1643.42', '1643.42'],
    ['1', '1'],
    ['-5', '-5'],
    ['0.00', '0.00'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['{"met":true,"evidence":"补充材料"}', { met: true, evidence: '补充材料' }],
    ['["a"]', ['a']],
    ['"true"', 'true'],
    ['"1643.42"', '1643.42'],
    ['已完成', '已完成'],
    ['{not json', '{not json'],
    ['', ''],
  ])('reads %j as %j', (text, value) => {
    expect(parseSetValue(text)).toEqual(value);
  });
});
