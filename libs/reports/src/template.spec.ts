import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleSet, toRuleSet } from '@jiping/rules';
import { buildSubmissionTemplate } from './template';
import { templateLayout } from './template-layout';

const ROOT = join(__dirname, '..', '..', '..');
const ruleSet: RuleSet = toRuleSet(
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')),
);

const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};
const rowOf = (inputId: string): number => templateLayout(ruleSet).data.find((r) => r.input.id === inputId)!.row;

describe('buildSubmissionTemplate (广州 2021)', () => {
  let template: ExcelJS.Workbook;
  beforeAll(async () => {
    template = await load(await buildSubmissionTemplate(ruleSet));
  });

  it('has the sheets, one 年终数据 row per input and per checklist point', () => {
    expect(template.worksheets.map((s) => s.name)).toEqual([
      '说明',
      '基本情况',
      '年终数据',
      '佐证材料',
      '履职效能',
      '_映射',
    ]);
    const rows = ruleSet.file.inputs.reduce((n, i) => n + (i.type === 'checklist' ? i.points.length : 1), 0);
    const data = template.getWorksheet('年终数据')!;
    expect(templateLayout(ruleSet).data).toHaveLength(rows);
    const r = rowOf('procurementActual');
    expect(data.getCell(`B${r}`).value).toBe(ruleSet.file.inputs.find((i) => i.id === 'procurementActual')!.label);
    expect(data.getCell(`A${r}`).value).toBe('政府采购执行率');
    expect(data.getCell(`F${r}`).value).toBe('万元');
    const staff = templateLayout(ruleSet).data.find((e) => e.kind === 'point' && e.pointId === 'staffData')!;
    expect(data.getCell(`B${staff.row}`).value).toMatch(/：.+/);
    expect(template.getWorksheet('_映射')!.state).toBe('veryHidden');
  });

  it('validates money as ≥ 0 with two decimals, 是/否 lists, tier lists, and locks every label', () => {
    const data = template.getWorksheet('年终数据')!;
    const r = rowOf('procurementActual');
    expect(data.getCell(`C${r}`).dataValidation).toMatchObject({
      type: 'custom',
      formulae: [`AND(ISNUMBER(C${r}),C${r}>=0,ROUND(C${r},2)=C${r})`],
    });
    expect(data.getCell(`C${rowOf('assetSystems')}`).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"是,否"'],
    });
    expect(data.getCell(`C${rowOf('resultApplication')}`).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"达成,部分达成,未达成"'],
    });
    expect(data.getCell(`C${r}`).protection).toMatchObject({ locked: false });
    expect(data.getCell(`B${r}`).protection?.locked).not.toBe(false);
    expect((data as unknown as { sheetProtection: object }).sheetProtection).toMatchObject({ sheet: true });
    const targets = template.getWorksheet('履职效能')!;
    expect(targets.getCell('G3').dataValidation).toMatchObject({ type: 'list', formulae: ['"定量,定性"'] });
    expect(targets.getCell('H3').dataValidation).toMatchObject({ formulae: ['"≥,≤,=,区间"'] });
  });
});
