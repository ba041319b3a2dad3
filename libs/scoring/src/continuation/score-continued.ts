import { inLang, localized, type RuleSet, type Submission } from '@jiping/rules';
import { type CompiledRuleSet, compileRuleSet } from '../compile-rule-set';
import type { ImpactScoring } from '../impact/impact-scoring';
import type { NodeAssumption, NodeReport, ReportSimulation, ScoreReport } from '../score-report.types';
import { type ScoreOptions, scoreSubmission, scoreSubmissionSummary } from '../score-submission';
import { ScoringError } from '../scoring.error';
import { continueSubmission, type Simulation, type SimulationAssumption } from './continue-submission';

const ruleSetOf = (ruleSet: RuleSet | CompiledRuleSet): RuleSet => ('stages' in ruleSet ? ruleSet.ruleSet : ruleSet);

/**
 * Scores earlier data under a later rule set that continues its version (模拟, see continueSubmission): the report of
 * the mapped submission, with `simulation` saying what was simulated (2021年数据按2022年规则模拟), the assumed values
 * and the notes, and every leaf that read an assumed value carrying `assumed` and a 评分依据 that says so.
 *
 * Throws ScoringError CANNOT_SIMULATE when the data cannot be mapped, and what scoreSubmission throws when the mapped
 * submission does not fit the later rule set (INVALID_SUBMISSION, its pointers into the mapped submission, which
 * keeps the earlier data's paths except for renamed inputs).
 */
export async function scoreContinued(
  later: RuleSet | CompiledRuleSet,
  earlier: RuleSet,
  submission: Submission,
  options: ScoreOptions = {},
): Promise<ScoreReport> {
  return (await simulate(later, earlier, submission, options)).report;
}

/** {@link scoreContinued}, with the simulation itself (its texts in both languages) beside the report. */
export async function simulate(
  later: RuleSet | CompiledRuleSet,
  earlier: RuleSet,
  submission: Submission,
  options: ScoreOptions = {},
): Promise<{ report: ScoreReport; simulation: Simulation }> {
  const { submission: continued, simulation } = continueSubmission(ruleSetOf(later), earlier, submission);
  const report = await scoreSubmission(later, continued, options).catch((error: unknown) => {
    throw underSimulation(error, simulation);
  });
  return { report: withSimulation(report, simulation), simulation };
}

/**
 * The scores only (impact analysis): the ImpactScoring of the mapped submission on the compiled path, with the keys of
 * the assumptions it used in `assumed`. Throws what continueSubmission and scoreSubmissionSummary throw.
 */
export function scoreContinuedSummary(
  later: RuleSet | CompiledRuleSet,
  earlier: RuleSet,
  submission: Submission,
): ImpactScoring {
  const compiled = 'stages' in later ? later : compileRuleSet(later);
  const { submission: continued, simulation } = continueSubmission(compiled.ruleSet, earlier, submission);
  let scoring: ImpactScoring;
  try {
    scoring = scoreSubmissionSummary(compiled, continued);
  } catch (error) {
    throw underSimulation(error, simulation);
  }
  return simulation.assumptions.length > 0
    ? { ...scoring, assumed: simulation.assumptions.map((assumption) => assumption.key) }
    : scoring;
}

/** A scoring error of the mapped submission says that it is a simulation. */
function underSimulation(error: unknown, simulation: Simulation): unknown {
  if (!(error instanceof ScoringError)) return error;
  const { description } = simulation;
  return new ScoringError(
    error.code,
    localized(`${description.zh}：${inLang(error.text, 'zh')}`, `${description.en}: ${inLang(error.text, 'en')}`),
    error.problems,
  );
}

/** The simulation as a report carries it: in Chinese, like the rest of the report. */
export function reportSimulationOf(simulation: Simulation): ReportSimulation {
  return {
    description: simulation.description.zh,
    from: simulation.from,
    to: simulation.to,
    assumptions: simulation.assumptions.map((a) => ({
      key: a.key,
      input: a.input,
      ...(a.point && { point: a.point }),
      label: a.label,
      value: a.value,
      shown: a.shown,
      ...(a.reason && { reason: a.reason }),
      indicators: a.indicators.map((i) => i.code),
    })),
    notes: simulation.notes.map((note) => ({ kind: note.kind, code: note.code, message: note.message.zh })),
  };
}

/** The report with `simulation`, and `assumed` plus a sentence in the 评分依据 of every leaf that read an assumption. */
export function withSimulation(report: ScoreReport, simulation: Simulation): ScoreReport {
  const byLeaf = new Map<string, SimulationAssumption[]>();
  for (const assumption of simulation.assumptions) {
    for (const { code } of assumption.indicators) byLeaf.set(code, [...(byLeaf.get(code) ?? []), assumption]);
  }
  const mark = (node: NodeReport): NodeReport => {
    const assumed = node.kind === 'leaf' ? byLeaf.get(node.code) : undefined;
    const children = node.children?.map(mark);
    if (!assumed) return children ? { ...node, children } : node;
    const marks: NodeAssumption[] = assumed.map((a) => ({
      key: a.key,
      input: a.input,
      ...(a.point && { point: a.point }),
      label: a.label,
      shown: a.shown,
      ...(a.reason && { reason: a.reason }),
    }));
    return {
      ...node,
      ...(children && { children }),
      assumed: marks,
      basis: `${node.basis ?? ''}${assumptionSentence(marks)}`,
    };
  };
  return { ...report, sections: report.sections.map(mark), simulation: reportSimulationOf(simulation) };
}

/** （模拟假定：已制定数据安全管理制度按满足计，按要求开展数据安全风险评估按满足计。2022年新增指标，…） */
function assumptionSentence(marks: NodeAssumption[]): string {
  const values = marks.map((m) => `${m.point ? m.label.split(' › ').pop() : m.label}按${m.shown}计`).join('，');
  const reasons = [...new Set(marks.flatMap((m) => (m.reason ? [m.reason] : [])))].join('；');
  return `（模拟假定：${values}${reasons ? `。${reasons}` : ''}）`;
}
