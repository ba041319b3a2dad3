import {
  type DeclaredNode,
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  type RoundingMode,
  type RuleSet,
} from '@jiping/rules';
import { renderBasis } from './basis';
import {
  type CompiledLeaf,
  type CompiledRuleSet,
  type CompiledStage,
  compileRuleSet,
  metricFact,
} from './compile-rule-set';
import type { FactReader } from './compiled/compile-condition';
import {
  compiledStageRulesOf,
  type CompiledStageRules,
  decideStage,
  type StageDecision,
} from './compiled/compile-stage-rules';
import { D, HUNDRED, roundTo, ZERO } from './decimal';
import { evaluateFormula, UndefinedMetric } from './formula-evaluator';
import { gradeFor } from './grade-for';
import { type LeafMetric, type LeafOutcome, methodFor, scoreTarget } from './methods';
import type { TargetOutcome } from './methods/target.method';
import { describeTarget } from './methods/target.method';
import type {
  BudgetHeaderReport,
  LostPoints,
  MetricReport,
  NodeReport,
  NodeStatus,
  ScoreReport,
} from './score-report.types';
import { ScoringError, ScoringErrorCode } from './scoring.error';
import type { ParsedDeclaredIndicator, ParsedSubmission } from './submission/parsed-submission';
import { parseSubmission } from './submission/validate-submission';
import { ENGINE_VERSION } from './version';

/** Which path scores: the compiled closures (the default) or json-rules-engine, the reference semantics. */
export interface ScoreOptions {
  /**
   * `compiled` (default): the rule set's conditions as synchronous closures (libs/scoring/src/compiled), proven
   * equal to json-rules-engine by the differential test; a rule set whose conditions cannot be compiled (a
   * JSONPath `path`) falls back to json-rules-engine. `json-rules-engine`: force the reference path.
   */
  engine?: 'compiled' | 'json-rules-engine';
}

/**
 * Scores a submission under a rule set: validates it against the declared inputs and targets (throwing
 * ScoringError INVALID_SUBMISSION with every problem), then scores every leaf, sums parents, and grades the total.
 * The compiled rule set is cached by checksum. The conditions are decided by compiled closures unless
 * `{ engine: 'json-rules-engine' }` asks for json-rules-engine (each call on its own pooled Engine); both give
 * the same report (docs/performance.md, "which path serves which endpoint").
 */
export async function scoreSubmission(
  ruleSet: RuleSet | CompiledRuleSet,
  submission: unknown,
  options: ScoreOptions = {},
): Promise<ScoreReport> {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const rules = options.engine === 'json-rules-engine' ? undefined : compiledStageRulesOf(compiled);
  const scorer = new SubmissionScorer(compiled, parseOrThrow(compiled, submission));
  return rules ? scorer.scoreCompiled(rules) : scorer.scoreWithEngine();
}

/**
 * The compiled path, synchronously: the same report as {@link scoreSubmission}, with no promise on the way —
 * for loops that score many submissions (impact analysis, headroom search, batch workers). Throws ScoringError
 * ENGINE_FAILURE for a rule set whose conditions cannot be compiled; score those with scoreSubmission.
 */
export function scoreSubmissionSync(ruleSet: RuleSet | CompiledRuleSet, submission: unknown): ScoreReport {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const rules = compiledStageRulesOf(compiled);
  if (!rules) {
    throw new ScoringError(
      ScoringErrorCode.ENGINE_FAILURE,
      `rule set ${compiled.ruleSet.id}@${compiled.ruleSet.version} has conditions the compiled path cannot run (JSONPath); score it with scoreSubmission`,
    );
  }
  return new SubmissionScorer(compiled, parseOrThrow(compiled, submission)).scoreCompiled(rules);
}

function parseOrThrow(compiled: CompiledRuleSet, submission: unknown): ParsedSubmission {
  const { problems, parsed } = parseSubmission(compiled.ruleSet, submission);
  if (!parsed) {
    throw new ScoringError(
      ScoringErrorCode.INVALID_SUBMISSION,
      `the submission does not fit rule set ${compiled.ruleSet.id}@${compiled.ruleSet.version}: ${problems.length} problem(s)`,
      problems,
    );
  }
  return parsed;
}

