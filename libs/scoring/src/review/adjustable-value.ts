import {
  type Condition,
  type IndicatorNode,
  isDeclaredNode,
  isFactCondition,
  isGroupNode,
  type LeafNode,
  parsePointer,
  type RuleSet,
} from '@jiping/rules';
import type { ParsedSubmission } from '../submission/parsed-submission';

/**
 * A judgment-based value of a submission that an evaluator may override (复核), as a JSON pointer resolved against
 * the rule set and the submission: a checklist point, a judgment (whole, or its score or tier), a boolean input, a
 * qualitative target's tier or score, or a quantitative target's met/unmet ruling.
 */
export type AdjustableValue =
  | { kind: 'checklist-point'; input: string; point: string }
  | { kind: 'judgment'; input: string; field?: 'score' | 'tier' }
  | { kind: 'boolean'; input: string }
  | { kind: 'events'; input: string }
  | { kind: 'qualitative-target'; code: string; field: 'tier' | 'score' }
  | { kind: 'target-ruling'; code: string };

/** The value a pointer addresses and the leaves and targets whose score reads it; or why it cannot be adjusted. */
export type ResolvedPointer = { value: AdjustableValue; touches: string[] } | { problem: string };

const ADJUSTABLE =
  'only judgment-based values can be adjusted: a checklist point (/inputs/<checklist>/<point>), a judgment ' +
  '(/inputs/<judgment>, …/score, …/tier), a boolean input (/inputs/<input>), a list of 加减分 events ' +
  '(/inputs/<events>), a qualitative target’s ' +
  '/targetResults/<code>/tier or …/score, a quantitative target’s /targetResults/<code>/ruling';

/** Resolves an adjustment's pointer against the rule set's inputs and the submission's declared targets. */
export function resolveAdjustablePointer(
  ruleSet: RuleSet,
  submission: ParsedSubmission,
  pointer: string,
): ResolvedPointer {
  const segments = parsePointer(pointer);
  if (!segments || segments.length === 0) return { problem: `not a JSON pointer into the submission; ${ADJUSTABLE}` };
  const [root, id, field, ...rest] = segments;
  if (root === 'inputs' && id !== undefined) return resolveInput(ruleSet, id, field, rest);
  if (root === 'targetResults' && id !== undefined) return resolveTarget(submission, id, field, rest.length > 0);
  return { problem: ADJUSTABLE };
}

function resolveInput(ruleSet: RuleSet, id: string, field: string | undefined, rest: string[]): ResolvedPointer {
  const spec = ruleSet.file.inputs.find((input) => input.id === id);
  if (!spec) return { problem: `"${id}" is not an input of ${ruleSet.id}@${ruleSet.version}` };
  const touches = leavesReading(ruleSet, id);
  const deeper = rest.length > 0;
  switch (spec.type) {
    case 'checklist': {
      const ids = spec.points.map((p) => p.id);
      // A point submitted as { met, evidence } is addressed as the point or as its `met` (what headroom suggests).
      const pointMet = rest.length === 0 || (rest.length === 1 && rest[0] === 'met');
      if (field === undefined || !pointMet || !ids.includes(field)) {
        return {
          problem:
            `${spec.label} is a checklist: adjust one point, /inputs/${id}/<point> (or …/<point>/met), with true ` +
            `or false; its points are ${ids.join(', ')}`,
        };
      }
      return { value: { kind: 'checklist-point', input: id, point: field }, touches };
    }
    case 'judgment':
      if (deeper || (field !== undefined && field !== 'score' && field !== 'tier')) {
        return {
          problem: `${spec.label} is a judgment: adjust /inputs/${id} ({ score, tier?, reason }), its score or its tier`,
        };
      }
      return { value: { kind: 'judgment', input: id, field }, touches };
    case 'boolean':
      if (field !== undefined) return { problem: `${spec.label} is a boolean input: adjust /inputs/${id} itself` };
      return { value: { kind: 'boolean', input: id }, touches };
    case 'events':
      // an evaluator recognises the 加减分 events (不予认定 strikes one): the list is replaced whole
      if (field !== undefined) {
        return { problem: `${spec.label} is a list of 加减分 events: adjust /inputs/${id} itself with the whole list` };
      }
      return { value: { kind: 'events', input: id }, touches };
    default:
      return {
        problem:
          `${spec.label} (${spec.type}) is a submitted figure, not a judgment, and cannot be adjusted ` +
          '(ask a what-if to see what another figure would score)',
      };
  }
}

function resolveTarget(
  submission: ParsedSubmission,
  code: string,
  field: string | undefined,
  deeper: boolean,
): ResolvedPointer {
  const indicator = [...submission.declared.values()]
    .flatMap((goals) => goals.flatMap((goal) => goal.indicators))
    .find((i) => i.code === code);
  if (!indicator) return { problem: `"${code}" is not a declared key indicator of this submission` };
  if (indicator.kind === 'qualitative') {
    if (deeper || (field !== 'tier' && field !== 'score')) {
      return { problem: `"${indicator.name}" is qualitative: adjust /targetResults/${code}/tier or …/score` };
    }
    return { value: { kind: 'qualitative-target', code, field }, touches: [code] };
  }
  if (deeper || field !== 'ruling') {
    return {
      problem:
        `"${indicator.name}" is quantitative: its actual value is a submitted figure; adjust its met/unmet ruling, ` +
        `/targetResults/${code}/ruling`,
    };
  }
  return { value: { kind: 'target-ruling', code }, touches: [code] };
}

/** The leaves whose method takes the input, or whose applies/veto/band conditions read it as a fact. */
function leavesReading(ruleSet: RuleSet, inputId: string): string[] {
  const codes: string[] = [];
  const walk = (nodes: readonly IndicatorNode[]): void => {
    for (const node of nodes) {
      if (isGroupNode(node)) walk(node.children);
      else if (!isDeclaredNode(node) && reads(node, inputId)) codes.push(node.code);
    }
  };
  walk(ruleSet.file.indicators);
  return codes;
}

function reads(leaf: LeafNode, inputId: string): boolean {
  const method = leaf.method;
  if ('input' in method && method.input === inputId) return true;
  const conditions: Condition[] = [
    ...(leaf.applies ? [leaf.applies.when] : []),
    ...(leaf.veto ? [leaf.veto.when] : []),
    ...(method.type === 'bands' ? method.bands.map((band) => band.when) : []),
  ];
  return conditions.some((condition) => factsOf(condition).includes(inputId));
}

function factsOf(condition: Condition): string[] {
  if (isFactCondition(condition)) return [condition.fact];
  if ('all' in condition) return condition.all.flatMap(factsOf);
  if ('any' in condition) return condition.any.flatMap(factsOf);
  return factsOf(condition.not);
}
