/**
 * Regenerates docs/screenshots/*.png: every console page at 1440×900 and 1024×768, on the demo data, in Debian's
 * Chromium. Run: npm run screenshots (needs /usr/bin/chromium and, for Chinese glyphs, fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_KEYS, signIn, startConsole } from '../test/browser/support/console';

interface Shot {
  name: string;
  key?: string;
  path: string;
  /** What must be visible before the picture is taken (the data, not a spinner). */
  ready: (page: Page) => Promise<unknown>;
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
  try {
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.includes(s.name))) {
      for (const viewport of VIEWPORTS) {
        const page = await ui.newPage(viewport);
        if (shot.key) await signIn(page, shot.key);
        await page.goto(shot.path);
        await shot.ready(page);
        await page.waitForTimeout(300); // antd's enter animations
        const file = join(out, `${shot.name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file, fullPage: false });
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
