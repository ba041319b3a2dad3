import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { callApi } from './support/api';
import {
  blockingViolations,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  eventually,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(240_000);

const YEAR_PATH = '/departments/gz-kjj/years/2021';

interface Indicator {
  code: string;
  name: string;
  weight: string;
  kind: string;
  comparator?: string;
  target: string;
  unit?: string;
}
interface Goal {
  code: string;
  name: string;
  weight: string;
  indicators: Indicator[];
}
interface Declaration {
  revision: number;
  approval: string;
  approvedBy: string | null;
  targets: { performance: Goal[] };
}
interface Overview {
  current: Declaration | null;
  approved: Declaration | null;
  history: { revision: number; approval: string }[];
}

const overview = async (ui: ConsoleUnderTest) =>
  (await callApi<Overview>(ui.url, DEMO_KEYS.department, 'GET', `${YEAR_PATH}/targets`)).body;

async function openTargets(ui: ConsoleUnderTest, page: Page): Promise<void> {
  await signIn(page, DEMO_KEYS.department);
  await page.goto('/app/years/2021/my/targets');
  await page.getByRole('heading', { level: 1, name: '2021年度绩效目标申报' }).waitFor();
  await page.getByRole('group', { name: '绩效目标1', exact: true }).waitFor();
}

describeInBrowser('department journey 2: 绩效目标申报 (Chromium, department key)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
    // the demo year is scored: the evaluator sends it back, so targets may be declared again
    const returned = await callApi(ui.url, DEMO_KEYS.evaluator, 'POST', `${YEAR_PATH}/return`, {
      reason: '请按批复调整绩效目标后重新提交',
    });
    expect(returned.status).toBe(200);
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('the form: live weight checks in Chinese, 申报, stored as typed, 批复 by the evaluator shows 已批复', async () => {
    const before = await overview(ui);
    expect([before.current?.revision, before.current?.approval]).toEqual([1, 'approved']);
    const page = await ui.newPage();
    await openTargets(ui, page);
    // the approved declaration is shown with its state
    await expect(page.getByTestId('latest-revision').innerText()).resolves.toBe('第1版');
    await expect(page.getByTestId('approval-state').innerText()).resolves.toBe('已批复');
    // sent back: who, the state in words and the evaluator's reason, never the department's code or an API route
    const notice = await page.getByTestId('year-notice').innerText();
    expect(notice).toContain('广州市科学技术局 2021年度：已退回');
    expect(notice).toContain('退回理由：请按批复调整绩效目标后重新提交');
    expect(notice).not.toMatch(/gz-kjj|POST|\/return/);
    await expect(page.getByTestId('section-sum').innerText()).resolves.toBe('目标分值合计：50 / 50');
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);

    const goal1 = page.getByRole('group', { name: '绩效目标1', exact: true });
    const goalName = before.current!.targets.performance[0].name;
    await expect(goal1.getByLabel('绩效目标', { exact: true }).inputValue()).resolves.toBe(goalName);
    // a sixth key indicator in goal 1: its weight breaks the goal's sum, said beside 目标分值
    await goal1.getByRole('button', { name: '添加关键指标' }).click();
    const added = page.getByRole('group', { name: '关键指标1.6' });
    await added.getByLabel('关键指标').fill('科技成果转化示范项目数量');
    await added.getByLabel('年度指标值').fill('15');
    await added.getByLabel('单位').fill('项');
    await added.getByLabel('指标分值').fill('1');
    const goalWeightHelp = goal1.locator('.target-field', { has: page.getByLabel('目标分值') });
    await expect(goalWeightHelp.innerText()).resolves.toContain('目标分值为 12，但其关键指标分值之和为 13');
    await expect(page.getByTestId('form-state').innerText()).resolves.toBe('还有 1 处需要修改，修改后才能申报');
    await expect(page.getByRole('button', { name: '申报（提交批复）' }).isDisabled()).resolves.toBe(true);
    // moving the goal to 13 fixes the goal but breaks the section: said at the section
    await goal1.getByLabel('目标分值').fill('13');
    await expect(page.getByTestId('section-problem').innerText()).resolves.toContain(
      '“履职效能”申报的分值之和为 51，但该项分值为 50',
    );
    await expect(page.getByTestId('section-sum').innerText()).resolves.toBe('目标分值合计：51 / 50');
    expect(await blockingViolations(page)).toEqual([]);
    // fixed the way a clerk would: goal back to 12, its first indicator from 3 to 2
    await goal1.getByLabel('目标分值').fill('12');
    await page.getByRole('group', { name: '关键指标1.1' }).getByLabel('指标分值').fill('2');
    await expect(page.getByTestId('section-problem').innerText()).resolves.toBe('');
    await expect(goalWeightHelp.innerText()).resolves.toContain('指标分值合计：12');
    await expect(page.getByTestId('form-state').innerText()).resolves.toBe('有未申报的修改');
    // a qualitative target typed too
    const rd4 = page.getByRole('group', { name: '关键指标1.4' });
    await rd4.getByLabel('年度指标值（定性：要达到的目标）').fill('完成两家研究院年度建设目标');

    await page.getByRole('button', { name: '申报（提交批复）' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.innerText()).resolves.toContain('申报为第2版？');
    await dialog.getByRole('button', { name: '确认申报' }).click();
    await expect(eventually(() => page.getByTestId('latest-revision').innerText(), '第2版')).resolves.toBe('第2版');
    await expect(page.getByTestId('approval-state').first().innerText()).resolves.toBe('待批复');
    await expect(page.getByTestId('form-state').innerText()).resolves.toBe('与最新申报相同');

    // stored exactly as typed: the approved declaration with these three changes, strings only
    const expected = structuredClone(before.current!.targets);
    const rd = expected.performance[0];
    rd.indicators[0].weight = '2';
    rd.indicators[3].target = '完成两家研究院年度建设目标';
    rd.indicators.push({
      code: 'rd-6',
      name: '科技成果转化示范项目数量',
      weight: '1',
      kind: 'quantitative',
      comparator: '>=',
      target: '15',
      unit: '项',
    });
    const stored = await callApi<Declaration>(ui.url, DEMO_KEYS.department, 'GET', `${YEAR_PATH}/targets/2`);
    expect(stored.body.approval).toBe('pending');
    expect(stored.body.targets).toEqual(expected);

    // the evaluator approves (批复); the page shows it with who approved it
    const approved = await callApi<Declaration>(ui.url, DEMO_KEYS.evaluator, 'POST', `${YEAR_PATH}/targets/2/approve`, {
      note: '随部门预算批复',
    });
    expect(approved.status).toBe(200);
    await page.reload();
    await page.getByRole('group', { name: '绩效目标1', exact: true }).waitFor();
    await expect(page.getByTestId('approval-state').first().innerText()).resolves.toBe('已批复');
    await expect(page.getByTestId('in-force').innerText()).resolves.toContain('第2版');
    await expect(page.getByTestId('in-force').innerText()).resolves.toContain(approved.body.approvedBy!);
    // a change after approval is a new declaration awaiting approval
    await expect(page.getByText('修改后再次申报即为新的一版').isVisible()).resolves.toBe(true);
    expect(await latinWords(page)).toEqual([]);
  });

  it('the 申报表: a bad cell is named (sheet!cell, Chinese) and nothing stored; the corrected file is stored', async () => {
    const page = await ui.newPage();
    await openTargets(ui, page);
    const before = await overview(ui);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载绩效目标申报表（xlsx）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('gz-kjj-2021-绩效目标申报表.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[1];
    expect([sheet.getCell('D3').value, sheet.getCell('H3').value]).toEqual(['rd-1', '≥']);
    sheet.getCell('H3').value = '大于';
    const bad = Buffer.from(await workbook.xlsx.writeBuffer());
    // a real button named in Chinese (it was a label styled by hand), beside the download
    await expect(page.getByRole('button', { name: '上传填好的申报表', exact: true }).isEnabled()).resolves.toBe(true);
    await page
      .getByLabel('上传填好的申报表')
      .setInputFiles({ name: '申报表.xlsx', mimeType: 'application/octet-stream', buffer: bad });
    const problems = page.getByTestId('cell-problems');
    await problems.waitFor();
    await expect(problems.innerText()).resolves.toContain(`${sheet.name}!H3 应为比较方式之一：≥、≤、=、区间`);
    await expect(page.getByRole('alert').filter({ hasText: '申报表有问题，未保存' }).count()).resolves.toBe(1);
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    expect((await overview(ui)).history.length).toBe(before.history.length);

    // corrected, and a target raised: stored as a new declaration awaiting approval
    sheet.getCell('H3').value = '≥';
    sheet.getCell('I3').value = 25;
    const good = Buffer.from(await workbook.xlsx.writeBuffer());
    await page
      .getByLabel('上传填好的申报表')
      .setInputFiles({ name: '申报表.xlsx', mimeType: 'application/octet-stream', buffer: good });
    const next = before.current!.revision + 1;
    await expect(eventually(() => page.getByTestId('latest-revision').innerText(), `第${next}版`)).resolves.toBe(
      `第${next}版`,
    );
    await expect(page.getByTestId('approval-state').first().innerText()).resolves.toBe('待批复');
    await expect(page.getByRole('group', { name: '关键指标1.1' }).getByLabel('年度指标值').inputValue()).resolves.toBe(
      '25',
    );
    const after = await overview(ui);
    expect([after.current?.revision, after.current?.approval]).toEqual([next, 'pending']);
    const expected = structuredClone(before.current!.targets);
    expected.performance[0].indicators[0].target = '25';
    expect(after.current?.targets).toEqual(expected);
  });

  it('never shows another department: its targets and its table are refused, its name never appears', async () => {
    const created = await callApi(ui.url, DEMO_KEYS.admin, 'POST', '/departments', {
      code: 'gz-jyj',
      name: '广州市教育局',
      region: '广州市',
    });
    expect(created.status).toBe(201);
    const other = await callApi(ui.url, DEMO_KEYS.department, 'GET', '/departments/gz-jyj/years/2021/targets');
    expect(other.status).toBe(404);
    const page = await ui.newPage();
    await openTargets(ui, page);
    expect(await page.locator('body').innerText()).not.toContain('教育局');
    await page.goto('/app/years/2021/departments/gz-jyj');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('教育局');
  });
});
