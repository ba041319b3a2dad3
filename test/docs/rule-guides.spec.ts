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

/** The ```json examples of a guide that start with the given key, parsed (a `"key": …` fragment is read as an object). */
function jsonExamples(guide: string, key: string): unknown[] {
  return [...guide.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((m) => m[1].trim())
    .filter((block) => block.startsWith(`${key}:`))
    .map((block) => JSON.parse(`{${block}}`));
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

  it('both explain 不适用 marked by the department and the rule set vetoes, with the same examples', () => {
    for (const [guide, headings] of [
      [EN, ['### 不适用 marked by the department (`allowNotApplicable`, `notApplicable.policy`)', '### `vetoes` (']],
      [
        ZH,
        [
          '### 由部门标为不适用（`allowNotApplicable`、`notApplicable.policy`）',
          '### 整个评价的一票否决与等次上限（`vetoes`）',
        ],
      ],
    ] as const) {
      const section10 = guide.slice(guide.indexOf('## 10. '), guide.indexOf('## 11. '));
      for (const heading of headings) expect(section10).toContain(heading);
      // the three redistribution policies with the seed's figures, and the three effects of a veto
      for (const word of [
        '`siblings`',
        '`parent`',
        '`total`',
        '94.452',
        '94.568',
        '`setGrade`',
        '`maxGrade`',
        '`maxTotal`',
      ])
        expect(section10).toContain(word);
    }
    expect(jsonExamples(ZH, '"vetoes"')).toEqual(jsonExamples(EN, '"vetoes"'));
    for (const key of [`"vetoes"`, `"veto"`, `"applies"`]) expect(jsonExamples(ZH, key)).toHaveLength(1);
    expect(jsonExamples(ZH, '"veto"')).toEqual(jsonExamples(EN, '"veto"'));
    expect(jsonExamples(ZH, '"applies"')).toEqual(jsonExamples(EN, '"applies"'));
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
