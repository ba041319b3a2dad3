import {
  type DeclaredSpec,
  type GradeSpec,
  type InputValue,
  type LeafNode,
  type RuleSet,
  type Submission,
  type TierSpec,
  toPointer,
} from '@jiping/rules';
import { type CompiledLeaf, type CompiledRuleSet, compileRuleSet } from '../compile-rule-set';
import { D, ZERO } from '../decimal';
import type { NodeReport, ScoreReport } from '../score-report.types';
import { scoreSubmission } from '../score-submission';
import type { ParsedDeclaredIndicator, ParsedSubmission } from '../submission/parsed-submission';
import { parseSubmission } from '../submission/validate-submission';
import { resolveAdjustablePointer } from '../review/adjustable-value';
import { CandidateScorer, nodesByCode } from './candidate-scorer';
import { cheapestPlan, choiceKey, type PlanCandidate } from './cheapest-plan';
import type {
  Headroom,
  HeadroomChange,
  HeadroomLostLeaf,
  HeadroomNextGrade,
  HeadroomOption,
  HeadroomPlan,
} from './headroom.types';
import { numericInput, type PathPoint, type SearchContext, searchInput } from './input-search';

/** How many combinations a plan may try before giving up when none survives its verification. */
const PLAN_ATTEMPTS = 8;

/**
 * Where a submission lost points and what it would take to gain them back, computed by the engine from the rule
 * set alone (nothing here knows any indicator):
 * - `lost`: every leaf and declared target that lost points, the largest loss first (the ScoreReport's lostPoints),
 *   each with its options: for a leaf with a metric, the smallest change of each numeric input its formula reads that
 *   raises its score, then the change that reaches the next band or its full score (searched at the input's
 *   precision, every candidate scored by the engine); for a quantitative target, the actual value that meets it; for
 *   judgment-based leaves (checklist points, yes/no, judged scores, commendations and violations, qualitative tiers)
 *   the gain of each judgment, marked `kind: 'judgment'`.
 * - `nextGrade` and `plan`: the grade above the current one, the points it needs, and the cheapest combination of
 *   options that reaches it (fewest leaves, then the least overshoot), verified by scoring all its changes together.
 *   At the top grade, `toMaximum` is the room left.
 * Throws ScoringError INVALID_SUBMISSION (or METRIC_UNDEFINED) when the submission cannot be scored at all.
 */
export async function computeHeadroom(ruleSet: RuleSet | CompiledRuleSet, submission: unknown): Promise<Headroom> {
  const compiled = 'stages' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
  const report = await scoreSubmission(compiled, submission);
  const parsed = parseSubmission(compiled.ruleSet, submission).parsed!;
  const scorer = new CandidateScorer(compiled, submission);
  const nodes = nodesByCode(report.sections);
  const ctx: HeadroomContext = {
    compiled,
    parsed,
    scorer,
    submission: submission as Submission,
    report,
    nodes,
    metricMemo: new Map(),
    scope: formulaScope(report, nodes),
  };

  const lost: HeadroomLostLeaf[] = [];
  for (const entry of report.lostPoints) {
    const node = nodes.get(entry.code)!;
    lost.push({
      code: node.code,
      name: node.name,
      score: node.score,
      max: node.max,
      lost: entry.lost,
      method: node.method ?? node.kind,
      reason: entry.reason,
      ...(node.metric ? { metric: node.metric.shown } : {}),
      options: await optionsFor(ctx, node),
    });
  }

  const file = compiled.ruleSet.file;
  const places = file.rounding.totalPlaces;
  const total = new D(report.total);
  const totalLost = lost.reduce((s, l) => s.add(l.lost), ZERO);
  const next = nextGradeAbove(file.grades, report.gradeCode);
  let nextGrade: HeadroomNextGrade | null = null;
  let plan: HeadroomPlan | null = null;
  if (next) {
    const needed = new D(next.min).sub(total);
    plan = await planFor(ctx, lost, next, needed);
    nextGrade = {
      code: next.code,
      label: next.label,
      min: next.min,
      needed: needed.toFixed(places),
      reachable: plan?.verified.reached ?? false,
    };
  }
  return {
    ruleSet: { id: report.ruleSet.id, version: report.ruleSet.version, checksum: report.ruleSet.checksum },
    department: { code: report.department.code, name: report.department.name },
    fiscalYear: report.fiscalYear,
    total: report.total,
    maxTotal: report.maxTotal,
    grade: report.grade,
    gradeCode: report.gradeCode,
    totalLost: totalLost.toFixed(places),
    lost,
    nextGrade,
    toMaximum: new D(report.maxTotal).sub(total).toFixed(places),
    plan,
    scorings: scorer.scorings,
  };
}

