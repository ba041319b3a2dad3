import { readFileSync } from 'node:fs';
import {
  blockingViolations,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(300_000);

const BASE = 'guangzhou-department-overall:2021:published';
/** 管理效能 › 资产管理 › 固定资产利用率, its second band: 80 %（含）–90 %. */
const BAND_2_SCORE = '/indicators/0/children/3/children/2/method/bands/1/score';

/** Every leaf value that differs between two JSON documents, as JSON pointers (keys added or removed too). */
function changedPointers(a: unknown, b: unknown, at = ''): string[] {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      changedPointers((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`),
    );
  }
  return a === b ? [] : [at];
}

describeInBrowser('console: next year’s draft in forms (admin, Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const asAdmin = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${ui.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${DEMO_KEYS.admin}`, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };

  it('a draft 以2021年为基础: one band scored 1 instead of 1.5 validates, diffs as that change, scores 94.122', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.goto('/app/rule-editor');
    await page.getByRole('heading', { name: '在表单中编辑' }).waitFor();
    await page.getByRole('radio', { name: '2021年度新版本' }).check();
    await page.getByRole('button', { name: '以2021年为基础新建草稿' }).click();
    await page.waitForURL('**/app/rule-editor/drafts/**');
    const ref = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(ref).toBe('guangzhou-department-overall:2021:2');
    const created = await asAdmin<{ content: Record<string, unknown> }>(`/rule-sets/${ref}`);

    await page
      .getByRole('heading', { level: 1, name: /编辑草稿：广州市部门整体支出绩效自评指标体系（2021年度） 第2版/ })
      .waitFor();
    const check = page.getByRole('status', { name: '校验' });
    await page.getByText('校验通过：可以保存').waitFor();

    // the tree on the left, the chosen indicator's form on the right
    await page.getByRole('navigation', { name: '指标树' }).getByText('固定资产利用率').click();
    const form = page.getByRole('region', { name: '管理效能 › 资产管理 › 固定资产利用率' });
    await expect(form.getByLabel('分值').inputValue()).resolves.toBe('2');
    await expect(form.getByLabel('指标解释').inputValue()).resolves.toContain('固定资产使用效率');
    await expect(form.innerText()).resolves.toContain('评分方法：区间计分');
    const bandScore = form.getByRole('textbox', { name: '第2档 得分' });
    await expect(bandScore.inputValue()).resolves.toBe('1.5');
    await expect(form.getByRole('textbox', { name: '第2档 条件1（≥）' }).inputValue()).resolves.toBe('80');
    await expect(form.getByRole('textbox', { name: '第2档 条件2（<）' }).inputValue()).resolves.toBe('90');
    await bandScore.fill('1');

    // the live check: the embedded test's expected total no longer holds; the rules changed on purpose
    await page.getByText(/有 \d+ 处问题/).waitFor();
    await expect(check.locator('xpath=..').innerText()).resolves.toContain('内嵌测试');
    await page.getByRole('button', { name: '按新规则更新内嵌测试的预期结果' }).click();
    await page.getByText('校验通过：可以保存').waitFor();

    // the diff against the base, as you go: exactly that change
    const diff = page.getByRole('table', { name: '与基础版本的差异（修订说明）' });
    await page.getByRole('heading', { name: /共 1 处变化/ }).waitFor();
    const rows = await diff.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      /评分档次\s+管理效能 › 资产管理 › 固定资产利用率\s+80%（含）-90% 得1\.5分\s+80%（含）-90% 得1分/,
    );

    // 模拟 on the base year's data, unsaved: the seed department 94.122 (84.30 % lies in that band)
    const simulation = page.getByRole('status', { name: '模拟：按本草稿对2021年度数据评分' });
    await simulation.getByText('94.122').waitFor();
    await expect(simulation.innerText()).resolves.toContain('原 94.622');
    expect(await blockingViolations(page)).toEqual([]);

    // save as the draft version; what is stored is the file a person would write: only that band and the tests
    await page.getByRole('button', { name: /保存草稿/ }).click();
    await page.getByText('已保存', { exact: true }).waitFor();
    const stored = await asAdmin<{ status: string; content: Record<string, unknown> }>(`/rule-sets/${ref}`);
    expect(stored.status).toBe('draft');
    const changed = changedPointers(created.content, stored.content);
    expect(changed[0]).toBe(BAND_2_SCORE);
    expect(changed.slice(1).every((p) => p.startsWith('/tests/'))).toBe(true);
    const storedDiff = await asAdmin<{ changes: Array<{ kind: string; code: string; before: string; after: string }> }>(
      `/rule-sets/${ref}/diff?against=${BASE}`,
    );
    expect(storedDiff.changes.map((c) => [c.kind, c.code, c.before, c.after])).toEqual([
      ['band-changed', 'fixed-asset-utilization', '80%（含）-90% 得1.5分', '80%（含）-90% 得1分'],
    ]);
    const whatIf = await asAdmin<{ report: { total: string } }>('/what-if', {
      method: 'POST',
      body: JSON.stringify({ department: 'gz-kjj', year: 2021, ruleSet: ref }),
    });
    expect(whatIf.report.total).toBe('94.122');

    // 影响分析 of the saved draft over every department, as a job
    await page.getByRole('button', { name: '运行影响分析' }).click();
    const impact = page.getByRole('status', { name: '影响分析（全部部门）' });
    await impact.getByText(/已完成/).waitFor({ timeout: 120_000 });
    const mover = await impact.getByRole('row', { name: /广州市科学技术局/ }).innerText();
    expect(mover).toMatch(/94\.622\s+94\.122\s+-0\.500/);

    // the JSON for experts: read-only, and as a download equal to what is stored
    await page.getByRole('tab', { name: '规则文件（JSON）' }).click();
    const json = page.getByLabel('规则文件内容（只读）');
    expect(JSON.parse(await json.innerText())).toEqual(stored.content);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载规则文件（JSON）/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('guangzhou-department-overall-2021-2.json');
    expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(stored.content);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('next year: a 2022 draft continues 2021; a broken weight is named beside its field, in Chinese', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.goto('/app/rule-editor');
    await page.getByRole('button', { name: '以2021年为基础新建草稿' }).click(); // 2022年度（下一年度） by default
    await page.waitForURL('**/app/rule-editor/drafts/guangzhou-department-overall%3A2022%3A1**');
    await page.getByRole('heading', { level: 1, name: /（2022年度） 第1版/ }).waitFor();
    await page.getByText('校验通过：可以保存').waitFor();
    await page.getByRole('navigation', { name: '指标树' }).getByText('预算完成率').click();
    const form = page.getByRole('region', { name: '管理效能 › 资金管理 › 预算完成率' });
    await expect(form.innerText()).resolves.toContain('评分方法：扣分法');
    await expect(form.getByLabel('每差1个单位（百分点）扣分').inputValue()).resolves.toBe('0.2');
    await form.getByLabel('分值').fill('两分');
    await page.getByText(/有 \d+ 处问题/).waitFor();
    const beside = await form.getByRole('alert').allInnerTexts();
    expect(beside.length).toBeGreaterThan(0);
    expect(beside.join('\n')).toMatch(/[\u4e00-\u9fa5]/); // in Chinese, beside the 分值 field
    await expect(page.getByRole('button', { name: /保存草稿/ }).isDisabled()).resolves.toBe(true);
    expect(await blockingViolations(page)).toEqual([]);
    // nothing stored: the draft is as created
    const stored = await asAdmin<{
      content: { indicators: Array<{ children: Array<{ children: Array<{ weight: string }> }> }> };
    }>('/rule-sets/guangzhou-department-overall:2022:1');
    expect(stored.content.indicators[0].children[0].children[0].weight).toBe('2');
  });
});
