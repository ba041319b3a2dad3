import type { Condition } from '@jiping/rules';
import { bindMetric, type CompiledLeaf, type CompiledRuleSet, vetoRuleName } from '../compile-rule-set';
import {
  compileCondition,
  conditionFacts,
  type FactReader,
  type Predicate,
  UnsupportedCondition,
} from './compile-condition';

/** One json-rules-engine rule of a stage as a predicate, under the rule's name. */
export interface CompiledRule {
  name: string;
  holds: Predicate;
}

/** A stage's rules compiled, in the order json-rules-engine was given them, and the facts they read. */
export interface CompiledStageRules {
  rules: CompiledRule[];
  facts: string[];
}

/** What the rules of a stage decided, each list in rule order. */
export interface StageDecision {
  fired: string[];
  notFired: string[];
}

/**
 * Compiles the json-rules-engine rules of every stage (applies, veto, then bands, leaf by leaf — the rules the
 * reference path gives its EnginePool) into predicates, then — one more entry after the stages, when the rule set has
 * vetoes — the rule set's vetoes and caps (CompiledRuleSet.vetoStage). Undefined when a condition cannot be compiled (a JSONPath
 * `path`): such a rule set is scored by json-rules-engine only.
 */
export function compileStageRules(compiled: CompiledRuleSet): CompiledStageRules[] | undefined {
  try {
    const stages = compiled.stages.map((stage) => {
      const conditions = stage.leaves.flatMap(conditionsOf);
      const rules = conditions.map(({ name, when }) => ({ name, holds: compileCondition(when) }));
      if (rules.map((r) => r.name).join('\n') !== stage.ruleNames.join('\n'))
        throw new Error(`compiled rules of stage differ from the engine's: ${stage.ruleNames.join(', ')}`);
      return { rules, facts: [...new Set(conditions.flatMap(({ when }) => conditionFacts(when)))] };
    });
    const veto = compiled.vetoStage;
    if (!veto) return stages;
    const rules = veto.vetoes.map((v) => ({ name: vetoRuleName(v.code), holds: compileCondition(v.when) }));
    return [...stages, { rules, facts: veto.facts }];
  } catch (error) {
    if (error instanceof UnsupportedCondition) return undefined;
    throw error;
  }
}

function conditionsOf(compiled: CompiledLeaf): Array<{ name: string; when: Condition }> {
  const { leaf } = compiled;
  const bound = (when: Condition): Condition => bindMetric(when, leaf.code);
  const conditions: Array<{ name: string; when: Condition }> = [];
  if (leaf.applies) conditions.push({ name: compiled.appliesRule!, when: bound(leaf.applies.when) });
  if (leaf.veto) conditions.push({ name: compiled.vetoRule!, when: bound(leaf.veto.when) });
  if (leaf.method.type === 'bands')
    leaf.method.bands.forEach((band, i) => conditions.push({ name: compiled.bands![i].rule, when: bound(band.when) }));
  return conditions;
}

/**
 * Decides a stage's rules on the facts. A fact the rules read but the submission lacks fails the stage as
 * json-rules-engine (allowUndefinedFacts: false) fails the run: `Undefined fact: <id>`.
 */
export function decideStage(stage: CompiledStageRules, facts: FactReader): StageDecision | { undefinedFact: string } {
  for (const fact of stage.facts) if (facts(fact) === undefined) return { undefinedFact: fact };
  const fired: string[] = [];
  const notFired: string[] = [];
  for (const rule of stage.rules) (rule.holds(facts) ? fired : notFired).push(rule.name);
  return { fired, notFired };
}

const compiledRules = new WeakMap<CompiledRuleSet, CompiledStageRules[] | undefined>();

/**
 * The compiled stage rules of a compiled rule set, built once and kept with it (compiled rule sets are themselves
 * cached by checksum). Undefined for a rule set only json-rules-engine can score.
 */
export function compiledStageRulesOf(compiled: CompiledRuleSet): CompiledStageRules[] | undefined {
  if (!compiledRules.has(compiled)) compiledRules.set(compiled, compileStageRules(compiled));
  return compiledRules.get(compiled);
}