interface HeadroomContext extends SearchContext {
  submission: Submission;
  report: ScoreReport;
  nodes: Map<string, NodeReport>;
}

/** What a formula reads besides inputs (targets met, other indicators' scores), from the submission as scored. */
function formulaScope(report: ScoreReport, nodes: Map<string, NodeReport>): SearchContext['scope'] {
  const targetsUnder = (code: string): NodeReport[] => {
    const found: NodeReport[] = [];
    const walk = (node: NodeReport): void => {
      if (node.kind === 'target') found.push(node);
      node.children?.forEach(walk);
    };
    const section = nodes.get(code);
    if (section) walk(section);
    return found;
  };
  return {
    targetsMet: (section) => new D(targetsUnder(section).filter((t) => t.target?.met).length),
    targetsDeclared: (section) => new D(targetsUnder(section).length),
    score: (code) => new D(nodes.get(code)?.score ?? 0),
  };
}

/** The next grade above the current one (by lower bound), if any. */
function nextGradeAbove(grades: readonly GradeSpec[], current: string): GradeSpec | undefined {
  const ascending = [...grades].sort((a, b) => new D(a.min).cmp(b.min));
  const here = ascending.find((g) => g.code === current)!;
  return ascending.find((g) => new D(g.min).gt(here.min));
}

async function optionsFor(ctx: HeadroomContext, node: NodeReport): Promise<HeadroomOption[]> {
  if (node.kind === 'target') return targetOptions(ctx, node);
  const leaf = ctx.compiled.leaves.get(node.code);
  if (!leaf) return [];
  const method = leaf.leaf.method;
  switch (method.type) {
    case 'proportional':
    case 'deduction':
    case 'bands':
      return figureOptions(ctx, node, leaf, leaf.formulaInputs, method.type === 'bands', 'figure');
    case 'count-adjust':
      return figureOptions(ctx, node, leaf, [method.positive.input, method.negative.input], true, 'judgment');
    case 'checklist':
      return checklistOptions(ctx, node, leaf.leaf, method.input);
    case 'boolean':
      return judged(ctx, node, {
        input: method.input,
        label: ctx.compiled.inputs.get(method.input)!.label,
        pointer: toPointer('inputs', method.input),
        from: 'false',
        to: 'true',
        changes: [{ pointer: toPointer('inputs', method.input), value: true }],
      });
    case 'judgment': {
      const judgment = ctx.parsed.judgments.get(method.input)!;
      const pointer = toPointer('inputs', method.input, 'score');
      return judged(ctx, node, {
        input: method.input,
        label: ctx.compiled.inputs.get(method.input)!.label,
        pointer,
        from: judgment.score.toFixed(),
        to: leaf.weight.toFixed(),
        changes: [
          { pointer, value: leaf.weight.toFixed() },
          ...tierChange(method.tiers, toPointer('inputs', method.input, 'tier')),
        ],
      });
    }
    case 'judged-adjust': {
      // a judged 加减分 can at most reach its bonus cap
      const judgment = ctx.parsed.judgments.get(method.input)!;
      const cap = new D(method.bonusCap ?? 0);
      if (judgment.score.gte(cap)) return [];
      const pointer = toPointer('inputs', method.input, 'score');
      return judged(ctx, node, {
        input: method.input,
        label: ctx.compiled.inputs.get(method.input)!.label,
        pointer,
        from: judgment.score.toFixed(),
        to: cap.toFixed(),
        changes: [{ pointer, value: cap.toFixed() }],
      });
    }
    case 'events':
      // events happened or did not: nothing a department could change to gain points
      return [];
  }
}

/** The tier a full score lies in (the one reaching the whole weight), when the value is judged in tiers. */
function tierChange(tiers: readonly TierSpec[] | undefined, pointer: string): HeadroomChange[] {
  if (!tiers || tiers.length === 0) return [];
  const top = tiers.reduce((best, t) => (new D(t.max).gt(best.max) ? t : best));
  return [{ pointer, value: top.code }];
}

/**
 * Searches each numeric input in both directions (the improving one is found by probing) and turns what it finds
 * into options, each scored by the engine at exactly the value proposed.
 */
async function figureOptions(
  ctx: HeadroomContext,
  node: NodeReport,
  leaf: CompiledLeaf,
  inputIds: readonly string[],
  successive: boolean,
  kind: HeadroomOption['kind'],
): Promise<HeadroomOption[]> {
  const current = new D(node.score);
  const max = new D(node.max);
  const options: HeadroomOption[] = [];
  for (const id of new Set(inputIds)) {
    const input = numericInput(ctx.compiled, ctx.parsed, id);
    for (const direction of [1, -1] as const) {
      const found = await searchInput(ctx, leaf, input, direction, { current, max, successive });
      for (const [i, point] of found.entries()) {
        const option = await scoredOption(ctx, node, {
          kind,
          step: stepOf(point, i, max),
          input: id,
          label: input.spec.label,
          pointer: input.pointer,
          from: input.text,
          to: point.text,
          changes: [{ pointer: input.pointer, value: point.text }],
        });
        if (option) options.push(option);
      }
    }
  }
  return options;
}

