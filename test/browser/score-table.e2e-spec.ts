import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import {
  blockingViolations,
  controlsNotNamedInChinese,
  controlsNotReachedByKeyboard,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

describeInBrowser('console: sign in, role navigation, errors, 自评表 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('serves the console at / in Chinese, and keeps the API routes as JSON', async () => {
    const page = await ui.newPage();
    await page.goto('/');
    await page.waitForURL('**/app/sign-in');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toBe('绩评');
    await page.getByRole('heading', { name: '登录绩评' }).waitFor();
    // 密钥, its 显示 toggle and 登录: each reached with Tab and named in Chinese
    expect(await controlsNotReachedByKeyboard(page)).toEqual([]);
    expect(await controlsNotNamedInChinese(page)).toEqual([]);
    const departments = await fetch(`${ui.url}/departments`);
    expect([departments.status, departments.headers.get('content-type')]).toEqual([
      401,
      expect.stringContaining('json'),
    ]);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('refuses a wrong 密钥 in Chinese and keeps the user on the sign-in page', async () => {
    const page = await ui.newPage();
    await page.goto('/app/sign-in');
    await page.getByLabel('密钥').fill('not-a-key');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('密钥无效或已停用');
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    expect(await page.evaluate('sessionStorage.getItem("jiping.key")')).toBeNull();
  });

  it('an evaluator lands on 年度总览 with its menu, user and role; the department menu is not there', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.waitForURL('**/app/years/2021/overview');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await expect(nav.innerText()).resolves.toContain('年度总览');
    await expect(nav.innerText()).resolves.not.toContain('评分结果');
    await expect(page.locator('header').innerText()).resolves.toContain('评价人员');
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    const cells = await page
      .getByRole('row', { name: /广州市科学技术局/ })
      .getByRole('cell')
      .allInnerTexts();
    expect(cells).toEqual(expect.arrayContaining(['广州市科学技术局', 'gz-kjj', '94.622', '优']));
    // the key is in sessionStorage, never in localStorage or the URL
    expect(await page.evaluate('[sessionStorage.getItem("jiping.key"), localStorage.length]')).toEqual([
      DEMO_KEYS.evaluator,
      0,
    ]);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('a department clerk sees only their own 自评表; 年度总览 is a 无权访问 page', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.waitForURL('**/app/years/2021/my/home'); // the year page (department journey 1)
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await expect(nav.innerText()).resolves.toContain('评分结果');
    await expect(nav.innerText()).resolves.not.toContain('年度总览');
    await page.goto('/app/years/2021/overview');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('无权访问此页面');
    await expect(page.getByRole('main').innerText()).resolves.toContain('部门填报员');
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('unknown pages, a key revoked mid-session and a lost connection are pages in Chinese', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/no-such-page');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('页面不存在');
    expect(await blockingViolations(page)).toEqual([]);
    await page.goto('/app/years/2021/departments/no-such-department');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('未找到');
    expect(await blockingViolations(page)).toEqual([]);
    // the server cannot be reached
    const apiCall = (url: URL) => url.pathname.startsWith('/departments/');
    await page.route(apiCall, (route) => route.abort('connectionrefused'));
    await page.goto('/app/years/2021/departments/gz-kjj');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('无法连接服务器');
    await page.getByRole('button', { name: /重\s*试/ }).waitFor();
    expect(await blockingViolations(page)).toEqual([]);
    await page.unroute(apiCall);
    // a key that is no longer accepted (401): back to sign-in, which says why
    await page.evaluate('sessionStorage.setItem("jiping.key", "revoked-key")');
    await page.goto('/app/years/2021/overview');
    await page.waitForURL('**/app/sign-in');
    await page
      .getByRole('alert')
      .getByText('您使用的密钥已失效（已吊销、已过期或已停用），请重新登录。', { exact: false })
      .waitFor();
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
  });

  async function openScoreTable(page: Page): Promise<void> {
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/departments/gz-kjj');
    await page.getByRole('heading', { name: '广州市科学技术局 2021年度部门整体支出绩效自评表' }).waitFor();
  }

  it('自评表: 一级/二级/三级, 分值, 得分, 评分依据; points lost highlighted with 扣分原因; total 94.622 and 优', async () => {
    const page = await ui.newPage();
    await openScoreTable(page);
    const table = page.getByRole('table', { name: /自评表/ });
    const headers = await table.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual(['一级指标', '二级指标', '三级指标', '分值', '得分', '评分依据']);
    await expect(page.getByTestId('total').innerText()).resolves.toContain('94.622');
    await expect(page.getByTestId('grade').innerText()).resolves.toBe('优');
    // 政府采购执行率 lost points: its row is highlighted and says why
    const procurement = page.getByRole('row', { name: /政府采购执行率/ });
    expect(await procurement.getAttribute('class')).toContain('row-lost');
    await expect(procurement.innerText()).resolves.toContain('扣分原因');
    // a full-score leaf is not highlighted
    const lostRows = await page.locator('tr.row-lost').count();
    const allRows = await table.locator('tbody tr').count();
    expect(lostRows).toBeGreaterThan(0);
    expect(lostRows).toBeLessThan(allRows);
    await page.getByText(`${lostRows} 项指标有扣分`).waitFor();
    const footer = await table.locator('tfoot, .ant-table-summary').innerText();
    expect(footer).toContain('94.622');
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('自评表 exports an xlsx whose cells hold the total, and a csv', async () => {
    const page = await ui.newPage();
    await openScoreTable(page);
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 Excel/ }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    const values: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => values.push(String(cell.value)))));
    expect(values).toEqual(expect.arrayContaining(['政府采购执行率']));
    expect(values.some((v) => v.includes('94.622'))).toBe(true);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text).toContain('政府采购执行率');
    expect(text).toContain('94.622');
  });
});
