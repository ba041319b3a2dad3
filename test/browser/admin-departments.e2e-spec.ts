import { callApi } from './support/api';
import {
  blockingViolations,
  controlsNotReachedByKeyboard,
  controlsNotNamedInChinese,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

const csvOf = (rows: string[][]): Buffer =>
  Buffer.from(['部门代码,部门名称,地区,上级部门代码', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n', 'utf8');

interface Department {
  code: string;
  name: string;
  status: string;
}

describeInBrowser('console: 部门管理 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const stored = async (): Promise<string[]> =>
    (await callApi<Department[]>(ui.url, DEMO_KEYS.admin, 'GET', '/departments')).body.map((d) => d.code);

  it('a CSV with one bad row shows that row by 行/列 and stores nothing; the corrected file is checked, then imported', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.getByRole('menuitem', { name: '部门管理' }).click();
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    // every control named in Chinese (no English icon names such as left/right) and reachable with Tab
    expect(await controlsNotNamedInChinese(page)).toEqual([]);
    expect(await controlsNotReachedByKeyboard(page)).toEqual([]);
    const before = await stored();

    await page.getByLabel('部门名单文件').setInputFiles({
      name: '部门名单.csv',
      mimeType: 'text/csv',
      buffer: csvOf([
        ['gz-test-a', '广州市测试一局', '广州市', ''],
        ['gz-test-b', '广州市测试二局', '', ''],
        ['gz-test-c', '广州市测试三局', '广州市', 'gz-test-a'],
      ]),
    });
    await page.getByText('「部门名单.csv」有错误，未导入任何部门').first().waitFor();
    const errors = page.getByRole('table', { name: '「部门名单.csv」有错误，未导入任何部门' });
    const rows = await errors.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/第3行/);
    expect(rows[0]).toMatch(/地区/);
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
    expect(await stored()).toEqual(before);
    expect(await blockingViolations(page)).toEqual([]);

    await page.getByLabel('部门名单文件').setInputFiles({
      name: '部门名单（改正）.csv',
      mimeType: 'text/csv',
      buffer: csvOf([
        ['gz-test-a', '广州市测试一局', '广州市', ''],
        ['gz-test-b', '广州市测试二局', '广州市', ''],
        ['gz-test-c', '广州市测试三局', '广州市', 'gz-test-a'],
      ]),
    });
    await page.getByText('「部门名单（改正）.csv」检查通过，尚未导入').waitFor();
    await page.getByText('将新建 3 个部门，更新 0 个，0 个不变，跳过 0 行（空行或示例行）').waitFor();
    expect(await stored()).toEqual(before); // a check stores nothing
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('已导入：新建 3 个部门，更新 0 个').waitFor();
    expect((await stored()).filter((c) => c.startsWith('gz-test-')).sort()).toEqual([
      'gz-test-a',
      'gz-test-b',
      'gz-test-c',
    ]);
    const child = page.getByRole('row', { name: /广州市测试三局/ });
    await child.waitFor();
    expect(await child.getByRole('cell').nth(3).innerText()).toBe('广州市测试一局'); // 上级部门 by name
  });

  it('creates, renames, retires and reinstates a department; 状态 filter in the URL', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.goto('/app/admin/departments');
    await page.getByRole('button', { name: '新建部门' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('部门代码').fill('gz-new');
    await dialog.getByLabel('部门名称').fill('广州市新建局');
    await dialog.getByLabel('地区').fill('广州市');
    await dialog.getByRole('button', { name: '保 存' }).click();
    const row = page.getByRole('row', { name: /广州市新建局/ });
    await row.waitFor();

    await row.getByRole('button', { name: '更名' }).click();
    await page.getByRole('dialog').getByLabel('部门名称').fill('广州市新建二局');
    await page.getByRole('dialog').getByRole('button', { name: '保 存' }).click();
    const renamed = page.getByRole('row', { name: /广州市新建二局/ });
    await renamed.waitFor();

    await renamed.getByRole('button', { name: '撤销' }).click();
    await page.getByRole('dialog').getByLabel('原因').fill('机构改革，职能并入广州市科学技术局');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /撤\s*销/ })
      .click();
    await renamed.getByText('已撤销').waitFor();
    const one = await callApi<Department>(ui.url, DEMO_KEYS.admin, 'GET', '/departments/gz-new');
    expect([one.body.name, one.body.status]).toEqual(['广州市新建二局', 'retired']);

    await page.goto('/app/admin/departments?status=active');
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    expect(await page.getByRole('row', { name: /广州市新建二局/ }).count()).toBe(0);
    await page.goto('/app/admin/departments?status=retired');
    const retired = page.getByRole('row', { name: /广州市新建二局/ });
    await retired.waitFor();
    await retired.getByRole('button', { name: '恢复' }).click();
    await page.getByRole('dialog').getByLabel('原因').fill('撤销有误');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /恢\s*复/ })
      .click();
    await page.getByText('已恢复 广州市新建二局').waitFor();
    const back = await callApi<Department>(ui.url, DEMO_KEYS.admin, 'GET', '/departments/gz-new');
    expect(back.body.status).toBe('active');
  });
});
