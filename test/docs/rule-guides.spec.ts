import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/cli';

/**
 * The rule-file guides stay in step: the Chinese guide has every section of the English one, and the outputs they
 * quote for the worked example (the 修订说明 of jiping diff, the simulation of jiping what-if) are what the commands
 * print today. A quoted line that contains "…" is abridged and not compared.
 */

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const EN = read('docs/rule-format.md');
const ZH = read('docs/rule-format.zh.md');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');
const DRAFT = join(ROOT, 'docs/examples/guangzhou-department-overall-2022-draft.json');
const SEED = join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json');

/** The command's output on a terminal wide enough that no sentence is wrapped (the guides quote them whole). */
async function jiping(...argv: string[]): Promise<string> {
  const out: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: () => undefined, debug: false, columns: 1000 });
  expect(code).toBe(0);
  return out.join('');
}

/** The lines of the ```text blocks of a section (from its heading to the next heading of the same level or above). */
function quotedLines(guide: string, heading: string): string[] {
  const start = guide.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const level = heading.match(/^#+/)![0].length;
  const rest = guide.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```text\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.includes('…'));
}

const sections = (guide: string): string[] => [...guide.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]);

describe('the rule-file guides', () => {
  it('the Chinese guide has every numbered section of the English one, in order', () => {
    expect(sections(ZH)).toEqual(sections(EN));
    expect(sections(ZH)).toHaveLength(15);
  });

  it('both say how to retire an indicator and how to simulate a revision before publishing', () => {
    expect(ZH).toContain('#### 停用一个指标');
    expect(ZH).toContain('### 第五步 模拟：发布之前，用今年的数据试算明年的规则');
    expect(EN).toContain('### Retiring an indicator');
    expect(EN).toContain("### Continuing last year's version: simulate the revision before publishing");
  });

  it('quote the 修订说明 jiping diff prints for the 2022 example', async () => {
    const out = (await jiping('diff', GZ_2021, DRAFT)).split('\n').map((line) => line.trim());
    const zh = quotedLines(ZH, '### 第四步 比对');
    // the English guide's §14 quotes validate's output too: only the diff's lines are compared here
    const en = quotedLines(EN, '## 14. Workflow for next year').filter((line) =>
      /^(管理效能|删除指标|计分方法调整|分档调整|位置 )/.test(line),
    );
    expect(zh.length).toBeGreaterThan(8);
    expect(en.length).toBeGreaterThan(6);
    expect(zh.filter((line) => !out.includes(line))).toEqual([]);
    expect(en.filter((line) => !out.includes(line))).toEqual([]);
  });

  it('quote the simulation jiping what-if prints for the 2022 example', async () => {
    const out = (await jiping('what-if', DRAFT, SEED, '--base', GZ_2021)).split('\n').map((line) => line.trim());
    const zh = quotedLines(ZH, '### 第五步 模拟');
    expect(zh.length).toBeGreaterThan(8);
    expect(zh.filter((line) => !out.includes(line))).toEqual([]);
  });
});
