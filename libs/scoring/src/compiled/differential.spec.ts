import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { type RuleFile, toRuleSet } from '@jiping/rules';
import {
  GZ_2021,
  LANGFANG_2019,
  LANGFANG_SUBMISSION,
  loadRuleSet,
  NATIONAL_2020,
  NATIONAL_SUBMISSION,
  readJson,
  SEED_SUBMISSION,
} from '../../../../test/support/load';
import { compileRuleSet } from '../compile-rule-set';
import type { ScoreReport } from '../score-report.types';
import { impactScoringOf } from '../impact/impact-scoring';
import { scoreSubmission, scoreSubmissionSummary, scoreSubmissionSync } from '../score-submission';
import { ScoringError } from '../scoring.error';
import { compiledStageRulesOf } from './compile-stage-rules';
import { submissionArbitrary } from './differential.arbitraries';

/** Submissions per shipped rule file, each scored by both paths. */
const RUNS = 10_000;

type Outcome =
  | { report: ScoreReport }
  | { error: { name: string; code?: string; message: string; problems?: unknown } };

const outcomeOf = (score: () => ScoreReport): Outcome => {
  try {
    return { report: score() };
  } catch (error) {
    return { error: errorOf(error) };
  }
};
const errorOf = (error: unknown) =>
  error instanceof ScoringError
    ? { name: error.name, code: error.code, message: error.message, problems: error.problems }
    : { name: (error as Error).name, message: (error as Error).message };

/**
 * Every shipped rule file (rules/**.json but the schema and the lock) with a base submission it accepts. 廊坊 2019
 * has no condition (no bands, applies or veto) and whole-point totals: fewer submissions say as much there.
 */
const SHIPPED = [
  { file: GZ_2021, base: SEED_SUBMISSION, seed: 2021, runs: RUNS },
  { file: NATIONAL_2020, base: NATIONAL_SUBMISSION, seed: 2020, runs: RUNS },
  { file: LANGFANG_2019, base: LANGFANG_SUBMISSION, seed: 2019, runs: 2_000 },
];

describe.each(SHIPPED)('the compiled path on $file', ({ file, base, seed, runs }) => {
  const compiled = compileRuleSet(loadRuleSet(file));
  const submissions = fc.sample(submissionArbitrary(compiled.ruleSet, readJson(base) as Record<string, unknown>), {
    numRuns: runs,
    seed,
  });

  it('compiles every condition of the rule set', () => {
    expect(compiledStageRulesOf(compiled)).toBeDefined();
  });

  it(`gives json-rules-engine's report or error, and the same scores in summary, for each of ${runs} generated submissions`, async () => {
    const differing: number[] = [];
    const summaryDiffering: number[] = [];
    const reports: ScoreReport[] = [];
    let invalid = 0;
    for (let i = 0; i < submissions.length; i++) {
      const fast = outcomeOf(() => scoreSubmissionSync(compiled, submissions[i]));
      const reference = await scoreSubmission(compiled, submissions[i], { engine: 'json-rules-engine' }).then(
        (report): Outcome => ({ report }),
        (error: unknown): Outcome => ({ error: errorOf(error) }),
      );
      // isDeepStrictEqual: ten thousand toEqual calls on full reports would dominate the test's time
      if (!isDeepStrictEqual(fast, reference)) differing.push(i);
      // the summary (batch and impact scoring, no report texts) is read off the same scoring
      let summary: unknown;
      try {
        summary = scoreSubmissionSummary(compiled, submissions[i]);
      } catch (error) {
        summary = { error: errorOf(error) };
      }
      if (!isDeepStrictEqual(summary, 'report' in fast ? impactScoringOf(fast.report) : fast)) summaryDiffering.push(i);
      if ('report' in reference) reports.push(reference.report);
      else invalid++;
    }
    // the first differing submission, shown whole, then the count
    const first = differing.length > 0 ? submissions[differing[0]] : submissions[0];
    expect(outcomeOf(() => scoreSubmissionSync(compiled, first))).toEqual(
      await scoreSubmission(compiled, first, { engine: 'json-rules-engine' }).then(
        (report): Outcome => ({ report }),
        (error: unknown): Outcome => ({ error: errorOf(error) }),
      ),
    );
    expect(differing).toEqual([]);
    expect(summaryDiffering).toEqual([]);

    // The sample is worth comparing: mostly valid, some invalid, many distinct decisions and totals.
    expect(invalid).toBeGreaterThan(runs / 200);
    expect(reports.length).toBeGreaterThan(runs / 2);
    // distinct totals: a tenth of the sample, or half of the totals there are when they are whole points
    const totalPlaces = compiled.ruleSet.file.rounding.totalPlaces;
    expect(new Set(reports.map((r) => r.total)).size).toBeGreaterThan(Math.min(runs / 10, 50 * 10 ** totalPlaces));
    const decisions = new Set(reports.map((r) => r.trace.fired.join()));
    const ruleCount = compiled.stages.reduce((n, s) => n + s.ruleNames.length, 0);
    expect(decisions.size).toBeGreaterThan(ruleCount > 0 ? 50 : 0);
  }, 180_000);
});

