import { callApi } from './support/api';
import {
  blockingViolations,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

const YEAR_PATH = '/departments/gz-kjj/years/2021';

describeInBrowser('department journey 1: 这一年要做什么 (Chromium, department key)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('a clerk lands on the year page: 已评分, the official 94.622 优, nothing missing, the deadlines', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.waitForURL('**/app/years/2021/my/home');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      '广州市科学技术局 2021年度绩效自评工作',
    );
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await expect(nav.innerText()).resolves.toContain('本年度工作');
    await expect(page.getByTestId('year-status').innerText()).resolves.toBe('已评分');
    const score = await page.getByTestId('official-score').innerText();
    expect(score).toContain('94.622');
    expect(score).toContain('优');
    await expect(page.getByText('本年度没有待办事项').isVisible()).resolves.toBe(true);
    await expect(page.getByText('绩效目标申报截止').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('row', { name: /绩效目标（已批复）/ }).innerText()).resolves.toContain('第1版');
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    // the link to the table opens the official 自评表
    await page.getByRole('link', { name: '查看自评表' }).click();
    await page.waitForURL('**/app/years/2021/my/results');
    await expect(page.getByTestId('total').innerText()).resolves.toContain('94.622');
  });

  it('after a 退回 the page shows the status, the evaluator’s reason and what to do next', async () => {
    const reason = '佐证材料不全：请补充政府采购执行情况的说明';
    const returned = await callApi(ui.url, DEMO_KEYS.evaluator, 'POST', `${YEAR_PATH}/return`, { reason });
    expect(returned.status).toBe(200);
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.waitForURL('**/app/years/2021/my/home');
    await expect(page.getByTestId('year-status').innerText()).resolves.toBe('已退回');
    const alert = page.getByRole('alert').filter({ hasText: '退回理由' });
    await expect(alert.innerText()).resolves.toContain(reason);
    await expect(alert.innerText()).resolves.toContain('年终数据已被退回，请修改后重新提交');
    // what the API says is missing is listed, with a link to where it is done
    const stored = await callApi<{ status: string; missing: { message: string }[]; lastReturn: { reason: string } }>(
      ui.url,
      DEMO_KEYS.department,
      'GET',
      YEAR_PATH,
    );
    expect([stored.body.status, stored.body.lastReturn.reason]).toEqual(['returned', reason]);
    expect(stored.body.missing.length).toBeGreaterThan(0);
    const todo = page.getByRole('list', { name: '待办事项' });
    for (const m of stored.body.missing) await expect(todo.innerText()).resolves.toContain(m.message);
    await todo.getByRole('link', { name: '去办理' }).first().click();
    await page.waitForURL('**/app/years/2021/my/submission');
    expect(await latinWords(page)).toEqual([]);
  });
});
