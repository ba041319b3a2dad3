import {
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  type NotApplicablePolicy,
  notApplicablePolicyOf,
  type RoundingMode,
  type RuleFile,
} from '@jiping/rules';
import type { CompiledRuleSet } from '../compile-rule-set';
import { D, fixed, plain, roundTo, ZERO } from '../decimal';
import type { ParsedSubmission } from '../submission/parsed-submission';
import type { LeafResult, TargetResult } from './submission-scorer';

/**
 * A node's figures once the indicators a department marked 不适用 are accounted for: its score, its weight (changed only
 * when its parent gives the weight of a 不适用 sibling to it) and its maximum, the decimals it is shown with, whether
 * anything under it applies, and the 评分依据 sentence of a redistribution.
 */
export interface NodeFigure {
  score: D;
  weight: D;
  max: D;
  places: number;
  applicable: boolean;
  /** The redistribution at this node, in words (按实际分值折算…, 分值由…调整为…). */
  note?: string;
}

/** The figures of every node (by code) and the total of a submission with indicators marked 不适用. */
export interface NotApplicableTree {
  nodes: Map<string, NodeFigure>;
  /** The total, rounded to the total's places (before vetoes). */
  total: D;
  /** Present when weight was left out of the total (policy total, or a whole 一级指标 不适用): 实得分 ÷ 适用分值 × 总分. */
  rescale?: { earned: D; applicable: D; text: string };
}

interface Scored {
  leaves: ReadonlyMap<string, LeafResult>;
  targets: ReadonlyMap<string, readonly TargetResult[]>;
}

interface Child {
  code: string;
  name: string;
  figure: NodeFigure;
}

/**
 * Tallies the indicator tree of a scored submission, redistributing the weight of what it marked 不适用 by the policy
 * of each parent (its own, else the rule set's): `siblings` gives it to the applicable siblings in proportion to their
 * weights (largest remainders at the scores' places, so the new weights sum exactly to the parent's), each sibling's
 * score scaled with its weight (score × new weight ÷ weight, multiplied before dividing, rounded to its places);
 * `parent` rescales the parent from its applicable part (实得分 ÷ 适用分值 × 分值, rounded to its places); `total` leaves
 * the weight out, and the total is rescaled (实得分 ÷ 适用分值 × 总分). A parent with no applicable child is itself
 * 不适用 for its own parent. Nothing marked: every figure is the plain sum the report shows without this.
 */
export function notApplicableTree(
  compiled: CompiledRuleSet,
  submission: ParsedSubmission,
  scored: Scored,
): NotApplicableTree {
  return new TreeTally(compiled, submission, scored).run();
}

class TreeTally {
  private readonly nodes = new Map<string, NodeFigure>();
  private readonly file: RuleFile;
  private readonly mode: RoundingMode;
  /** Weight left out of the total (policy total, or whole 一级指标 不适用). */
  private excluded: D = ZERO;

  constructor(
    private readonly compiled: CompiledRuleSet,
    private readonly submission: ParsedSubmission,
    private readonly scored: Scored,
  ) {
    this.file = compiled.ruleSet.file;
    this.mode = compiled.mode;
  }

  run(): NotApplicableTree {
    const inTotal: Child[] = [];
    let onTop: D = ZERO;
    for (const node of this.file.indicators) {
      const figure = this.node(node);
      if (!isDeclaredNode(node) && node.onTop) onTop = onTop.add(figure.score);
      else inTotal.push({ code: node.code, name: node.name, figure });
    }
    let base: D = ZERO;
    for (const { figure } of inTotal) {
      if (figure.applicable) base = base.add(figure.score);
      else this.excluded = this.excluded.add(figure.weight);
    }
    const { totalPlaces } = this.file.rounding;
    const full = new D(this.file.total);
    if (this.excluded.isZero()) {
      return { nodes: this.nodes, total: roundTo(base.add(onTop), totalPlaces, this.mode) };
    }
    const applicable = full.sub(this.excluded);
    const rescaled = roundTo(base.mul(full).div(applicable), totalPlaces, this.mode);
    const total = roundTo(rescaled.add(onTop), totalPlaces, this.mode);
    const text =
      `不适用指标的分值${plain(this.excluded)}分不计入，适用分值${plain(applicable)}分；` +
      `实得分${plain(base)}÷适用分值${plain(applicable)}×${plain(full)}=${fixed(rescaled, totalPlaces)}分` +
      (onTop.isZero() ? '' : `，另计加减分${plain(onTop)}分`);
    return { nodes: this.nodes, total, rescale: { earned: base, applicable, text } };
  }

  private node(node: IndicatorNode): NodeFigure {
    let figure: NodeFigure;
    if (isGroupNode(node)) {
      const children = node.children.map((child) => ({ code: child.code, name: child.name, figure: this.node(child) }));
      figure = this.parent(new D(node.weight), children, this.policy(node));
    } else if (isDeclaredNode(node)) {
      figure = this.declared(node);
    } else {
      const leaf = this.compiled.leaves.get(node.code)!;
      const result = this.scored.leaves.get(node.code)!;
      figure = {
        score: result.outcome.score,
        weight: leaf.weight,
        max: leaf.adjustmentMax ?? leaf.weight,
        places: leaf.places,
        applicable: !this.submission.notApplicable.has(node.code),
      };
    }
    this.nodes.set(node.code, figure);
    return figure;
  }

  private policy(node: IndicatorNode): NotApplicablePolicy | undefined {
    return notApplicablePolicyOf(this.file, node);
  }

