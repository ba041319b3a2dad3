import { type InputSpec, type RoundingMode, toPointer } from '@jiping/rules';
import type { CompiledLeaf, CompiledRuleSet } from '../compile-rule-set';
import { D, HUNDRED, roundTo } from '../decimal';
import { type FormulaScope, UndefinedMetric } from '../formula-evaluator';
import type { ParsedSubmission } from '../submission/parsed-submission';
import { CandidateScorer } from './candidate-scorer';
import type { HeadroomChange } from './headroom.types';

/** A numeric input a formula or method reads: where it stands and how finely it can change. */
export interface NumericInput {
  id: string;
  spec: InputSpec;
  /** The value as submitted. */
  value: D;
  text: string;
  /** Decimal places a submitted value may have: money 2, percent its places (2), count 0. */
  places: number;
  pointer: string;
}

export function numericInput(compiled: CompiledRuleSet, parsed: ParsedSubmission, id: string): NumericInput {
  const spec = compiled.inputs.get(id)!;
  const text = parsed.numberTexts.get(id)!;
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  const places =
    spec.type === 'money'
      ? 2
      : spec.type === 'percent'
        ? (spec.places ?? 2)
        : spec.type === 'count'
          ? 0
          : spec.type === 'number'
            ? (spec.places ?? Math.max(2, decimals))
            : 0;
  return { id, spec, value: parsed.numbers.get(id)!, text, places, pointer: toPointer('inputs', id) };
}

const allowsNegative = (spec: InputSpec): boolean =>
  (spec.type === 'money' || spec.type === 'percent' || spec.type === 'number') && spec.allowNegative === true;

/** A point of a search path: how far along it is (k), the input's value there and the leaf's score. */
export interface PathPoint {
  k: number;
  x: D;
  text: string;
  score: D;
}

/** A path the input's value takes away from the submitted value, in one direction, probed by the engine. */
interface Path {
  /** The last k. */
  length: number;
  /** The leaf's score never turns back along the path, so its far end tells whether the path gains at all. */
  monotone: boolean;
  probe(k: number): Promise<PathPoint | undefined>;
}

export interface SearchContext {
  compiled: CompiledRuleSet;
  parsed: ParsedSubmission;
  scorer: CandidateScorer;
  /** What formulas read besides inputs, taken from the submission as scored. */
  scope: Omit<FormulaScope, 'input'>;
  /** Per leaf: its score by metric value (the score of a leaf with a metric depends on nothing else). */
  metricMemo: Map<string, Map<string, D>>;
}

/** How far one search may move an input: ten times the largest figure its formula reads (at least 10). */
const SPAN_FACTOR = 10;

/**
 * Searches one input of a leaf in one direction for the smallest changes that raise the leaf's score, each scored by
 * the engine: the first gain, then either every further level (`successive`: bands, counts) or the leaf's full score.
 * Steps are whole units of the input's precision (money 0.01, percent 0.01, count 1); the search gallops (1, 2, 4, …
 * steps) until a candidate gains and then bisects back to the smallest one. A leaf with a metric is searched along its
 * metric (in steps of its display precision, each turned into the smallest input value that reaches it), so inputs
 * of the same leaf share their scorings.
 */
export async function searchInput(
  ctx: SearchContext,
  leaf: CompiledLeaf,
  input: NumericInput,
  direction: 1 | -1,
  options: { current: D; max: D; successive: boolean },
): Promise<PathPoint[]> {
  const path = leaf.formula ? metricPath(ctx, leaf, input, direction) : valuePath(ctx, leaf, input, direction);
  if (!path) return [];
  if (path.monotone) {
    // The improving direction, found with one probe: a monotone path that does not gain at its end gains nowhere.
    const end = await path.probe(path.length);
    if (end && end.score.lte(options.current)) return [];
  }
  const first = await firstHit(path, 0, (s) => s.gt(options.current));
  if (!first) return [];
  const found = [first];
  if (options.successive) {
    let last = first;
    while (last.score.lt(options.max) && found.length < 10) {
      const floor = last.score;
      const next = await firstHit(path, last.k, (s) => s.gt(floor));
      if (!next) break;
      found.push(next);
      last = next;
    }
  } else if (first.score.lt(options.max)) {
    const full = await firstHit(path, first.k, (s) => s.gte(options.max));
    if (full) found.push(full);
  }
  return found;
}

