import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleSet, toRuleSet } from '@jiping/rules';
import { DIFF_FILLS, renderRuleSetDiffWorkbook, renderRuleSetWorkbook, ruleSetRows } from './rule-set-workbook';

const ROOT = join(__dirname, '..', '..', '..');
const readFile = (): any =>
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8'));
const ruleSet: RuleSet = toRuleSet(readFile());

const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};
/** The row whose 代码 column (J, after three levels of name + weight, 解释, 标准, 方法) holds `code`. */
const rowWith = (sheet: ExcelJS.Worksheet, code: string): ExcelJS.Row => {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (row.getCell(10).value === code) found = row;
  });
  if (!found) throw new Error(`no row for ${code}`);
  return found;
};

describe('renderRuleSetWorkbook (广州 2021)', () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await load(await renderRuleSetWorkbook(ruleSet));
  });

  it('writes the indicator table with levels, weights, 指标解释 and the standard in words', () => {
    const sheet = workbook.getWorksheet('指标体系')!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      ...['一级指标', '分值', '二级指标', '分值', '三级指标', '分值', '指标解释', '评分标准', '计算方法', '代码'],
    ]);
    const fixed = rowWith(sheet, 'fixed-asset-utilization');
    expect(fixed.getCell(5).value).toBe('固定资产利用率');
    expect(fixed.getCell(6).value).toBe(2);
    expect(fixed.getCell(7).value).toMatch(/^部门（单位）实际在用固定资产总额/);
    expect(fixed.getCell(8).value).toBe(
      '≥90%得2分；80%（含）-90%得1.5分；70%（含）-80%得1分；60%（含）-70%得0.5分；＜60%得0分',
    );
    expect(fixed.getCell(9).value).toMatch(/^固定资产利用率=.+\/.+×100%$/);
    expect(rowWith(sheet, 'budget-completion-rate').getCell(8).value).toBe(
      '100%得满分，每低1个百分点扣0.2分，扣完为止',
    );
    expect(rowWith(sheet, 'procurement-execution-rate').getCell(8).value).toBe('得分=分值×比率（上限100%）');
    expect(rowWith(sheet, 'commendation-criticism').getCell(8).value).toBe(
      '每项加2.5分，最多加5分；每起扣2.5分，最多扣5分',
    );
    expect(rowWith(sheet, 'budget-preparation').getCell(8).value).toMatch(/^.+得\d+(\.\d+)?分；.+得/);
    const declared = rowWith(sheet, 'performance');
    expect(declared.getCell(1).value).toBe('履职效能');
    expect(declared.getCell(2).value).toBe(50);
    expect(declared.getCell(8).value).toContain('达成80%-100%；部分达成60%-80%；未达成0%-60%');
  });

  it('merges each level down its rows and has a row per leaf, and 40+ rows of inputs and points', () => {
    const sheet = workbook.getWorksheet('指标体系')!;
    const first = rowWith(sheet, 'budget-completion-rate').number;
    const last = rowWith(sheet, 'result-application').number;
    expect(sheet.getCell(first, 1).value).toBe('管理效能');
    expect(sheet.getCell(last, 1).isMerged).toBe(true);
    expect(sheet.getCell(last, 1).master.address).toBe(`A${first}`);
    expect(sheet.getCell(first, 3).master.address).toBe(`C${first}`);
    expect(sheet.rowCount).toBe(2 + 22 + 1);
    const inputs = workbook.getWorksheet('填报数据')!;
    expect(inputs.rowCount).toBeGreaterThan(40);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
  });
});

describe('renderRuleSetDiffWorkbook', () => {
  it('fills the changed cells of a band change, and only them', async () => {
    const next = readFile();
    next.version = '2022.1';
    const fixed = next.indicators[0].children[3].children[2];
    expect(fixed.code).toBe('fixed-asset-utilization');
    fixed.method.bands[0].when.all[0].value = '95';
    fixed.method.bands[1].when.all[1].value = '95';
    const workbook = await load(await renderRuleSetDiffWorkbook(ruleSet, toRuleSet(next)));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['变更', '新版（2022.1）', `旧版（${ruleSet.version}）`]);
    const changes = workbook.getWorksheet('变更')!;
    expect(changes.getCell('A3').value).toBe('band-changed');
    const sheet = workbook.getWorksheet('新版（2022.1）')!;
    const row = rowWith(sheet, 'fixed-asset-utilization');
    expect(row.getCell(8).value).toMatch(/^≥95%得2分；80%（含）-95%得1.5分/);
    expect((row.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(DIFF_FILLS.changed);
    expect(String(row.getCell(11).value)).toContain('固定资产利用率');
    const filled: string[] = [];
    sheet.eachRow((r) =>
      r.eachCell((cell) => {
        if ((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb === DIFF_FILLS.changed)
          filled.push(cell.address);
      }),
    );
    expect(filled).toEqual([`H${row.number}`]);
  });
});

describe('the standard in words of 加减分', () => {
  it('lists each kind of event with its points and the caps, the judged range, and says what is counted on top', () => {
    const example = toRuleSet(
      JSON.parse(
        readFileSync(join(__dirname, '../../../docs/examples/project-self-evaluation-bonus-on-top.json'), 'utf8'),
      ),
    );
    const rows = ruleSetRows(example).rows;
    expect(rows.find((r) => r.code === 'adjustment-events')!.standard).toBe(
      '国家级表彰每项加2分；省级表彰每项加1分；通报批评每项减2分；审计发现问题每项减1分；最多加5分，最多减5分' +
        '（另计，不计入满分100分，总分可超过100分）',
    );
    expect(rows.find((r) => r.code === 'expert-adjustment')!.standard).toBe(
      '评议加减分，最多加3分、最多减3分，须说明理由（另计，不计入满分100分，总分可超过100分）',
    );
  });
});