  private declared(node: IndicatorNode & { declared: { levels: 1 | 2 } }): NodeFigure {
    const places = this.compiled.targetRounders.get(node.code)!.places;
    const results = this.scored.targets.get(node.code) ?? [];
    const policy = this.policy(node);
    let next = 0;
    const goals = this.submission.declared.get(node.code) ?? [];
    const rowsOf = (count: number): Child[] =>
      results.slice(next, (next += count)).map(({ indicator, outcome }) => {
        const figure: NodeFigure = {
          score: outcome.score,
          weight: indicator.weight,
          max: indicator.weight,
          places,
          applicable: !this.submission.notApplicable.has(indicator.code),
        };
        this.nodes.set(indicator.code, figure);
        return { code: indicator.code, name: indicator.name, figure };
      });
    if (node.declared.levels === 1) {
      return this.parent(new D(node.weight), rowsOf(results.length), policy);
    }
    const children = goals.map((goal): Child => {
      const figure = this.parent(goal.weight, rowsOf(goal.indicators.length), policy);
      this.nodes.set(goal.code, figure);
      return { code: goal.code, name: goal.name, figure };
    });
    return this.parent(new D(node.weight), children, policy);
  }

  /** A parent's figure from its children's, redistributing the weight of those 不适用 by `policy`. */
  private parent(weight: D, children: Child[], policy: NotApplicablePolicy | undefined): NodeFigure {
    const applicable = children.filter((c) => c.figure.applicable);
    const out = children.filter((c) => !c.figure.applicable);
    if (out.length === 0) return sum(children, true);
    if (applicable.length === 0)
      return { ...sum(children, false), score: ZERO, weight, max: weight, applicable: false };
    const names = out.map((c) => `“${c.name}”`).join('、');
    const outWeight = out.reduce((s, c) => s.add(c.figure.weight), ZERO);
    switch (policy) {
      case 'parent': {
        const part = applicable.reduce((s, c) => s.add(c.figure.weight), ZERO);
        const earned = applicable.reduce((s, c) => s.add(c.figure.score), ZERO);
        const places = Math.min(...applicable.map((c) => c.figure.places));
        const score = roundTo(earned.mul(weight).div(part), places, this.mode);
        return {
          score,
          weight,
          max: weight,
          places,
          applicable: true,
          note:
            `${names}不适用，适用分值${plain(part)}分，实得${plain(earned)}分；` +
            `按实际分值折算：${plain(earned)}÷${plain(part)}×${plain(weight)}=${fixed(score, places)}分`,
        };
      }
      case 'siblings': {
        const places = Math.min(...applicable.map((c) => c.figure.places));
        const weights = proportional(
          applicable.map((c) => c.figure.weight),
          weight,
          places,
        );
        applicable.forEach((child, i) => {
          const from = child.figure;
          const to = weights[i];
          const score = roundTo(from.score.mul(to).div(from.weight), from.places, this.mode);
          child.figure.note =
            `${names}不适用，其分值${plain(outWeight)}分按权重分配：本项分值由${plain(from.weight)}分调整为${plain(to)}分，` +
            `得分${plain(from.score)}×${plain(to)}÷${plain(from.weight)}=${fixed(score, from.places)}分`;
          child.figure.score = score;
          child.figure.max = from.max.eq(from.weight) ? to : from.max.mul(to).div(from.weight);
          child.figure.weight = to;
        });
        return { ...sum(applicable, true), weight, max: weight };
      }
      default: {
        // total (or none, which validation refuses): the weight is left out here and of the total
        this.excluded = this.excluded.add(outWeight);
        return {
          ...sum(applicable, true),
          weight,
          note: `${names}不适用，其分值${plain(outWeight)}分不计入适用分值（总分按适用分值折算）`,
        };
      }
    }
  }
}

/** The plain sum of children, shown as build-report's tallies show it. */
function sum(children: Child[], applicable: boolean): NodeFigure {
  let score: D = ZERO;
  let max: D = ZERO;
  let weight: D = ZERO;
  let places = Infinity;
  for (const { figure } of children) {
    score = score.add(figure.score);
    max = max.add(figure.max);
    weight = weight.add(figure.weight);
    places = Math.min(places, figure.places);
  }
  return { score, weight, max, places: Math.max(places, score.decimalPlaces()), applicable };
}

/**
 * `total` shared among `weights` in proportion to them, at `places` decimals, summing exactly to `total`: each gets
 * ⌊w × total ÷ Σw⌋ at `places`, and the units left go one each to the largest remainders (the first on a tie). Exact:
 * the quotients and remainders are those of integers.
 */
export function proportional(weights: readonly D[], total: D, atLeast: number): D[] {
  // the shares can sum to the total only at the total's own decimals or finer
  const places = Math.max(atLeast, total.decimalPlaces());
  const scale = new D(10).pow(places);
  const sum = weights.reduce((s, w) => s.add(w), ZERO);
  // numerators and the divisor as integers: multiply by 10^k so every decimal is whole
  const k = Math.max(sum.decimalPlaces(), ...weights.map((w) => w.decimalPlaces()));
  const lift = new D(10).pow(k);
  const divisor = sum.mul(lift);
  const numerators = weights.map((w) => w.mul(lift).mul(total).mul(scale));
  const units = numerators.map((n) => n.divToInt(divisor));
  const remainders = numerators.map((n, i) => n.sub(units[i].mul(divisor)));
  let left = total
    .mul(scale)
    .sub(units.reduce((s, u) => s.add(u), ZERO))
    .toNumber();
  const order = remainders.map((r, i) => ({ r, i })).sort((a, b) => b.r.cmp(a.r) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    units[i] = units[i].add(1);
    left--;
  }
  return units.map((u) => u.div(scale));
}
