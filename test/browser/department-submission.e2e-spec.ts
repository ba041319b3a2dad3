import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
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

jest.setTimeout(300_000);

const ROOT = join(__dirname, '../..');
const seed = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8')) as {
  inputs: Record<string, unknown>;
  evidence: Record<string, string>;
  targets: { performance: { indicators: { code: string; name: string; kind: string }[] }[] };
  targetResults: Record<string, { actual?: string; tier?: string; score?: string; text?: string }>;
};
interface Spec {
  id: string;
  label: string;
  type: string;
  points?: { id: string; label: string }[];
}
interface Node {
  code: string;
  name: string;
  children?: Node[];
  method?: { tiers?: { code: string; label: string }[] };
  declared?: { qualitativeTiers: { code: string; label: string }[] };
}
const rules = JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')) as {
  inputs: Spec[];
  indicators: Node[];
};
const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const nodes = flatten(rules.indicators);
const tierLabel = (tiers: { code: string; label: string }[], code: string) => tiers.find((t) => t.code === code)!.label;
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

const SEED_DEPARTMENT = 'gz-kjj';
const YEAR_PATH = `/departments/${SEED_DEPARTMENT}/years/2021`;

/** Types every figure of the seed into the form, field by field, as a clerk would. */
async function fillSeed(page: Page): Promise<void> {
  for (const spec of rules.inputs) {
    const value = seed.inputs[spec.id];
    if (spec.type === 'money' || spec.type === 'percent' || spec.type === 'count' || spec.type === 'number') {
      await page.getByRole('textbox', { name: spec.label, exact: true }).fill(String(value));
    } else if (spec.type === 'boolean') {
      await page
        .getByRole('radiogroup', { name: spec.label, exact: true })
        .getByRole('radio', { name: value ? '是' : '否', exact: true })
        .check();
    } else if (spec.type === 'checklist') {
      const points = value as Record<string, boolean | { met: boolean; evidence: string }>;
      for (const point of spec.points!) {
        const v = points[point.id];
        const met = typeof v === 'boolean' ? v : v.met;
        const box = page.getByRole('checkbox', { name: exactly(point.label) });
        if (met) await box.check();
        else await box.uncheck();
        if (typeof v !== 'boolean')
          await page.getByRole('textbox', { name: `${point.label} 佐证说明`, exact: true }).fill(v.evidence);
      }
    } else if (spec.type === 'judgment') {
      const v = value as { tier: string; score: string; reason: string };
      const leaf = nodes.find((n) => (n.method as { input?: string } | undefined)?.input === spec.id)!;
      await page
        .getByRole('radiogroup', { name: `${spec.label} 达成等级`, exact: true })
        .getByRole('radio', { name: exactly(`${tierLabel(leaf.method!.tiers!, v.tier)}（`) })
        .check();
      await page.getByRole('textbox', { name: `${spec.label} 自评分`, exact: true }).fill(v.score);
      await page.getByRole('textbox', { name: `${spec.label} 情况说明`, exact: true }).fill(v.reason);
    }
  }
  for (const [code, text] of Object.entries(seed.evidence)) {
    const leaf = nodes.find((n) => n.code === code)!;
    await page.getByRole('textbox', { name: `${leaf.name} 佐证材料及说明`, exact: true }).fill(text);
  }
  const tiers = nodes.find((n) => n.declared)!.declared!.qualitativeTiers;
  for (const goal of seed.targets.performance)
    for (const indicator of goal.indicators) {
      const r = seed.targetResults[indicator.code];
      if (indicator.kind === 'qualitative') {
        await page
          .getByRole('radiogroup', { name: `${indicator.name} 达成等级`, exact: true })
          .getByRole('radio', { name: exactly(`${tierLabel(tiers, r.tier!)}（`) })
          .check();
        await page.getByRole('textbox', { name: `${indicator.name} 自评分`, exact: true }).fill(r.score!);
        await page.getByRole('textbox', { name: `${indicator.name} 完成情况`, exact: true }).fill(r.text!);
      } else await page.getByRole('textbox', { name: `${indicator.name} 实际完成值`, exact: true }).fill(r.actual!);
    }
}

/** The seed's inputs as the API keeps what the form sends: counts as strings, never JSON numbers. */
function asStrings(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(asStrings);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asStrings(v)]));
  return value;
}

