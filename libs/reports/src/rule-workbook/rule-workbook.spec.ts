import ExcelJS from 'exceljs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  bandInterval,
  type BandSpec,
  canonicalJson,
  describeInterval,
  type Interval,
  deriveDraft,
  diffRuleSets,
  type LeafNode,
  type RuleFile,
  type RuleSet,
  toRuleSet,
  valueAtPointer,
} from '@jiping/rules';
import { checkRuleFile, scoreSubmission, updateTestExpectations } from '@jiping/scoring';
import { renderEditableRuleWorkbook } from './export-rule-workbook';
import { importRuleWorkbook } from './import-rule-workbook';
import { previewRuleWorkbookImport } from './preview-rule-workbook';
import { RULE_WORKBOOK_SHEETS as SHEETS } from './rule-workbook-layout';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (path: string): RuleFile => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as RuleFile;
const GUANGZHOU = toRuleSet(read('rules/guangzhou/department-overall/2021.json'));
const SEED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'));

/** Every rule file the repository ships (rules/…, 廊坊 2019 included) and the example drafts of docs/examples. */
function shippedRuleFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.json') && name !== 'schema.json' && name !== 'rules.lock.json' ? [path] : [];
    });
  return [...walk(join(ROOT, 'rules')), ...walk(join(ROOT, 'docs/examples'))].map((p) => relative(ROOT, p)).sort();
}

