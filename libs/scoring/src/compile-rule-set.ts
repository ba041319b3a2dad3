import {
  bandInterval,
  bonusCapOf,
  type Condition,
  type DeclaredNode,
  describeInterval,
  type FormulaNode,
  formulaReferences,
  type GradeRuleSpec,
  type IndicatorNode,
  type InputSpec,
  type Interval,
  isDeclaredNode,
  isFactCondition,
  isGroupNode,
  type LeafNode,
  parseFormula,
  type RoundingMode,
  type RuleFile,
  type RuleSet,
} from '@jiping/rules';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { D, type Rounder, rounderOf } from './decimal';
import { type CompiledFormula, compileFormula } from './formula-evaluator';
import { conditionFacts } from './compiled/compile-condition';
import { EnginePool } from './engine/engine-pool';

export interface CompiledBand {
  /** Its position among the leaf's bands (0-based). */
  index: number;
  rule: string;
  interval: Interval;
  label: string;
}

export interface CompiledLeaf {
  leaf: LeafNode;
  weight: D;
  places: number;
  /** Rounds a score to the leaf's places in the rule set's mode. */
  round(value: D): D;
  /** Shows a rounded score with the leaf's places. */
  show(value: D): string;
  /** How the 评分依据 writes a computation rounding changes (Rounder.result / earns). */
  result(exact: D, score: D): string;
  earns(exact: D, score: D): string;
  formula?: FormulaNode;
  /** The formula as closures, for scoring. */
  evaluate?: CompiledFormula;
  /** How the metric is shown and rounded (its display precision is what is scored). */
  metric?: { percent: boolean; places: number; suffix: '%' | '' };
  /** The fact this leaf's conditions read as `metric` ({@link metricFact}). */
  metricFact: string;
  /** The formula's inputs as 评分依据 figures: label and unit of each. */
  figureInputs: Array<{ id: string; label: string; unit: string }>;
  /** Input ids the formula reads (its figures). */
  formulaInputs: string[];
  /** Declared sections the formula counts targets of (targetsMet/targetsDeclared). */
  formulaSections: string[];
  bands?: CompiledBand[];
  /** A 加减分 leaf's most points (its bonus cap, 0 for a penalty only): its `max` in reports, not its weight. */
  adjustmentMax?: D;
  /** Leaves are scored in stages: a leaf whose metric reads other scores comes after them. */
  stage: number;
  appliesRule?: string;
  vetoRule?: string;
}

export interface CompiledStage {
  leaves: CompiledLeaf[];
  /** json-rules-engine rules of this stage's conditions; absent when the stage has none. */
  engines?: EnginePool;
  ruleNames: string[];
}

/**
 * A rule set compiled once for scoring: formulas parsed, bands read as intervals, leaves staged by dependency,
 * and the conditions turned into json-rules-engine rules served by pools of idle Engines (never one shared
 * in-flight Engine). Compiled rule sets are cached by content checksum.
 */
export interface CompiledRuleSet {
  ruleSet: RuleSet;
  mode: RoundingMode;
  /** Rounds and shows the target scores of each declared section (its places, else the rule set's score places). */
  targetRounders: ReadonlyMap<string, Rounder>;
  inputs: ReadonlyMap<string, InputSpec>;
  leaves: ReadonlyMap<string, CompiledLeaf>;
  declared: ReadonlyMap<string, DeclaredNode>;
  /** Leaf and declared-section codes under each indicator code (a leaf or section maps to itself). */
  leavesUnder: ReadonlyMap<string, string[]>;
  stages: CompiledStage[];
  /**
   * The rule set's vetoes and caps (RuleFile.vetoes) as json-rules-engine rules `vetoes#<code>`, decided after every
   * stage on the inputs and the results (veto-facts.ts); absent when the rule set has none.
   */
  vetoStage?: CompiledVetoStage;
  /** Whether a department may mark anything 不适用 (allowNotApplicable): scores are then tallied by not-applicable-tree. */
  allowsNotApplicable: boolean;
}

