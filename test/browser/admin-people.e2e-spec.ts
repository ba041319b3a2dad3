import { callApi } from './support/api';
import {
  blockingViolations,
  controlsNotReachedByKeyboard,
  controlsNotNamedInChinese,
  chooseOption,
  type ConsoleUnderTest,
  DEMO_KEYS,
  describeInBrowser,
  latinWords,
  signIn,
  startConsole,
} from './support/console';

jest.setTimeout(180_000);

describeInBrowser('console: 人员与密钥 (Chromium)', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await startConsole();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('creates a person and a named key shown once; the key signs in; revoked, it is refused in Chinese', async () => {
    const page = await ui.newPage();
    await signIn(page, DEMO_KEYS.admin);
    await page.getByRole('menuitem', { name: '人员与密钥' }).click();
    await page.getByRole('table', { name: '人员' }).getByRole('row', { name: /陈静/ }).waitFor();
    // key names and prefixes are data, shown as sent (bootstrap, demo-ad…); everything else is Chinese
    const keys = await callApi<{ name: string; keyPrefix: string }[]>(ui.url, DEMO_KEYS.admin, 'GET', '/api-keys');
    const data = keys.body.map((k) => `${k.name} ${k.keyPrefix}`).join(' ');
    expect((await latinWords(page)).filter((w) => !data.includes(w))).toEqual([]);
    expect(await blockingViolations(page)).toEqual([]);
    // every control named in Chinese (no English icon names such as left/right) and reachable with Tab
    expect(await controlsNotNamedInChinese(page)).toEqual([]);
    expect(await controlsNotReachedByKeyboard(page)).toEqual([]);

    await page.getByRole('button', { name: '新建人员' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('王芳');
    await dialog.getByLabel('联系方式').fill('绩效处 020-83120010');
    await chooseOption(dialog, '角色', '评价人员');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/users'),
      dialog.getByRole('button', { name: '保 存' }).click(),
    ]);
    const person = page.getByRole('table', { name: '人员' }).getByRole('row', { name: /王芳/ });
    await person.waitFor();
    expect(await person.getByRole('cell').nth(1).innerText()).toBe('评价人员');

    await page.getByRole('button', { name: '新建密钥' }).click();
    dialog = page.getByRole('dialog');
    await chooseOption(dialog, '使用人', '王芳（评价人员）');
    await dialog.getByLabel('密钥名称').fill('复核专用');
    const created = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && /^\/users\/[^/]+\/api-keys$/.test(new URL(r.url()).pathname),
      ),
      dialog.getByRole('button', { name: '保 存' }).click(),
    ]);
    expect(created[0].status()).toBe(201);
    const shown = page.getByRole('dialog', { name: '密钥「复核专用」已创建' });
    await shown.getByText('关闭此窗口后密钥不会再显示').waitFor();
    await shown.getByRole('button', { name: '复制密钥' }).waitFor();
    const key = (await shown.getByTestId('new-key').innerText()).trim();
    expect(key.length).toBeGreaterThan(16);
    expect(await blockingViolations(page)).toEqual([]);
    await shown.getByRole('button', { name: '我已复制，关闭' }).click();
    const keyRow = page.getByRole('table', { name: '密钥' }).getByRole('row', { name: /复核专用/ });
    await keyRow.waitFor();
    expect(await keyRow.innerText()).not.toContain(key); // shown once, never again
    expect(await keyRow.innerText()).toContain('从未使用');

    const other = await ui.newPage();
    await signIn(other, key);
    await other.getByRole('menuitem', { name: '年度总览' }).waitFor();

    await page.reload();
    const used = page.getByRole('table', { name: '密钥' }).getByRole('row', { name: /复核专用/ });
    await used.waitFor();
    expect(await used.innerText()).not.toContain('从未使用'); // last use shown
    await used.getByRole('button', { name: '吊销' }).click();
    const confirm = page.locator('.ant-modal-confirm', { hasText: '吊销 王芳 的密钥「复核专用」？' });
    await confirm.getByText('不能撤回').waitFor();
    await confirm.getByRole('button', { name: /吊\s*销/ }).click();
    await page.getByText('已吊销密钥「复核专用」').waitFor();
    await used.getByText('已吊销').waitFor();

    const fresh = await ui.newPage();
    await fresh.goto('/app/sign-in');
    await fresh.getByLabel('密钥').fill(key);
    await fresh.getByRole('button', { name: /登\s*录/ }).click();
    await fresh.getByRole('alert').getByText('密钥无效或已停用，请核对后重试。').first().waitFor();
  });
});
