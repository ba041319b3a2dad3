import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeReport, ScoreReport } from '@jiping/scoring';
import { run } from './cli';

const ROOT = join(__dirname, '..', '..', '..');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');
const SEED_SUBMISSION = join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json');

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

/** The seed rule file, parsed, for making broken copies. */

type Json = any;
const seedRuleFile = (): Json => JSON.parse(readFileSync(GZ_2021, 'utf8'));

let dir: string;
/** Writes a JSON document to the temp directory and returns its path. */
const writeTemp = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('jiping validate', () => {
  it('accepts the shipped 广州 2021 rule file', async () => {
    const { code, out } = await jiping('validate', GZ_2021);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^✓ guangzhou-department-overall@2021\.1\.0（[0-9a-f]{12}）有效：\d+ 个指标，30 个填报项，\d+ 个内嵌测试全部通过\n {2}校验和 [0-9a-f]{64}（rules\/rules\.lock\.json 登记的值）\n$/,
    );
  });

  it('says it in English with --lang en', async () => {
    const { code, out } = await jiping('validate', GZ_2021, '--lang', 'en');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^✓ guangzhou-department-overall@2021\.1\.0 \([0-9a-f]{12}\) valid: \d+ indicators, 30 inputs, \d+ embedded tests passed\n {2}checksum [0-9a-f]{64} \(the value rules\/rules\.lock\.json pins\)\n$/,
    );
  });

  // Paths into rules/guangzhou/department-overall/2021.json.
  const fundManagement = (file: Json): Json => file.indicators[0].children[0];
  const variance = (file: Json): Json => fundManagement(file).children[3];

  it.each<[string, (file: Json) => void, string]>([
    [
      'a weight sum that misses the parent weight',
      (file) => {
        fundManagement(file).children[0].weight = '3';
      },
      '管理效能 › 资金管理：“资金管理”分值为 16，但下级指标分值之和为 17（位置 /indicators/0/children/0/weight）',
    ],
    [
      'a gap between bands',
      (file) => {
        variance(file).method.bands[1].when.all[0].value = '6';
      },
      '管理效能 › 资金管理 › 财政拨款收入预决算差异率：指标值为 5%-6%（含）（区间 (5, 6]）时没有对应的档次：档次之间有空缺（位置 /indicators/0/children/0/children/3/method/bands/1/when）',
    ],
    [
      'a formula cycle through score()',
      (file) => {
        file.indicators[0].children[1].children[0].metric.formula = 'score("fixed-asset-utilization") / 2';
        file.indicators[0].children[3].children[2].metric.formula = 'score("procurement-execution-rate") / 2';
      },
      '管理效能 › 采购管理 › 政府采购执行率：指标之间循环引用得分',
    ],
    [
      'an unknown operator',
      (file) => {
        variance(file).method.bands[0].when.all[0].operator = 'fooBar';
      },
      '管理效能 › 资金管理 › 财政拨款收入预决算差异率：未知的运算符“fooBar”',
    ],
  ])('rejects %s and prints the pointer', async (name, breakIt, expected) => {
    const file = seedRuleFile();
    breakIt(file);
    const path = writeTemp(`${name.replace(/\W+/g, '-')}.json`, file);
    const { code, out } = await jiping('validate', path);
    expect(code).toBe(1);
    expect(out).toContain(`✗ ${path}：1 处问题\n`);
    expect(out).toContain(expected);
  });

  it('prints the problems in English with --lang en, the path still naming the indicator', async () => {
    const file = seedRuleFile();
    fundManagement(file).children[0].weight = '3';
    const path = writeTemp('weight-en.json', file);
    const { code, out } = await jiping('validate', '--lang=en', path);
    expect(code).toBe(1);
    expect(out).toBe(
      `✗ ${path}: 1 problem\n` +
        '管理效能 › 资金管理: "资金管理" weighs 16 but its children sum to 17 (at /indicators/0/children/0/weight)\n',
    );
  });

  it('reports a file that is not JSON as one problem at "/"', async () => {
    const { code, out } = await jiping('validate', writeTemp('not-json.json', '{ "id": '));
    expect(code).toBe(1);
    expect(out).toMatch(/^不是有效的 JSON：.*（位置 \/）$/m);
  });
});