describeInBrowser('department journey 3: 年终填报 (Chromium, department key)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
    // the evaluator sends the scored year back, so the department may change its data
    const returned = await callApi(ui.url, DEMO_KEYS.evaluator, 'POST', `${YEAR_PATH}/return`, {
      reason: '请核对政府采购执行情况后重新提交',
    });
    expect(returned.status).toBe(200);
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('opens prefilled with the server’s 预估得分 94.622; a blank form waits; money refuses a third decimal', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '年终填报' }).click();
    await page.waitForURL('**/app/years/2021/my/submission');
    const estimate = page.getByRole('status', { name: '预估得分' });
    // prefilled from revision 1: the server's estimate is there
    await expect(page.getByTestId('estimate-total').innerText()).resolves.toBe('94.622');
    // 广州 2021 allows no 不适用: none offered, and no word about it
    await expect(page.getByRole('checkbox', { name: /不适用$/ }).count()).resolves.toBe(0);
    await expect(page.getByTestId('workbook-not-applicable').count()).resolves.toBe(0);
    // sent back: the clerk reads who, the state in words, the evaluator's reason and what to do — no code, no route
    const notice = await page.getByTestId('year-notice').innerText();
    expect(notice).toContain('广州市科学技术局 2021年度：已退回');
    expect(notice).toContain('退回理由：请核对政府采购执行情况后重新提交');
    expect(notice).toContain('保存后在“年终填报”重新提交');
    expect(notice).not.toMatch(/gz-kjj|POST|GET|\/return/);
    // the workbook upload is a button like its neighbours: Tab from 下载 reaches it, Enter opens the file chooser.
    // The chooser is awaited from before the first key: playwright turns on its file-chooser interception when the
    // listener is added, without waiting, and a key pressed at once could beat it (seen once under CI's load)
    const chooserOpened = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /下载预填工作簿/ }).focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement?.tagName + document.activeElement?.textContent')).resolves.toBe(
      'BUTTON上传填好的工作簿',
    );
    await page.keyboard.press('Enter');
    const chooser = await chooserOpened;
    expect(chooser.isMultiple()).toBe(false);
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);

    // a blank form waits for every field; the money field refuses what the API refuses: a third decimal
    await page.getByRole('button', { name: '清空表单' }).click();
    await expect(estimate.innerText()).resolves.toMatch(/尚有 \d+ 项未填/);
    // the money field refuses what the API refuses: a third decimal
    const procurement = page.getByRole('textbox', { name: '实际采购金额合计数', exact: true });
    await procurement.fill('1388.291');
    await page.getByText('实际采购金额合计数最多 2 位小数').waitFor();
    await expect(page.getByRole('button', { name: '保存为新版本' }).isDisabled()).resolves.toBe(true);
  });

  it('the seed typed field by field gives 预估得分 94.622; saved, uploaded, submitted and scored: the same 94.622', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2021/my/submission');
    await page.getByTestId('estimate-total').waitFor();
    await page.getByRole('button', { name: '清空表单' }).click();
    const estimate = page.getByRole('status', { name: '预估得分' });
    const procurement = page.getByRole('textbox', { name: '实际采购金额合计数', exact: true });
    await fillSeed(page);
    let shown = '';
    for (let i = 0; i < 60 && !shown.includes('94.622'); i++) {
      await page.waitForTimeout(500);
      shown = await estimate.innerText();
    }
    expect(shown).toContain('94.622');
    await expect(page.getByRole('list', { name: '评分依据' }).innerText()).resolves.toContain('政府采购执行率');
    // a change moves the estimate (the server scores it), and back
    await procurement.fill('1643.42');
    await page.getByTestId('estimate-total').filter({ hasText: '94.932' }).waitFor();
    await procurement.fill('1388.29');
    await page.getByTestId('estimate-total').filter({ hasText: '94.622' }).waitFor();

    // 保存为新版本: revision 2, stored exactly as typed (strings, never JSON numbers)
    const saveBodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/submissions') && r.method() === 'POST') saveBodies.push(r.postData() ?? '');
    });
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByTestId('saved-state').filter({ hasText: '已保存（第2版）' }).waitFor();
    expect(saveBodies[0]).toContain('"procurementActual":"1388.29"');
    const sent = JSON.parse(saveBodies[0]) as Record<string, unknown>;
    // no JSON number in what the form sends (the stored document's own fields, e.g. unitCount, are kept as they were)
    expect(JSON.stringify([sent.inputs, sent.targetResults, sent.evidence])).not.toMatch(/[:,[]\s*-?\d/);
    const stored = await callApi<{ submission: typeof seed }>(
      ui.url,
      DEMO_KEYS.department,
      'GET',
      `${YEAR_PATH}/submissions/2`,
    );
    expect(stored.status).toBe(200);
    expect(stored.body.submission.inputs).toEqual(asStrings(seed.inputs));
    expect(stored.body.submission.targetResults).toEqual(seed.targetResults);
    expect(stored.body.submission.evidence).toEqual(seed.evidence);

    // the prefilled workbook: download, upload as it is → revision 3
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载预填工作簿/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = (await download.path())!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.length).toBeGreaterThan(1);
    await page.getByLabel('上传填好的工作簿').setInputFiles(path);
    await page.getByTestId('saved-state').filter({ hasText: '已保存（第3版）' }).waitFor();
    await page.getByTestId('estimate-total').filter({ hasText: '94.622' }).waitFor();

    // submit with a confirmation naming the revision
    await page.getByRole('button', { name: '提交第3版' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.innerText()).resolves.toContain('确认提交第3版年终数据？');
    expect(await blockingViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '确认提交' }).click();
    await page.getByTestId('year-status').filter({ hasText: '已提交' }).waitFor();
    // locked while under review: said in words, with what to do next; never the API's code or route
    const locked = page.getByTestId('year-notice').filter({ hasText: '已提交' });
    await locked.waitFor();
    const lockedText = await locked.innerText();
    expect(lockedText).toContain('广州市科学技术局 2021年度：已提交');
    expect(lockedText).toMatch(/第3版年终数据已于.+提交，正在由绩效处评审，评审期间不能修改/);
    expect(lockedText).toContain('如需修改，请联系绩效处退回');
    expect(lockedText).toContain('此前退回的理由：请核对政府采购执行情况后重新提交');
    expect(await page.locator('main').innerText()).not.toMatch(/gz-kjj|POST …|\/return|\/submissions/);
    const year = await callApi<{ status: string; submitted: { revision: number } }>(
      ui.url,
      DEMO_KEYS.department,
      'GET',
      YEAR_PATH,
    );
    expect([year.body.status, year.body.submitted.revision]).toEqual(['submitted', 3]);

    // the evaluator scores it: the official total is the estimate
    const scored = await callApi<{ total: string; submissionRevision: number }>(
      ui.url,
      DEMO_KEYS.evaluator,
      'POST',
      `${YEAR_PATH}/evaluations`,
      {},
    );
    expect([scored.status, scored.body.total, scored.body.submissionRevision]).toEqual([201, '94.622', 3]);
    await page.goto('/app/years/2021/my/home');
    await page.getByTestId('official-score').filter({ hasText: '94.622' }).waitFor();
  });

  it('a workbook with bad cells names each sheet!cell in Chinese and stores nothing; fixed, it uploads', async () => {
    // the year was submitted and scored above: the evaluator sends it back once more
    const returned = await callApi(ui.url, DEMO_KEYS.evaluator, 'POST', `${YEAR_PATH}/return`, {
      reason: '请核对采购金额后重新上传',
    });
    expect(returned.status).toBe(200);
    const revisions = async () =>
      (await callApi<unknown[]>(ui.url, DEMO_KEYS.department, 'GET', `${YEAR_PATH}/submissions`)).body.length;
    const before = await revisions();
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2021/my/submission');
    await page.getByTestId('estimate-total').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载预填工作簿/ }).click(),
    ]);
    const good = (await download.path())!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(good);
    const sheet = workbook.getWorksheet('年终数据')!;
    const rowOf = (label: string) => {
      for (let r = 1; r <= sheet.rowCount; r++) if (sheet.getCell(`B${r}`).value === label) return r;
      throw new Error(`no row for ${label}`);
    };
    const label = (id: string) => rules.inputs.find((i) => i.id === id)!.label;
    const actualRow = rowOf(label('procurementActual'));
    const plannedRow = rowOf(label('procurementPlanned'));
    expect(sheet.getCell(`C${actualRow}`).value).toBe(1388.29); // prefilled from the latest revision
    // a clerk's slips: words in a money cell, a third decimal in another
    sheet.getCell(`C${actualRow}`).value = '一千三百八十八';
    sheet.getCell(`C${plannedRow}`).value = 1643.425;
    const bad = join(mkdtempSync(join(tmpdir(), 'jiping-upload-')), `${SEED_DEPARTMENT}-2021-填报表.xlsx`);
    await workbook.xlsx.writeFile(bad);
    await page.getByLabel('上传填好的工作簿').setInputFiles(bad);

    const alert = page.getByRole('alert').filter({ hasText: '工作簿未能读入，未保存任何内容' });
    await alert.waitFor();
    const details = alert.getByRole('list', { name: '需要修改的项目' }).getByRole('listitem');
    const shown = await details.allInnerTexts();
    expect(shown).toHaveLength(2);
    expect(shown[0]).toBe(`年终数据!C${actualRow}：应为不超过两位小数的金额（万元） /inputs/procurementActual`);
    expect(shown[1]).toBe(
      `年终数据!C${plannedRow}：应为不超过两位小数的金额（万元）（填了3位小数） /inputs/procurementPlanned`,
    );
    // Chinese throughout; only the JSON pointers beside the messages are not
    expect(await latinWords(page)).toEqual(['inputs', 'procurementActual', 'procurementPlanned']);
    expect(await blockingViolations(page)).toEqual([]);
    // nothing stored: no new revision, the form and its saved state unchanged
    expect(await revisions()).toBe(before);
    await expect(page.getByTestId('saved-state').innerText()).resolves.toBe(`已保存（第${before}版）`);

    // the fixed workbook (as downloaded) uploads: a new revision, the alert gone, read back as typed
    await page.getByLabel('上传填好的工作簿').setInputFiles(good);
    await page
      .getByTestId('saved-state')
      .filter({ hasText: `已保存（第${before + 1}版）` })
      .waitFor();
    await expect(alert.count()).resolves.toBe(0);
    expect(await revisions()).toBe(before + 1);
    const stored = await callApi<{ submission: typeof seed }>(
      ui.url,
      DEMO_KEYS.department,
      'GET',
      `${YEAR_PATH}/submissions/${before + 1}`,
    );
    expect([stored.body.submission.inputs.procurementActual, stored.body.submission.inputs.procurementPlanned]).toEqual(
      ['1388.29', '1643.42'],
    );
  });

  it('a fresh year under rules that allow 不适用: 预估得分 before any save, 不适用 with its reason redistributes', async () => {
    // the admin publishes, through the API, a 2022 rule set that lets 资产管理制度健全性 and every declared key
    // indicator be 不适用, their weight shared among the siblings (the 2021 rules otherwise, which allow none)
    const file = JSON.parse(JSON.stringify(rules)) as typeof rules & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    Object.assign(file, { fiscalYear: 2022, version: '2022.1.0', effectiveFrom: '2022-01-01' });
    file.notApplicable = { policy: 'siblings' };
    const assetSystems = nodes.find((n) => n.code === 'asset-systems')!;
    const copy = flatten(file.indicators);
    Object.assign(copy.find((n) => n.code === assetSystems.code)!, { allowNotApplicable: true });
    Object.assign(copy.find((n) => n.declared)!.declared!, { allowNotApplicable: true });
    for (const test of file.tests as { submission: { fiscalYear: number } }[]) test.submission.fiscalYear = 2022;
    const uploaded = await callApi<{ ref: string }>(ui.url, DEMO_KEYS.admin, 'POST', '/rule-sets', file);
    expect(uploaded.status).toBe(201);
    const published = await callApi(ui.url, DEMO_KEYS.admin, 'POST', `/rule-sets/${uploaded.body.ref}/publish`);
    expect(published.status).toBe(200);
    const year2022 = `/departments/${SEED_DEPARTMENT}/years/2022`;
    const declared = await callApi(ui.url, DEMO_KEYS.department, 'PUT', `${year2022}/targets`, {
      targets: seed.targets,
    });
    expect(declared.status).toBe(200);

    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.department);
    await page.goto('/app/years/2022/my/submission');
    const estimate = page.getByRole('status', { name: '预估得分' });
    await expect(estimate.innerText()).resolves.toMatch(/尚有 \d+ 项未填/);
    await expect(page.getByTestId('saved-state').innerText()).resolves.toBe('尚未保存');
    // 不适用 is offered exactly where the rule set allows it: that leaf and each declared key indicator
    const declaredIndicators = seed.targets.performance.flatMap((g) => g.indicators);
    await expect(page.getByRole('checkbox', { name: / 不适用$/ }).count()).resolves.toBe(1 + declaredIndicators.length);
    await expect(page.getByRole('checkbox', { name: '资产管理制度健全性 不适用', exact: true }).count()).resolves.toBe(
      1,
    );
    await expect(page.getByRole('checkbox', { name: '固定资产利用率 不适用', exact: true }).count()).resolves.toBe(0);
    // the workbook carries no 不适用 (yet): the form says so beside the upload
    await expect(page.getByTestId('workbook-not-applicable').innerText()).resolves.toContain(
      '上传工作簿保存的新版本不带不适用标记',
    );

    // the seed typed in, nothing saved yet: the server's estimate of the unsaved values, 94.622
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/submissions(\/estimate)?$/.test(r.url())) sent.push(r.postData() ?? '');
    });
    await fillSeed(page);
    await page.getByTestId('estimate-total').filter({ hasText: '94.622' }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('saved-state').innerText()).resolves.toBe('尚未保存');

    // 不适用 ticked: the reason is required before anything is estimated or saved
    const notApplicable = page.getByRole('checkbox', { name: '资产管理制度健全性 不适用', exact: true });
    await notApplicable.check();
    const reasonBox = page.getByRole('textbox', { name: '资产管理制度健全性 不适用的理由', exact: true });
    await page.getByText('资产管理制度健全性 不适用的理由：必须写明理由').waitFor();
    await expect(page.getByRole('button', { name: '保存为新版本' }).isDisabled()).resolves.toBe(true);
    await expect(estimate.innerText()).resolves.toBe('有 1 项有误，改好后显示预估得分。');
    const reason = '本单位资产由机关事务管理局统一管理，未单独制定资产管理制度';
    await reasonBox.fill(reason);
    // siblings: 资产账务核对情况 1 → 1.33, 固定资产利用率 2 → 2.67 (1.50 → 2.00); 资产管理 3.33; 94.622 − 0.17
    await page.getByTestId('estimate-total').filter({ hasText: '94.452' }).waitFor({ timeout: 30_000 });
    const basis = await page.getByRole('list', { name: '评分依据' }).innerText();
    expect(basis).toContain(`资产管理制度健全性：0.00/1 不适用：${reason}`);
    expect(basis).toContain(
      '“资产管理制度健全性”不适用，其分值1分按权重分配：本项分值由2分调整为2.67分，得分1.5×2.67÷2=2.00分',
    );
    await expect(page.getByRole('list', { name: '标为不适用的指标' }).innerText()).resolves.toBe(
      `资产管理制度健全性：${reason}`,
    );
    expect(await latinWords(page)).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);

    // saved as the year's first revision, 不适用 as the API keeps it: by indicator code, with the reason
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByTestId('saved-state').filter({ hasText: '已保存（第1版）' }).waitFor();
    const stored = await callApi<{ submission: typeof seed & { notApplicable?: Record<string, string> } }>(
      ui.url,
      DEMO_KEYS.department,
      'GET',
      `${year2022}/submissions/1`,
    );
    expect(stored.status).toBe(200);
    expect(stored.body.submission.notApplicable).toEqual({ 'asset-systems': reason });
    // every body the form sent (estimates and the save; no earlier revision to carry): decimals as typed, as
    // strings — never a JSON number
    expect(sent.length).toBeGreaterThan(2);
    for (const body of sent) expect(body).not.toMatch(/[:,[]\s*-?\d/);
    expect(sent.at(-1)).toContain('"procurementActual":"1388.29"');
    expect(stored.body.submission.inputs).toEqual(asStrings(seed.inputs));
    expect(stored.body.submission.targetResults).toEqual(seed.targetResults);
    // reloaded from revision 1: still ticked with its reason, the same estimate
    await page.reload();
    await page.getByTestId('estimate-total').filter({ hasText: '94.452' }).waitFor({ timeout: 30_000 });
    await expect(notApplicable.isChecked()).resolves.toBe(true);
    await expect(reasonBox.inputValue()).resolves.toBe(reason);
    // unticked: no notApplicable at all, and the estimate is back at 94.622
    await notApplicable.uncheck();
    await page.getByTestId('estimate-total').filter({ hasText: '94.622' }).waitFor({ timeout: 30_000 });
  });
});