type StageMetric = (LeafMetric & { computed: D }) | UndefinedMetric | undefined;

interface LeafResult {
  outcome: LeafOutcome;
  metric?: LeafMetric & { computed: D };
  status: NodeStatus;
  places: number;
}
interface TargetResult {
  indicator: ParsedDeclaredIndicator;
  outcome: TargetOutcome;
}

class SubmissionScorer {
  private readonly mode: RoundingMode;
  private readonly leafResults = new Map<string, LeafResult>();
  private readonly targetResults = new Map<string, TargetResult[]>();
  private readonly fired: string[] = [];
  private readonly notFired: string[] = [];

  constructor(
    private readonly compiled: CompiledRuleSet,
    private readonly submission: ParsedSubmission,
  ) {
    this.mode = compiled.ruleSet.file.rounding.mode;
  }

  /** The reference path: each stage's conditions decided by json-rules-engine. */
  async scoreWithEngine(): Promise<ScoreReport> {
    this.scoreTargets();
    for (const stage of this.compiled.stages) {
      const metrics = this.stageMetrics(stage);
      let decision: StageDecision = { fired: [], notFired: [] };
      if (stage.engines) {
        const facts = this.facts();
        for (const [fact, value] of this.metricFacts(metrics)) facts[fact] = value === null ? null : value.toFixed();
        const result = await stage.engines.run(facts);
        // json-rules-engine lists rules as their promises settle; the trace lists them in rule-set order
        const fired = new Set(result.results.map((r) => r.name));
        const notFired = new Set(result.failureResults.map((r) => r.name));
        decision = {
          fired: stage.ruleNames.filter((name) => fired.has(name)),
          notFired: stage.ruleNames.filter((name) => notFired.has(name)),
        };
      }
      this.scoreStage(stage, metrics, decision);
    }
    return this.buildReport();
  }

  /** The compiled path: each stage's conditions decided by synchronous closures. */
  scoreCompiled(rules: CompiledStageRules[]): ScoreReport {
    this.scoreTargets();
    this.compiled.stages.forEach((stage, i) => {
      const metrics = this.stageMetrics(stage);
      const decision = decideStage(rules[i], this.factReader(this.metricFacts(metrics)));
      if ('undefinedFact' in decision) {
        throw new ScoringError(
          ScoringErrorCode.ENGINE_FAILURE,
          `json-rules-engine failed: Undefined fact: ${decision.undefinedFact}`,
        );
      }
      this.scoreStage(stage, metrics, decision);
    });
    return this.buildReport();
  }

  private stageMetrics(stage: CompiledStage): Map<string, StageMetric> {
    return new Map(stage.leaves.map((leaf) => [leaf.leaf.code, this.metricOf(leaf)]));
  }

  /** Each leaf's metric as the fact its conditions read (the absolute value for bands `of: abs`; null if undefined). */
  private metricFacts(metrics: Map<string, StageMetric>): Map<string, D | null> {
    const facts = new Map<string, D | null>();
    for (const [code, metric] of metrics) {
      const leaf = this.compiled.leaves.get(code)!;
      const value =
        metric instanceof UndefinedMetric || !metric
          ? null
          : leaf.leaf.method.type === 'bands' && leaf.leaf.method.of === 'abs'
            ? metric.value.abs()
            : metric.value;
      facts.set(metricFact(code), value);
    }
    return facts;
  }

  private scoreStage(stage: CompiledStage, metrics: Map<string, StageMetric>, decision: StageDecision): void {
    this.fired.push(...decision.fired);
    this.notFired.push(...decision.notFired);
    const fired = new Set(decision.fired);
    for (const leaf of stage.leaves)
      this.leafResults.set(leaf.leaf.code, this.scoreLeaf(leaf, metrics.get(leaf.leaf.code), fired));
  }

