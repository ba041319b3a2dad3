/**
 * Regenerates docs/screenshots/*.png: every console page at 1440×900 and 1024×768, on the demo data, in Debian's
 * Chromium. Run: npm run screenshots (needs /usr/bin/chromium and, for Chinese glyphs, fonts-noto-cjk).
 */
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RULE_WORKBOOK_SHEETS as SHEETS } from '@jiping/reports';
import { DEMO_KEYS, signIn, startConsole } from '../test/browser/support/console';

/** The 指标体系 workbook of the published 2021 rule set with one weight moved and a cell typed wrong (两分). */
async function editedWorkbook(url: string): Promise<Buffer> {
  const res = await fetch(`${url}/rule-sets/guangzhou-department-overall:2021:published/workbook.xlsx`, {
    headers: { Authorization: `Bearer ${DEMO_KEYS.admin}` },
  });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  const tree = workbook.getWorksheet(SHEETS.indicators)!;
  const bands = workbook.getWorksheet(SHEETS.bands)!;
  for (let r = 3; r <= bands.rowCount; r++)
    if (bands.getCell(`B${r}`).value === 'fixed-asset-utilization') {
      bands.getCell(`E${r}`).value = 95;
      break;
    }
  tree.getCell('F12').value = '两分';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The example 2022 draft's reference, uploading it first when it is not stored yet. */
async function exampleDraft(url: string): Promise<string> {
  const headers = { Authorization: `Bearer ${DEMO_KEYS.admin}`, 'Content-Type': 'application/json' };
  const list = (await (await fetch(`${url}/rule-sets`, { headers })).json()) as Array<{
    ref: string;
    fiscalYear: number;
    status: string;
  }>;
  const stored = list.find((v) => v.fiscalYear === 2022 && v.status === 'draft');
  if (stored) return stored.ref;
  const res = await fetch(`${url}/rule-sets`, {
    method: 'POST',
    headers,
    body: readFileSync(join(__dirname, '../docs/examples/guangzhou-department-overall-2022-draft.json'), 'utf8'),
  });
  return ((await res.json()) as { ref: string }).ref;
}

async function callAs(url: string, key: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** The evaluator's 复核 of 结果应用 (部分达成 1.4, with a reason), once. */
async function reviewOnce(url: string): Promise<void> {
  const base = '/departments/gz-kjj/years/2021/evaluations';
  const latest = (await callAs(url, DEMO_KEYS.evaluator, 'GET', `${base}/latest`)) as {
    id: string;
    adjustedFrom: string | null;
  };
  if (latest.adjustedFrom) return;
  await callAs(url, DEMO_KEYS.evaluator, 'POST', `${base}/${latest.id}/adjustments`, {
    adjustments: [
      {
        pointer: '/inputs/resultApplication',
        value: { score: '1.4', tier: 'partial', reason: '整改措施部分落实' },
        reason: '绩效结果应用整改未全部落实，评为部分达成',
      },
    ],
  });
}

/** The year sent back (退回) once, so that the targets can be declared again. */
async function returnOnce(url: string): Promise<void> {
  const path = '/departments/gz-kjj/years/2021';
  const year = (await callAs(url, DEMO_KEYS.evaluator, 'GET', path)) as { status: string };
  if (year.status === 'returned') return;
  await callAs(url, DEMO_KEYS.evaluator, 'POST', `${path}/return`, { reason: '请按批复调整绩效目标后重新提交' });
}

interface Shot {
  name: string;
  key?: string;
  path: string;
  /** Set up after signing in, before the page is opened (a refused key, a server that cannot be reached). */
  prepare?: (page: Page) => Promise<unknown>;
  /** What must be visible before the picture is taken (the data, not a spinner). */
  ready: (page: Page, url: string) => Promise<unknown>;
  fullPage?: boolean;
}

const SHOTS: Shot[] = [
  { name: 'sign-in', path: '/app/sign-in', ready: (p) => p.getByRole('heading', { name: '登录绩评' }).waitFor() },
  {
    name: 'overview',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/overview',
    ready: (p) => p.getByRole('row', { name: /广州市科学技术局/ }).waitFor(),
  },
  {
    name: 'score-table',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/departments/gz-kjj',
    ready: (p) => p.getByTestId('total').waitFor(),
  },
  {
    name: 'what-if',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/departments/gz-kjj/what-if?set=%2Finputs%2FprocurementActual%3D1643.42',
    ready: (p) => p.getByTestId('what-if-total').getByText('94.932').waitFor(),
  },
  {
    name: 'headroom',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/departments/gz-kjj?tab=headroom',
    ready: (p) => p.getByText(/已是最高等次/).waitFor(),
  },
  {
    name: 'review',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/departments/gz-kjj?tab=review',
    ready: (p) => p.getByText('评分与复核记录').waitFor(),
  },
  {
    name: 'forbidden',
    key: DEMO_KEYS.department,
    path: '/app/years/2021/overview',
    ready: (p) => p.getByRole('heading', { name: '无权访问此页面' }).waitFor(),
  },
  {
    name: 'not-found',
    key: DEMO_KEYS.evaluator,
    path: '/app/no-such-page',
    ready: (p) => p.getByRole('heading', { name: '页面不存在' }).waitFor(),
  },
  {
    // 401: a key revoked while the tab was open; the next page goes back to sign-in and says why
    name: 'key-no-longer-valid',
    path: '/app/years/2021/overview',
    prepare: async (p) => {
      await p.goto('/app/sign-in');
      await p.evaluate('sessionStorage.setItem("jiping.key", "revoked-key")');
    },
    ready: (p) =>
      p
        .getByRole('alert')
        .getByText(/密钥已失效/)
        .waitFor(),
  },
  {
    name: 'connection-lost',
    key: DEMO_KEYS.evaluator,
    path: '/app/years/2021/departments/gz-kjj',
    prepare: (p) =>
      p.route(
        (url) => url.pathname.startsWith('/departments/'),
        (route) => route.abort('connectionrefused'),
      ),
    ready: (p) => p.getByRole('heading', { name: '无法连接服务器' }).waitFor(),
  },
  {
    name: 'rule-editor',
    key: DEMO_KEYS.admin,
    path: '/app/rule-editor',
    ready: (p) => p.getByRole('heading', { name: '指标体系工作簿' }).waitFor(),
  },
  {
    name: 'rule-editor-workbook-preview',
    key: DEMO_KEYS.admin,
    path: '/app/rule-editor',
    fullPage: true,
    ready: async (p, url) => {
      await p.locator('input[type=file]').setInputFiles({
        name: '指标体系（修改后）.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: await editedWorkbook(url),
      });
      await p.getByRole('region', { name: /检查结果/ }).waitFor();
    },
  },
  {
    name: 'rule-editor-draft',
    key: DEMO_KEYS.admin,
    fullPage: true,
    path: '/app/rule-editor/drafts/guangzhou-department-overall%3A2021%3A2?against=guangzhou-department-overall%3A2021%3Apublished',
    ready: async (p) => {
      await p.getByText('校验通过：可以保存').waitFor();
      await p.getByRole('navigation', { name: '指标树' }).getByText('固定资产利用率').click();
      await p.getByRole('textbox', { name: '第2档 得分' }).fill('1');
      await p.getByText(/有 \d+ 处问题/).waitFor();
      await p.getByRole('button', { name: '按新规则更新内嵌测试的预期结果' }).click();
      await p.getByRole('status', { name: /模拟/ }).getByText('94.122').waitFor();
      await p.evaluate('window.scrollTo(0, 0)');
    },
  },
  {
    name: 'rule-sets',
    key: DEMO_KEYS.admin,
    path: '/app/rule-sets',
    fullPage: true,
    ready: async (p) => {
      // the example 2022 draft, uploaded once (the second size opens its 修订说明 from the list)
      const table = p.getByRole('table', { name: '规则集版本' });
      await table
        .getByRole('row', { name: /2021年度/ })
        .first()
        .waitFor();
      const compare = p.getByRole('button', { name: /^与现行版本对比：.*2022年度/ });
      if ((await compare.count()) > 0) await compare.first().click();
      else
        await p
          .locator('input[type=file]')
          .setInputFiles(join(__dirname, '../docs/examples/guangzhou-department-overall-2022-draft.json'));
      await p.getByRole('table', { name: /^修订说明：/ }).waitFor();
    },
  },
  {
    name: 'impact',
    key: DEMO_KEYS.admin,
    path: '/app/impact',
    fullPage: true,
    ready: async (p, url) => {
      // the example 2022 draft (uploaded here unless the 规则库 shot did), over 2021's data, as a job
      const ref = await exampleDraft(url);
      await p.goto(`/app/impact/${encodeURIComponent(ref)}`);
      await p.getByRole('button', { name: '开始影响分析' }).click();
      await p.getByText('影响分析进度：已完成').waitFor({ timeout: 120_000 });
      await p
        .getByRole('table', { name: '总分下降最多' })
        .getByRole('row', { name: /广州市科学技术局/ })
        .waitFor();
      await p.getByLabel(/^等次变动热力图：/).waitFor();
      await p.waitForTimeout(600); // the heat map's animation
    },
  },
  {
    name: 'admin-departments',
    key: DEMO_KEYS.admin,
    path: '/app/admin/departments',
    ready: (p) => p.getByRole('row', { name: /广州市科学技术局/ }).waitFor(),
  },
  {
    name: 'admin-people',
    key: DEMO_KEYS.admin,
    path: '/app/admin/people',
    ready: (p) => p.getByRole('table', { name: '人员' }).getByRole('row', { name: /陈静/ }).waitFor(),
  },
  {
    name: 'admin-audit',
    key: DEMO_KEYS.admin,
    path: '/app/admin/audit',
    ready: (p) => p.getByRole('table', { name: '审计日志' }).getByRole('row', { name: /陈静/ }).first().waitFor(),
  },
  // department pages last: the 评分结果 shot adds a 复核 and 年终填报 and 绩效目标申报 send the year back (退回),
  // which would change the pages above
  {
    name: 'department-year',
    key: DEMO_KEYS.department,
    path: '/app/years/2021/my/home',
    ready: (p) => p.getByTestId('official-score').waitFor(),
  },
  {
    name: 'department-results',
    key: DEMO_KEYS.department,
    path: '/app/years/2021/my/results',
    ready: async (p, url) => {
      await reviewOnce(url);
      await p.reload();
      await p
        .getByTestId('review-summary')
        .getByRole('row', { name: /结果应用/ })
        .waitFor();
    },
  },
  {
    // sends the scored demo year back (退回) so that the department's form is open for editing
    name: 'submission',
    key: DEMO_KEYS.department,
    path: '/app/years/2021/my/submission',
    ready: async (p, url) => {
      const year = `${url}/departments/gz-kjj/years/2021`;
      const evaluator = { Authorization: `Bearer ${DEMO_KEYS.evaluator}`, 'Content-Type': 'application/json' };
      const state = (await (await fetch(year, { headers: evaluator })).json()) as { status: string };
      if (state.status !== 'returned') {
        await fetch(`${year}/return`, {
          method: 'POST',
          headers: evaluator,
          body: JSON.stringify({ reason: '请核对政府采购执行情况后重新提交' }),
        });
        await p.reload();
      }
      await p.getByTestId('estimate-total').getByText('94.622').waitFor();
    },
  },
  {
    name: 'department-targets',
    key: DEMO_KEYS.department,
    path: '/app/years/2021/my/targets',
    ready: async (p, url) => {
      await returnOnce(url);
      await p.reload();
      const goal = p.getByRole('group', { name: '绩效目标1', exact: true });
      await goal.getByLabel('目标分值').fill('13');
      await p
        .getByTestId('section-problem')
        .getByText(/申报的分值之和为 51/)
        .waitFor();
      // at 1024×768 the form starts below the fold: show the section with its checks
      if (p.viewportSize()!.width < 1200) await p.getByTestId('section-sum').evaluate((e) => e.scrollIntoView());
    },
  },
];

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const out = join(__dirname, '../docs/screenshots');
  mkdirSync(out, { recursive: true });
  const ui = await startConsole({ LOG_LEVEL: 'silent' });
  // the draft the editor shots open (以2021年为基础, same year: guangzhou-department-overall:2021:2)
  await fetch(`${ui.url}/rule-sets/guangzhou-department-overall:2021:published/drafts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEMO_KEYS.admin}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  try {
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.includes(s.name))) {
      for (const viewport of VIEWPORTS) {
        const page = await ui.newPage(viewport);
        if (shot.key) await signIn(page, shot.key);
        await shot.prepare?.(page);
        await page.goto(shot.path);
        await shot.ready(page, ui.url);
        await page.waitForTimeout(300); // antd's enter animations
        const file = join(out, `${shot.name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file, fullPage: shot.fullPage ?? false });
        process.stdout.write(`${file}\n`);
        await page.context().close();
      }
    }
  } finally {
    await ui.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