/** The input's value n steps away, and how far it may go. */
function stepper(ctx: SearchContext, leaf: CompiledLeaf, input: NumericInput, direction: 1 | -1) {
  const unit = new D(10).pow(-input.places);
  const figures = leaf.formulaInputs.map((id) => ctx.parsed.numbers.get(id)!.abs());
  const span = D.max(input.value.abs(), 1, ...figures).mul(SPAN_FACTOR);
  const room = direction > 0 || allowsNegative(input.spec) ? span : input.value;
  const steps = room.div(unit).floor().toNumber();
  const at = (n: number): D => input.value.add(unit.mul(n).mul(direction));
  return { steps: Math.min(steps, Number.MAX_SAFE_INTEGER), at, show: (x: D) => x.toFixed(input.places) };
}

/** The leaf's score and metric (as the engine scored it) with the input at x; undefined when the engine refuses. */
async function leafAt(
  ctx: SearchContext,
  leaf: CompiledLeaf,
  input: NumericInput,
  text: string,
): Promise<{ score: D; metric?: string } | undefined> {
  const change: HeadroomChange = { pointer: input.pointer, value: text };
  const scored = await ctx.scorer.score([change]);
  if (!scored) return undefined;
  return { score: CandidateScorer.scoreOf(scored, leaf.leaf.code), metric: scored.nodes.get(leaf.leaf.code)?.metric };
}

/** A leaf without a metric (count-adjust): the path is the input's own values, one step at a time. */
function valuePath(ctx: SearchContext, leaf: CompiledLeaf, input: NumericInput, direction: 1 | -1): Path | undefined {
  const { steps, at, show } = stepper(ctx, leaf, input, direction);
  if (steps < 1) return undefined;
  return {
    length: steps,
    // +a per positive event, −b per negative one, each capped: monotone in either count.
    monotone: leaf.leaf.method.type === 'count-adjust',
    probe: async (k) => {
      const x = at(k);
      const text = show(x);
      const scored = await leafAt(ctx, leaf, input, text);
      return scored && { k, x, text, score: scored.score };
    },
  };
}

/**
 * A leaf with a metric: the path runs along the metric in steps of its display precision, from its value as
 * submitted towards the value it takes at the far end of the input's range. Point k is the smallest change of the
 * input whose rounded metric reaches the k-th step (found from the formula alone, without scoring).
 */