  private buildReport(): ScoreReport {
    const file = this.compiled.ruleSet.file;
    const sections = file.indicators.map((node) => this.report(node, 1));
    const sum = sections.reduce((s, n) => s.add(n.score), ZERO);
    const total = roundTo(sum, file.rounding.totalPlaces, this.mode);
    const grade = gradeFor(total, file.grades);
    return {
      reportVersion: '1',
      ruleSet: {
        id: this.compiled.ruleSet.id,
        version: this.compiled.ruleSet.version,
        title: file.title,
        checksum: this.compiled.ruleSet.checksum,
      },
      engine: { name: 'jiping', version: ENGINE_VERSION },
      department: this.submission.department,
      fiscalYear: this.submission.fiscalYear,
      overview: this.submission.overview,
      header: this.header(),
      sections,
      total: total.toFixed(file.rounding.totalPlaces),
      maxTotal: file.total,
      grade: grade.label,
      gradeCode: grade.code,
      lostPoints: lostPoints(sections),
      trace: { fired: this.fired, notFired: this.notFired },
    };
  }

  private round(places: number): (value: D) => D {
    return (value) => roundTo(value, places, this.mode);
  }

  private scoreTargets(): void {
    for (const [code, goals] of this.submission.declared) {
      const spec = this.compiled.declared.get(code)!.declared;
      const places = this.compiled.ruleSet.file.rounding.scorePlaces;
      const results = goals.flatMap((goal) =>
        goal.indicators.map((indicator) => ({
          indicator,
          outcome: scoreTarget(indicator, spec, this.round(places), (v) => v.toFixed(places)),
        })),
      );
      this.targetResults.set(code, results);
    }
  }

  /** Inputs as json-rules-engine facts: numbers as decimal strings, checklists as point → met. */
  private facts(): Record<string, unknown> {
    const s = this.submission;
    const facts: Record<string, unknown> = {};
    for (const [id, value] of s.numbers) facts[id] = value.toFixed();
    for (const [id, value] of s.booleans) facts[id] = value;
    for (const [id, value] of s.texts) facts[id] = value;
    for (const [id, points] of s.checklists) facts[id] = Object.fromEntries([...points].map(([p, v]) => [p, v.met]));
    for (const [id, judgment] of s.judgments)
      facts[id] = { score: judgment.score.toFixed(), tier: judgment.tier ?? null };
    return facts;
  }

  /**
   * The facts as the compiled conditions read them: what {@link facts} gives json-rules-engine (the later kind
   * wins, as there), numbers left as Decimals; the stage's metric facts first.
   */
  private factReader(metricFacts: Map<string, D | null>): FactReader {
    const s = this.submission;
    return (id) => {
      if (metricFacts.has(id)) return metricFacts.get(id);
      const judgment = s.judgments.get(id);
      if (judgment) return { score: judgment.score.toFixed(), tier: judgment.tier ?? null };
      const points = s.checklists.get(id);
      if (points) return Object.fromEntries([...points].map(([p, v]) => [p, v.met]));
      return s.texts.get(id) ?? s.booleans.get(id) ?? s.numbers.get(id);
    };
  }

  private metricOf(compiled: CompiledLeaf): StageMetric {
    const { leaf, formula } = compiled;
    if (!leaf.metric || !formula) return undefined;
    const inputs = this.compiled.inputs;
    try {
      const value = evaluateFormula(formula, {
        input: (id) => {
          const number = this.submission.numbers.get(id)!;
          return inputs.get(id)!.type === 'percent' ? number.div(HUNDRED) : number;
        },
        targetsMet: (section) => new D((this.targetResults.get(section) ?? []).filter((r) => r.outcome.met).length),
        targetsDeclared: (section) => new D((this.targetResults.get(section) ?? []).length),
        score: (code) => this.scoreOf(code),
      });
      const percent = leaf.metric.unit === 'percent';
      const places = leaf.metric.places ?? (percent ? this.compiled.ruleSet.file.rounding.ratePlaces : 2);
      const computed = percent ? value.mul(HUNDRED) : value;
      const rounded = roundTo(computed, places, this.mode);
      const suffix = percent ? '%' : '';
      return { computed, value: rounded, shown: rounded.toFixed(places) + suffix, unit: leaf.metric.unit, suffix };
    } catch (error) {
      if (error instanceof UndefinedMetric) return error;
      throw error;
    }
  }

