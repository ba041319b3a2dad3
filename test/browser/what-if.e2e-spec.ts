import {
  blockingViolations,
  eventually,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

describeInBrowser('console: 模拟 (what-if), 复核 and 距离下一等次 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('实际采购金额合计数 = 1643.42 shows 94.932 (+0.310) and +0.31 on 政府采购执行率 as you type; 重置; nothing stored', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/departments/gz-kjj');
    await page.getByRole('button', { name: /模拟/ }).click();
    await page.waitForURL('**/departments/gz-kjj/what-if');
    const field = page.getByRole('textbox', { name: '实际采购金额合计数' });
    await expect(field.inputValue()).resolves.toBe('1388.29');
    await field.fill('1643.42');
    const result = page.getByRole('status', { name: '模拟结果' });
    await page.getByTestId('what-if-total').getByText('94.932').waitFor();
    await expect(page.getByTestId('what-if-total').innerText()).resolves.toMatch(/94\.932\s*\+0\.310/);
    await expect(result.innerText()).resolves.toContain('原 94.622');
    await expect(page.getByTestId('what-if-grade').innerText()).resolves.toContain('优');
    const row = page.getByRole('table', { name: '得分变化的指标' }).getByRole('row', { name: /政府采购执行率/ });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['政府采购执行率', '1.69', '2.00', '+0.31']);
    await page.getByText('原值：1388.29').waitFor();
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    // 重置: back to the official figures
    await page.getByRole('button', { name: /重\s*置/ }).click();
    expect(await eventually(() => field.inputValue(), '1388.29')).toBe('1388.29');
    expect(await eventually(() => page.getByTestId('what-if-total').innerText(), '94.622')).toBe('94.622');
    // typed key by key, fast: no keystroke is lost or moved, and the URL follows once typing settles
    await field.selectText();
    await field.pressSequentially('1643.42', { delay: 20 });
    await expect(field.inputValue()).resolves.toBe('1643.42');
    await page.getByTestId('what-if-total').getByText('94.932').waitFor();
    await page.waitForURL((url) => url.searchParams.getAll('set').includes('/inputs/procurementActual=1643.42'));
    // nothing was stored: the official evaluation is still 94.622 with one submission revision
    const latest = await fetch(`${ui.url}/departments/gz-kjj/years/2021/evaluations/latest`, {
      headers: { Authorization: `Bearer ${DEMO_KEYS.evaluator}` },
    });
    expect(((await latest.json()) as { total: string }).total).toBe('94.622');
    const revisions = await fetch(`${ui.url}/departments/gz-kjj/years/2021/submissions`, {
      headers: { Authorization: `Bearer ${DEMO_KEYS.evaluator}` },
    });
    expect(((await revisions.json()) as unknown[]).length).toBe(1);
  });

  it('a checklist point switched off loses its points; an amount the API refuses is said in Chinese', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2021/departments/gz-kjj/what-if');
    await page.getByRole('switch', { name: /部门预算按时报送/ }).click();
    await page.getByTestId('what-if-total').getByText('93.622').waitFor();
    const row = page.getByRole('table', { name: '得分变化的指标' }).getByRole('row', { name: /部门预算编制情况/ });
    await expect(row.innerText()).resolves.toContain('-1');
    await page.getByRole('textbox', { name: '实际采购金额合计数' }).fill('abc');
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('内容有误');
  });

  it('距离下一等次: 已是最高等次, the indicators that lost points, each option one click from 模拟', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/departments/gz-kjj?tab=headroom');
    await page.getByText('已是最高等次「优」；距满分还差 5.378 分').waitFor();
    const procurement = page.getByRole('listitem').filter({ hasText: '政府采购执行率' });
    await expect(procurement.innerText()).resolves.toContain('1388.29 → 1639.23');
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    await procurement.getByRole('button', { name: '模拟：实际采购金额合计数 1639.23' }).click();
    await page.waitForURL('**/what-if?**');
    await expect(page.getByRole('textbox', { name: '实际采购金额合计数' }).inputValue()).resolves.toBe('1639.23');
    await page.getByTestId('what-if-total').getByText('94.932').waitFor();
  });

  it('a department may not 复核: the tab says who may', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2021/departments/gz-kjj?tab=review');
    await page.getByText('仅绩效处可复核').waitFor();
    await expect(page.getByRole('button', { name: /提交复核/ }).count()).resolves.toBe(0);
  });

  it('复核 needs a reason; once saved 复核分 95.622 stands beside 自评分 94.622, with the reason in the record and in 年度总览', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/departments/gz-kjj?tab=review');
    await page.getByLabel('复核的数据项').click();
    await page.getByLabel('复核的数据项').fill('事前立项');
    await page.locator('.ant-select-item-option', { hasText: '新增预算入库项目开展事前立项预算评估' }).click();
    await expect(page.getByRole('switch', { name: '复核后的值' }).getAttribute('aria-checked')).resolves.toBe('true');
    await page.getByRole('button', { name: /提交复核/ }).click();
    await page.getByText('请填写复核原因').waitFor();
    expect(await blockingViolations(page)).toEqual([]);
    await page.getByLabel('复核原因').fill('已开展事前绩效评估，佐证材料见预算评审意见');
    await page.getByRole('button', { name: /提交复核/ }).click();
    await page.getByText('复核已保存：复核分 95.622，等次 优').waitFor();
    const record = page.locator('.ant-timeline');
    await record.getByText(/复核 · 总分 95\.622/).waitFor(); // the record is read again after the save
    await expect(record.innerText()).resolves.toMatch(
      /复核 · 总分 95\.622[\s\S]*事前立项预算评估（1分） → 是；原因：已开展事前绩效评估，佐证材料见预算评审意见/,
    );
    await page.getByRole('tab', { name: '自评表' }).click();
    expect(await eventually(() => page.getByTestId('total').innerText(), '95.622 / 100')).toBe('95.622 / 100');
    await expect(page.getByTestId('self-total').innerText()).resolves.toBe('94.622');
    const row = page.getByRole('row', { name: /部门预算编制情况/ });
    await expect(row.innerText()).resolves.toContain('自评分 2.00');
    await expect(row.innerText()).resolves.toContain('复核：已开展事前绩效评估');
    await page.goto('/app/years/2021/overview');
    const overviewRow = page.getByRole('row', { name: /广州市科学技术局/ });
    await overviewRow.getByText('95.622').first().waitFor();
    // 排名, 部门, 代码, 地区, 状态 (the year's workflow: 已评分 until the evaluator marks it 已复核), 自评分, 复核分, 总分, 等次
    expect(await overviewRow.getByRole('cell').allInnerTexts()).toEqual([
      '1',
      '广州市科学技术局',
      'gz-kjj',
      '广州市',
      expect.stringMatching(/^已(评分|复核)$/),
      '94.622',
      '95.622',
      '95.622',
      '优',
    ]);
  });
});
