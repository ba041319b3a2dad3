import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleFileText, type RuleSet, toRuleSet } from '@jiping/rules';
import {
  compileRuleSet,
  impactScoringOf,
  scoreSubmission,
  scoreSubmissionSync,
  ScoringErrorCode,
} from '@jiping/scoring';
import { generateSubmissions } from '../../../bench/generate-submissions';
import { movedBandDraft } from '../../../test/support/moved-band-draft';
import { type ScoredJob, type ScoringJob, ScoringPool, ScoringPoolErrorCode } from './scoring-pool';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const RULE_TEXT = readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8');
const GZ_2021 = toRuleSet(parseRuleFileText(RULE_TEXT));
const SEED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'));

/** 广州 2021 with the 固定资产利用率 top band moved from 90 % to 95 %. */
const movedBand = (): RuleSet => toRuleSet(movedBandDraft());

/**
 * 广州 2021 with a veto on 绩效结果应用 whose condition reads the judged tier through a JSONPath: only
 * json-rules-engine can run it (scoreSubmissionSync throws ENGINE_FAILURE).
 */
function jsonPathVeto(): RuleSet {
  const file = JSON.parse(RULE_TEXT);
  const find = (nodes: any[]): any =>
    nodes.map((node) => (node.code === 'result-application' ? node : find(node.children ?? []))).find(Boolean);
  find(file.indicators).veto = {
    when: { fact: 'resultApplication', path: '$.tier', operator: 'equal', value: 'unachieved' },
    reason: '绩效结果应用未达成',
  };
  file.version = '2021.3.0';
  return toRuleSet(file);
}

const jobsOf = (submissions: unknown[]): ScoringJob<number>[] =>
  submissions.map((submission, i) => ({ id: `job-${i}`, submission, context: i }));

async function collect<C>(results: AsyncIterable<ScoredJob<C>>): Promise<ScoredJob<C>[]> {
  const all: ScoredJob<C>[] = [];
  for await (const result of results) all.push(result);
  return all;
}

