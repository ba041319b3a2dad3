import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleSet, type Submission, toRuleSet } from '@jiping/rules';
import { importTargetsWorkbook } from './import-submission-workbook';
import { buildTargetsWorkbook, type TargetsWorkbookOptions } from './template';
import { templateLayout } from './template-layout';

const ROOT = join(__dirname, '..', '..', '..');
const ruleSet: RuleSet = toRuleSet(
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')),
);
const submission = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'),
) as Submission;
const SHEET = templateLayout(ruleSet).targets[0].sheet;
const options: TargetsWorkbookOptions = {
  department: { code: 'gz-kjj', name: '广州市科学技术局' },
  fiscalYear: 2021,
  latest: { revision: 1, approved: true, targets: submission.targets! },
};

const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};
const edited = async (edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> => {
  const workbook = await load(await buildTargetsWorkbook(ruleSet, options));
  edit(workbook.getWorksheet(SHEET)!);
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

describe('the 绩效目标申报表', () => {
  it('lists the latest declaration in the template’s columns, editable, and reads back to exactly it', async () => {
    const buffer = await buildTargetsWorkbook(ruleSet, options);
    const workbook = await load(buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['说明', SHEET, '_映射']);
    const sheet = workbook.getWorksheet(SHEET)!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '目标代码',
      '绩效目标',
      '目标分值',
      '指标代码',
      '关键指标',
      '指标分值',
      '类型（定量/定性）',
      '比较（≥/≤/=/区间）',
      '年度指标值',
      '区间上限',
      '单位',
    ]);
    expect([sheet.getCell('A3').value, sheet.getCell('D3').value, sheet.getCell('H3').value]).toEqual([
      'rd',
      'rd-1',
      '≥',
    ]);
    expect(sheet.getCell('I3').protection).toMatchObject({ locked: false });
    expect(workbook.getWorksheet('说明')!.getCell('A3').value).toBe(
      '已按第1版申报（已批复）预填；修改后上传即为新的一版申报，经绩效处批复后生效。',
    );
    expect(await importTargetsWorkbook(ruleSet, buffer)).toMatchObject({ targets: submission.targets, problems: [] });
  });

  it('a blank one (nothing declared yet) reads as an empty section', async () => {
    const blank = await buildTargetsWorkbook(ruleSet, { ...options, latest: undefined });
    expect((await load(blank)).getWorksheet(SHEET)!.getCell('D3').value).toBeNull();
    expect(await importTargetsWorkbook(ruleSet, blank)).toMatchObject({ targets: { performance: [] }, problems: [] });
  });

  it('a changed target reads as typed: the new declaration', async () => {
    const buffer = await edited((sheet) => {
      sheet.getCell('I3').value = 25;
    });
    const { targets, problems } = await importTargetsWorkbook(ruleSet, buffer);
    expect(problems).toEqual([]);
    expect((targets!.performance[0] as { indicators: Array<{ target: string }> }).indicators[0].target).toBe('25');
  });

  it('names the cell of every unreadable value, with its pointer, in Chinese', async () => {
    const buffer = await edited((sheet) => {
      sheet.getCell('H3').value = '大于';
      sheet.getCell('F4').value = '两分';
      sheet.getCell('G5').value = '定额';
    });
    const { targets, problems } = await importTargetsWorkbook(ruleSet, buffer);
    expect(targets).toBeUndefined();
    expect(problems).toEqual([
      {
        pointer: '/targets/performance/0/indicators/0/comparator',
        path: `${SHEET}!H3`,
        message: '应为比较方式之一：≥、≤、=、区间',
      },
      { pointer: '/targets/performance/0/indicators/1/weight', path: `${SHEET}!F4`, message: '应为数值' },
      { pointer: '/targets/performance/0/indicators/2/kind', path: `${SHEET}!G5`, message: '应为“定量”或“定性”' },
    ]);
  });

  it('refuses a workbook of another kind or rule set', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1');
    const { problems } = await importTargetsWorkbook(ruleSet, Buffer.from(await other.xlsx.writeBuffer()));
    expect(problems).toEqual([
      {
        pointer: '',
        message: `缺少工作表“${SHEET}”（找到：Sheet1）：请使用 GET …/targets/template.xlsx 下载的绩效目标申报表`,
      },
    ]);
  });
});
