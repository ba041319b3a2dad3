import fc from 'fast-check';
import { type RuleSet, type Submission, toRuleSet } from '@jiping/rules';
import {
  GZ_2021,
  loadRuleSet,
  NATIONAL_2020,
  NATIONAL_SUBMISSION,
  readJson,
  SEED_SUBMISSION,
} from '../../../../test/support/load';
import { submissionArbitrary } from '../compiled/differential.arbitraries';
import type { ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { ScoringError } from '../scoring.error';
import { continueSubmission } from './continue-submission';
import { scoreContinued } from './score-continued';

type Json = Record<string, any>;

const RUNS = 150;
const TIMEOUT = 120_000;

/**
 * A continuation with no structural change: the same indicators, inputs, methods and grades; only the year, version,
 * title and `continues` differ — `continues` naming the earlier version, possibly with `from` declarations that map
 * inputs onto themselves (which changes nothing).
 */
const continuationArb = (earlier: RuleSet) =>
  fc
    .record({
      gap: fc.integer({ min: 0, max: 3 }),
      minor: fc.integer({ min: 1, max: 9 }),
      selfMapped: fc.subarray(earlier.file.inputs.map((input) => input.id)),
    })
    .map(({ gap, minor, selfMapped }) => {
      const file = structuredClone(earlier.file) as Json;
      const year = earlier.file.fiscalYear + gap;
      Object.assign(file, {
        version: `${year}.${minor}.1`,
        fiscalYear: year,
        title: `${earlier.file.title}（${year}年度）`,
        continues: {
          id: earlier.id,
          version: earlier.version,
          fiscalYear: earlier.file.fiscalYear,
          ...(selfMapped.length > 0 && { inputs: selfMapped.map((id) => ({ id, from: id })) }),
        },
      });
      return toRuleSet(file);
    });

type Outcome = { report: ScoreReport } | { error: { code: string; problems: unknown } };

async function outcome(score: () => Promise<ScoreReport>): Promise<Outcome> {
  try {
    const { simulation: _simulation, ...report } = await score();
    return { report };
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    return { error: { code: error.code, problems: error.problems } };
  }
}

describe.each([
  ['广州 2021', GZ_2021, SEED_SUBMISSION],
  ['national 2020', NATIONAL_2020, NATIONAL_SUBMISSION],
])('a continuation of %s with no structural change', (_name, rules, base) => {
  const earlier = loadRuleSet(rules);
  const submissions = submissionArbitrary(earlier, readJson(base) as Json);

  it(
    'scores earlier data exactly as the same data relabelled with its year (or refuses it the same way)',
    async () => {
      await fc.assert(
        fc.asyncProperty(continuationArb(earlier), submissions, async (later, submission) => {
          const simulated = await outcome(() => scoreContinued(later, earlier, submission as Submission));
          const relabelled = await outcome(() =>
            scoreSubmission(later, { ...submission, fiscalYear: later.file.fiscalYear }),
          );
          expect(simulated).toEqual(relabelled);
        }),
        { numRuns: RUNS, seed: 2022 },
      );
    },
    TIMEOUT,
  );

  it(
    'assumes nothing and drops nothing',
    () => {
      fc.assert(
        fc.property(continuationArb(earlier), (later) => {
          const { simulation } = continueSubmission(later, earlier, readJson(base) as Submission);
          expect(simulation.assumptions).toEqual([]);
          expect(simulation.notes).toEqual([]);
        }),
        { numRuns: 30, seed: 2022 },
      );
    },
    TIMEOUT,
  );
});