  /** The score of an already scored indicator (leaf, group or declared section). */
  private scoreOf(code: string): D {
    const scoreOfPart = (part: string): D => {
      const targets = this.targetResults.get(part);
      if (targets) return targets.reduce((s, r) => s.add(r.outcome.score), ZERO);
      return this.leafResults.get(part)!.outcome.score;
    };
    return (this.compiled.leavesUnder.get(code) ?? []).reduce((s, part) => s.add(scoreOfPart(part)), ZERO);
  }

  private scoreLeaf(
    compiled: CompiledLeaf,
    metric: ReturnType<SubmissionScorer['metricOf']>,
    fired: Set<string>,
  ): LeafResult {
    const { leaf, weight, places } = compiled;
    const round = this.round(places);
    const show = (value: D): string => value.toFixed(places);
    if (compiled.appliesRule && !fired.has(compiled.appliesRule)) {
      const score = leaf.applies!.otherwise === 'full' ? round(weight) : round(ZERO);
      return {
        places,
        status: 'not-applicable',
        outcome: {
          score,
          calc: `不适用：${leaf.applies!.reason}，得${show(score)}分`,
          rule: compiled.appliesRule,
          description: leaf.applies!.reason,
        },
      };
    }
    if (metric instanceof UndefinedMetric) {
      throw new ScoringError(
        ScoringErrorCode.METRIC_UNDEFINED,
        `"${leaf.name}" (${leaf.code}): its metric ${leaf.metric!.formula} is undefined for this submission (${metric.reason})`,
        compiled.formulaInputs.map((id) => ({ pointer: `/inputs/${id}`, message: `${leaf.name}的计算公式除数为零` })),
      );
    }
    if (compiled.vetoRule && fired.has(compiled.vetoRule)) {
      const score = round(ZERO);
      return {
        places,
        metric,
        status: 'vetoed',
        outcome: {
          score,
          calc: `${leaf.veto!.reason}，不得分`,
          rule: compiled.vetoRule,
          description: leaf.veto!.reason,
          lostReason: leaf.veto!.reason,
        },
      };
    }
    let band;
    if (compiled.bands) {
      const decided = compiled.bands.map((b, index) => ({ ...b, index })).filter((b) => fired.has(b.rule));
      if (decided.length !== 1) {
        throw new ScoringError(
          ScoringErrorCode.AMBIGUOUS_DECISION,
          `"${leaf.name}" (${leaf.code}): ${decided.length} bands matched metric ${metric?.shown}; exactly one must`,
        );
      }
      band = decided[0];
    }
    const outcome = methodFor(leaf.method).score(leaf.method, {
      leaf,
      weight,
      metric,
      band,
      submission: this.submission,
      round,
      show,
      input: (id) => this.compiled.inputs.get(id)!,
      mode: this.mode,
    });
    const status: NodeStatus =
      outcome.status ?? (outcome.score.gte(weight) ? 'full' : outcome.score.isZero() ? 'zero' : 'partial');
    return { outcome, metric, status, places };
  }