export interface CompiledVetoStage {
  vetoes: GradeRuleSpec[];
  engines: EnginePool;
  ruleNames: string[];
  /** Every fact the conditions read, once each, in the order they are first read. */
  facts: string[];
}

/** The json-rules-engine rule name of a rule set's veto or cap. */
export const vetoRuleName = (code: string): string => `vetoes#${code}`;

const CACHE_LIMIT = 64;
const cache = new Map<string, CompiledRuleSet>();

/** The cached compilation of the rule set with this checksum, if there is one (it is kept as most recently made). */
export function compiledRuleSetFor(checksum: string): CompiledRuleSet | undefined {
  return cache.get(checksum);
}

/** Compiles a validated rule set, or returns the cached compilation of the same content. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const cached = cache.get(ruleSet.checksum);
  if (cached) return cached;
  const compiled = compile(ruleSet);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(ruleSet.checksum, compiled);
  return compiled;
}

function compile(ruleSet: RuleSet): CompiledRuleSet {
  const file = ruleSet.file;
  const inputs = new Map(file.inputs.map((spec) => [spec.id, spec]));
  const leaves = new Map<string, CompiledLeaf>();
  const declared = new Map<string, DeclaredNode>();
  const leavesUnder = new Map<string, string[]>();

  const walk = (node: IndicatorNode): string[] => {
    let codes: string[];
    if (isGroupNode(node)) codes = node.children.flatMap(walk);
    else if (isDeclaredNode(node)) {
      declared.set(node.code, node);
      codes = [node.code];
    } else {
      leaves.set(node.code, compileLeaf(node, file, inputs));
      codes = [node.code];
    }
    leavesUnder.set(node.code, codes);
    return codes;
  };
  file.indicators.forEach(walk);

  // Stage = 1 + the deepest stage among the leaves a formula's score() reads (the validator rejected cycles).
  const stageOf = (code: string, seen: Set<string> = new Set()): number => {
    const leaf = leaves.get(code)!;
    if (leaf.stage >= 0) return leaf.stage;
    seen.add(code);
    // Declared sections are scored before every stage, so only leaves count as dependencies.
    const deps = leaf.formula
      ? formulaReferences(leaf.formula)
          .scores.flatMap((c) => leavesUnder.get(c) ?? [])
          .filter((c) => leaves.has(c))
      : [];
    leaf.stage = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => stageOf(d, seen)));
    return leaf.stage;
  };
  for (const code of leaves.keys()) stageOf(code);

  const stageCount = 1 + Math.max(0, ...[...leaves.values()].map((l) => l.stage));
  const stages: CompiledStage[] = Array.from({ length: stageCount }, (_, stage) => {
    const stageLeaves = [...leaves.values()].filter((l) => l.stage === stage);
    const rules = stageLeaves.flatMap(rulesOf);
    return {
      leaves: stageLeaves,
      engines: rules.length > 0 ? new EnginePool(rules) : undefined,
      ruleNames: rules.map((r) => r.name as string),
    };
  });
  const { mode, scorePlaces } = file.rounding;
  const targetRounders = new Map(
    [...declared.values()].map((node) => [node.code, rounderOf(node.declared.places ?? scorePlaces, mode)]),
  );
  return {
    ruleSet,
    mode,
    targetRounders,
    inputs,
    leaves,
    declared,
    leavesUnder,
    stages,
    vetoStage: compileVetoStage(file.vetoes ?? []),
    allowsNotApplicable:
      [...leaves.values()].some((l) => l.leaf.allowNotApplicable === true) ||
      [...declared.values()].some((d) => d.declared.allowNotApplicable === true),
  };
}

function compileVetoStage(vetoes: GradeRuleSpec[]): CompiledVetoStage | undefined {
  if (vetoes.length === 0) return undefined;
  const rules: RuleProperties[] = vetoes.map((veto) => ({
    name: vetoRuleName(veto.code),
    conditions: toTopLevel(veto.when),
    event: { type: 'grade-rule', params: { veto: veto.code } },
  }));
  return {
    vetoes,
    engines: new EnginePool(rules),
    ruleNames: rules.map((rule) => rule.name as string),
    facts: [...new Set(vetoes.flatMap((veto) => conditionFacts(veto.when)))],
  };
}

function compileLeaf(leaf: LeafNode, file: RuleFile, inputs: ReadonlyMap<string, InputSpec>): CompiledLeaf {
  const formula = leaf.metric ? parseFormula(leaf.metric.formula).ast : undefined;
  const percent = leaf.metric?.unit === 'percent';
  const suffix = percent ? '%' : '';
  const bands =
    leaf.method.type === 'bands'
      ? leaf.method.bands.map((band, i) => {
          const interval = bandInterval(band.when) as Interval;
          return {
            index: i,
            rule: `${leaf.code}#band-${i + 1}`,
            interval,
            label: band.label ?? describeInterval(interval, suffix),
          };
        })
      : undefined;
  const places = leaf.places ?? file.rounding.scorePlaces;
  const bonusCap = bonusCapOf(leaf);
  const rounder = rounderOf(places, file.rounding.mode);
  const formulaInputs = formula ? formulaReferences(formula).inputs : [];
  return {
    leaf,
    weight: new D(leaf.weight),
    places,
    round: rounder.round,
    show: rounder.show,
    result: rounder.result,
    earns: rounder.earns,
    formula,
    evaluate: formula ? compileFormula(formula) : undefined,
    metric: leaf.metric
      ? { percent, places: leaf.metric.places ?? (percent ? file.rounding.ratePlaces : 2), suffix }
      : undefined,
    metricFact: metricFact(leaf.code),
    formulaInputs,
    figureInputs: formulaInputs.map((id) => figureOf(inputs.get(id)!)),
    formulaSections: formula ? formulaReferences(formula).sections : [],
    bands,
    adjustmentMax: bonusCap === undefined ? undefined : new D(bonusCap),
    stage: -1,
    appliesRule: leaf.applies ? `${leaf.code}#applies` : undefined,
    vetoRule: leaf.veto ? `${leaf.code}#veto` : undefined,
  };
}

/** An input as a 评分依据 figure: its label, and the unit its value is written in. */
function figureOf(spec: InputSpec): { id: string; label: string; unit: string } {
  const unit =
    spec.type === 'money' ? spec.unit : spec.type === 'percent' ? '%' : spec.type === 'count' ? (spec.unit ?? '') : '';
  return { id: spec.id, label: spec.label, unit };
}