describe('edges of the 广州 2021 sample', () => {
  const compiled = compileRuleSet(loadRuleSet(GZ_2021));
  const submissions = fc.sample(
    submissionArbitrary(compiled.ruleSet, readJson(SEED_SUBMISSION) as Record<string, unknown>),
    {
      numRuns: 2_000,
      seed: 2021,
    },
  );

  it('puts banded metrics exactly on their thresholds, zeros included', () => {
    const onEdge = new Map<string, number>();
    for (const submission of submissions) {
      let report: ScoreReport;
      try {
        report = scoreSubmissionSync(compiled, submission);
      } catch {
        continue;
      }
      const walk = (node: ScoreReport['sections'][number]): void => {
        node.children?.forEach(walk);
        if (node.method === 'bands' && node.metric) {
          const value = node.metric.value.replace(/^-/, '');
          if (['0', '5', '10', '20', '60', '70', '80', '90'].includes(value))
            onEdge.set(`${node.code}@${value}`, (onEdge.get(`${node.code}@${value}`) ?? 0) + 1);
        }
      };
      report.sections.forEach(walk);
    }
    const expected = [
      'revenue-budget-variance@5',
      'revenue-budget-variance@10',
      'revenue-budget-variance@20',
      'average-execution-rate@70',
      'average-execution-rate@80',
      'average-execution-rate@90',
      'fixed-asset-utilization@60',
      'fixed-asset-utilization@70',
      'fixed-asset-utilization@80',
      'fixed-asset-utilization@90',
      'fixed-asset-utilization@0',
    ];
    expect(expected.filter((key) => !onEdge.has(key))).toEqual([]);
  });
});

/**
 * The rule set's vetoes and caps (RuleFile.vetoes) read every kind of fact — inputs, the total, scores of leaves,
 * groups and declared sections, metrics, statuses, target counts — through all, any, not and the exact operators;
 * both paths must decide them alike, and every veto must hold for some generated submissions and not for others.
 */
describe('the compiled path on 广州 2021 with vetoes and caps', () => {
  const file: RuleFile = {
    ...(readJson(GZ_2021) as RuleFile),
    version: '2021.9.0',
    vetoes: [
      {
        code: 'violations',
        when: { all: [{ fact: 'violations', operator: 'decimalGreaterThanInclusive', value: '2' }] },
        setGrade: 'poor',
        reason: '通报批评2次及以上',
      },
      {
        code: 'procurement-or-assets',
        when: {
          any: [
            { fact: 'metric:procurement-execution-rate', operator: 'decimalLessThan', value: '80' },
            { fact: 'score:asset-management', operator: 'decimalLessThanInclusive', value: '3' },
            { fact: 'status:fixed-asset-utilization', operator: 'in', value: ['zero'] },
          ],
        },
        maxGrade: 'good',
        reason: '采购或资产管理较差',
      },
      {
        code: 'total-cap',
        when: {
          all: [
            { fact: 'total', operator: 'decimalGreaterThan', value: '50' },
            { not: { fact: 'status:result-application', operator: 'equal', value: 'full' } },
          ],
        },
        maxTotal: '50',
        reason: '绩效结果应用未得满分',
      },
      {
        code: 'targets',
        when: {
          any: [
            { fact: 'targetsMet:performance', operator: 'decimalLessThan', value: '5' },
            { fact: 'score:performance', operator: 'decimalLessThan', value: '20' },
            { fact: 'metric:revenue-budget-variance', operator: 'decimalGreaterThan', value: '60' },
          ],
        },
        maxGrade: 'fair',
        reason: '履职效能较差',
      },
    ],
  };
  const compiled = compileRuleSet(toRuleSet(file));
  const submissions = fc.sample(
    submissionArbitrary(compiled.ruleSet, readJson(SEED_SUBMISSION) as Record<string, unknown>),
    {
      numRuns: 3_000,
      seed: 2022,
    },
  );

  it("gives json-rules-engine's report or error, and the same summary, and each veto both holds and does not", async () => {
    expect(compiledStageRulesOf(compiled)).toHaveLength(compiled.stages.length + 1);
    const differing: number[] = [];
    const held = new Map<string, number>();
    let reports = 0;
    for (let i = 0; i < submissions.length; i++) {
      const fast = outcomeOf(() => scoreSubmissionSync(compiled, submissions[i]));
      const reference = await scoreSubmission(compiled, submissions[i], { engine: 'json-rules-engine' }).then(
        (report): Outcome => ({ report }),
        (error: unknown): Outcome => ({ error: errorOf(error) }),
      );
      let summary: unknown;
      try {
        summary = scoreSubmissionSummary(compiled, submissions[i]);
      } catch (error) {
        summary = { error: errorOf(error) };
      }
      if (!isDeepStrictEqual(fast, reference)) differing.push(i);
      if (!isDeepStrictEqual(summary, 'report' in fast ? impactScoringOf(fast.report) : fast)) differing.push(i);
      if ('report' in reference) {
        reports++;
        for (const veto of reference.report.vetoes ?? []) held.set(veto.code, (held.get(veto.code) ?? 0) + 1);
      }
    }
    expect(differing).toEqual([]);
    // how many reports each veto held for: some, never all
    const counts = ['violations', 'procurement-or-assets', 'total-cap', 'targets'].map((code) => [
      code,
      held.get(code) ?? 0,
    ]);
    expect(counts.filter(([, n]) => (n as number) < reports / 100 || n === reports)).toEqual([]);
  }, 180_000);
});
