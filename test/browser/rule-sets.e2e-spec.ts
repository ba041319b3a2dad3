import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  blockingViolations,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(300_000);

const DRAFT_2022 = join(__dirname, '../../docs/examples/guangzhou-department-overall-2022-draft.json');

interface Row {
  ref: string;
  fiscalYear: number;
  versionNo: number;
  status: string;
}

describeInBrowser('console: 规则库 — upload, 修订说明, publish (admin, Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const asAdmin = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${ui.url}${path}`, { headers: { Authorization: `Bearer ${DEMO_KEYS.admin}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  it('refuses a corrupted file by Chinese path, stores the 2022 draft with its diff, publishes a 2021 version', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.goto('/app/rule-sets');
    await page.getByRole('heading', { level: 1, name: '规则库' }).waitFor();
    const table = page.getByRole('table', { name: '规则集版本' });
    await table.getByRole('row', { name: /2021年度.*第1版.*已发布.*现行/ }).waitFor();
    const input = page.locator('input[type=file]');

    // a corrupted copy: 固定资产利用率's 分值 typed in words
    const draft = JSON.parse(readFileSync(DRAFT_2022, 'utf8')) as {
      indicators: { children: { children: { code: string; weight: string }[] }[] }[];
    };
    const corrupted = structuredClone(draft);
    corrupted.indicators[0].children[3].children[2].weight = '两分';
    await input.setInputFiles({
      name: 'corrupted.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(corrupted)),
    });
    const refused = page.getByRole('alert').filter({ hasText: 'corrupted.json 未保存' });
    await refused.waitFor();
    const problems = page.getByRole('table', { name: '规则文件的问题' });
    const problem = problems.getByRole('row', { name: /管理效能 › 资产管理 › 固定资产利用率/ }).first();
    await problem.waitFor();
    await expect(problem.innerText()).resolves.toContain('/indicators/0/children/3/children/2/weight');
    expect((await asAdmin<Row[]>('/rule-sets')).filter((r) => r.fiscalYear === 2022)).toEqual([]);

    // the example 2022 draft: saved as 第1版 草稿, its 修订说明 against the version in force (2021 第1版)
    await input.setInputFiles(DRAFT_2022);
    await page.getByRole('alert').filter({ hasText: '已保存为草稿' }).waitFor();
    const diff = page.getByRole('table', { name: /^修订说明：.*2022年度.*第1版 相对 .*第1版（2021年度）$/ });
    await diff.waitFor();
    const diffText = await diff.innerText();
    expect(diffText).toMatch(/管理效能 › 资产管理 › (数据安全管理|资产账务核对情况|固定资产利用率)/);
    await table
      .getByRole('row', { name: /2022年度.*第1版.*草稿/ })
      .getByRole('link', { name: '在规则编辑中修改' })
      .waitFor();
    expect(await blockingViolations(page)).toEqual([]);

    // a new 2021 version (the published file, renumbered), then publish it after the confirmation
    const published = await asAdmin<{ content: Record<string, unknown> }>(
      '/rule-sets/guangzhou-department-overall:2021:published',
    );
    await input.setInputFiles({
      name: 'guangzhou-2021-v2.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...published.content, version: '2021.2.0' })),
    });
    await page
      .getByRole('alert')
      .filter({ hasText: /已保存为草稿：.*第2版/ })
      .waitFor();
    await page.getByText(/^(与现行版本相比没有变化。|共 \d+ 处修订)$/).waitFor();
    await page.getByRole('button', { name: /^发布：.*（2021年度）.*第2版$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/将成为2021年度的现行版本；现行的 .*第1版 将变为“已替代”/).waitFor();
    expect(await blockingViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await table.getByRole('row', { name: /2021年度.*第2版.*已发布.*现行/ }).waitFor();
    await table.getByRole('row', { name: /2021年度.*第1版.*已替代/ }).waitFor();

    const rows = await asAdmin<Row[]>('/rule-sets');
    const status = (year: number, no: number) => rows.find((r) => r.fiscalYear === year && r.versionNo === no)?.status;
    expect([status(2021, 1), status(2021, 2), status(2022, 1)]).toEqual(['superseded', 'published', 'draft']);
  });
});