const stepOf = (point: PathPoint, index: number, max: D): HeadroomOption['step'] =>
  point.score.gte(max) ? 'full' : index === 0 ? 'first-gain' : 'next-level';

/** One option per unmet checklist point (and one meeting them all when several are unmet). */
async function checklistOptions(
  ctx: HeadroomContext,
  node: NodeReport,
  leaf: LeafNode,
  inputId: string,
): Promise<HeadroomOption[]> {
  const spec = ctx.compiled.inputs.get(inputId)!;
  if (spec.type !== 'checklist') return [];
  const answers = ctx.parsed.checklists.get(inputId)!;
  const submitted = (ctx.submission.inputs?.[inputId] ?? {}) as Record<string, InputValue>;
  const unmet = spec.points.filter((p) => !answers.get(p.id)!.met);
  const pointerOf = (pointId: string): string =>
    typeof submitted[pointId] === 'object'
      ? toPointer('inputs', inputId, pointId, 'met')
      : toPointer('inputs', inputId, pointId);
  const options: HeadroomOption[] = [];
  for (const point of unmet) {
    options.push(
      ...(await judged(ctx, node, {
        input: inputId,
        label: point.label,
        pointer: pointerOf(point.id),
        from: 'false',
        to: 'true',
        changes: [{ pointer: pointerOf(point.id), value: true }],
      })),
    );
  }
  if (unmet.length > 1) {
    options.push(
      ...(await judged(ctx, node, {
        input: inputId,
        label: `${leaf.name}：${unmet.map((p) => p.label).join('、')}`,
        pointer: toPointer('inputs', inputId),
        from: 'false',
        to: 'true',
        changes: unmet.map((p) => ({ pointer: pointerOf(p.id), value: true })),
      })),
    );
  }
  return options;
}

type OptionDraft = Pick<HeadroomOption, 'input' | 'label' | 'pointer' | 'from' | 'to' | 'changes'>;

/** A judgment-based option, scored by the engine. */
async function judged(ctx: HeadroomContext, node: NodeReport, draft: OptionDraft): Promise<HeadroomOption[]> {
  const option = await scoredOption(ctx, node, { ...draft, kind: 'judgment', step: 'full' });
  if (option && new D(option.scoreTo).lt(node.max)) option.step = 'first-gain';
  return option ? [option] : [];
}

/** A declared target: the actual value that meets a quantitative one; the top tier for a qualitative one. */
async function targetOptions(ctx: HeadroomContext, node: NodeReport): Promise<HeadroomOption[]> {
  const found = declaredIndicator(ctx.parsed, ctx.compiled, node.code);
  if (!found) return [];
  const { indicator, spec } = found;
  if (indicator.kind === 'qualitative') {
    const pointer = toPointer('targetResults', indicator.code, 'score');
    return judged(ctx, node, {
      input: indicator.code,
      label: indicator.name,
      pointer,
      from: indicator.judgedScore?.toFixed() ?? '',
      to: indicator.weight.toFixed(),
      changes: [
        { pointer, value: indicator.weight.toFixed() },
        ...tierChange(spec.qualitativeTiers, toPointer('targetResults', indicator.code, 'tier')),
      ],
    });
  }
  const actual = indicator.actual!;
  const meets =
    indicator.comparator === 'range' && actual.gt(indicator.targetMax!) ? indicator.targetMax! : indicator.targetValue!;
  const pointer = toPointer('targetResults', indicator.code, 'actual');
  const option = await scoredOption(ctx, node, {
    kind: 'figure',
    step: 'full',
    input: indicator.code,
    label: indicator.name,
    pointer,
    from: indicator.actualRaw ?? actual.toFixed(),
    to: meets.toFixed(),
    changes: [{ pointer, value: meets.toFixed() }],
  });
  return option ? [option] : [];
}

function declaredIndicator(
  parsed: ParsedSubmission,
  compiled: CompiledRuleSet,
  code: string,
): { indicator: ParsedDeclaredIndicator; spec: DeclaredSpec } | undefined {
  for (const [section, goals] of parsed.declared) {
    for (const goal of goals) {
      const indicator = goal.indicators.find((i) => i.code === code);
      if (indicator) return { indicator, spec: compiled.declared.get(section)!.declared };
    }
  }
  return undefined;
}

