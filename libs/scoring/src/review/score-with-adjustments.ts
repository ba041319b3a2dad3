import { childPointer, localized, type RuleSet, toPointer } from '@jiping/rules';
import { type CompiledRuleSet, compileRuleSet } from '../compile-rule-set';
import type { NodeReport, NodeReview, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import { doesNotFit, ScoringError, ScoringErrorCode, type ScoringProblem } from '../scoring.error';
import type { ParsedSubmission } from '../submission/parsed-submission';
import { parseSubmission } from '../submission/validate-submission';
import { type AdjustableValue, resolveAdjustablePointer } from './adjustable-value';

/**
 * An evaluator's override (复核) of one judgment-based value of a submission, addressed by a JSON pointer into the
 * engine Submission, with the mandatory reason:
 * - `/inputs/<checklist>/<point>` or `…/<point>/met` → true | false (the point's evidence stays);
 * - `/inputs/<judgment>` → { score, tier?, reason }, or `/inputs/<judgment>/score` → "1.4", `…/tier` → "partial";
 * - `/inputs/<boolean input>` → true | false;
 * - `/inputs/<events input>` → the list of 加减分 events as the evaluator recognises them;
 * - `/targetResults/<qualitative code>/tier` or `…/score`;
 * - `/targetResults/<quantitative code>/ruling` → "met" | "unmet" (see scoreTarget).
 */
export interface Adjustment {
  pointer: string;
  value: unknown;
  reason: string;
}

/** Longest reason kept with an adjustment. */
export const MAX_ADJUSTMENT_REASON = 2000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Scores a submission with evaluator adjustments (复核) applied, in order (a later adjustment of the same value wins).
 * The adjusted submission is re-scored by the engine like any other, never patched in the report; the unadjusted
 * one is scored too, and every leaf or target an adjustment touched (and only those) carries `review`: its self-score
 * (自评分), its reviewed score (复核分), the reasons and each value's before and after.
 *
 * Throws ScoringError INVALID_SUBMISSION for a submission that does not fit the rule set; INVALID_ADJUSTMENT, with
 * every problem at once, for an adjustment that is not an object, has no reason (`/adjustments/<i>/reason`) or no
 * value, or addresses a value that is not judgment-based — money, percent, counts, declared targets, actual values
 * (`/adjustments/<i>/pointer`); and INVALID_SUBMISSION again, with pointers into the submission, when an adjusted
 * value does not fit (a score outside its tier, a checklist point that is not true/false).
 */
export async function scoreWithAdjustments(
  ruleSet: RuleSet | CompiledRuleSet,
  submission: unknown,
  adjustments: Adjustment[],
): Promise<ScoreReport> {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const { adjusted, reviews } = adjust(compiled.ruleSet, submission, adjustments);
  const [self, reviewed] = await Promise.all([
    scoreSubmission(compiled, submission),
    scoreSubmission(compiled, adjusted),
  ]);
  const selfScores = new Map(nodesOf(self.sections).map((node) => [node.code, node.score]));
  for (const node of nodesOf(reviewed.sections)) {
    const review = reviews.get(node.code);
    if (!review || (node.kind !== 'leaf' && node.kind !== 'target')) continue;
    node.review = {
      selfScore: selfScores.get(node.code)!,
      reviewedScore: node.score,
      reason: review.reasons.join('；'),
      changes: review.changes,
    };
  }
  return reviewed;
}

/**
 * The submission as an adjusted evaluation scores it: a copy with every adjustment applied exactly as
 * {@link scoreWithAdjustments} applies it (a checklist point keeps its evidence). Headroom of an adjusted evaluation
 * starts from this. Throws as scoreWithAdjustments does for a submission or adjustments it refuses.
 */
export function applyAdjustments(
  ruleSet: RuleSet | CompiledRuleSet,
  submission: unknown,
  adjustments: Adjustment[],
): unknown {
  return adjust('stages' in ruleSet ? ruleSet.ruleSet : ruleSet, submission, adjustments).adjusted;
}

function adjust(
  ruleSet: RuleSet,
  submission: unknown,
  adjustments: Adjustment[],
): { adjusted: Json; reviews: Map<string, { reasons: string[]; changes: NodeReview['changes'] }> } {
  const { problems, parsed } = parseSubmission(ruleSet, submission);
  if (!parsed) {
    throw new ScoringError(ScoringErrorCode.INVALID_SUBMISSION, doesNotFit(ruleSet, problems.length), problems);
  }
  const resolved = resolveAdjustments(ruleSet, parsed, adjustments);
  const adjusted = JSON.parse(JSON.stringify(submission)) as Json;
  const reviews = new Map<string, { reasons: string[]; changes: NodeReview['changes'] }>();
  for (const { adjustment, value, touches } of resolved) {
    const before = apply(adjusted, value, adjustment.value);
    for (const code of touches) {
      const review = reviews.get(code) ?? { reasons: [], changes: [] };
      if (!review.reasons.includes(adjustment.reason)) review.reasons.push(adjustment.reason);
      review.changes.push({ pointer: adjustment.pointer, before: before ?? null, after: adjustment.value ?? null });
      reviews.set(code, review);
    }
  }
  return { adjusted, reviews };
}

interface ResolvedAdjustment {
  adjustment: Adjustment;
  value: AdjustableValue;
  touches: string[];
}

/** Checks every adjustment (shape, reason, an adjustable pointer) and resolves it; all problems at once. */
function resolveAdjustments(ruleSet: RuleSet, parsed: ParsedSubmission, adjustments: unknown): ResolvedAdjustment[] {
  const resolved: ResolvedAdjustment[] = [];
  const refused: ScoringProblem[] = [];
  if (!Array.isArray(adjustments)) {
    refused.push({ pointer: '/adjustments', message: localized('应为复核调整的列表 [ … ]', 'a list of adjustments') });
  } else
    adjustments.forEach((adjustment: unknown, i) => {
      const at = toPointer('adjustments', i);
      if (!isObject(adjustment)) {
        refused.push({
          pointer: at,
          message: localized(
            '复核调整应为 { "pointer", "value", "reason" }',
            'an adjustment is { "pointer", "value", "reason" }',
          ),
        });
        return;
      }
      const { pointer, reason } = adjustment;
      let target: ReturnType<typeof resolveAdjustablePointer> | undefined;
      if (typeof pointer !== 'string') {
        refused.push({
          pointer: childPointer(at, 'pointer'),
          message: localized('应为指向填报数据的 JSON 指针', 'a JSON pointer into the submission'),
        });
      } else {
        target = resolveAdjustablePointer(ruleSet, parsed, pointer);
        if ('problem' in target) refused.push({ pointer: childPointer(at, 'pointer'), message: target.problem });
      }
      if (!Object.hasOwn(adjustment, 'value')) {
        refused.push({
          pointer: childPointer(at, 'value'),
          message: localized('必填：复核后的值', 'the value to set is required'),
        });
      }
      if (typeof reason !== 'string' || reason.trim() === '') {
        refused.push({
          pointer: childPointer(at, 'reason'),
          message: localized('必填：复核理由', 'a reason (复核理由) is required'),
        });
      } else if (reason.length > MAX_ADJUSTMENT_REASON) {
        refused.push({
          pointer: childPointer(at, 'reason'),
          message: localized(
            `复核理由超过 ${MAX_ADJUSTMENT_REASON} 个字符`,
            `longer than ${MAX_ADJUSTMENT_REASON} characters`,
          ),
        });
      }
      if (target && 'value' in target) {
        resolved.push({ adjustment: adjustment as unknown as Adjustment, ...target });
      }
    });
  if (refused.length > 0) {
    throw new ScoringError(
      ScoringErrorCode.INVALID_ADJUSTMENT,
      localized(
        `复核调整有 ${refused.length} 处问题，未重新评分`,
        `${refused.length} problem(s) with the adjustments; nothing was re-scored`,
      ),
      refused,
    );
  }
  return resolved;
}

/** Sets the adjusted value in the submission (a JSON copy) and returns the value it replaced. */
function apply(submission: Json, target: AdjustableValue, value: unknown): unknown {
  const inputs = submission.inputs as Json;
  const results = submission.targetResults as Record<string, Json>;
  switch (target.kind) {
    case 'checklist-point': {
      const points = inputs[target.input] as Json;
      const current = points[target.point];
      // { met, evidence } keeps its evidence: only whether the point is met is the evaluator's.
      points[target.point] = isObject(current) ? { ...current, met: value } : value;
      return isObject(current) ? current.met : current;
    }
    case 'judgment': {
      const current = inputs[target.input] as Json;
      if (target.field === undefined) {
        inputs[target.input] = value;
        return current;
      }
      inputs[target.input] = { ...current, [target.field]: value };
      return current[target.field];
    }
    case 'boolean':
    case 'events': {
      const current = inputs[target.input];
      inputs[target.input] = value;
      return current;
    }
    case 'qualitative-target':
    case 'target-ruling': {
      const field = target.kind === 'target-ruling' ? 'ruling' : target.field;
      const current = results[target.code];
      results[target.code] = { ...current, [field]: value };
      return current[field];
    }
  }
}

function nodesOf(nodes: NodeReport[]): NodeReport[] {
  return nodes.flatMap((node) => [node, ...nodesOf(node.children ?? [])]);
}
