/**
 * Measures the console for docs/performance.md (figures, not timed tests): the initial JavaScript (gzip) of the
 * sign-in page and of 年度总览, time to the overview's first row, and the what-if round trip from the last keystroke
 * to the new total on screen (350 ms debounce included) and the POST /what-if itself. Run: npm run measure:console.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { DEMO_KEYS, signIn, startConsole } from '../test/browser/support/console';

const DIST = join(__dirname, '../dist/web');

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** gzip bytes of the scripts the page loaded from /assets. */
async function scriptBytes(page: Page): Promise<{ files: number; gzip: number }> {
  const urls = (await page.evaluate(
    "performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/assets/') && n.endsWith('.js'))",
  )) as string[];
  let gzip = 0;
  for (const url of new Set(urls)) gzip += gzipSync(readFileSync(join(DIST, new URL(url).pathname))).length;
  return { files: new Set(urls).size, gzip };
}

async function main(): Promise<void> {
  const ui = await startConsole({ LOG_LEVEL: 'silent' });
  try {
    const page = await ui.newPage();
    await page.goto('/app/sign-in');
    await page.getByLabel('密钥').waitFor();
    const signInJs = await scriptBytes(page);
    await signIn(page, DEMO_KEYS.evaluator);
    const overviewTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await page.goto('/app/years/2021/overview');
      await page.getByRole('row', { name: /广州市科学技术局/ }).waitFor();
      overviewTimes.push(Date.now() - started);
    }
    const overviewJs = await scriptBytes(page);

    await page.goto('/app/years/2021/departments/gz-kjj/what-if');
    const field = page.getByLabel('实际采购金额合计数');
    await field.waitFor();
    const roundTrips: number[] = [];
    for (let i = 0; i < 30; i++) {
      const value = (1400 + i * 8.37).toFixed(2);
      const answered = page.waitForResponse(
        (r) => r.url().endsWith('/what-if') && (r.request().postData() ?? '').includes(`"${value}"`),
      );
      await field.fill(value);
      const typed = Date.now();
      await answered;
      await page.waitForFunction(
        `document.querySelector('[data-testid="what-if-result"]')?.getAttribute('aria-busy') === 'false'`,
      );
      roundTrips.push(Date.now() - typed);
    }
    const api = (await page.evaluate(
      "performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/what-if')).map((e) => e.duration)",
    )) as number[];
    const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
    const lines = [
      `initial JavaScript, sign-in page: ${signInJs.files} files, ${kb(signInJs.gzip)} gzip`,
      `JavaScript after 年度总览 (chart chunk included): ${overviewJs.files} files, ${kb(overviewJs.gzip)} gzip`,
      `年度总览 to its first row (page load, 5 runs): median ${quantile(overviewTimes, 0.5)} ms, max ${Math.max(...overviewTimes)} ms`,
      `what-if, last keystroke → new total on screen (30 edits, 350 ms debounce included): p50 ${quantile(roundTrips, 0.5)} ms, p95 ${quantile(roundTrips, 0.95)} ms`,
      `what-if, POST /what-if as the browser timed it (${api.length} requests): p50 ${quantile(api, 0.5).toFixed(0)} ms, p95 ${quantile(api, 0.95).toFixed(0)} ms`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await ui.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
