import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleSet, type Submission, toRuleSet } from '@jiping/rules';
import { scoreSubmission } from '@jiping/scoring';
import { compareDeclaredTargets, type DeclarationInForce } from './declared-targets-check';
import { importSubmissionWorkbook, type ImportedSubmission } from './import-submission-workbook';
import { buildSubmissionTemplate, type DepartmentWorkbookOptions } from './template';
import { fillTemplate } from './template-fill.testing';
import { TARGET_COLUMNS, templateLayout } from './template-layout';

const ROOT = join(__dirname, '..', '..', '..');
const ruleSet: RuleSet = toRuleSet(
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')),
);
const submission = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'),
) as Submission;
const SHEET = templateLayout(ruleSet).targets[0].sheet;
const declaration: DeclarationInForce = { targets: submission.targets!, revision: 1, approved: true };
const { targets: _targets, department, fiscalYear: _year, formatVersion: _format, ...figures } = submission;
const options: DepartmentWorkbookOptions = {
  department: { code: 'gz-kjj', name: '广州市科学技术局' },
  fiscalYear: 2021,
  targets: submission.targets!,
  targetRevision: 1,
  approved: true,
  latest: { revision: 1, data: { ...figures, department: { unitCount: department.unitCount } } },
};

const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};
const save = async (workbook: ExcelJS.Workbook): Promise<Buffer> => Buffer.from(await workbook.xlsx.writeBuffer());

/** Scores an imported body under the declaration, as the API does. */
async function score(body: ImportedSubmission): Promise<string> {
  const { targets: _ignored, unitCount, ...rest } = body;
  const report = await scoreSubmission(ruleSet, {
    formatVersion: '1',
    department: { ...submission.department, unitCount },
    fiscalYear: 2021,
    ...rest,
    targets: declaration.targets,
  });
  return report.total;
}