/** Opens a workbook, lets `edit` type into it as a person would in Excel, and saves it. */
async function edited(buffer: Buffer, edit: (sheet: (name: string) => ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  edit((name) => workbook.getWorksheet(name)!);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The row of a sheet whose cells in `column` read `text` (rows 3 and below). */
function rowOf(sheet: ExcelJS.Worksheet, column: string, text: string, after = 3): number {
  for (let r = after; r <= sheet.rowCount; r++) if (sheet.getCell(`${column}${r}`).value === text) return r;
  throw new Error(`${sheet.name}: no row with ${column} = ${text}`);
}

const GUANGZHOU_BANDS = valueAtPointer(
  GUANGZHOU.file,
  '/indicators/0/children/3/children/2/method/bands',
) as BandSpec[];

const withoutVersion = (file: RuleFile): string => canonicalJson({ ...file, version: '' });

describe('editable 指标体系 workbook', () => {
  it.each(shippedRuleFiles())('%s: exported and imported unchanged gives the base back (empty diff)', async (path) => {
    const base = toRuleSet(read(path));
    const buffer = await renderEditableRuleWorkbook(base);
    const preview = await previewRuleWorkbookImport(base, buffer);
    expect(preview.problems).toEqual([]);
    expect(preview.valid).toBe(true);
    expect(preview.diff?.changes).toEqual([]);
    // not only no semantic change: the very same file, but for the draft's version
    expect(withoutVersion(preview.draft!)).toBe(withoutVersion(base.file));
    expect(preview.draft!.version).not.toBe(base.version);
  });

  it('lays the indicator system out as the bureau reads it, value cells unlocked and labels locked', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderEditableRuleWorkbook(GUANGZHOU)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => [s.name, s.state])).toEqual([
      [SHEETS.guide, 'visible'],
      [SHEETS.basics, 'visible'],
      [SHEETS.grades, 'visible'],
      [SHEETS.indicators, 'visible'],
      [SHEETS.parameters, 'visible'],
      [SHEETS.bands, 'visible'],
      [SHEETS.points, 'visible'],
      [SHEETS.events, 'visible'],
      [SHEETS.tiers, 'visible'],
      [SHEETS.inputs, 'visible'],
      [SHEETS.mapping, 'veryHidden'],
    ]);
    const tree = workbook.getWorksheet(SHEETS.indicators)!;
    expect(tree.getRow(2).values).toEqual([
      undefined,
      '一级指标',
      '二级指标',
      '三级指标',
      '代码',
      '计分方法',
      '分值',
      '指标解释',
      '评分标准（导出时按规则生成，仅供参考，修改无效）',
    ]);
    // 采购管理 is row 12: its name under 二级指标, its 分值 in F
    expect(tree.getCell('B12').value).toBe('采购管理');
    expect(tree.getCell('F12').value).toBe(2);
    expect(tree.getCell('F12').protection?.locked).toBe(false);
    expect(tree.getCell('D12').value).toBe('procurement-management');
    expect(tree.getCell('D12').protection?.locked).not.toBe(false);
    const asset = rowOf(tree, 'D', 'fixed-asset-utilization');
    expect(tree.getCell(`H${asset}`).value).toBe(
      '≥90%得2分；80%（含）-90%得1.5分；70%（含）-80%得1分；60%（含）-70%得0.5分；＜60%得0分',
    );
    const bands = workbook.getWorksheet(SHEETS.bands)!;
    const first = rowOf(bands, 'B', 'fixed-asset-utilization');
    expect(
      [0, 1, 2, 3, 4].map((i) => [
        bands.getCell(`D${first + i}`).value,
        bands.getCell(`E${first + i}`).value,
        bands.getCell(`F${first + i}`).value,
      ]),
    ).toEqual([
      ['≥', 90, 2],
      ['≥', 80, 1.5],
      ['≥', 70, 1],
      ['≥', 60, 0.5],
      ['其余', '', 0],
    ]);
    expect(bands.getCell(`E${first}`).dataValidation?.type).toBe('custom');
    expect(bands.getCell(`D${first}`).dataValidation?.formulae).toEqual(['"≥,＞"']);
    const parameters = workbook.getWorksheet(SHEETS.parameters)!;
    const rate = rowOf(parameters, 'C', '每差1个百分点扣分');
    expect([parameters.getCell(`B${rate}`).value, parameters.getCell(`D${rate}`).value]).toEqual([
      'budget-completion-rate',
      0.2,
    ]);
    expect(tree.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
    const guide = workbook.getWorksheet(SHEETS.guide)!;
    const lines = guide.getColumn(1).values.filter((v): v is string => typeof v === 'string');
    expect(lines).toContain('· 内嵌测试用例（tests）：规则改变得分时，导入可选择按新规则更新其预期结果');
    expect(lines).toContain('· 单位基本情况（预算执行情况表）的结构（budgetHeader）');
  });

  describe('edited in three places: a weight moved between two siblings, a band threshold, a deduction rate', () => {
    let buffer: Buffer;
    beforeAll(async () => {
      buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        const tree = sheet(SHEETS.indicators);
        // 成本管理: 公用经费控制率 2 → 2.5, “三公经费”控制率 2 → 1.5
        tree.getCell(`F${rowOf(tree, 'D', 'public-expense-control')}`).value = 2.5;
        tree.getCell(`F${rowOf(tree, 'D', 'three-public-expense-control')}`).value = 1.5;
        const bands = sheet(SHEETS.bands);
        // 固定资产利用率: the top band starts at 95 instead of 90
        bands.getCell(`E${rowOf(bands, 'B', 'fixed-asset-utilization')}`).value = 95;
        const parameters = sheet(SHEETS.parameters);
        // 预算完成率: 0.3 per percentage point instead of 0.2
        const rate = rowOf(parameters, 'C', '每差1个百分点扣分', rowOf(parameters, 'B', 'budget-completion-rate'));
        parameters.getCell(`D${rate}`).value = 0.3;
      });
    });

    it('diffs as exactly those changes', async () => {
      const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer, { updateTestExpectations: true });
      expect(preview.problems).toEqual([]);
      expect(preview.valid).toBe(true);
      const changes = preview.diff!.changes.map((c) => [c.kind, c.code, c.before, c.after]);
      expect(changes).toEqual([
        ['parameter-changed', 'budget-completion-rate', '0.2', '0.3'],
        ['band-changed', 'fixed-asset-utilization', '≥90% 得2分', '≥95% 得2分'],
        [
          'band-changed',
          'fixed-asset-utilization',
          '90%（含）-95% 得2分；80%（含）-90% 得1.5分',
          '80%（含）-95% 得1.5分',
        ],
        ['weight-changed', 'public-expense-control', '2', '2.5'],
        ['weight-changed', 'three-public-expense-control', '2', '1.5'],
      ]);
      // the file a person would write: the base with those values, bands in the file's own condition syntax
      const draft = preview.draft!;
      const leaf = valueAtPointer(draft, '/indicators/0/children/3/children/2') as LeafNode;
      const { bands: _bands, ...rest } = leaf.method as { bands: unknown[] };
      expect(rest).toEqual({ type: 'bands', monotone: 'increasing' });
      expect((leaf.method as { bands: unknown[] }).bands.slice(0, 2)).toEqual([
        { when: { all: [{ fact: 'metric', operator: 'decimalGreaterThanInclusive', value: '95' }] }, score: '2' },
        {
          when: {
            all: [
              { fact: 'metric', operator: 'decimalGreaterThanInclusive', value: '80' },
              { fact: 'metric', operator: 'decimalLessThan', value: '95' },
            ],
          },
          score: '1.5',
        },
      ]);
      expect(draft.version).toBe('2021.2.0');
      expect(Object.keys(draft)).toEqual(Object.keys(GUANGZHOU.file));
      // the embedded tests were brought up to the new rules, each change listed
      expect(preview.testUpdates.length).toBeGreaterThan(0);
      expect(preview.testUpdates[0].message.zh).toMatch(/^内嵌测试“.+”：预期.+ 改为 /);
    });

    it('without updating the tests, names the tests the new rules fail (the rules changed scores)', async () => {
      const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer);
      expect(preview.valid).toBe(false);
      expect(preview.problems.length).toBeGreaterThan(0);
      for (const problem of preview.problems) {
        expect(problem.pointer).toMatch(/^\/tests\/\d+\/expected\//);
        expect(problem.path).toMatch(/^内嵌测试「/);
        expect(problem.cell).toBeUndefined();
      }
      expect(preview.diff!.changes).toHaveLength(5);
    });
  });

  it('the editor scenario: 固定资产利用率 80 %（含）–90 % scores 1 instead of 1.5 → validates, one change, seed 94.122', async () => {
    // as the form editor writes it: a copy of the published file with that one band's score changed
    const draft = deriveDraft(GUANGZHOU.file);
    const bands = valueAtPointer(draft, '/indicators/0/children/3/children/2/method/bands') as Array<{ score: string }>;
    bands[1].score = '1';
    const { file, updates } = await updateTestExpectations(draft);
    expect(updates.map((u) => [u.pointer, u.before, u.after])).toContainEqual([
      '/tests/0/expected/total',
      '94.622',
      '94.122',
    ]);
    const { problems, ruleSet } = await checkRuleFile(file);
    expect(problems).toEqual([]);
    const diff = diffRuleSets(GUANGZHOU, ruleSet!);
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'band-changed',
        code: 'fixed-asset-utilization',
        pointer: '/indicators/0/children/3/children/2/method/bands/1',
        before: '80%（含）-90% 得1.5分',
        after: '80%（含）-90% 得1分',
      }),
    ]);
    const report = await scoreSubmission(ruleSet!, SEED);
    expect(report.total).toBe('94.122'); // 84.30 % lies in that band: 94.622 − 0.5
    // the same edit made in the workbook (分档 F, second band) gives the same draft
    const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
      const sheetOfBands = sheet(SHEETS.bands);
      sheetOfBands.getCell(`F${rowOf(sheetOfBands, 'B', 'fixed-asset-utilization') + 1}`).value = 1;
    });
    const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer, { updateTestExpectations: true });
    expect(preview.valid).toBe(true);
    expect(canonicalJson(preview.draft)).toBe(canonicalJson(file));
  });

  describe('cells it cannot read', () => {
    it('names the cell, what it expects and what was typed, with the pointer beside', async () => {
      const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        sheet(SHEETS.indicators).getCell('F12').value = '两分';
        sheet(SHEETS.indicators).getCell('F13').value = 1.255;
        sheet(SHEETS.grades).getCell('C3').value = '九十';
        sheet(SHEETS.basics).getCell('B13').value = '进一法';
      });
      const { problems, draft } = await importRuleWorkbook(GUANGZHOU, buffer);
      expect(problems).toEqual([
        {
          pointer: '/rounding/mode',
          cell: '基本信息!B13',
          message: {
            zh: '应从下拉列表中选择：四舍五入、银行家舍入、截断（填了“进一法”）',
            en: 'must be one of 四舍五入, 银行家舍入, 截断 (found "进一法")',
          },
        },
        {
          pointer: '/grades/0/min',
          cell: '等次!C3',
          message: {
            zh: '应为不超过四位小数的分数（填了“九十”）',
            en: 'must be a number with at most 4 decimal places (found "九十")',
          },
        },
        {
          pointer: '/indicators/0/children/1/weight',
          cell: '指标体系!F12',
          message: {
            zh: '应为不超过两位小数的分值（填了“两分”）',
            en: 'must be a score with at most 2 decimal places (found "两分")',
          },
        },
        {
          pointer: '/indicators/0/children/1/children/0/weight',
          cell: '指标体系!F13',
          message: {
            zh: '应为不超过两位小数的分值（填了“1.255”）',
            en: 'must be a score with at most 2 decimal places (found "1.255")',
          },
        },
      ]);
      // the rest of the workbook was read: unreadable cells keep the base's value
      expect(withoutVersion(draft!)).toBe(withoutVersion(GUANGZHOU.file));
    });

    it('reads what a person types as a person means it: 90% in a threshold, text digits, 2分', async () => {
      const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        const bands = sheet(SHEETS.bands);
        const first = rowOf(bands, 'B', 'fixed-asset-utilization');
        const cell = bands.getCell(`E${first}`);
        cell.value = 0.92; // typed "92%"
        cell.style = { ...cell.style, numFmt: '0%' }; // a style of its own (exceljs shares loaded styles)
        bands.getCell(`E${first + 1}`).value = '８１'; // full-width digits
        const tree = sheet(SHEETS.indicators);
        tree.getCell(`F${rowOf(tree, 'D', 'asset-systems')}`).value = '1分';
      });
      const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer, { updateTestExpectations: true });
      expect(preview.problems).toEqual([]);
      expect(preview.diff!.changes.map((c) => c.after)).toEqual([
        '≥92% 得2分',
        '81%（含）-92% 得1.5分',
        '70%（含）-81% 得1分',
      ]);
    });

    it('maps the problems the rule-file checks find back to their cells', async () => {
      const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        const tree = sheet(SHEETS.indicators);
        tree.getCell(`F${rowOf(tree, 'D', 'asset-systems')}`).value = 1.5; // 资产管理's children now sum to 4.5
      });
      const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer);
      const weight = preview.problems.find((p) => p.pointer === '/indicators/0/children/3/weight');
      expect(weight).toMatchObject({
        cell: '指标体系!F17',
        path: '管理效能 › 资产管理',
        message: { zh: expect.stringContaining('4.5') },
      });
      expect(preview.valid).toBe(false);
    });

    it('refuses a workbook of another version, one whose rows moved, and what is not a workbook', async () => {
      const other = toRuleSet(deriveDraft(GUANGZHOU.file));
      const fromOther = await renderEditableRuleWorkbook(other);
      const foreign = await importRuleWorkbook(GUANGZHOU, fromOther);
      expect(foreign.draft).toBeUndefined();
      expect(foreign.problems[0].message.zh).toMatch(/^此工作簿导出自 guangzhou-department-overall 版本 2021\.2\.0/);

      const moved = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        sheet(SHEETS.indicators).spliceRows(5, 0, ['插入的一行']);
      });
      const result = await importRuleWorkbook(GUANGZHOU, moved);
      expect(result.draft).toBeUndefined();
      expect(result.problems).toEqual([
        expect.objectContaining({
          cell: '指标体系!D5',
          message: expect.objectContaining({
            zh: expect.stringMatching(/^此处应为“budget-completion-rate”，实际是“”：行被插入/),
          }),
        }),
      ]);

      const notXlsx = await importRuleWorkbook(GUANGZHOU, Buffer.from('not a workbook'));
      expect(notXlsx.problems[0].message.zh).toBe('不是 Excel 工作簿（.xlsx）文件');
    });
  });

  describe('bands: remove, add, and the wording of a band', () => {
    it('removes a band by clearing it and adds one in the spare row, in threshold order', async () => {
      const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        const bands = sheet(SHEETS.bands);
        const first = rowOf(bands, 'B', 'fixed-asset-utilization');
        // clear the 60 % band (第4档): 60–70 % now scores as the rest, 0
        bands.getCell(`E${first + 3}`).value = null;
        bands.getCell(`F${first + 3}`).value = null;
        // add ≥ 95 % → 2, with ≥ 90 % now 1.8
        bands.getCell(`F${first}`).value = 1.8;
        bands.getCell(`D${first + 5}`).value = '≥';
        bands.getCell(`E${first + 5}`).value = 95;
        bands.getCell(`F${first + 5}`).value = 2;
      });
      const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer, { updateTestExpectations: true });
      expect(preview.problems).toEqual([]);
      const method = valueAtPointer(preview.draft, '/indicators/0/children/3/children/2/method') as {
        bands: BandSpec[];
      };
      expect(
        method.bands.map((band) => `${describeInterval(bandInterval(band.when) as Interval, '%')} ${band.score}`),
      ).toEqual(['≥95% 2', '90%（含）-95% 1.8', '80%（含）-90% 1.5', '70%（含）-80% 1', '＜70% 0']);
      // unchanged bands are the base's own objects, text for text
      expect(method.bands[2]).toEqual(GUANGZHOU_BANDS[1]);
      expect(method.bands[3]).toEqual(GUANGZHOU_BANDS[2]);
      expect(preview.diff!.summary['band-changed']).toBeGreaterThan(0);
    });

    it('needs a threshold and a score for a band, and says so at the cell', async () => {
      const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
        const bands = sheet(SHEETS.bands);
        const first = rowOf(bands, 'B', 'fixed-asset-utilization');
        bands.getCell(`E${first + 1}`).value = null; // threshold cleared, score left
      });
      const { problems } = await importRuleWorkbook(GUANGZHOU, buffer);
      expect(problems).toEqual([
        {
          pointer: '/indicators/0/children/3/children/2/method/bands/1/when',
          cell: '分档!E14',
          message: {
            zh: '请填写分界值（要删除这一档，请同时清空分界值和得分）',
            en: 'give the threshold (to remove the band, clear both its threshold and its score)',
          },
        },
      ]);
    });
  });

  it('moving the year numbers the draft in the new year, and its tests and continues follow', async () => {
    const buffer = await edited(await renderEditableRuleWorkbook(GUANGZHOU), (sheet) => {
      sheet(SHEETS.basics).getCell('B9').value = 2022;
      sheet(SHEETS.basics).getCell('B6').value = '广州市部门整体支出绩效自评指标体系（2022年度）';
    });
    const preview = await previewRuleWorkbookImport(GUANGZHOU, buffer);
    expect(preview.problems).toEqual([]);
    const draft = preview.draft!;
    expect([draft.fiscalYear, draft.version, draft.title]).toEqual([
      2022,
      '2022.1.0',
      '广州市部门整体支出绩效自评指标体系（2022年度）',
    ]);
    expect(draft.continues).toEqual({ id: GUANGZHOU.id, version: '2021.1.0', fiscalYear: 2021 });
    expect(draft.tests.map((t) => (t.submission as { fiscalYear: number }).fiscalYear)).toEqual([2022, 2022, 2022]);
    expect(preview.diff!.changes.map((c) => c.message)).toEqual([
      '规则集：标题 广州市部门整体支出绩效自评指标体系（2021年度） 改为 广州市部门整体支出绩效自评指标体系（2022年度）',
      '规则集：评价年度 2021 改为 2022',
      '规则集：承接的上一版本 （无） 改为 guangzhou-department-overall 2021.1.0（2021年度）',
    ]);
  });

  it('加减分 as bureaus write it: event kinds, caps and 另计 are editable', async () => {
    const base = toRuleSet(read('docs/examples/project-self-evaluation-bonus-on-top.json'));
    const buffer = await edited(await renderEditableRuleWorkbook(base), (sheet) => {
      const events = sheet(SHEETS.events);
      const criticism = rowOf(events, 'C', 'circulated-criticism');
      expect(events.getCell(`E${criticism}`).value).toBe(-2);
      events.getCell(`E${criticism}`).value = -3;
      const parameters = sheet(SHEETS.parameters);
      const start = rowOf(parameters, 'B', 'adjustment-events');
      parameters.getCell(`D${rowOf(parameters, 'C', '最多加分', start)}`).value = 4;
      const onTop = rowOf(parameters, 'C', '计入方式');
      expect([parameters.getCell(`B${onTop}`).value, parameters.getCell(`D${onTop}`).value]).toEqual([
        'bonus-penalty',
        '另计（在总分之外加减）',
      ]);
    });
    const { problems, draft } = await importRuleWorkbook(base, buffer);
    expect(problems).toEqual([]);
    const adjustments = draft!.inputs.find((input) => input.id === 'adjustmentEvents') as unknown as {
      kinds: Array<{ code: string; points: string }>;
    };
    expect(adjustments.kinds.find((k) => k.code === 'circulated-criticism')!.points).toBe('-3');
    expect(valueAtPointer(draft, '/indicators/4/children/0/method/bonusCap')).toBe('4');
    expect(valueAtPointer(draft, '/indicators/4/onTop')).toBe(true);
  });

  it('carries what it cannot show through unchanged, and lists it in 说明', async () => {
    const file = structuredClone(GUANGZHOU.file) as RuleFile & Record<string, unknown>;
    const leaf = valueAtPointer(file, '/indicators/0/children/2/children/0') as LeafNode;
    leaf.applies = {
      when: { all: [{ fact: 'procurementPlanned', operator: 'decimalGreaterThan', value: '0' }] },
      otherwise: 'full',
      reason: '本年度无政府采购计划',
    };
    const base: RuleSet = toRuleSet(file);
    const buffer = await renderEditableRuleWorkbook(base);
    const preview = await previewRuleWorkbookImport(base, buffer);
    expect(preview.diff!.changes).toEqual([]);
    expect((valueAtPointer(preview.draft, '/indicators/0/children/2/children/0') as LeafNode).applies).toEqual(
      leaf.applies,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const lines = workbook.getWorksheet(SHEETS.guide)!.getColumn(1).values;
    expect(lines).toContain('· 管理效能 › 信息公开管理 › 预决算信息公开合规性：适用条件（applies）');
  });
});
