import { type InputSpec, localized, parseVetoFact, type VetoFact } from '@jiping/rules';
import { type CompiledLeaf, type CompiledRuleSet, type CompiledStage, vetoRuleName } from '../compile-rule-set';
import type { FactReader, FactValue } from '../compiled/compile-condition';
import { type CompiledStageRules, decideStage, type StageDecision } from '../compiled/compile-stage-rules';
import { D, HUNDRED, roundTo, ZERO, fixed } from '../decimal';
import { type FormulaScope, UndefinedMetric } from '../formula-evaluator';
import { type DecidedBand, type LeafMetric, type LeafOutcome, methodFor, scoreTarget } from '../methods';
import type { TargetOutcome } from '../methods/target.method';
import type { NodeStatus } from '../score-report.types';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { type NotApplicableTree, notApplicableTree } from './not-applicable-tree';
import type { ParsedDeclaredIndicator, ParsedSubmission } from '../submission/parsed-submission';

/** A leaf's metric: computed at full precision, rounded to its display precision, shown on demand. */
export class ScoredMetric implements LeafMetric {
  private text?: string;

  constructor(
    /** Full precision (a percent in percentage points). */
    readonly computed: D,
    /** Rounded to the display precision: what is scored. */
    readonly value: D,
    readonly unit: 'percent' | 'number',
    readonly suffix: '%' | '',
    private readonly places: number,
  ) {}

  get shown(): string {
    return (this.text ??= fixed(this.value, this.places) + this.suffix);
  }
}

export interface LeafResult {
  outcome: LeafOutcome;
  metric?: ScoredMetric;
  status: NodeStatus;
}

export interface TargetResult {
  indicator: ParsedDeclaredIndicator;
  outcome: TargetOutcome;
}

/**
 * A submission scored: every leaf's and declared target's outcome, and the rules that fired — numbers only. The
 * report (build-report.ts) and the summary (summarize.ts) are both read off it; neither computes a score.
 */
export interface ScoredSubmission {
  compiled: CompiledRuleSet;
  submission: ParsedSubmission;
  leaves: Map<string, LeafResult>;
  /** Each declared section's targets, in declaration order. */
  targets: Map<string, TargetResult[]>;
  fired: string[];
  notFired: string[];
  /** The total the scores give: the sum of every leaf and target, rounded to the total's places (before any cap). */
  scoredTotal: D;
  /** When the rule set lets a department mark indicators 不适用: every node's figures and the total, redistributed. */
  tree?: NotApplicableTree;
  /** The codes of the rule set's vetoes and caps whose condition held, in the rule set's order (veto-outcome.ts). */
  vetoes: string[];
}

type StageMetric = ScoredMetric | UndefinedMetric | undefined;

/**
 * Scores one parsed submission under a compiled rule set: the declared targets first, then the leaves stage by stage
 * (a stage's conditions decided by json-rules-engine or by the compiled closures), each by its method.
 */
export class SubmissionScorer {
  private readonly leaves = new Map<string, LeafResult>();
  private readonly targets = new Map<string, TargetResult[]>();
  private readonly fired: string[] = [];
  private readonly notFired: string[] = [];
  private readonly vetoes: string[] = [];
  private scoredTotal: D = ZERO;
  private tree?: NotApplicableTree;
  /** What the formulas read: inputs, counts of targets met/declared, scores of already scored indicators. */
  private readonly scope: FormulaScope;
  private readonly inputSpec: (id: string) => InputSpec;

  constructor(
    private readonly compiled: CompiledRuleSet,
    private readonly submission: ParsedSubmission,
  ) {
    this.scope = {
      input: (id) => {
        const number = submission.numbers.get(id)!;
        return compiled.inputs.get(id)!.type === 'percent' ? number.div(HUNDRED) : number;
      },
      targetsMet: (section) => new D(this.targetsOf(section).filter((r) => r.outcome.met).length),
      targetsDeclared: (section) => new D(this.targetsOf(section).length),
      score: (code) => this.scoreOf(code),
    };
    this.inputSpec = (id) => compiled.inputs.get(id)!;
  }