  private report(node: IndicatorNode, level: number): NodeReport {
    if (isDeclaredNode(node)) return this.declaredReport(node, level);
    if (isGroupNode(node)) {
      const children = node.children.map((child) => this.report(child, level + 1));
      return groupReport(node.code, node.name, level, 'group', node.weight, children, node.explanation);
    }
    const compiled = this.compiled.leaves.get(node.code)!;
    const result = this.leafResults.get(node.code)!;
    const { outcome, metric, places } = result;
    const weight = compiled.weight;
    const max = node.method.type === 'count-adjust' ? new D(node.method.positive.cap) : weight;
    const lost = D.max(ZERO, max.sub(outcome.score));
    const figures: Record<string, string> = { ...outcome.figures };
    for (const id of compiled.formulaInputs) {
      const spec = this.compiled.inputs.get(id)!;
      const unit =
        spec.type === 'money'
          ? spec.unit
          : spec.type === 'percent'
            ? '%'
            : spec.type === 'count'
              ? (spec.unit ?? '')
              : '';
      figures[spec.label] = this.submission.numberTexts.get(id)! + unit;
    }
    const [targetsSection] = compiled.formulaSections;
    const template = result.status === 'not-applicable' || result.status === 'vetoed' ? undefined : node.basis;
    const basis = renderBasis(template, {
      calc: outcome.calc,
      metric: metric?.shown,
      score: outcome.score.toFixed(places),
      weight: node.weight,
      evidence: this.submission.evidence.get(node.code),
      values: (key) => {
        if (key === 'targetsMet' || key === 'targetsDeclared') {
          const results = this.targetResults.get(targetsSection ?? '') ?? [];
          return String(key === 'targetsMet' ? results.filter((r) => r.outcome.met).length : results.length);
        }
        return this.submission.numberTexts.get(key) ?? this.submission.texts.get(key);
      },
    });
    return {
      code: node.code,
      name: node.name,
      level,
      kind: 'leaf',
      weight: node.weight,
      max: max.toFixed(),
      score: outcome.score.toFixed(places),
      lost: lost.toFixed(places),
      status: result.status,
      explanation: node.explanation,
      method: node.method.type,
      metric: metric ? metricReport(compiled, metric) : undefined,
      decision: { rule: outcome.rule, description: outcome.description },
      figures: Object.keys(figures).length > 0 ? figures : undefined,
      calc: outcome.calc,
      basis,
      lostReason: lost.gt(0) ? (outcome.lostReason ?? `扣${lost.toFixed(places)}分`) : undefined,
    };
  }

  private declaredReport(node: DeclaredNode, level: number): NodeReport {
    const spec = node.declared;
    const places = this.compiled.ruleSet.file.rounding.scorePlaces;
    const goals = this.submission.declared.get(node.code) ?? [];
    const results = new Map((this.targetResults.get(node.code) ?? []).map((r) => [r.indicator.code, r.outcome]));
    const targetReport = (indicator: ParsedDeclaredIndicator, targetLevel: number): NodeReport => {
      const outcome = results.get(indicator.code)!;
      const lost = indicator.weight.sub(outcome.score);
      const evidence = this.submission.evidence.get(indicator.code);
      const lead = outcome.met ? (spec.basisMet ?? '已完成年度指标值') : (spec.basisUnmet ?? '未完成年度指标值');
      return {
        code: indicator.code,
        name: indicator.name,
        level: targetLevel,
        kind: 'target',
        weight: indicator.weight.toFixed(),
        max: indicator.weight.toFixed(),
        score: outcome.score.toFixed(places),
        lost: lost.toFixed(places),
        status: outcome.score.gte(indicator.weight) ? 'full' : outcome.score.isZero() ? 'zero' : 'partial',
        explanation: indicator.description,
        method: 'target',
        decision: { rule: outcome.rule, description: outcome.description },
        figures: outcome.figures,
        calc: outcome.calc,
        basis: renderBasis(undefined, {
          calc: `${lead}：${outcome.calc}`,
          score: outcome.score.toFixed(places),
          weight: indicator.weight.toFixed(),
          evidence,
          values: () => undefined,
        }),
        lostReason: lost.gt(0) ? outcome.lostReason : undefined,
        target: {
          kind: indicator.kind,
          comparator: indicator.comparator,
          target: indicator.kind === 'qualitative' ? indicator.target : describeTarget(indicator),
          targetMax: indicator.targetMax?.toFixed(),
          unit: indicator.unit,
          actual: indicator.actualRaw,
          actualText: indicator.actualText,
          tier: indicator.tier,
          met: outcome.met,
        },
      };
    };
    const children =
      spec.levels === 2
        ? goals.map((goal) =>
            groupReport(
              goal.code,
              goal.name,
              level + 1,
              'declared-goal',
              goal.weight.toFixed(),
              goal.indicators.map((i) => targetReport(i, level + 2)),
            ),
          )
        : goals.flatMap((goal) => goal.indicators.map((i) => targetReport(i, level + 1)));
    return groupReport(node.code, node.name, level, 'declared-section', node.weight, children, node.explanation);
  }

