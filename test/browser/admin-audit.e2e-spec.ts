import { callApi } from './support/api';
import {
  blockingViolations,
  controlsNotNamedInChinese,
  controlsNotReachedByKeyboard,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

describeInBrowser('console: 审计日志 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows what the admin just did with her name (陈静), filtered by 操作 and 部门', async () => {
    const created = await callApi(ui.url, DEMO_KEYS.admin, 'POST', '/departments', {
      code: 'gz-audit',
      name: '广州市审计测试局',
      region: '广州市',
    });
    expect(created.status).toBe(201);
    const retiredNow = await callApi(ui.url, DEMO_KEYS.admin, 'POST', '/departments/gz-audit/retire', {
      reason: '机构改革',
    });
    expect(retiredNow.status).toBe(200);

    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    const table = page.getByRole('table', { name: '审计日志' });
    const retired = table.getByRole('row', { name: /撤销部门/ });
    await retired.waitFor();
    const cells = await retired.getByRole('cell').allInnerTexts();
    // 对象 as the admin knows it, its identifier on hover
    expect(cells.slice(1)).toEqual(['陈静', '撤销部门', '广州市审计测试局', '广州市审计测试局', '机构改革']);
    await retired.getByText('广州市审计测试局').first().hover();
    await page.getByRole('tooltip').filter({ hasText: '编号：gz-audit' }).waitFor();
    const published = table.getByRole('row', { name: /发布规则集/ }).filter({ hasText: '2021年度' });
    await expect(published.getByRole('cell').nth(3).innerText()).resolves.toBe(
      '广州市部门整体支出绩效自评指标体系（2021年度）（第1版）',
    );
    await expect(table.innerText()).resolves.not.toMatch(
      /guangzhou-department-overall|gz-kjj|[0-9a-f]{8}-[0-9a-f]{4}-/,
    );
    expect(await blockingViolations(page)).toEqual([]);
    // every control named in Chinese (no English icon names such as left/right)
    expect(await controlsNotNamedInChinese(page)).toEqual([]);
    // every control reached with Tab: the date filter was a RangePicker that kept the focus in its empty 开始日期
    expect(await controlsNotReachedByKeyboard(page)).toEqual([]);
    // and the date filter works from the keyboard: a date typed and Enter filters by it
    await page.getByRole('textbox', { name: '开始日期' }).focus();
    await page.keyboard.type('2020-01-01');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]from=/);
    await table.getByRole('row', { name: /撤销部门/ }).waitFor();
    // Tab leaves the field (through its 清除 button when antd shows it) for 结束日期
    const focused = () => page.evaluate('document.activeElement?.getAttribute("aria-label")');
    await page.keyboard.press('Tab');
    if ((await focused()) === '清除') await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('结束日期');

    await page.goto('/app/admin/audit?action=department.created&departmentCode=gz-audit');
    await table.getByRole('row', { name: /新建部门/ }).waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('陈静');
    expect(rows[0]).not.toContain('撤销部门');
  });
});
