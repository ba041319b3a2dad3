/**
 * Measures the console for docs/performance.md (figures, not timed tests), in Chromium against the production build
 * served by the API on a temporary SQLite file with the demo:
 * - the initial JavaScript (gzip) of the sign-in page and of 年度总览;
 * - 年度总览: navigation start → the first frame whose table shows a department's row, timed by the page itself
 *   (performance.now() in a requestAnimationFrame after the row enters the DOM); cold = a fresh browser context (empty
 *   HTTP cache, nothing in TanStack Query), warm = the same context navigating to it again (scripts from the cache);
 * - what-if: from a keystroke in 实际采购金额合计数 (the keydown's own timeStamp) to the first frame showing the total
 *   the server answered for the new value, again timed by the page; each keystroke is a new value (a digit added to
 *   a value typed before it and settled), so no answer comes from a cache. Split into the wait before the request
 *   (debounce), the request (network + server, from Resource Timing) and the rendering after the answer. Then bursts:
 *   whole amounts typed at 8 keys a second, from the last keystroke to the final total.
 * Run: npm run measure:console [-- --keystrokes 120 --bursts 20 --runs 10 --write]. Prints the figures and the load
 * average; --write puts them in docs/performance.md's "Web console" section.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { format, resolveConfig } from 'prettier';
import { type ConsoleUnderTest, DEMO_KEYS, signIn, startConsole } from '../test/browser/support/console';

const DIST = join(__dirname, '../dist/web');
/** apps/web/src/features/what-if/WhatIfPage.tsx's WHAT_IF_DEBOUNCE_MS, read from the source so the text cannot drift. */
const WHAT_IF_DEBOUNCE_MS = Number(
  /WHAT_IF_DEBOUNCE_MS = (\d+)/.exec(
    readFileSync(join(__dirname, '../apps/web/src/features/what-if/WhatIfPage.tsx'), 'utf8'),
  )?.[1],
);
const commit = () => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const FIELD = '实际采购金额合计数';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number.parseInt(process.argv[at + 1], 10) : fallback;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const ms = (n: number) => `${Math.round(n)} ms`;
const summary = (values: number[]) =>
  values.length === 0
    ? 'not measured'
    : `p50 ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}, max ${ms(Math.max(...values))} (n=${values.length})`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** gzip bytes of the scripts the page loaded from /assets. */
async function scriptBytes(page: Page): Promise<{ files: number; gzip: number }> {
  const urls = (await page.evaluate(
    "performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/assets/') && n.endsWith('.js'))",
  )) as string[];
  let gzip = 0;
  for (const url of new Set(urls))
    gzip += gzipSync(readFileSync(join(DIST, new URL(url).pathname)), { level: 9 }).length;
  return { files: new Set(urls).size, gzip };
}

// Page code is written as strings: this program has no DOM types, and the console's CSP refuses string eval (so no
// waitForFunction with a string), while evaluate and init scripts run through the DevTools protocol.

