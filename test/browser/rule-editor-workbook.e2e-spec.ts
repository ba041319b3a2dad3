import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { RULE_WORKBOOK_SHEETS as SHEETS } from '@jiping/reports';
import {
  blockingViolations,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(240_000);

const BASE = 'guangzhou-department-overall:2021:published';

/** Opens the exported workbook, types into it as a person would in Excel, and saves it. */
async function edited(path: string, edit: (sheet: (name: string) => ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  edit((name) => workbook.getWorksheet(name)!);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
const rowOf = (sheet: ExcelJS.Worksheet, column: string, text: string): number => {
  for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getCell(`${column}${r}`).value === text) return r;
  throw new Error(`${sheet.name}: no ${text}`);
};

/** Issue 14's three edits: a weight moved between two siblings, a band threshold, a deduction rate. */
const threeEdits = (sheet: (name: string) => ExcelJS.Worksheet): void => {
  const tree = sheet(SHEETS.indicators);
  tree.getCell(`F${rowOf(tree, 'D', 'public-expense-control')}`).value = 2.5;
  tree.getCell(`F${rowOf(tree, 'D', 'three-public-expense-control')}`).value = 1.5;
  const bands = sheet(SHEETS.bands);
  bands.getCell(`E${rowOf(bands, 'B', 'fixed-asset-utilization')}`).value = 95;
  const parameters = sheet(SHEETS.parameters);
  parameters.getCell(`D${rowOf(parameters, 'C', '每差1个百分点扣分')}`).value = 0.3;
};
/** What those three edits are, as the diff words them (the threshold moves the edge between two bands). */
const THREE_CHANGES = [
  ['parameter-changed', 'budget-completion-rate', '0.2', '0.3'],
  ['band-changed', 'fixed-asset-utilization', '≥90% 得2分', '≥95% 得2分'],
  ['band-changed', 'fixed-asset-utilization', '90%（含）-95% 得2分；80%（含）-90% 得1.5分', '80%（含）-95% 得1.5分'],
  ['weight-changed', 'public-expense-control', '2', '2.5'],
  ['weight-changed', 'three-public-expense-control', '2', '1.5'],
];

describeInBrowser('console: the 指标体系 workbook round trip (admin, Chromium)', () => {
  let ui: ConsoleUnderTest;
  let exportedPath: string;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const asAdmin = async (path: string): Promise<unknown> => {
    const res = await fetch(`${ui.url}${path}`, { headers: { Authorization: `Bearer ${DEMO_KEYS.admin}` } });
    expect(res.status).toBe(200);
    return res.json();
  };

  async function openEditor(page: Page): Promise<void> {
    await signIn(page, DEMO_KEYS.admin);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '规则编辑' }).click();
    await page.getByRole('heading', { name: '规则编辑', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '指标体系工作簿' }).waitFor();
  }

  async function upload(page: Page, name: string, buffer: Buffer): Promise<void> {
    await page.locator('input[type=file]').setInputFiles({
      name,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await page.getByRole('region', { name: `检查结果：${name}` }).waitFor();
  }

  it('exports the editable workbook, previews three edits as exactly those changes, then saves the draft', async () => {
    const page = await ui.newPage();
    await openEditor(page);
    await expect(page.locator('.base-card').innerText()).resolves.toContain(
      '广州市部门整体支出绩效自评指标体系（2021年度） · 第1版 · 已发布',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出指标体系工作簿/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('guangzhou-department-overall-2021-1-指标体系-可编辑.xlsx');
    exportedPath = (await download.path())!;
    const before = (await asAdmin('/rule-sets')) as Array<{ ref: string }>;

    await upload(page, '指标体系（三处修改）.xlsx', await edited(exportedPath, threeEdits));
    const preview = page.getByRole('region', { name: /检查结果/ });
    await expect(preview.innerText()).resolves.toContain('工作簿可以保存为草稿');
    await expect(preview.innerText()).resolves.toContain('共 5 处变化');
    const rows = await preview
      .getByRole('table', { name: '与基础版本的差异（修订说明）' })
      .locator('tbody tr')
      .allInnerTexts();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/评分参数\s+管理效能 › 资金管理 › 预算完成率\s+0\.2\s+0\.3/);
    expect(rows[1]).toContain('≥95% 得2分');
    expect(rows[3]).toMatch(/分值\s+管理效能 › 成本管理 › 公用经费控制率\s+2\s+2\.5/);
    expect(rows[4]).toMatch(/分值\s+管理效能 › 成本管理 › “三公经费”控制率\s+2\s+1\.5/);
    // nothing stored by the preview
    expect(((await asAdmin('/rule-sets')) as unknown[]).length).toBe(before.length);
    expect(await blockingViolations(page)).toEqual([]);

    await page.getByRole('button', { name: /保存为草稿/ }).click();
    const saved = page.getByRole('status').filter({ hasText: '已保存为草稿' });
    await saved.waitFor();
    await expect(saved.innerText()).resolves.toContain('第2版');
    const ref = (await saved.getByRole('link').getAttribute('data-ref'))!;
    expect(ref).toBe('guangzhou-department-overall:2021:2');
    // stored: read back through the API
    const stored = (await asAdmin(`/rule-sets/${ref}`)) as { status: string; fileVersion: string };
    expect([stored.status, stored.fileVersion]).toEqual(['draft', '2021.2.0']);
    const diff = (await asAdmin(`/rule-sets/${ref}/diff?against=${BASE}`)) as {
      changes: Array<{ kind: string; code?: string; before?: string; after?: string }>;
    };
    expect(diff.changes.map((c) => [c.kind, c.code, c.before, c.after])).toEqual(THREE_CHANGES);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('names a cell it cannot read with its sheet!cell, and does not let the draft be saved', async () => {
    const page = await ui.newPage();
    await openEditor(page);
    const before = (await asAdmin('/rule-sets')) as unknown[];
    await upload(
      page,
      '指标体系（写错）.xlsx',
      await edited(exportedPath, (sheet) => {
        sheet(SHEETS.indicators).getCell('F12').value = '两分';
      }),
    );
    const preview = page.getByRole('region', { name: /检查结果/ });
    await expect(preview.innerText()).resolves.toContain('工作簿有 1 处问题，不能保存');
    const problem = await preview.getByRole('table', { name: '需要改正的问题' }).locator('tbody tr').allInnerTexts();
    expect(problem).toHaveLength(1);
    expect(problem[0]).toMatch(/指标体系!F12\s+管理效能 › 采购管理\s+应为不超过两位小数的分值（填了“两分”）/);
    await expect(page.getByRole('button', { name: /保存为草稿/ }).isDisabled()).resolves.toBe(true);
    expect(((await asAdmin('/rule-sets')) as unknown[]).length).toBe(before.length);
    expect(await blockingViolations(page)).toEqual([]);
  });
});
