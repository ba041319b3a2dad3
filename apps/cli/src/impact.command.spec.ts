import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { movedBandDraft } from '../../../test/support/moved-band-draft';
import { run } from './cli';
import { renderProgressBar } from './impact.command';
import { displayWidth } from './table';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');
const GZ_2022_DRAFT = join(ROOT, 'docs/examples/guangzhou-department-overall-2022-draft.json');
const SEED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'));
const COUNT = 40;

async function jiping(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), debug: false });
  return { code, out: out.join(''), err: err.join('') };
}

/** The seed with 固定资产利用率 at 80.0 % + i × 0.5 %: i = 20…29 lie in [90 %, 95 %) and lose 0.5 under the draft. */
function submission(i: number): Record<string, any> {
  const s = structuredClone(SEED);
  s.department = { ...s.department, code: `dept-${String(i).padStart(2, '0')}`, name: `第${i}部门` };
  s.inputs.fixedAssetsTotal = '20000.00';
  s.inputs.fixedAssetsInUse = `${16000 + i * 100}.00`;
  return s;
}

let dir: string;
let draft: string;
let submissions: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-impact-'));
  draft = join(dir, 'draft.json');
  writeFileSync(draft, JSON.stringify(movedBandDraft()));
  submissions = join(dir, 'submissions');
  mkdirSync(submissions);
  for (let i = 0; i < COUNT; i++) {
    writeFileSync(join(submissions, `${String(i).padStart(2, '0')}.json`), JSON.stringify(submission(i)));
  }
  writeFileSync(join(submissions, 'README.txt'), 'not a submission: only *.json files are read');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('jiping impact', () => {
  it('prints the summary as JSON with --json: exactly the departments in [90 %, 95 %) lose 0.5', async () => {
    const { code, out, err } = await jiping(
      'impact',
      GZ_2021,
      draft,
      submissions,
      '--json',
      '--workers',
      '2',
      '--progress',
      'lines',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({
      ruleSet: { id: 'guangzhou-department-overall', version: '2021.2.0' },
      against: { id: 'guangzhou-department-overall', version: '2021.1.0' },
      departments: COUNT,
      failed: 0,
      changed: 10,
      lowered: 10,
      delta: {
        mean: '-0.1250',
        median: '0.000',
        min: { delta: '-0.500', department: { code: 'dept-20', name: '第20部门' } },
        max: { delta: '0.000', department: { code: 'dept-00', name: '第0部门' } },
      },
      transitions: { 优: { 优: COUNT, 良: 0, 中: 0, 差: 0 } },
      indicators: [
        {
          code: 'fixed-asset-utilization',
          name: '固定资产利用率',
          meanDelta: '-0.1250',
          totalDelta: '-5.00',
          moved: 10,
          raised: 0,
          lowered: 10,
        },
      ],
    });
    expect(summary.movers.map((row: any) => row.department.code)).toEqual(
      Array.from({ length: 10 }, (_, i) => `dept-${20 + i}`),
    );
    // Not a terminal: a progress line every 10 %, the last at 100 %.
    expect(err.trim().split('\n')).toHaveLength(10);
    expect(err).toMatch(/^影响分析：已评分 40\/40 份（100 %）\n$/m);
  });

  it('prints the summary tables, and draws a progress bar on stderr with --progress bar', async () => {
    const { code, out, err } = await jiping(
      'impact',
      GZ_2021,
      draft,
      submissions,
      '--workers',
      '1',
      '--progress',
      'bar',
    );
    expect(code).toBe(0);
    expect(out).toContain('guangzhou-department-overall@2021.2.0 对比 guangzhou-department-overall@2021.1.0 的影响');
    expect(out).toMatch(/^部门数 +40$/m);
    expect(out).toMatch(/^平均分差 +-0\.1250$/m);
    expect(out).toMatch(/^最大降幅 +-0\.500 {2}dept-20 第20部门$/m);
    expect(out).toMatch(/^优 +40 +0 +0 +0$/m);
    expect(out).toMatch(/^dept-20 第20部门 +95\.122 优 +94\.622 优 +-0\.500$/m);
    expect(out).toMatch(/^固定资产利用率（fixed-asset-utilization） +-0\.1250 +-5\.00 +10 +0 +10$/m);
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);
    expect(err.startsWith('\r[')).toBe(true);
    expect(err).toMatch(/100 % {2}40\/40 .*\n$/);

    const en = await jiping('impact', GZ_2021, draft, submissions, '--progress', 'none', '--lang', 'en');
    expect(en.out).toMatch(/^departments +40$/m);
    expect(en.out).toMatch(/^mean delta +-0\.1250$/m);
    expect(en.out).not.toMatch(/部门数|平均分差|等次变化/);
  });

  it('simulates next year’s draft on this year’s data: the 2022 example moves gz-kjj 优 → 良, 90.882', async () => {
    const seedOnly = join(dir, 'seed');
    mkdirSync(seedOnly);
    writeFileSync(join(seedOnly, 'gz-kjj.json'), JSON.stringify(SEED));
    const args = ['impact', GZ_2021, GZ_2022_DRAFT, seedOnly, '--workers', '1', '--progress', 'none'];
    const { code, out, err } = await jiping(...args);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('2021年数据按2022年规则模拟');
    expect(out).toMatch(/^gz-kjj 广州市科学技术局 +94\.622 优 +90\.882 良 +-3\.740$/m);
    expect(out).toMatch(/^优 +0 +1 +0 +0$/m);
    // the assumed 数据安全管理 points, marked and counted
    expect(out).toContain('模拟中使用的假定值（2）');
    expect(out).toMatch(/^数据安全管理 › 已制定数据安全管理制度 +满足 +1 +数据安全管理$/m);
    expect(out).toMatch(/^数据安全管理 › 按要求开展数据安全风险评估 +满足 +1 +数据安全管理$/m);

    const json = JSON.parse((await jiping(...args, '--json')).out);
    expect(json.simulation.description).toBe('2021年数据按2022年规则模拟');
    expect(json.transitions['优']).toMatchObject({ 优: 0, 良: 1 });
    expect(json.movers[0]).toMatchObject({ after: { total: '90.882', grade: '良' }, delta: '-3.740' });
    expect(json.assumptions.map((a: { key: string; departments: number }) => [a.key, a.departments])).toEqual([
      ['dataSecurity/dataRules', 1],
      ['dataSecurity/riskAssessment', 1],
    ]);
  });

  it('lists the submissions it cannot read or score, summarises the rest, and exits 1', async () => {
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'a.json'), JSON.stringify(submission(21)));
    writeFileSync(join(mixed, 'b.json'), '{ "formatVersion": ');
    const invalid = submission(22);
    delete invalid.inputs.fixedAssetsTotal;
    writeFileSync(join(mixed, 'c.json'), JSON.stringify(invalid));
    const { code, out, err } = await jiping(
      'impact',
      GZ_2021,
      draft,
      mixed,
      '--json',
      '--workers',
      '1',
      '--progress',
      'none',
    );
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ departments: 1, failed: 2, changed: 1 });
    expect(err).toMatch(/^b\.json: 不是有效的 JSON：/m);
    expect(err).toMatch(/^c\.json: guangzhou-department-overall@2021\.1\.0: 填报数据与规则集/m);
    expect(err).toMatch(/^c\.json: guangzhou-department-overall@2021\.2\.0: 填报数据与规则集/m);
    expect(err).toMatch(/^ {2}.*（位置 \/inputs\/fixedAssetsTotal）$/m);
  });

  it.each([
    ['a missing directory', () => join(dir, 'nowhere'), '找不到填报文件目录 '],
    ['a file instead of a directory', () => draft, ' 不是目录（应给出填报文件所在的目录）'],
    ['a directory without submissions', () => mkdtempSync(join(dir, 'empty-')), ' 中没有 *.json 填报文件'],
  ])('refuses %s with exit code 1', async (_, path, message) => {
    const { code, out, err } = await jiping('impact', GZ_2021, draft, path(), '--progress', 'none');
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toContain(message);
  });

  it('rejects --workers that is not a positive whole number as a usage error', async () => {
    const { code, err } = await jiping('impact', GZ_2021, draft, submissions, '--workers', '0');
    expect(code).toBe(2);
    expect(err).toContain('应为 1 到 256 之间的整数');
  });
});

describe(renderProgressBar.name, () => {
  it.each([
    [0, 1000, 80, 0, /^\[-+\] {4}0 % {2}0\/1000 {2}0\/s$/],
    [500, 1000, 80, 2000, /^\[#+-+\] {3}50 % {2}500\/1000 {2}250\/s {2}2s left$/],
    [1000, 1000, 80, 4000, /^\[#+\] {2}100 % {2}1000\/1000 {2}250\/s$/],
  ])('draws %i of %i in %i columns after %i ms', (done, total, width, elapsed, expected) => {
    const bar = renderProgressBar(done, total, width, elapsed);
    expect(bar).toMatch(expected);
    expect(bar.length).toBeLessThan(width);
  });

  it('fills the bar in proportion', () => {
    const bar = renderProgressBar(1, 4, 80, 1000);
    const inside = bar.slice(1, bar.indexOf(']'));
    expect(inside.split('').filter((c) => c === '#').length / inside.length).toBeCloseTo(0.25, 1);
  });
});
