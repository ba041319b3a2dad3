import { readFileSync } from 'node:fs';
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

const YEAR_PATH = '/departments/gz-kjj/years/2021';

/** Types every figure of the seed into the form, field by field, as a clerk would. */
export async function fillSeed(page: Page): Promise<void> {
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
export function asStrings(value: unknown): unknown {
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
});