describe(ScoringPool.name, () => {
  let pool: ScoringPool;
  beforeAll(() => {
    pool = new ScoringPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('scores 2,000 generated submissions with 2 workers exactly as scoring in this thread does', async () => {
    const submissions = generateSubmissions(SEED, 2_000);
    const draft = movedBand();
    const progress: number[] = [];
    const results = await collect(
      pool.score({
        ruleSets: [GZ_2021, draft],
        jobs: jobsOf(submissions),
        onProgress: ({ done }) => progress.push(done),
      }),
    );
    expect(pool.running).toBe(2);
    expect(results).toHaveLength(2_000);
    expect(new Set(results.map((r) => r.id)).size).toBe(2_000);
    const [published, candidate] = [compileRuleSet(GZ_2021), compileRuleSet(draft)];
    let moved = 0;
    for (const result of results) {
      const submission = submissions[result.context!];
      expect(result.id).toBe(`job-${result.context}`);
      const expected = [
        { ok: true, scoring: impactScoringOf(await scoreSubmission(published, submission)) },
        { ok: true, scoring: impactScoringOf(await scoreSubmission(candidate, submission)) },
      ];
      expect(result.outcomes).toEqual(expected);
      if (expected[0].scoring.total !== expected[1].scoring.total) moved++;
    }
    // The draft moves some departments and not others: the two rule sets were not mixed up.
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(2_000);
    expect(progress[progress.length - 1]).toBe(2_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('returns the whole ScoreReport with output "report"', async () => {
    const [result] = await collect(pool.score({ ruleSets: [GZ_2021], jobs: jobsOf([SEED]), output: 'report' }));
    const outcome = result.outcomes[0];
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.report).toEqual(await scoreSubmission(GZ_2021, SEED));
  });

  it('reports an invalid submission as an error outcome and scores the rest', async () => {
    const broken = structuredClone(SEED);
    delete broken.inputs.expenditureProgress;
    broken.inputs.procurementActual = 'a lot';
    const progress: Array<{ done: number; failed: number }> = [];
    const results = await collect(
      pool.score({
        ruleSets: [GZ_2021, movedBand()],
        jobs: jobsOf([SEED, broken, 'not a submission', SEED]),
        chunkSize: 2,
        onProgress: (p) => progress.push(p),
      }),
    );
    const byContext = new Map(results.map((r) => [r.context, r.outcomes]));
    expect(byContext.get(0)!.map((o) => o.ok && o.scoring.total)).toEqual(['94.622', '94.622']);
    expect(byContext.get(3)!.map((o) => o.ok)).toEqual([true, true]);
    for (const outcome of byContext.get(1)!) {
      expect(outcome).toMatchObject({ ok: false, error: { code: ScoringErrorCode.INVALID_SUBMISSION } });
      const pointers = outcome.ok ? [] : outcome.error.problems.map((p) => p.pointer);
      expect(pointers).toEqual(expect.arrayContaining(['/inputs/expenditureProgress', '/inputs/procurementActual']));
    }
    expect(byContext.get(2)![0]).toMatchObject({ ok: false, error: { code: ScoringErrorCode.INVALID_SUBMISSION } });
    expect(progress[progress.length - 1]).toEqual({ done: 4, failed: 2 });
  });

  it('scores a rule set the compiled path cannot run (JSONPath) with scoreSubmission', async () => {
    const ruleSet = jsonPathVeto();
    expect(() => scoreSubmissionSync(ruleSet, SEED)).toThrow(
      expect.objectContaining({ code: ScoringErrorCode.ENGINE_FAILURE }),
    );
    const vetoed = structuredClone(SEED);
    vetoed.inputs.resultApplication = { ...vetoed.inputs.resultApplication, tier: 'unachieved', score: '0.5' };
    const submissions = [SEED, vetoed, 'not a submission', SEED];
    for (const output of ['scores', 'report'] as const) {
      const results = await collect(pool.score({ ruleSets: [ruleSet, GZ_2021], jobs: jobsOf(submissions), output }));
      const byContext = new Map(results.map((r) => [r.context!, r.outcomes]));
      for (const [i, submission] of submissions.entries()) {
        const [expected, published] = await Promise.all(
          [ruleSet, GZ_2021].map((rs) =>
            scoreSubmission(rs, submission).then(
              (report) => ({ ok: true, scoring: impactScoringOf(report), ...(output === 'report' ? { report } : {}) }),
              (error) => ({ ok: false, error: { code: error.code, message: error.text, problems: error.problems } }),
            ),
          ),
        );
        expect(byContext.get(i)).toEqual([expected, published]);
      }
      const totals = [0, 1].map((i) => {
        const [o] = byContext.get(i)!;
        return o.ok && o.scoring.total;
      });
      expect(totals).toEqual(['94.622', '92.622']);
    }
  });

  it('reads jobs only while fewer than maxChunksInFlight chunks are outstanding', async () => {
    let pulled = 0;
    function* jobs(): Generator<ScoringJob<number>> {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield { id: `job-${i}`, submission: SEED, context: i };
      }
    }
    let consumed = 0;
    let mostAhead = 0;
    for await (const _ of pool.score({ ruleSets: [GZ_2021], jobs: jobs(), chunkSize: 5, maxChunksInFlight: 2 })) {
      consumed++;
      if (consumed === 1) await new Promise((resolve) => setTimeout(resolve, 300)); // a slow reader
      mostAhead = Math.max(mostAhead, pulled - consumed);
    }
    expect(consumed).toBe(200);
    // 2 chunks of 5 in flight, plus the one being handed out: never the whole source at once.
    expect(mostAhead).toBeLessThanOrEqual(2 * 5 + 5);
  });

  it('stops reading the jobs when the caller stops early, and scores the next run cleanly', async () => {
    let closed = false;
    async function* jobs(): AsyncGenerator<ScoringJob<number>> {
      try {
        for (let i = 0; ; i++) yield { id: `job-${i}`, submission: SEED, context: i };
      } finally {
        closed = true;
      }
    }
    let seen = 0;
    for await (const _ of pool.score({ ruleSets: [GZ_2021], jobs: jobs(), chunkSize: 4 })) if (++seen === 6) break;
    expect(closed).toBe(true);
    const next = await collect(pool.score({ ruleSets: [movedBand()], jobs: jobsOf([SEED, SEED]) }));
    expect(next.map((r) => r.context).sort()).toEqual([0, 1]);
  });

  it('refuses to score once closed, and its workers have exited', async () => {
    const closing = new ScoringPool({ workers: 1 });
    await collect(closing.score({ ruleSets: [GZ_2021], jobs: jobsOf([SEED]) }));
    expect(closing.running).toBe(1);
    await closing.close();
    expect(closing.running).toBe(0);
    await expect(collect(closing.score({ ruleSets: [GZ_2021], jobs: [] }))).rejects.toMatchObject({
      code: ScoringPoolErrorCode.POOL_CLOSED,
    });
  });
});