describe('a department’s own workbook', () => {
  it('lists the declared targets read-only, only results editable, sheets protected', async () => {
    const workbook = await load(await buildSubmissionTemplate(ruleSet, options));
    const sheet = workbook.getWorksheet(SHEET)!;
    const indicators = submission.targets!.performance.flatMap((g) => ('indicators' in g ? g.indicators : [g]));
    expect(sheet.getCell('D3').value).toBe(indicators[0].code);
    expect(sheet.getCell(`D${3 + indicators.length - 1}`).value).toBe(indicators[indicators.length - 1].code);
    expect(sheet.getCell(`D${3 + indicators.length}`).value).toBeNull(); // no blank rows to add targets in
    expect(sheet.getCell('A3').value).toBe('rd');
    expect(sheet.getCell('I3').value).toBe(20);
    // locked is a cell's default (a protected sheet's cell without protection is locked)
    for (const column of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']) {
      expect({ column, locked: sheet.getCell(`${column}3`).protection?.locked }).toEqual({ column, locked: undefined });
    }
    // rd-1 is quantitative: 实际完成值 editable and prefilled (21); rd-4 qualitative: 达成等级 and 自评分
    expect(sheet.getCell(`${TARGET_COLUMNS.actual}3`)).toMatchObject({ value: 21, protection: { locked: false } });
    expect(sheet.getCell(`${TARGET_COLUMNS.tier}3`).protection?.locked).not.toBe(false);
    expect(sheet.getCell(`${TARGET_COLUMNS.tier}6`).protection).toMatchObject({ locked: false });
    expect(sheet.getCell(`${TARGET_COLUMNS.score}6`).value).toBe(2);
    expect((sheet as unknown as { sheetProtection: object }).sheetProtection).toMatchObject({ sheet: true });
    expect(workbook.getWorksheet('说明')!.getCell('A3').value).toBe(
      '绩效目标：第1版（已批复）；已按第1版年终数据预填，修改后上传即保存为新的一版。',
    );
  });

  it('round trip: the prefilled workbook imports back to the same figures and scores 94.622', async () => {
    const { body, problems, cells } = await importSubmissionWorkbook(
      ruleSet,
      await buildSubmissionTemplate(ruleSet, options),
    );
    expect(problems).toEqual([]);
    expect(compareDeclaredTargets(ruleSet, body!.targets, cells, declaration)).toEqual([]);
    const { targets: _t, unitCount, ...rest } = body!;
    expect({ unitCount, ...rest }).toEqual({ unitCount: department.unitCount, ...figures });
    expect(await score(body!)).toBe('94.622');
  });

  it('round trip from empty: download → fill the actuals → import → 94.622', async () => {
    const blank = await buildSubmissionTemplate(ruleSet, { ...options, latest: undefined });
    const sheet = (await load(blank)).getWorksheet(SHEET)!;
    expect(sheet.getCell(`${TARGET_COLUMNS.actual}3`).value).toBeNull();
    const { body, problems, cells } = await importSubmissionWorkbook(
      ruleSet,
      await fillTemplate(ruleSet, blank, submission),
    );
    expect(problems).toEqual([]);
    expect(compareDeclaredTargets(ruleSet, body!.targets, cells, declaration)).toEqual([]);
    expect(await score(body!)).toBe('94.622');
  });

  it('names every target cell that differs from the declaration, in Chinese, with its pointer', async () => {
    const workbook = await load(await buildSubmissionTemplate(ruleSet, options));
    const sheet = workbook.getWorksheet(SHEET)!;
    sheet.getCell('I3').value = 15; // 年度指标值 of rd-1: 20 → 15
    sheet.getCell('F4').value = 5; // 指标分值 of rd-2: 2 → 5
    const { body, problems, cells } = await importSubmissionWorkbook(ruleSet, await save(workbook));
    expect(problems).toEqual([]);
    const changed = compareDeclaredTargets(ruleSet, body!.targets, cells, declaration);
    expect(changed.map((p) => [p.path, p.pointer])).toEqual([
      [`${SHEET}!I3`, '/targets/performance/0/indicators/0/target'],
      [`${SHEET}!F4`, '/targets/performance/0/indicators/1/weight'],
    ]);
    expect((changed[0].message as { zh: string }).zh).toMatch(
      /^关键指标“聚焦重点产业领域，支持重点主攻方向数量”的年度指标值与批复的绩效目标（第1版）不一致：批复为“20”，工作簿中为“15”。绩效目标只能通过绩效目标申报修改/,
    );
  });

  it('names an indicator added or left out', async () => {
    const workbook = await load(await buildSubmissionTemplate(ruleSet, options));
    const sheet = workbook.getWorksheet(SHEET)!;
    const last = sheet.actualRowCount;
    sheet.getCell(`D${last + 1}`).value = 'extra-1';
    sheet.getCell(`E${last + 1}`).value = '新增指标';
    sheet.getCell(`F${last + 1}`).value = 1;
    sheet.getCell(`G${last + 1}`).value = '定性';
    sheet.getCell(`I${last + 1}`).value = '完成';
    const { body, cells } = await importSubmissionWorkbook(ruleSet, await save(workbook));
    const added = compareDeclaredTargets(ruleSet, body!.targets, cells, declaration);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ path: `${SHEET}!D${last + 1}` });
    expect((added[0].message as { zh: string }).zh).toMatch(/^多出关键指标“新增指标”（extra-1）/);

    const fewer = structuredClone(body!.targets!);
    (fewer.performance[0] as { indicators: unknown[] }).indicators.splice(1, 1);
    fewer.performance.pop();
    const missing = compareDeclaredTargets(ruleSet, fewer, cells, declaration);
    const lastGoal = submission.targets!.performance[submission.targets!.performance.length - 1] as { code: string };
    expect(missing.map((p) => [p.path, (p.message as { zh: string }).zh.replace(/。.*$/, '')])).toEqual([
      [SHEET, `缺少批复的绩效目标（第1版）中的绩效目标“${lastGoal.code}”`],
      [SHEET, expect.stringMatching(/^缺少批复的绩效目标（第1版）中的关键指标“.*”（rd-2）$/)],
      ...(lastGoal as unknown as { indicators: Array<{ code: string }> }).indicators.map((i) => [
        SHEET,
        expect.stringContaining(`（${i.code}）`),
      ]),
    ]);
  });
});