/** The fact a leaf's conditions call `metric` is that leaf's own metric. */
export const metricFact = (code: string): string => `metric:${code}`;

function rulesOf(compiled: CompiledLeaf): RuleProperties[] {
  const { leaf } = compiled;
  const rule = (name: string, when: Condition, type: string, params: Record<string, unknown>): RuleProperties => ({
    name,
    conditions: toTopLevel(bindMetric(when, leaf.code)),
    event: { type, params: { indicator: leaf.code, ...params } },
  });
  const rules: RuleProperties[] = [];
  if (leaf.applies) rules.push(rule(compiled.appliesRule!, leaf.applies.when, 'applies', {}));
  if (leaf.veto) rules.push(rule(compiled.vetoRule!, leaf.veto.when, 'veto', {}));
  if (leaf.method.type === 'bands') {
    leaf.method.bands.forEach((band, i) => rules.push(rule(compiled.bands![i].rule, band.when, 'band', { band: i })));
  }
  return rules;
}

/** A leaf's condition with its `metric` fact renamed to the leaf's own metric fact. */
export function bindMetric(condition: Condition, code: string): Condition {
  if (isFactCondition(condition))
    return condition.fact === 'metric' ? { ...condition, fact: metricFact(code) } : { ...condition };
  if ('all' in condition) return { all: condition.all.map((c) => bindMetric(c, code)) };
  if ('any' in condition) return { any: condition.any.map((c) => bindMetric(c, code)) };
  return { not: bindMetric(condition.not, code) };
}

/** json-rules-engine wants all/any/not at the top of a rule's conditions. */
function toTopLevel(condition: Condition): TopLevelCondition {
  return (isFactCondition(condition) ? { all: [condition] } : condition) as TopLevelCondition;
}
