import {
  type Condition,
  type IndicatorNode,
  isDeclaredNode,
  isFactCondition,
  isGroupNode,
  type LeafNode,
  type Localized,
  localized,
  parsePointer,
  type RuleSet,
  suggestion,
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
export type ResolvedPointer = { value: AdjustableValue; touches: string[] } | { problem: Localized };

const ADJUSTABLE = localized(
  '只能复核评议类的值：要点（/inputs/<要点类填报项>/<要点>）、评议分（/inputs/<评议类填报项>，…/score，…/tier）、' +
    '是否类填报项（/inputs/<填报项>）、加减分事项清单（/inputs/<事项>）、定性指标的 /targetResults/<代码>/tier 或 …/score、定量指标的 /targetResults/<代码>/ruling',
  'only judgment-based values can be adjusted: a checklist point (/inputs/<checklist>/<point>), a judgment ' +
    '(/inputs/<judgment>, …/score, …/tier), a boolean input (/inputs/<input>), a list of 加减分 events (/inputs/<events>), a qualitative target’s ' +
    '/targetResults/<code>/tier or …/score, a quantitative target’s /targetResults/<code>/ruling',
);

/** Resolves an adjustment's pointer against the rule set's inputs and the submission's declared targets. */
export function resolveAdjustablePointer(
  ruleSet: RuleSet,
  submission: ParsedSubmission,
  pointer: string,
): ResolvedPointer {
  const segments = parsePointer(pointer);
  if (!segments || segments.length === 0) {
    return {
      problem: localized(
        `不是指向填报数据的 JSON 指针；${ADJUSTABLE.zh}`,
        `not a JSON pointer into the submission; ${ADJUSTABLE.en}`,
      ),
    };
  }
  const [root, id, field, ...rest] = segments;
  if (root === 'inputs' && id !== undefined) return resolveInput(ruleSet, id, field, rest);
  if (root === 'targetResults' && id !== undefined) return resolveTarget(submission, id, field, rest.length > 0);
  return { problem: ADJUSTABLE };
}

function resolveInput(ruleSet: RuleSet, id: string, field: string | undefined, rest: string[]): ResolvedPointer {
  const spec = ruleSet.file.inputs.find((input) => input.id === id);
  if (!spec) {
    const hint = suggestion(
      id,
      ruleSet.file.inputs.map((input) => input.id),
    );
    return {
      problem: localized(
        `“${id}”不是规则集 ${ruleSet.id}@${ruleSet.version} 的填报项${hint.zh}`,
        `"${id}" is not an input of ${ruleSet.id}@${ruleSet.version}${hint.en}`,
      ),
    };
  }
  const touches = leavesReading(ruleSet, id);
  const deeper = rest.length > 0;
  switch (spec.type) {
    case 'checklist': {
      const ids = spec.points.map((p) => p.id);
      // A point submitted as { met, evidence } is addressed as the point or as its `met` (what headroom suggests).
      const pointMet = rest.length === 0 || (rest.length === 1 && rest[0] === 'met');
      if (field === undefined || !pointMet || !ids.includes(field)) {
        return {
          problem: localized(
            `“${spec.label}”是要点类填报项：请逐个要点复核，/inputs/${id}/<要点>（或 …/<要点>/met），值为 true 或 false；要点有 ${ids.join('、')}`,
            `${spec.label} is a checklist: adjust one point, /inputs/${id}/<point> (or …/<point>/met), with true ` +
              `or false; its points are ${ids.join(', ')}`,
          ),
        };
      }
      return { value: { kind: 'checklist-point', input: id, point: field }, touches };
    }
    case 'judgment':
      if (deeper || (field !== undefined && field !== 'score' && field !== 'tier')) {
        return {
          problem: localized(
            `“${spec.label}”是评议类填报项：请复核 /inputs/${id}（{ score, tier?, reason }）、它的 score 或 tier`,
            `${spec.label} is a judgment: adjust /inputs/${id} ({ score, tier?, reason }), its score or its tier`,
          ),
        };
      }
      return { value: { kind: 'judgment', input: id, field }, touches };
    case 'boolean':
      if (field !== undefined) {
        return {
          problem: localized(
            `“${spec.label}”是是否类填报项：请直接复核 /inputs/${id}`,
            `${spec.label} is a boolean input: adjust /inputs/${id} itself`,
          ),
        };
      }
      return { value: { kind: 'boolean', input: id }, touches };
    case 'events':
      // an evaluator recognises the 加减分 events (不予认定 strikes one): the list is replaced whole
      if (field !== undefined) {
        return {
          problem: localized(
            `“${spec.label}”是加减分事项清单：请以整份清单复核 /inputs/${id}`,
            `${spec.label} is a list of 加减分 events: adjust /inputs/${id} itself with the whole list`,
          ),
        };
      }
      return { value: { kind: 'events', input: id }, touches };
    default:
      return {
        problem: localized(
          `“${spec.label}”（${spec.type}）是部门填报的数据，不是评议值，不能复核（可用模拟查看其他数值的得分）`,
          `${spec.label} (${spec.type}) is a submitted figure, not a judgment, and cannot be adjusted ` +
            '(ask a what-if to see what another figure would score)',
        ),
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
  if (!indicator) {
    return {
      problem: localized(
        `“${code}”不是本填报中申报的关键指标`,
        `"${code}" is not a declared key indicator of this submission`,
      ),
    };
  }
  if (indicator.kind === 'qualitative') {
    if (deeper || (field !== 'tier' && field !== 'score')) {
      return {
        problem: localized(
          `“${indicator.name}”是定性指标：请复核 /targetResults/${code}/tier 或 …/score`,
          `"${indicator.name}" is qualitative: adjust /targetResults/${code}/tier or …/score`,
        ),
      };
    }
    return { value: { kind: 'qualitative-target', code, field }, touches: [code] };
  }
  if (deeper || field !== 'ruling') {
    return {
      problem: localized(
        `“${indicator.name}”是定量指标：实际完成值是部门填报的数据；请复核达成判定 /targetResults/${code}/ruling`,
        `"${indicator.name}" is quantitative: its actual value is a submitted figure; adjust its met/unmet ruling, ` +
          `/targetResults/${code}/ruling`,
      ),
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
