import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { createTestApp, sqliteDatabase, type TestApp, type TestDatabase } from '../../e2e/support/test-app';

/**
 * The browser-test harness shared by every console journey (test/browser/*.e2e-spec.ts): Debian's Chromium driven by
 * playwright-core, the API on a temporary SQLite file with the demo loaded, serving the console built into dist/web.
 * One API and one browser per suite; one context (clean storage) per test.
 */

const ROOT = join(__dirname, '../../..');
const WEB = join(ROOT, 'apps/web');
const BUILT = join(ROOT, 'dist/web/index.html');

export const DEMO_KEYS = {
  admin: 'demo-admin-key',
  evaluator: 'demo-evaluator-key',
  department: 'demo-gz-kjj-key',
} as const;

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium; none: undefined (skip), or with CI=true an error. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (found) return found;
  if (process.env.CI === 'true')
    throw new Error('Chromium is not installed (apt-get install -y chromium): CI=true needs the browser tests');
  return undefined;
}

/** describe when Chromium is there, else describe.skip with one line saying why. */
export function describeInBrowser(name: string, body: () => void): void {
  const path = findChromium();
  if (path) {
    describe(name, body);
  } else {
    console.warn(
      `skipping browser tests "${name}": no Chromium at /usr/bin/chromium or CHROMIUM_PATH (apt-get install -y chromium)`,
    );
    describe.skip(name, body);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function consoleIsFresh(): boolean {
  const sourceTime = Math.max(
    newestMtime(join(WEB, 'src')),
    statSync(join(WEB, 'index.html')).mtimeMs,
    statSync(join(WEB, 'vite.config.ts')).mtimeMs,
  );
  return existsSync(BUILT) && statSync(BUILT).mtimeMs >= sourceTime;
}

const BUILD_LOCK = join(ROOT, 'dist/.web-build.lock');

/**
 * Builds the console (vite) when dist/web is missing or older than apps/web. Jest runs suites in two workers: the
 * first to need a build takes a lock (an atomic mkdir) and the others wait for it, so no suite serves a dist/web that
 * another is emptying and rewriting. A lock older than five minutes is a crashed build's and is taken over.
 */
export function ensureConsoleBuilt(): void {
  if (consoleIsFresh()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const since = statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 5 * 60_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 500);
    }
  }
  try {
    if (!consoleIsFresh()) buildConsole();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function buildConsole(): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(WEB, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // jest sets NODE_ENV=test, which would make Vite bundle React and antd in development mode
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

export interface ConsoleUnderTest {
  api: TestApp;
  url: string;
  browser: Browser;
  /** A fresh context (no key stored) at 1440×900 unless told, Chinese locale, Shanghai time, downloads accepted. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the console if needed, starts the API with the demo on a temporary SQLite file, launches Chromium. */
export async function startConsole(overrides: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium');
  ensureConsoleBuilt();
  const database: TestDatabase = sqliteDatabase();
  const api = await createTestApp(database, { JIPING_DEMO: 'true', ...overrides });
  const address = api.app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  // playwright gives every launch a new, empty --user-data-dir of its own
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    api,
    url,
    browser,
    async newPage(viewport = { width: 1440, height: 900 }) {
      const context = await browser.newContext({
        baseURL: url,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport,
        acceptDownloads: true,
      });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await api.close();
      await database.drop();
    },
  };
}

/** Signs in through the sign-in page with a 密钥 and waits for the role's first page. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/app/sign-in');
  await page.getByLabel('密钥').fill(key);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'));
}

/** Serious or critical axe violations (WCAG 2.0/2.1 A and AA, best practices) on what the page shows now. */
export async function blockingViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Latin words on the page outside a short allow list: English leftovers (Loading…, 10 / page). */
export async function latinWords(page: Page): Promise<string[]> {
  const allowed = new Set([
    'xlsx',
    'csv',
    'CSV',
    'Excel',
    'PDF',
    'HTTP',
    'demo',
    'key',
    'admin',
    'evaluator',
    'gz',
    'kjj',
  ]);
  const text = await page.locator('body').innerText();
  return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((w) => !allowed.has(w));
}

/** Reads until the value is the one expected (or the time is up) and returns the last read, for expect to judge. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * Chooses an option of an antd Select (found by its Chinese label) and waits until the Select shows it. Under load an
 * option clicked while the dropdown is still sliding in can miss; saving then fails the form's validation silently, so
 * a test must not go on before the choice is shown.
 */
export async function chooseOption(scope: Page | Locator, label: string, option: string): Promise<void> {
  const page = 'page' in scope ? scope.page() : scope;
  const select = scope.locator('.ant-select').filter({ has: page.getByLabel(label, { exact: true }) });
  // antd 6 shows the choice as .ant-select-content with the option's label as its title
  const shown = select.locator(`.ant-select-content[title=${JSON.stringify(option)}]`);
  for (let attempt = 1; ; attempt++) {
    await scope.getByLabel(label, { exact: true }).click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
      .getByTitle(option, { exact: true })
      .click();
    try {
      await shown.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const CONTROL_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'switch',
  'tab',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'spinbutton',
  'slider',
  'treeitem',
]);

/**
 * Controls whose accessible name (as a screen reader announces it, from the page's accessibility tree) has no Chinese:
 * unnamed buttons, English leftovers (Close, Search). A name that is data the user typed or chose (a department code,
 * a page number) can be allowed by a pattern.
 */
export async function controlsNotNamedInChinese(page: Page, allowed: RegExp[] = []): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const problems: string[] = [];
  for (const line of snapshot.split('\n')) {
    const match = /^\s*- (\w+)(?: "((?:[^"\\]|\\.)*)")?/.exec(line);
    if (!match || !CONTROL_ROLES.has(match[1])) continue;
    const name = (match[2] ?? '').replace(/\\"/g, '"');
    if (/[\u3400-\u9fff]/.test(name) || allowed.some((a) => a.test(name))) continue;
    problems.push(`${match[1]} "${name}"`);
  }
  return [...new Set(problems)];
}

/** What a user can operate: links, native controls, ARIA widgets and anything put in the Tab order. */
const CONTROL_SELECTOR = [
  'a[href]',
  'button',
  'input:not([type=hidden])',
  'select',
  'textarea',
  '[role=button]',
  '[role=link]',
  '[role=checkbox]',
  '[role=switch]',
  '[role=tab]',
  '[role=menuitem]',
  '[role=combobox]',
  '[role=radio]',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/**
 * Keyboard reach: presses Tab through the page and returns the controls it never reached — visible, enabled controls
 * that are not focusable, or focusable ones Tab does not get to (a trap, or hidden from the sequence). A control in a
 * composite widget (menu, tab list, radio group, listbox, tree, grid) counts as reached when Tab reaches its widget:
 * the arrow keys move inside, as the ARIA patterns say.
 */
export async function controlsNotReachedByKeyboard(page: Page, maxTabs = 300): Promise<string[]> {
  const composite =
    '[role=menu],[role=menubar],[role=tablist],[role=radiogroup],[role=listbox],[role=tree],[role=grid]';
  // page code as a string: this program has no DOM types (and the console's CSP refuses eval, not evaluate)
  const controls = (await page.evaluate(`(() => {
    const composite = ${JSON.stringify(composite)};
    const selector = ${JSON.stringify(CONTROL_SELECTOR)};
    const visible = (el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !el.closest('[aria-hidden=true],[inert]');
    };
    const described = (el) =>
      el.tagName.toLowerCase() + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '') + ' "' +
      (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30) + '"';
    let n = 0;
    const out = [];
    for (const el of document.querySelectorAll(selector)) {
      if (!visible(el) || el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
      // a native control inside another control (antd's input inside its combobox wrapper) is reached with it
      if (el.parentElement && el.parentElement.closest(selector) && el.tabIndex < 0) continue;
      const widget = el.closest(composite) ?? el;
      const id = widget.getAttribute('data-kbd') ?? String(n++);
      widget.setAttribute('data-kbd', id);
      out.push({ id, label: described(el) });
    }
    return out;
  })()`)) as { id: string; label: string }[];
  const reached = new Set<string>();
  await page.evaluate('document.activeElement?.blur()');
  // Tab goes on from where focus last was (the menu item just clicked) and passes through the page itself (body)
  // after the last control: two passes through the page cover everything before and after that point
  let wraps = 0;
  for (let i = 0; i < maxTabs && wraps < 2; i++) {
    await page.keyboard.press('Tab');
    const id = (await page.evaluate(
      "document.activeElement?.closest('[data-kbd]')?.getAttribute('data-kbd') ?? null",
    )) as string | null;
    if (id === null) {
      if (await page.evaluate('document.activeElement === document.body')) wraps++;
      continue;
    }
    reached.add(id);
    if (controls.every((c) => reached.has(c.id))) break;
  }
  return [...new Set(controls.filter((c) => !reached.has(c.id)).map((c) => c.label))];
}
