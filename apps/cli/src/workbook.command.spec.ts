import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type RuleFile } from '@jiping/rules';
import { checkRuleFile } from '@jiping/scoring';
import { RULE_WORKBOOK_SHEETS as SHEETS } from '@jiping/reports';
import { run } from './cli';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');

async function jiping(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), debug: false });
  return { code, out: out.join(''), err: err.join('') };
}

/** Opens the workbook at `path`, lets `edit` type into it as in Excel, and saves it as `to`. */
async function editWorkbook(path: string, to: string, edit: (sheet: (name: string) => ExcelJS.Worksheet) => void) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  edit((name) => workbook.getWorksheet(name)!);
  await workbook.xlsx.writeFile(to);
}

const rowOf = (sheet: ExcelJS.Worksheet, column: string, text: string, after = 3): number => {
  for (let r = after; r <= sheet.rowCount; r++) if (sheet.getCell(`${column}${r}`).value === text) return r;
  throw new Error(`no ${text}`);
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-workbook-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jiping workbook', () => {
  it('exports, and an unchanged workbook imports as the same rules (no differences)', async () => {
    const xlsx = join(dir, 'gz.xlsx');
    const exported = await jiping('workbook', 'export', GZ_2021, xlsx);
    expect(exported).toMatchObject({ code: 0, err: '' });
    expect(exported.out).toBe(`✓ guangzhou-department-overall@2021.1.0：可编辑的指标体系工作簿已写入 ${xlsx}\n`);
    const draft = join(dir, 'unchanged.json');
    const imported = await jiping('workbook', 'import', GZ_2021, xlsx, '--out', draft);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('没有实质修订');
    expect(imported.out).toMatch(
      /✓ 草稿 guangzhou-department-overall@2021\.2\.0（[0-9a-f]{12}）有效，已写入 .*unchanged\.json\n$/,
    );
    const written = JSON.parse(readFileSync(draft, 'utf8')) as RuleFile;
    const base = JSON.parse(readFileSync(GZ_2021, 'utf8')) as RuleFile;
    expect(canonicalJson({ ...written, version: base.version })).toBe(canonicalJson(base));
  });

  it('a weight moved between two siblings, a band threshold and a deduction rate: exactly those changes', async () => {
    const xlsx = join(dir, 'gz.xlsx');
    await jiping('workbook', 'export', GZ_2021, xlsx);
    const edited = join(dir, 'edited.xlsx');
    await editWorkbook(xlsx, edited, (sheet) => {
      const tree = sheet(SHEETS.indicators);
      tree.getCell(`F${rowOf(tree, 'D', 'public-expense-control')}`).value = 2.5;
      tree.getCell(`F${rowOf(tree, 'D', 'three-public-expense-control')}`).value = 1.5;
      const bands = sheet(SHEETS.bands);
      bands.getCell(`E${rowOf(bands, 'B', 'fixed-asset-utilization')}`).value = 95;
      const parameters = sheet(SHEETS.parameters);
      parameters.getCell(`D${rowOf(parameters, 'C', '每差1个百分点扣分')}`).value = 0.3;
    });

    // the rules now score the embedded tests otherwise: refused until asked to bring them up to date
    const refused = await jiping('workbook', 'import', GZ_2021, edited, '--out', join(dir, 'refused.json'));
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/✗ .*edited\.xlsx：\d+ 处问题，未生成草稿/);
    expect(refused.out).toContain('内嵌测试「2021年自评数据（履职效能简化为一个目标）」：总分算得');
    expect(refused.out).toContain('可加 --update-tests 按新规则更新预期结果');

    const draft = join(dir, 'draft.json');
    const { code, out } = await jiping('workbook', 'import', GZ_2021, edited, '--out', draft, '--update-tests');
    expect(code).toBe(0);
    expect(out).toContain(
      '计分参数调整（1处）\n  管理效能 › 资金管理 › 预算完成率：参数 每单位扣分（perUnit） 0.2 改为 0.3',
    );
    expect(out).toContain(
      '分档调整（2处）\n  管理效能 › 资产管理 › 固定资产利用率：≥95% 得2分（原 ≥90% 得2分，此区间得分不变）',
    );
    expect(out).toContain('分值调整（2处）\n  管理效能 › 成本管理 › 公用经费控制率：分值 2 改为 2.5');
    expect(out).toContain('管理效能 › 成本管理 › “三公经费”控制率：分值 2 改为 1.5');
    expect(out).toContain('共 5 处修订：计分参数调整 1，分档调整 2，分值调整 2');
    expect(out).toContain('按新规则更新的内嵌测试预期结果');
    expect(out).toMatch(/✓ 草稿 guangzhou-department-overall@2021\.2\.0（[0-9a-f]{12}）有效，已写入 /);
    // what was written is a rule file like any other: it passes validate
    expect((await checkRuleFile(JSON.parse(readFileSync(draft, 'utf8')))).problems).toEqual([]);
    expect((await jiping('validate', draft)).code).toBe(0);
  });

  it('names each cell it cannot read, with the pointer beside; --lang en and --json', async () => {
    const xlsx = join(dir, 'gz.xlsx');
    await jiping('workbook', 'export', GZ_2021, xlsx);
    const bad = join(dir, 'bad.xlsx');
    await editWorkbook(xlsx, bad, (sheet) => {
      sheet(SHEETS.indicators).getCell('F12').value = '两分';
    });
    const zh = await jiping('workbook', 'import', GZ_2021, bad);
    expect(zh.code).toBe(1);
    expect(zh.out).toContain(
      '指标体系!F12（管理效能 › 采购管理）：应为不超过两位小数的分值（填了“两分”）（位置 /indicators/0/children/1/weight）',
    );
    const en = await jiping('workbook', 'import', GZ_2021, bad, '--lang', 'en');
    expect(en.out).toContain('1 problem; no draft written');
    expect(en.out).toContain(
      '指标体系!F12 (管理效能 › 采购管理): must be a score with at most 2 decimal places (found "两分") (at /indicators/0/children/1/weight)',
    );
    const json = JSON.parse((await jiping('workbook', 'import', GZ_2021, bad, '--json')).out);
    expect(json.valid).toBe(false);
    expect(json.problems).toEqual([
      {
        pointer: '/indicators/0/children/1/weight',
        cell: '指标体系!F12',
        path: '管理效能 › 采购管理',
        message: '应为不超过两位小数的分值（填了“两分”）',
      },
    ]);
  });

  it('refuses a missing workbook and one from another version', async () => {
    const missing = await jiping('workbook', 'import', GZ_2021, join(dir, 'nope.xlsx'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到工作簿');
    const national = join(dir, 'national.xlsx');
    await jiping('workbook', 'export', join(ROOT, 'rules/national/project-self-evaluation/2020.json'), national);
    const other = await jiping('workbook', 'import', GZ_2021, national);
    expect(other.code).toBe(1);
    expect(other.out).toContain('此工作簿导出自 national-project-self-evaluation 版本 2020.1.0');
  });
});