/** Installed before any page script: records when a row naming the department is first in a painted frame. */
const WATCH_OVERVIEW = `(() => {
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll('.ant-table-tbody tr.ant-table-row');
    if (![...rows].some((r) => (r.textContent ?? '').includes('广州市科学技术局'))) return;
    observer.disconnect();
    requestAnimationFrame(() => (window.__rowShown = performance.now()));
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

async function overviewShown(page: Page): Promise<number> {
  await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
  for (;;) {
    const shown = (await page.evaluate('window.__rowShown ?? null')) as number | null;
    if (shown !== null) return shown;
    await page.waitForTimeout(20);
  }
}

async function measureOverview(ui: ConsoleUnderTest, runs: number): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  // one unmeasured load first, so the server's first-query costs (statement preparation, JIT) are not in "cold"
  for (let i = 0; i <= runs; i++) {
    const page = await ui.newPage();
    await page.addInitScript(WATCH_OVERVIEW);
    await page.addInitScript(`sessionStorage.setItem('jiping.key', ${JSON.stringify(DEMO_KEYS.evaluator)})`);
    await page.goto('/app/years/2021/overview');
    const first = await overviewShown(page);
    await page.goto('/app/years/2021/overview');
    const again = await overviewShown(page);
    if (i > 0) {
      cold.push(first);
      warm.push(again);
    }
    await page.context().close();
  }
  return { cold, warm };
}

/**
 * Installed before any page script: keydown times, every change of the what-if total or its busy flag, and the timing
 * of every POST /what-if. The requests are collected by a PerformanceObserver, not read back with
 * performance.getEntriesByType: the page's Resource Timing buffer keeps 250 entries, and two requests a keystroke
 * (the base value and the digit) filled it around the 112th keystroke, after which no request was found and the run
 * stopped with "no frame showing 94.932 after the keystroke" (every base from 1400 on scores 94.932).
 */
const WATCH_WHAT_IF = `(() => {
  window.__keys = [];
  window.__log = [];
  window.__requests = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name.endsWith('/what-if'))
        window.__requests.push({ startTime: e.startTime, responseEnd: e.responseEnd });
  }).observe({ type: 'resource', buffered: true });
  document.addEventListener('keydown', (e) => window.__keys.push(e.timeStamp), true);
  let watched = null;
  const record = () => {
    const result = document.querySelector('[data-testid="what-if-result"]');
    const total = document.querySelector('[data-testid="what-if-total"]');
    if (!result || !total) return;
    const snapshot = { total: total.textContent ?? '', busy: result.getAttribute('aria-busy') };
    requestAnimationFrame(() => window.__log.push({ t: performance.now(), ...snapshot }));
  };
  new MutationObserver(() => {
    const result = document.querySelector('[data-testid="what-if-result"]');
    if (result && result !== watched) {
      watched = result;
      new MutationObserver(record).observe(result, {
        attributes: true,
        attributeFilter: ['aria-busy'],
        childList: true,
        subtree: true,
        characterData: true,
      });
    }
  }).observe(document, { childList: true, subtree: true });
})()`;

interface Sample {
  total: number;
  beforeRequest: number;
  request: number;
  afterAnswer: number;
}

/** Waits for the answer of POST /what-if for this value and for the page to show it; returns the answered total. */
async function settle(page: Page, value: string, act: () => Promise<void>): Promise<string> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/what-if' && (r.request().postData() ?? '').includes(`"value":"${value}"`),
      { timeout: 30_000 },
    ),
    act(),
  ]);
  if (response.status() !== 200) throw new Error(`POST /what-if for ${value}: HTTP ${response.status()}`);
  const body = (await response.json()) as { comparison: { total: { after: string } } };
  const total = body.comparison.total.after;
  await page
    .locator('[data-testid="what-if-result"][aria-busy="false"]')
    .locator('[data-testid="what-if-total"]', { hasText: total })
    .waitFor();
  return total;
}

async function whatIfPage(ui: ConsoleUnderTest): Promise<Page> {
  const page = await ui.newPage();
  await page.addInitScript(WATCH_WHAT_IF);
  await signIn(page, DEMO_KEYS.evaluator);
  await page.goto('/app/years/2021/departments/gz-kjj/what-if');
  await page.getByLabel(FIELD).waitFor();
  return page;
}

/** From the last keystroke: the first frame showing this total, and the last POST /what-if sent after it. */
async function timings(page: Page, total: string, what: string): Promise<Sample> {
  // the answer may leave the total as it was (an amount past the plan scores the same): then the frame that shows it
  // is the one where the busy flag drops, which can come a moment after the DOM already read as expected
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await readTimings(page, total);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = await page.evaluate(`(() => {
        const key = window.__keys[window.__keys.length - 1];
        return {
          frames: window.__log.filter((e) => e.t > key).map((e) => e.busy + ' ' + e.total),
          requests: window.__requests.filter((e) => e.startTime > key).length,
        };
      })()`);
      throw new Error(`no frame showing ${total} after the keystroke (${what}); after it: ${JSON.stringify(seen)}`);
    }
    await page.waitForTimeout(20);
  }
}

async function readTimings(page: Page, total: string): Promise<Sample | null> {
  return (await page.evaluate(`(() => {
    const key = window.__keys[window.__keys.length - 1];
    const shown = window.__log.find((e) => e.t > key && e.busy === 'false' && e.total.startsWith(${JSON.stringify(total)}));
    const requests = window.__requests.filter((e) => e.startTime > key);
    const last = requests[requests.length - 1];
    if (!shown || !last) return null;
    return {
      total: shown.t - key,
      beforeRequest: last.startTime - key,
      request: last.responseEnd - last.startTime,
      afterAnswer: shown.t - last.responseEnd,
    };
  })()`)) as Sample | null;
}

async function measureKeystrokes(ui: ConsoleUnderTest, count: number): Promise<Sample[]> {
  const page = await whatIfPage(ui);
  const field = page.getByLabel(FIELD);
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const base = (1400 + i * 2.37).toFixed(1);
    await settle(page, base, () => field.fill(base));
    await page.waitForTimeout(400); // idle, as between two edits
    const digit = String((i * 7) % 10);
    const total = await settle(page, `${base}${digit}`, () => page.keyboard.press(digit));
    samples.push(await timings(page, total, `keystroke ${i + 1}: ${base} → ${base}${digit}`));
  }
  await page.context().close();
  return samples;
}

async function measureBursts(ui: ConsoleUnderTest, count: number): Promise<number[]> {
  const page = await whatIfPage(ui);
  const field = page.getByLabel(FIELD);
  const results: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = (1500 + i * 6.13).toFixed(2);
    await field.selectText();
    const total = await settle(page, value, () => page.keyboard.type(value, { delay: 125 }));
    results.push((await timings(page, total, `amount ${i + 1}: ${value}`)).total);
    await page.waitForTimeout(400);
  }
  await page.context().close();
  return results;
}

/**
 * Replaces the opening of docs/performance.md's "## Web console" section, up to its first ### subsection (影响分析,
 * written by npm run measure:impact) or the next ## section, with `text`, formatted as prettier --check wants it (CI
 * checks the docs: the tables' columns are padded).
 */
async function writeWebConsoleSection(text: string): Promise<void> {
  const file = join(__dirname, '../docs/performance.md');
  const doc = readFileSync(file, 'utf8');
  const at = doc.indexOf('\n## Web console\n');
  if (at < 0) throw new Error('docs/performance.md has no "## Web console" section');
  const ends = [doc.indexOf('\n### ', at + 1), doc.indexOf('\n## ', at + 1)].filter((i) => i > 0);
  const end = ends.length > 0 ? Math.min(...ends) : doc.length;
  const written = `${doc.slice(0, at + 1)}${text.trimEnd()}\n${doc.slice(end)}`;
  writeFileSync(file, await format(written, { ...(await resolveConfig(file)), parser: 'markdown' }));
}

async function main(): Promise<void> {
  const keystrokes = option('keystrokes', 120);
  const bursts = option('bursts', 20);
  const runs = option('runs', 10);
  const loads = [load()];
  const ui = await startConsole({ LOG_LEVEL: 'silent' });
  try {
    const page = await ui.newPage();
    await page.goto('/app/sign-in');
    await page.getByLabel('密钥').waitFor();
    const signInJs = await scriptBytes(page);
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto('/app/years/2021/overview');
    await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
    await page.locator('canvas').first().waitFor();
    const overviewJs = await scriptBytes(page);
    await page.context().close();

    const overview = await measureOverview(ui, runs);
    loads.push(load());
    const samples = await measureKeystrokes(ui, keystrokes);
    loads.push(load());
    const burst = await measureBursts(ui, bursts);
    loads.push(load());

    const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
    const chunks = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    const allJs = chunks.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(DIST, 'assets', f)), { level: 9 }).length,
      0,
    );
    const lines = [
      `initial JavaScript, sign-in page: ${signInJs.files} files, ${kb(signInJs.gzip)} gzip`,
      `JavaScript after 年度总览 with its chart: ${overviewJs.files} files, ${kb(overviewJs.gzip)} gzip`,
      `every chunk: ${chunks.length} files, ${kb(allJs)} gzip`,
      `年度总览, navigation start → first frame with a department's row, cold (fresh context): ${summary(overview.cold)}`,
      `年度总览, same, warm (scripts cached, navigated again): ${summary(overview.warm)}`,
      `what-if, keystroke → first frame with the new total: ${summary(samples.map((s) => s.total))}`,
      `  keystroke → request sent (debounce): ${summary(samples.map((s) => s.beforeRequest))}`,
      `  POST /what-if (network + server): ${summary(samples.map((s) => s.request))}`,
      `  answer → frame showing it (rendering): ${summary(samples.map((s) => s.afterAnswer))}`,
      `what-if, amount typed at 8 keys/s, last keystroke → final total: ${summary(burst)}`,
      `load average (1, 5, 15 min) at start, after 年度总览, after keystrokes, after bursts: ${loads.join(' | ')}`,
    ];
    if (process.argv.includes('--write')) {
      const row = (what: string, figure: string) => `| ${what} | ${figure} |`;
      const fig = (values: number[]) =>
        `p50 ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}, max ${ms(Math.max(...values))}`;
      await writeWebConsoleSection(
        [
          '## Web console',
          '',
          'Written by `npm run measure:console -- --write` (scripts/console-measure.ts): the production build',
          '(`npm run build:web`, Vite, `NODE_ENV=production`) served by the API on a temporary SQLite file with the demo, driven',
          `by Debian's Chromium (headless) through playwright-core, on ${new Date().toISOString().slice(0, 10)} at commit ${commit()}.`,
          'Times are taken by the page itself (performance.now() in the first animation frame that shows the result), not by',
          'the test driver.',
          '',
          `**Machine conditions.** ${cpus().length} cores shared with other agents' builds and test runs (browser suites,`,
          `MariaDB, Vite builds); load average (1/5/15 min) ${loads[0]} at the start, ${loads[loads.length - 1]} at the end.`,
          'A load average far above the core count means every figure below includes waiting for a core: on an idle',
          'machine they are lower, and the split rows show where the time goes.',
          '',
          '| what | figure |',
          '| --- | --- |',
          row(
            'initial JavaScript (sign-in page: the one entry chunk with React, Ant Design, React Router, TanStack Query)',
            `${kb(signInJs.gzip)} gzip, aim ≤ 400 kB`,
          ),
          row(
            `JavaScript once 年度总览 and its chart are shown (${overviewJs.files} chunks)`,
            `${kb(overviewJs.gzip)} gzip`,
          ),
          row(
            `every chunk together (${chunks.length} chunks: one per page, ECharts only in the chart's lazy chunk)`,
            `${kb(allJs)} gzip`,
          ),
          row(
            `年度总览, navigation start → first frame showing a department's row, **cold** (fresh browser context: empty HTTP cache; ${overview.cold.length} runs)`,
            fig(overview.cold),
          ),
          row(
            `年度总览, the same, **warm** (same context navigating to it again: scripts from the cache; ${overview.warm.length} runs)`,
            fig(overview.warm),
          ),
          row(
            `模拟: a keystroke in 实际采购金额合计数 → first frame showing the total answered for the new value (${samples.length} keystrokes, each after a pause), aim p95 ≤ 200 ms`,
            `**${fig(samples.map((s) => s.total))}**`,
          ),
          row(
            '… of which keystroke → POST /what-if sent (React update, leading-edge debounce)',
            fig(samples.map((s) => s.beforeRequest)),
          ),
          row('… of which the request (network + server, Resource Timing)', fig(samples.map((s) => s.request))),
          row('… of which answer → frame showing it (rendering)', fig(samples.map((s) => s.afterAnswer))),
          row(
            `模拟: an amount typed whole at 8 keys a second, last keystroke → its total (${burst.length} amounts; ${WHAT_IF_DEBOUNCE_MS} ms debounce included)`,
            fig(burst),
          ),
          '',
          'Gzip sizes are of the files in `dist/web/assets` compressed at level 9, as a server with compression would send them',
          '(the API serves them as they are; a reverse proxy compresses). Pages are lazy routes (`apps/web/src/app/routes.tsx`),',
          "so a department's clerk never downloads the overview's chart.",
          '',
          '**What-if.** Each measured keystroke adds one digit to an amount typed and answered before it, so every answer is',
          'computed by the server, none comes from a cache. The form asks at once for a keystroke after a pause (leading',
          `edge) and, while typing goes on, ${WHAT_IF_DEBOUNCE_MS} ms after the last keystroke; an amount still being typed (a trailing`,
          'point, a lone minus) is not asked. Typed values live in the page state and reach the URL once typing settles:',
          'fed from the URL on every keystroke, the field lost and reordered keystrokes typed fast (1500.00 became 150000).',
          '',
        ].join('\n'),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await ui.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
