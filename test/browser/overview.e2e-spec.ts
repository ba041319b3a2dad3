import ExcelJS from 'exceljs';
import {
  blockingViolations,
  controlsNotNamedInChinese,
  controlsNotReachedByKeyboard,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  eventually,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

describeInBrowser('console: 年度总览 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('lists every department with 状态, 自评分, 复核分, 等次 and 排名; 等次分布 as a chart and a table', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.goto('/app/years/2021/overview');
    const row = page.getByRole('row', { name: /广州市科学技术局/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      '1',
      '广州市科学技术局',
      'gz-kjj',
      '广州市',
      '已评分',
      '94.622',
      '—',
      '94.622',
      '优',
    ]);
    const distribution = page.getByRole('table', { name: '等次分布' });
    expect(await distribution.getByRole('row', { name: /优/ }).getByRole('cell').allInnerTexts()).toEqual(['优', '1']);
    await page.locator('canvas').first().waitFor();
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    expect(await controlsNotNamedInChinese(page)).toEqual([]);
    expect(await controlsNotReachedByKeyboard(page)).toEqual([]);
  });

  it('filters by 等次 in the URL: 差 leaves no department, clearing brings it back', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/overview?grade=差');
    await page.locator('.ant-empty-description', { hasText: '暂无数据' }).waitFor();
    expect(await page.getByRole('row', { name: /广州市科学技术局/ }).count()).toBe(0);
    await page.goto('/app/years/2021/overview?grade=优&sort=-total');
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    await expect(page.getByRole('columnheader', { name: /总分/ }).getAttribute('aria-sort')).resolves.toBe(
      'descending',
    );
  });

  it('exports the 汇总表: the workbook holds 广州市科学技术局 with 94.622', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/overview');
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出汇总表（xlsx）/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/2021.*汇总表.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const rows: string[][] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')))),
    );
    const gz = rows.find((r) => r.includes('广州市科学技术局'));
    expect(gz).toEqual(expect.arrayContaining(['广州市科学技术局', '94.622', '优']));
    expect(await eventually(() => page.getByText(/已导出/).count(), 1)).toBe(1);
  });
});