  private header(): BudgetHeaderReport | undefined {
    const spec = this.compiled.ruleSet.file.budgetHeader;
    const budget = this.submission.budget;
    if (!spec || !budget) return undefined;
    const places = this.compiled.ruleSet.file.rounding.ratePlaces;
    const rate = (executed: D, budgeted: D): string =>
      budgeted.isZero() ? '-' : roundTo(executed.mul(HUNDRED).div(budgeted), places, this.mode).toFixed(places) + '%';
    const columns = spec.breakdowns.flatMap((breakdown) =>
      breakdown.columns.map((column) => {
        const { budgeted, executed } = budget.columns.get(column.code)!;
        return {
          code: column.code,
          label: column.label,
          breakdown: breakdown.label,
          budgeted: budgeted.toFixed(2),
          executed: executed.toFixed(2),
          rate: rate(executed, budgeted),
        };
      }),
    );
    const first = spec.breakdowns[0].columns.map((c) => budget.columns.get(c.code)!);
    const totalBudgeted = first.reduce((s, c) => s.add(c.budgeted), ZERO);
    const totalExecuted = first.reduce((s, c) => s.add(c.executed), ZERO);
    return {
      unit: spec.unit,
      columns,
      totalBudgeted: totalBudgeted.toFixed(2),
      totalExecuted: totalExecuted.toFixed(2),
      totalRate: rate(totalExecuted, totalBudgeted),
    };
  }
}

function metricReport(compiled: CompiledLeaf, metric: LeafMetric & { computed: D }): MetricReport {
  const spec = compiled.leaf.metric!;
  return {
    label: spec.label ?? compiled.leaf.name,
    formula: spec.formula,
    unit: spec.unit,
    computed: metric.computed.toFixed(),
    value: metric.value.toFixed(),
    shown: metric.shown,
  };
}

const placesOf = (text: string): number => (text.includes('.') ? text.split('.')[1].length : 0);

/**
 * A parent's score is the exact sum of its children's rounded scores, never rounded again. It is shown with as
 * many decimals as its least precise child, more where the sum needs them (13.932, 50.00, 2.5).
 */
function groupReport(
  code: string,
  name: string,
  level: number,
  kind: NodeReport['kind'],
  weight: string,
  children: NodeReport[],
  explanation?: string,
): NodeReport {
  const score = children.reduce((s, c) => s.add(c.score), ZERO);
  const max = children.reduce((s, c) => s.add(c.max), ZERO);
  const places = Math.max(Math.min(...children.map((c) => placesOf(c.score))), score.decimalPlaces());
  const lost = D.max(ZERO, max.sub(score));
  const statuses = new Set(children.map((c) => c.status));
  const status: NodeStatus = lost.isZero() ? 'full' : score.isZero() ? 'zero' : 'partial';
  return {
    code,
    name,
    level,
    kind,
    weight,
    max: max.toFixed(),
    score: score.toFixed(places),
    lost: lost.toFixed(Math.max(places, lost.decimalPlaces())),
    status: statuses.size === 1 && statuses.has('not-applicable') ? 'not-applicable' : status,
    explanation,
    children,
  };
}

/** Every leaf and target that lost points, the largest loss first (扣分原因). */
function lostPoints(sections: NodeReport[]): LostPoints[] {
  const found: LostPoints[] = [];
  const walk = (node: NodeReport): void => {
    if (node.children) node.children.forEach(walk);
    else if (new D(node.lost).gt(0))
      found.push({ code: node.code, name: node.name, lost: node.lost, reason: node.lostReason ?? '' });
  };
  sections.forEach(walk);
  return found.sort((a, b) => new D(b.lost).cmp(a.lost));
}
