import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
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

const EVALUATIONS = '/departments/gz-kjj/years/2021/evaluations';
const REASON = '绩效结果应用整改未全部落实，评为部分达成';

/** Every cell of the workbook as text (rich text joined). */
function cellTexts(workbook: ExcelJS.Workbook): string[] {
  const values: string[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value as unknown;
        values.push(
          v && typeof v === 'object' && 'richText' in v
            ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('')
            : v && typeof v === 'object' && 'result' in v
              ? String((v as { result: unknown }).result)
              : String(v),
        );
      }),
    ),
  );
  return values;
}

describeInBrowser('department journey 4: 评分结果 with the 复核 reasons (Chromium, department key)', () => {
  let ui: ConsoleUnderTest;
  let reviewedTotal: string;
  beforeAll(async () => {
    ui = await startConsole();
    // the evaluator adjusts a judgment (结果应用: 部分达成 1.4) with a reason
    const latest = await callApi<{ id: string; total: string }>(
      ui.url,
      DEMO_KEYS.evaluator,
      'GET',
      `${EVALUATIONS}/latest`,
    );
    expect(latest.body.total).toBe('94.622');
    const adjusted = await callApi<{ total: string; createdBy: string }>(
      ui.url,
      DEMO_KEYS.evaluator,
      'POST',
      `${EVALUATIONS}/${latest.body.id}/adjustments`,
      {
        adjustments: [
          {
            pointer: '/inputs/resultApplication',
            value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
            reason: REASON,
          },
        ],
      },
    );
    expect(adjusted.status).toBe(201);
    reviewedTotal = adjusted.body.total;
    expect(reviewedTotal).toBe('94.022');
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('from the year page to 评分结果: 自评分 and 复核分 side by side, the reason read-only, in the 自评表 too', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.waitForURL('**/app/years/2021/my/home');
    await page.getByRole('link', { name: '查看自评表' }).click();
    await page.waitForURL('**/app/years/2021/my/results');
    await expect(page.getByRole('navigation', { name: '主菜单' }).innerText()).resolves.toContain('评分结果');
    const summary = page.getByTestId('review-summary');
    await summary.waitFor();
    await expect(page.getByTestId('review-self').innerText()).resolves.toBe('94.622');
    await expect(page.getByTestId('review-reviewed').innerText()).resolves.toBe(reviewedTotal);
    const row = summary.getByRole('row', { name: /结果应用/ });
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells[1]).toBe('2.00');
    expect(cells[2]).toBe('1.40');
    expect(cells[3]).toBe(REASON);
    expect(cells[4]).toContain('王立新');
    // the 自评表 header and rows say it as well
    await expect(page.getByTestId('total').innerText()).resolves.toContain(reviewedTotal);
    await expect(page.getByTestId('self-total').innerText()).resolves.toContain('94.622');
    const tableRow = page
      .getByRole('table', { name: /自评表/ })
      .getByRole('row')
      .filter({ hasText: `复核：${REASON}` });
    const rowText = await tableRow.innerText();
    for (const part of ['绩效结果应用', '1.40', '自评分 2.00']) expect(rowText).toContain(part);
    // read-only: the 复核 tab shows the record, no form
    await page.getByRole('tab', { name: '复核' }).click();
    await page.getByText('仅绩效处可复核').waitFor();
    await expect(page.getByRole('button', { name: /提交复核|保存复核/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('main').innerText()).resolves.toContain(REASON);
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
  });

  it('exports: the xlsx cells and the csv hold both totals and the reason; print is offered', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2021/my/results');
    await page.getByTestId('review-summary').waitFor();
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 Excel/ }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe('gz-kjj-2021-自评表.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    const values = cellTexts(workbook);
    expect(values).toEqual(expect.arrayContaining(['自评分', '复核分', REASON]));
    expect(values.some((v) => v.includes('94.622'))).toBe(true);
    expect(values.some((v) => v.includes(reviewedTotal))).toBe(true);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text).toContain(REASON);
    expect(text).toContain('94.622');
    expect(text).toContain(reviewedTotal);
    await expect(page.getByRole('button', { name: /打印/ }).isVisible()).resolves.toBe(true);
  });
});