function metricPath(ctx: SearchContext, leaf: CompiledLeaf, input: NumericInput, direction: 1 | -1): Path | undefined {
  const file = ctx.compiled.ruleSet.file;
  const spec = leaf.leaf.metric!;
  const percent = spec.unit === 'percent';
  const places = spec.places ?? (percent ? file.rounding.ratePlaces : 2);
  const mode: RoundingMode = file.rounding.mode;
  const metricAt = (x: D): D | undefined => {
    try {
      const value = leaf.evaluate!({
        ...ctx.scope,
        input: (id) => {
          const v = id === input.id ? x : ctx.parsed.numbers.get(id)!;
          return ctx.compiled.inputs.get(id)!.type === 'percent' ? v.div(HUNDRED) : v;
        },
      });
      return roundTo(percent ? value.mul(HUNDRED) : value, places, mode);
    } catch (error) {
      if (error instanceof UndefinedMetric) return undefined;
      throw error;
    }
  };
  const stepperOf = stepper(ctx, leaf, input, direction);
  const { at, show } = stepperOf;
  let steps = stepperOf.steps;
  const start = metricAt(input.value);
  let end = steps >= 1 ? metricAt(at(steps)) : undefined;
  // A formula's pole sits at the end of the range (a denominator reaching 0): stop one step short of it.
  for (let tries = 0; end === undefined && steps > 1 && tries < 3; tries++) end = metricAt(at(--steps));
  if (!start || !end || end.eq(start)) return undefined;
  const sign = end.gt(start) ? 1 : -1;
  const quantum = new D(10).pow(-places);
  const length = Math.min(end.sub(start).abs().div(quantum).floor().toNumber(), Number.MAX_SAFE_INTEGER);
  const reaches = (n: number, target: D): boolean => {
    const m = metricAt(at(n));
    return m !== undefined && m.sub(target).mul(sign).gte(0);
  };
  /** The fewest input steps whose metric reaches start + k quanta (the formula is taken as monotone in the input). */
  const stepsTo = (k: number): number | undefined => {
    const target = start.add(quantum.mul(k).mul(sign));
    let lo = 0;
    for (let d = 1; ; d *= 2) {
      const n = Math.min(d, steps);
      if (reaches(n, target)) return bisect(lo, n, (m) => reaches(m, target));
      if (n === steps) return undefined;
      lo = n;
    }
  };
  const memo = memoFor(ctx, leaf);
  return {
    length,
    monotone: monotoneAlong(leaf, start, end),
    probe: async (k) => {
      const n = stepsTo(k);
      if (n === undefined) return undefined;
      const x = at(n);
      const text = show(x);
      // Looked up by the metric the formula gives here, kept under the metric the engine scored.
      let score = memo?.get(metricAt(x)!.toFixed());
      if (!score) {
        const scored = await leafAt(ctx, leaf, input, text);
        if (!scored) return undefined;
        score = scored.score;
        if (memo && scored.metric !== undefined) memo.set(scored.metric, score);
      }
      return { k, x, text, score };
    },
  };
}

/**
 * Whether a leaf's score is monotone along a metric path from `start` to `end` (the formula being monotone in the
 * input): proportional and deduction always; bands declared monotone when the value they score (the metric, or its
 * absolute value on a path that does not cross zero) moves one way. Anything else is searched without the shortcut.
 */
function monotoneAlong(leaf: CompiledLeaf, start: D, end: D): boolean {
  const method = leaf.leaf.method;
  if (leaf.appliesRule || leaf.vetoRule) return false;
  if (method.type === 'proportional' || method.type === 'deduction') return true;
  if (method.type !== 'bands' || !method.monotone) return false;
  return method.of !== 'abs' || start.isZero() || end.isZero() || start.isNegative() === end.isNegative();
}

/** A leaf's scores by metric value; none for a leaf whose applicability or veto reads other facts. */
function memoFor(ctx: SearchContext, leaf: CompiledLeaf): Map<string, D> | undefined {
  if (leaf.appliesRule || leaf.vetoRule) return undefined;
  let memo = ctx.metricMemo.get(leaf.leaf.code);
  if (!memo) ctx.metricMemo.set(leaf.leaf.code, (memo = new Map()));
  return memo;
}

/** The smallest n in (lo, hi] for which `holds`, given that it fails at lo and holds at hi. */
function bisect(lo: number, hi: number, holds: (n: number) => boolean): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The first point after `from` whose score satisfies `gains`: gallops 1, 2, 4, … points ahead (the far end last),
 * then bisects between the last point that did not gain and the first that did.
 */
async function firstHit(path: Path, from: number, gains: (score: D) => boolean): Promise<PathPoint | undefined> {
  let lo = from;
  let hit: PathPoint | undefined;
  for (let d = 1; !hit; d *= 2) {
    const k = Math.min(from + d, path.length);
    if (k <= lo) return undefined;
    const point = await path.probe(k);
    if (point && gains(point.score)) hit = point;
    else if (k === path.length) return undefined;
    else lo = k;
  }
  let hi = hit.k;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const point = await path.probe(mid);
    if (point && gains(point.score)) {
      hit = point;
      hi = mid;
    } else lo = mid;
  }
  return hit;
}