  /** The reference path: each stage's conditions decided by json-rules-engine (a pooled Engine per stage run). */
  async scoreWithEngine(): Promise<ScoredSubmission> {
    this.scoreTargets();
    for (const stage of this.compiled.stages) {
      const metrics = this.stageMetrics(stage);
      let decision: StageDecision = { fired: [], notFired: [] };
      if (stage.engines) {
        const facts = this.engineFacts();
        for (const [fact, value] of this.metricFacts(stage, metrics))
          facts[fact] = value === null ? null : value.toFixed();
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
    this.totalUp();
    const vetoStage = this.compiled.vetoStage;
    if (vetoStage) {
      const facts = this.engineFacts();
      for (const fact of vetoStage.facts) {
        const parsed = parseVetoFact(fact);
        if (!parsed || parsed.kind === 'input') continue;
        const value = this.resultFact(parsed);
        facts[fact] = value instanceof D ? value.toFixed() : value;
      }
      const result = await vetoStage.engines.run(facts);
      const fired = new Set(result.results.map((r) => r.name));
      const notFired = new Set(result.failureResults.map((r) => r.name));
      this.decideVetoes({
        fired: vetoStage.ruleNames.filter((name) => fired.has(name)),
        notFired: vetoStage.ruleNames.filter((name) => notFired.has(name)),
      });
    }
    return this.result();
  }

  /** The compiled path: each stage's conditions decided by synchronous closures. */
  scoreCompiled(rules: CompiledStageRules[]): ScoredSubmission {
    this.scoreTargets();
    this.compiled.stages.forEach((stage, i) => {
      const metrics = this.stageMetrics(stage);
      const decision = rules[i].rules.length === 0 ? NO_RULES : decideStage(rules[i], this.factReader(stage, metrics));
      if ('undefinedFact' in decision) throw undefinedFact(decision.undefinedFact);
      this.scoreStage(stage, metrics, decision);
    });
    this.totalUp();
    if (this.compiled.vetoStage) {
      const decision = decideStage(rules[this.compiled.stages.length], (id) => this.vetoFact(id));
      if ('undefinedFact' in decision) throw undefinedFact(decision.undefinedFact);
      this.decideVetoes(decision);
    }
    return this.result();
  }

  /** The total the scores give (what a veto reads as `total`): every leaf and target, summed exactly, then rounded. */
  private totalUp(): void {
    if (this.compiled.allowsNotApplicable) {
      this.tree = notApplicableTree(this.compiled, this.submission, { leaves: this.leaves, targets: this.targets });
      this.scoredTotal = this.tree.total;
      return;
    }
    let sum: D = ZERO;
    for (const result of this.leaves.values()) sum = sum.add(result.outcome.score);
    for (const results of this.targets.values()) for (const result of results) sum = sum.add(result.outcome.score);
    this.scoredTotal = roundTo(sum, this.compiled.ruleSet.file.rounding.totalPlaces, this.compiled.mode);
  }

  private decideVetoes(decision: StageDecision): void {
    for (const name of decision.fired) this.fired.push(name);
    for (const name of decision.notFired) this.notFired.push(name);
    const fired = new Set(decision.fired);
    for (const veto of this.compiled.vetoStage!.vetoes)
      if (fired.has(vetoRuleName(veto.code))) this.vetoes.push(veto.code);
  }

  /** A fact of a veto's condition on the compiled path: a result (veto-facts.ts) or an input, as leaf conditions read it. */
  private vetoFact(id: string): FactValue {
    const parsed = parseVetoFact(id);
    return parsed && parsed.kind !== 'input' ? this.resultFact(parsed) : this.inputFact(id);
  }

  /** A result a veto reads: numbers as Decimals (json-rules-engine gets their decimal strings). */
  private resultFact(fact: Exclude<VetoFact, { kind: 'input' }>): D | string | null | undefined {
    switch (fact.kind) {
      case 'total':
        return this.scoredTotal;
      case 'score':
        return this.scoreOf(fact.code);
      case 'metric': {
        const leaf = this.compiled.leaves.get(fact.code);
        const result = this.leaves.get(fact.code);
        return leaf && result ? this.metricFactValue(leaf, result.metric) : undefined;
      }
      case 'status':
        return this.leaves.get(fact.code)?.status;
      case 'targetsMet':
        return new D(this.targetsOf(fact.section).filter((r) => r.outcome.met).length);
      case 'targetsDeclared':
        return new D(this.targetsOf(fact.section).length);
      case 'count': {
        const events = this.submission.events.get(fact.input) ?? [];
        const kind = fact.eventKind;
        return new D(kind === undefined ? events.length : events.filter((event) => event.kind === kind).length);
      }
    }
  }

  private result(): ScoredSubmission {
    return {
      compiled: this.compiled,
      submission: this.submission,
      leaves: this.leaves,
      targets: this.targets,
      fired: this.fired,
      notFired: this.notFired,
      scoredTotal: this.scoredTotal,
      ...(this.tree && { tree: this.tree }),
      vetoes: this.vetoes,
    };
  }

  /** A section's targets, less those marked 不适用 (they count neither as declared nor as met). */
  private targetsOf(section: string): TargetResult[] {
    const all = this.targets.get(section) ?? [];
    const marked = this.submission.notApplicable;
    return marked.size === 0 ? all : all.filter((r) => !marked.has(r.indicator.code));
  }

  private scoreTargets(): void {
    for (const [code, goals] of this.submission.declared) {
      const spec = this.compiled.declared.get(code)!.declared;
      const rounder = this.compiled.targetRounders.get(code)!;
      const results: TargetResult[] = [];
      for (const goal of goals)
        for (const indicator of goal.indicators) {
          const reason = this.submission.notApplicable.get(indicator.code);
          results.push({
            indicator,
            outcome:
              reason === undefined ? scoreTarget(indicator, spec, rounder) : notApplicableTarget(reason, rounder),
          });
        }
      this.targets.set(code, results);
    }
  }

  private stageMetrics(stage: CompiledStage): StageMetric[] {
    return stage.leaves.map((leaf) => this.metricOf(leaf));
  }

  private metricOf(leaf: CompiledLeaf): StageMetric {
    const { evaluate, metric } = leaf;
    if (!evaluate || !metric) return undefined;
    let value: D;
    try {
      value = evaluate(this.scope);
    } catch (error) {
      if (error instanceof UndefinedMetric) return error;
      throw error;
    }
    const computed = metric.percent ? value.mul(HUNDRED) : value;
    const rounded = roundTo(computed, metric.places, this.compiled.mode);
    return new ScoredMetric(computed, rounded, leaf.leaf.metric!.unit, metric.suffix, metric.places);
  }

  /** The fact a leaf's conditions read as `metric`: its value (absolute for bands `of: abs`), null if undefined. */
  private metricFactValue(leaf: CompiledLeaf, metric: StageMetric): D | null {
    if (metric instanceof UndefinedMetric || !metric) return null;
    return leaf.leaf.method.type === 'bands' && leaf.leaf.method.of === 'abs' ? metric.value.abs() : metric.value;
  }

  private metricFacts(stage: CompiledStage, metrics: StageMetric[]): Map<string, D | null> {
    return new Map(stage.leaves.map((leaf, i) => [leaf.metricFact, this.metricFactValue(leaf, metrics[i])]));
  }

  /** Inputs as json-rules-engine facts: numbers as decimal strings, checklists as point → met. */
  private engineFacts(): Record<string, unknown> {
    const s = this.submission;
    const facts: Record<string, unknown> = {};
    for (const [id, value] of s.numbers) facts[id] = value.toFixed();
    for (const [id, value] of s.booleans) facts[id] = value;
    for (const [id, value] of s.texts) facts[id] = value;
    for (const [id, points] of s.checklists) facts[id] = Object.fromEntries([...points].map(([p, v]) => [p, v.met]));
    for (const [id, judgment] of s.judgments)
      facts[id] = { score: judgment.score.toFixed(), tier: judgment.tier ?? null };
    for (const [id, events] of s.events) facts[id] = events.map((event) => event.kind);
    return facts;
  }

  /**
   * The facts as the compiled conditions read them: what {@link engineFacts} gives json-rules-engine (the later
   * kind wins, as there), numbers left as Decimals; the stage's metric facts first.
   */
  private factReader(stage: CompiledStage, metrics: StageMetric[]): FactReader {
    const metricFacts = this.metricFacts(stage, metrics);
    return (id) => (metricFacts.has(id) ? metricFacts.get(id) : this.inputFact(id));
  }

  /** An input as the compiled conditions read it (see {@link factReader}). */
  private inputFact(id: string): FactValue {
    const s = this.submission;
    const judgment = s.judgments.get(id);
    if (judgment) return { score: judgment.score.toFixed(), tier: judgment.tier ?? null };
    const points = s.checklists.get(id);
    if (points) return Object.fromEntries([...points].map(([p, v]) => [p, v.met]));
    const events = s.events.get(id);
    if (events) return events.map((event) => event.kind);
    return s.texts.get(id) ?? s.booleans.get(id) ?? s.numbers.get(id);
  }

  private scoreStage(stage: CompiledStage, metrics: StageMetric[], decision: StageDecision): void {
    for (const name of decision.fired) this.fired.push(name);
    for (const name of decision.notFired) this.notFired.push(name);
    const fired = new Set(decision.fired);
    stage.leaves.forEach((leaf, i) => this.leaves.set(leaf.leaf.code, this.scoreLeaf(leaf, metrics[i], fired)));
  }

  /** The score of an already scored indicator (leaf, group or declared section): the exact sum of its parts. */
  private scoreOf(code: string): D {
    // after every stage, with 不适用 allowed: the redistributed score; during the stages, the plain sum
    const figure = this.tree?.nodes.get(code);
    if (figure) return figure.score;
    let sum: D = ZERO;
    for (const part of this.compiled.leavesUnder.get(code) ?? []) {
      const targets = this.targets.get(part);
      if (targets) for (const target of targets) sum = sum.add(target.outcome.score);
      else sum = sum.add(this.leaves.get(part)!.outcome.score);
    }
    return sum;
  }

  private scoreLeaf(compiled: CompiledLeaf, metric: StageMetric, fired: Set<string>): LeafResult {
    const { leaf, weight, round, show, result, earns } = compiled;
    const marked = this.submission.notApplicable.get(leaf.code);
    if (marked !== undefined) {
      // marked 不适用 by the department: no metric needed; its weight is redistributed (not-applicable-tree.ts)
      const score = round(ZERO);
      return {
        status: 'not-applicable',
        outcome: {
          score,
          rule: `${leaf.code}#not-applicable`,
          explain: () => ({ calc: `不适用：${marked}`, description: marked }),
        },
      };
    }
    if (compiled.appliesRule && !fired.has(compiled.appliesRule)) {
      const { otherwise, reason } = leaf.applies!;
      const score = otherwise === 'full' ? round(weight) : round(ZERO);
      return {
        status: 'not-applicable',
        outcome: {
          score,
          rule: compiled.appliesRule,
          explain: () => ({ calc: `不适用：${reason}，得${show(score)}分`, description: reason }),
        },
      };
    }
    if (metric instanceof UndefinedMetric) {
      throw new ScoringError(
        ScoringErrorCode.METRIC_UNDEFINED,
        localized(
          `“${leaf.name}”（${leaf.code}）的指标值 ${leaf.metric!.formula} 无法计算（${metric.reason}）`,
          `"${leaf.name}" (${leaf.code}): its metric ${leaf.metric!.formula} is undefined for this submission (${metric.reason})`,
        ),
        compiled.formulaInputs.map((id) => ({
          pointer: `/inputs/${id}`,
          message: localized(
            `“${leaf.name}”的计算公式除数为零，请检查这一项`,
            `the formula of "${leaf.name}" divides by zero: check this input`,
          ),
        })),
      );
    }
    if (compiled.vetoRule && fired.has(compiled.vetoRule)) {
      const { reason } = leaf.veto!;
      return {
        metric,
        status: 'vetoed',
        outcome: {
          score: round(ZERO),
          rule: compiled.vetoRule,
          explain: () => ({ calc: `${reason}，不得分`, description: reason, lostReason: reason }),
        },
      };
    }
    const outcome = methodFor(leaf.method).score(leaf.method, {
      leaf,
      weight,
      metric,
      band: compiled.bands ? this.decidedBand(compiled, fired, metric) : undefined,
      submission: this.submission,
      round,
      show,
      result,
      earns,
      input: this.inputSpec,
      mode: this.compiled.mode,
    });
    const status: NodeStatus =
      outcome.status ?? (outcome.score.gte(weight) ? 'full' : outcome.score.isZero() ? 'zero' : 'partial');
    return { outcome, metric, status };
  }

  /** The one band whose rule fired; anything else is a rule set whose bands are not a partition. */
  private decidedBand(compiled: CompiledLeaf, fired: Set<string>, metric: ScoredMetric | undefined): DecidedBand {
    let decided: DecidedBand | undefined;
    let matched = 0;
    for (const band of compiled.bands!) {
      if (fired.has(band.rule)) {
        decided = band;
        matched++;
      }
    }
    if (matched !== 1) {
      const { leaf } = compiled;
      throw new ScoringError(
        ScoringErrorCode.AMBIGUOUS_DECISION,
        localized(
          `“${leaf.name}”（${leaf.code}）：指标值 ${metric?.shown} 落入 ${matched} 个档次，应恰好一个`,
          `"${leaf.name}" (${leaf.code}): ${matched} bands matched metric ${metric?.shown}; exactly one must`,
        ),
      );
    }
    return decided!;
  }
}

const NO_RULES: StageDecision = { fired: [], notFired: [] };

/** A declared key indicator the department marked 不适用: 0, not met; its weight is redistributed. */
const notApplicableTarget = (reason: string, rounder: { round(value: D): D }): TargetOutcome => ({
  score: rounder.round(ZERO),
  met: false,
  rule: 'not-applicable',
  status: 'not-applicable',
  explain: () => ({ calc: `不适用：${reason}`, description: reason }),
});

/** What json-rules-engine (allowUndefinedFacts: false) says of a fact a submission lacks. */
const undefinedFact = (fact: string): ScoringError =>
  new ScoringError(
    ScoringErrorCode.ENGINE_FAILURE,
    localized(`规则引擎执行失败：未定义的事实 ${fact}`, `json-rules-engine failed: Undefined fact: ${fact}`),
  );