/** Scores a draft option with the engine; undefined when it gains nothing on its leaf. */
async function scoredOption(
  ctx: HeadroomContext,
  node: NodeReport,
  draft: OptionDraft & Pick<HeadroomOption, 'kind' | 'step'>,
): Promise<HeadroomOption | undefined> {
  const scored = await ctx.scorer.score(draft.changes);
  const after = scored?.nodes.get(node.code);
  if (!scored || !after) return undefined;
  const gain = new D(after.score).sub(node.score);
  if (gain.lte(0)) return undefined;
  const metricPlaces = metricPlacesOf(ctx.compiled, node.code);
  const metric = (value: string | undefined): string | undefined =>
    value === undefined || metricPlaces === undefined ? undefined : new D(value).toFixed(metricPlaces);
  const metricFrom = metric(node.metric?.value);
  const metricTo = metric(after.metric);
  return {
    kind: draft.kind,
    step: draft.step,
    input: draft.input,
    label: draft.label,
    pointer: draft.pointer,
    from: draft.from,
    to: draft.to,
    adjustable: draft.changes.every(
      (change) => 'value' in resolveAdjustablePointer(ctx.compiled.ruleSet, ctx.parsed, change.pointer),
    ),
    ...(metricFrom !== undefined ? { metricFrom } : {}),
    ...(metricTo !== undefined ? { metricTo } : {}),
    scoreTo: after.score,
    gain: gain.toFixed(Math.max(placesOf(node.score), placesOf(after.score))),
    total: scored.total,
    ...(after.calc ? { calc: after.calc } : {}),
    changes: draft.changes,
  };
}

const placesOf = (text: string): number => (text.includes('.') ? text.split('.')[1].length : 0);

/** The display precision of a leaf's metric (what is shown is what is scored). */
function metricPlacesOf(compiled: CompiledRuleSet, code: string): number | undefined {
  const metric = compiled.leaves.get(code)?.leaf.metric;
  if (!metric) return undefined;
  return metric.places ?? (metric.unit === 'percent' ? compiled.ruleSet.file.rounding.ratePlaces : 2);
}

/**
 * The cheapest plan to the next grade, verified by the engine with all its changes together; when a combination
 * falls short (gains that do not add up), the next best is tried. Null when the options cannot reach it.
 */
async function planFor(
  ctx: HeadroomContext,
  lost: HeadroomLostLeaf[],
  grade: GradeSpec,
  needed: D,
): Promise<HeadroomPlan | null> {
  const total = new D(ctx.report.total);
  const places = ctx.compiled.ruleSet.file.rounding.totalPlaces;
  const leaves = lost
    .map((leaf) => ({
      leaf,
      options: leaf.options
        .map((option) => ({ option, gain: new D(option.total).sub(total), judgment: option.kind === 'judgment' }))
        .filter((o) => o.gain.gt(0)),
    }))
    .filter((c) => c.options.length > 0)
    // Tree order, so ties go to the leaf that comes first in the report.
    .sort((a, b) => treeIndex(ctx, a.leaf.code) - treeIndex(ctx, b.leaf.code));
  const candidates: PlanCandidate[] = leaves.map((c) => ({ options: c.options }));
  const excluded = new Set<string>();
  let fallback: HeadroomPlan | null = null;
  for (let attempt = 0; attempt < PLAN_ATTEMPTS; attempt++) {
    const { search, choice } = cheapestPlan(candidates, needed, excluded);
    if (!choice) break;
    const steps = choice.picks.map(({ candidate, option }) => ({
      code: leaves[candidate].leaf.code,
      name: leaves[candidate].leaf.name,
      option: leaves[candidate].options[option].option,
    }));
    const verified = await ctx.scorer.score(steps.flatMap((s) => s.option.changes));
    // reached when the engine gives the grade (or a higher one): a total above its minimum is not enough when a
    // veto or cap of the rule set holds
    const rank = (code: string): number => ctx.compiled.ruleSet.file.grades.findIndex((g) => g.code === code);
    const reached = verified !== undefined && rank(verified.gradeCode) <= rank(grade.code);
    const plan: HeadroomPlan = {
      grade: { code: grade.code, label: grade.label, min: grade.min },
      needed: needed.toFixed(places),
      search,
      steps,
      leavesChanged: steps.length,
      expectedGain: choice.gain.toFixed(places),
      overshoot: choice.overshoot.toFixed(places),
      verified: {
        total: verified?.total ?? ctx.report.total,
        grade: verified?.grade ?? ctx.report.grade,
        gradeCode: verified?.gradeCode ?? ctx.report.gradeCode,
        reached,
      },
    };
    if (reached) return plan;
    fallback ??= plan;
    excluded.add(choiceKey(choice));
  }
  return fallback;
}

function treeIndex(ctx: HeadroomContext, code: string): number {
  return [...ctx.nodes.keys()].indexOf(code);
}
