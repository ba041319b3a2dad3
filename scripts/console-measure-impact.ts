/**
 * Measures 影响分析 over 10,000 departments for docs/performance.md (a figure, not a timed test): the demo API on a
 * temporary SQLite file with 10,000 generated 2021 departments added (test/e2e/support/seed-departments.ts: the seed's
 * data, 固定资产利用率 spread over 80–100 %), the 2022 example draft uploaded, and the 影响分析 page in Chromium:
 * 开始影响分析 clicked, the progress bar read every 250 ms until 已完成, the job's own start and finish read from
 * GET /jobs/{id}, then the time until the biggest movers are on screen. A screenshot is taken mid-run
 * (docs/screenshots/impact-progress-1440x900.png). Run: npm run measure:impact.
 */
import { getRepositoryToken } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleSetEntity } from '@jiping/persistence';
import type { Repository } from 'typeorm';
import { seedDepartments } from '../test/e2e/support/seed-departments';
import { DEMO_KEYS, signIn, startConsole } from '../test/browser/support/console';

const COUNT = Number(process.env.IMPACT_DEPARTMENTS ?? 10_000);

async function main(): Promise<void> {
  const ui = await startConsole({ LOG_LEVEL: 'silent' });
  try {
    const ruleSets = ui.api.app.get<Repository<RuleSetEntity>>(getRepositoryToken(RuleSetEntity));
    const published = await ruleSets.findOneByOrFail({ fiscalYear: 2021, status: 'published' });
    const seeding = Date.now();
    await seedDepartments(ui.api.app, COUNT, published.id);
    const seededMs = Date.now() - seeding;
    const headers = { Authorization: `Bearer ${DEMO_KEYS.admin}`, 'Content-Type': 'application/json' };
    const draft = (await (
      await fetch(`${ui.url}/rule-sets`, {
        method: 'POST',
        headers,
        body: readFileSync(join(__dirname, '../docs/examples/guangzhou-department-overall-2022-draft.json'), 'utf8'),
      })
    ).json()) as { ref: string };

    const page = await ui.newPage({ width: 1440, height: 900 });
    await signIn(page, DEMO_KEYS.evaluator);
    await page.goto(`/app/impact/${encodeURIComponent(draft.ref)}`);
    await page.getByRole('button', { name: '开始影响分析' }).waitFor();
    const bar = page.getByRole('progressbar');
    const status = page.getByRole('status', { name: '影响分析进度' });

    const clicked = Date.now();
    await page.getByRole('button', { name: '开始影响分析' }).click();
    await status.waitFor();
    const samples: Array<{ ms: number; percent: string; text: string }> = [];
    let shot = false;
    for (;;) {
      const percent = (await bar.getAttribute('aria-valuenow').catch(() => null)) ?? '';
      const text = await status.innerText().catch(() => '');
      const last = samples[samples.length - 1];
      if (!last || last.percent !== percent || last.text !== text)
        samples.push({ ms: Date.now() - clicked, percent, text });
      if (!shot && Number(percent) >= 20 && Number(percent) <= 80) {
        await page.screenshot({ path: join(__dirname, '../docs/screenshots/impact-progress-1440x900.png') });
        shot = true;
      }
      if (await page.getByText('影响分析进度：已完成').isVisible()) break;
      if (await page.getByText(/影响分析进度：(失败|已取消)/).isVisible()) throw new Error(text);
      await page.waitForTimeout(250);
    }
    const doneOnScreenMs = Date.now() - clicked;
    await page.getByRole('table', { name: '总分下降最多' }).locator('tbody tr').first().waitFor();
    const resultOnScreenMs = Date.now() - clicked;
    const jobId = new URL(page.url()).searchParams.get('job')!;
    const job = (await (await fetch(`${ui.url}/jobs/${jobId}`, { headers })).json()) as {
      startedAt: string;
      finishedAt: string;
      createdAt: string;
      progress: { done: number; total: number };
      result: { summary: { departments: number; changed: number; gradeChanges: { changed: number } } };
    };
    const jobSeconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
    const percents = [...new Set(samples.map((s) => s.percent).filter((p) => p !== ''))];
    console.log(
      JSON.stringify(
        {
          departments: job.progress.total,
          seededSeconds: seededMs / 1000,
          jobSeconds,
          queuedSeconds: (Date.parse(job.startedAt) - Date.parse(job.createdAt)) / 1000,
          clickToDoneOnScreenSeconds: doneOnScreenMs / 1000,
          clickToMoversOnScreenSeconds: resultOnScreenMs / 1000,
          progressValuesSeen: percents,
          screenshotMidRun: shot,
          summary: {
            departments: job.result.summary.departments,
            changed: job.result.summary.changed,
            gradeChanged: job.result.summary.gradeChanges.changed,
          },
          samples: samples.map((s) => `${(s.ms / 1000).toFixed(1)} s: ${s.percent}% ${s.text.replace(/\s+/g, ' ')}`),
        },
        null,
        2,
      ),
    );
  } finally {
    await ui.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