describe('jiping score', () => {
  it('prints the ScoreReport as JSON with --json', async () => {
    const { code, out } = await jiping('score', GZ_2021, SEED_SUBMISSION, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as ScoreReport;
    expect({ total: report.total, grade: report.grade }).toEqual({ total: '94.622', grade: '优' });
    const walk = (node: NodeReport): void => {
      expect(typeof node.name).toBe('string');
      expect(typeof node.score).toBe('string');
      node.children?.forEach(walk);
    };
    expect(report.sections.length).toBeGreaterThan(0);
    report.sections.forEach(walk);
  });

  it('prints the 自评表 with the total, the grade and every indicator', async () => {
    const { code, out, err } = await jiping('score', GZ_2021, SEED_SUBMISSION);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('单位      广州市科学技术局');
    expect(out).toContain('全年预算数');
    expect(out).toContain('政府采购执行率');
    expect(out).toContain('小计（管理效能）');
    expect(out).toMatch(/^总分 +94\.622 \/ 100$/m);
    expect(out).toMatch(/^等次 +优$/m);
    expect(out).toContain('扣分原因');
  });

  it('fits the table to the terminal width', async () => {
    const out: string[] = [];
    await run(['score', GZ_2021, SEED_SUBMISSION], { out: (s) => out.push(s), err: () => undefined, columns: 80 });
    const { displayWidth } = await import('./table');
    for (const line of out.join('').split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  it('lists every problem of an invalid submission', async () => {
    const submission = JSON.parse(readFileSync(SEED_SUBMISSION, 'utf8'));
    delete submission.inputs.expenditureProgress;
    submission.inputs.procurementActual = 'a lot';
    const { code, out, err } = await jiping('score', GZ_2021, writeTemp('invalid-submission.json', submission));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/（位置 \/inputs\/expenditureProgress）$/m);
    expect(err).toMatch(/（位置 \/inputs\/procurementActual）$/m);
  });

  it('rejects a submission that is not JSON', async () => {
    const path = writeTemp('broken-submission.json', '{ "formatVersion": ');
    const { code, err } = await jiping('score', GZ_2021, path);
    expect(code).toBe(1);
    expect(err).toContain(`填报文件 ${path} 不是有效的 JSON`);
  });
});

describe('jiping diff', () => {
  it('finds no differences between a file and itself', async () => {
    const { code, out } = await jiping('diff', GZ_2021, GZ_2021);
    expect(code).toBe(0);
    expect(out).toContain('没有差异：两个文件的校验和相同。');
    expect((await jiping('diff', GZ_2021, GZ_2021, '--lang', 'en')).out).toContain('No differences');
  });

  it('groups changes by kind, in Chinese, with a summary, and exits 0', async () => {
    const file = seedRuleFile();
    const fund = file.indicators[0].children[0];
    fund.children[0].method.perUnit = '0.3'; // 预算完成率
    fund.children[5].method.perUnit = '0.5'; // 结转结余率
    fund.children[3].method.bands[1].score = '1.2'; // 财政拨款收入预决算差异率
    file.version = '2021.2.0';
    const path = writeTemp('revised.json', file);
    const { code, out } = await jiping('diff', GZ_2021, path);
    expect(code).toBe(0);
    expect(out).toContain('→ guangzhou-department-overall@2021.2.0');
    expect(out).toMatch(/^计分参数调整（2处）$/m);
    expect(out).toMatch(/^分档调整（1处）$/m);
    expect(out).toContain('  管理效能 › 资金管理 › 预算完成率：参数 每单位扣分（perUnit） 0.2 改为 0.3');
    expect(out).toContain('位置 /indicators/0/children/0/children/3/method/bands/1');
    expect(out).toMatch(/^共 3 处修订：计分参数调整 2，分档调整 1$/m);

    const en = await jiping('diff', GZ_2021, path, '--lang', 'en');
    expect(en.out).toMatch(/^parameters \(2\)$/m);
    expect(en.out).toContain('at /indicators/0/children/0/children/3/method/bands/1');
    expect(en.out).toMatch(/^3 changes: 2 parameter-changed, 1 band-changed$/m);
    expect(en.out).not.toMatch(/改为|处修订/);

    const json = await jiping('diff', GZ_2021, path, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      to: { version: '2021.2.0' },
      summary: { 'parameter-changed': 2, 'band-changed': 1 },
    });
  });

  it('rejects an invalid rule file with its problems', async () => {
    const file = seedRuleFile();
    file.indicators[0].children[0].children[0].weight = '3';
    const { code, err } = await jiping('diff', GZ_2021, writeTemp('invalid-weight.json', file));
    expect(code).toBe(1);
    expect(err).toMatch(/（位置 \/indicators\/0\/children\/0\/weight）$/m);
  });
});

describe('usage and files', () => {
  it.each([
    ['an unknown command', ['grade', GZ_2021]],
    ['an unknown option', ['validate', '--strict', GZ_2021]],
    ['a missing argument', ['score', GZ_2021]],
    ['too many arguments', ['validate', GZ_2021, GZ_2021]],
    ['no command', []],
  ])('exits 2 on %s', async (_name, argv) => {
    const { code, err } = await jiping(...argv);
    expect(code).toBe(2);
    expect(err).not.toBe('');
  });

  it.each([['--help'], ['--version'], ['help', 'score']])('exits 0 on %s', async (...argv) => {
    const { code, out } = await jiping(...argv);
    expect(code).toBe(0);
    expect(out).not.toBe('');
  });

  it('exits 1 on a directory given as a file', async () => {
    const { code, err } = await jiping('validate', dir);
    expect(code).toBe(1);
    expect(err).toContain(`jiping: 规则文件是一个目录，不是文件：${dir}`);
  });

  it.each([
    ['validate', 'rules/nowhere/2099.json'],
    ['score', GZ_2021, 'test/fixtures/nobody/submission.json'],
    ['diff', GZ_2021, 'rules/nowhere/2099.json'],
  ])('exits 1 on a file that does not exist (%s)', async (...argv) => {
    const { code, out, err } = await jiping(...argv);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^jiping: 找不到(规则文件|填报文件)：\S+$/m);
  });
});

/**
 * English leaking into what a bureau's user reads at the terminal: the common mistakes, made without --lang, are
 * answered in Chinese on every line (a line with no Chinese at all, or with a run of four English words, leaks;
 * paths, pointers and file names are not words); with --lang en, in English.
 */
describe('no English leaks in the CLI’s common errors', () => {
  const CJK = /[\u3400-\u9fff]/;
  const ENGLISH_RUN = /(?:^|[\s（(“"：:，,])(?:[A-Za-z]{2,}[\s,.;:]+){3,}[A-Za-z]{2,}/;
  const leaking = (text: string): string[] =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => !CJK.test(line) || ENGLISH_RUN.test(line));

  it.each<[string, () => string[]]>([
    ['a missing argument', () => ['what-if', GZ_2021]],
    ['an unknown command, with its suggestion', () => ['validte', GZ_2021]],
    ['an unknown option', () => ['diff', GZ_2021, GZ_2021, '--colour']],
    ['too many arguments', () => ['diff', GZ_2021, GZ_2021, GZ_2021]],
    ['an invalid option value', () => ['impact', GZ_2021, GZ_2021, dir, '--workers', '0']],
    ['an option without its value', () => ['what-if', GZ_2021, SEED_SUBMISSION, '--set']],
    ['a --set without "="', () => ['what-if', GZ_2021, SEED_SUBMISSION, '--set', '/inputs/procurementActual']],
    ['what-if without a change', () => ['what-if', GZ_2021, SEED_SUBMISSION]],
    ['a rule file that does not exist', () => ['validate', join(dir, 'nowhere.json')]],
    ['a rule file that is not JSON', () => ['validate', writeTemp('broken-rules.json', '{ "id": ')]],
    ['an invalid rule file', () => ['validate', writeTemp('no-tests.json', { ...seedRuleFile(), tests: [] })]],
    ['a submission that does not exist', () => ['score', GZ_2021, join(dir, 'nobody.json')]],
    ['an impact directory that does not exist', () => ['impact', GZ_2021, GZ_2021, join(dir, 'nowhere')]],
  ])('%s: Chinese by default, English with --lang en', async (_name, argv) => {
    const zh = await jiping(...argv());
    expect(zh.code).not.toBe(0);
    expect(zh.err + zh.out).not.toBe('');
    expect(leaking(zh.err + zh.out)).toEqual([]);
    // in English the bureau's own names (paths such as 内嵌测试) stay Chinese; the sentences are English
    const en = await jiping(...argv(), '--lang', 'en');
    expect(en.code).toBe(zh.code);
    expect(en.err + en.out).toMatch(/[A-Za-z]{2,} [A-Za-z]{2,}/);
    expect(en.err + en.out).not.toMatch(/错误：|应为|不是有效|找不到|无法|请/);
  });
});
