import { type DeclaredNode, type IndicatorNode, isDeclaredNode, isGroupNode } from '@jiping/rules';
import { renderBasis } from '../basis';
import { D, HUNDRED, roundTo, ZERO, fixed } from '../decimal';
import { describeTarget } from '../methods/target.method';
import type {
  BudgetHeaderReport,
  LostPoints,
  MetricReport,
  NodeReport,
  NodeStatus,
  ScoreReport,
} from '../score-report.types';
import type { ParsedDeclaredIndicator } from '../submission/parsed-submission';
import { ENGINE_VERSION } from '../version';
import { vetoOutcome } from './veto-outcome';
import type { NodeFigure } from './not-applicable-tree';
import { leafTally, lostOf, type NodeTally, sumTallies, targetTally } from './node-tally';
import type { ScoredMetric, ScoredSubmission, TargetResult } from './submission-scorer';

interface Built {
  report: NodeReport;
  tally: NodeTally;
}

/** Writes the ScoreReport of a scored submission: every node's score, status and 评分依据, the header, the trace. */
export function buildReport(scored: ScoredSubmission): ScoreReport {
  return new ReportBuilder(scored).build();
}

class ReportBuilder {
  /** Leaves and targets that lost points, in tree order, for 扣分原因. */
  private readonly losses: Array<LostPoints & { amount: D }> = [];

  constructor(private readonly scored: ScoredSubmission) {}

  build(): ScoreReport {
    const { compiled, submission } = this.scored;
    const file = compiled.ruleSet.file;
    const built = file.indicators.map((node) => this.node(node, 1));
    const tree = this.scored.tree;
    const marked = submission.notApplicable;
    if (tree && marked.size > 0) for (const b of built) patchFigures(b.report, tree.nodes);
    const onTop = onTopOf(file.indicators, built);
    const { total, grade, scoredTotal, scoredGrade, held } = vetoOutcome(
      file,
      this.scored.scoredTotal,
      this.scored.vetoes,
    );
    return {
      reportVersion: '1',
      ruleSet: {
        id: compiled.ruleSet.id,
        version: compiled.ruleSet.version,
        title: file.title,
        checksum: compiled.ruleSet.checksum,
      },
      engine: { name: 'jiping', version: ENGINE_VERSION },
      department: submission.department,
      fiscalYear: submission.fiscalYear,
      overview: submission.overview,
      header: this.header(),
      sections: built.map((b) => b.report),
      total: fixed(total, file.rounding.totalPlaces),
      maxTotal: file.total,
      ...(onTop && { onTop }),
      grade: grade.label,
      gradeCode: grade.code,
      ...(held.length > 0 && {
        vetoes: held,
        beforeVetoes: {
          total: fixed(scoredTotal, file.rounding.totalPlaces),
          grade: scoredGrade.label,
          gradeCode: scoredGrade.code,
        },
      }),
      ...(tree &&
        marked.size > 0 && {
          notApplicable: {
            indicators: [...marked].map(([code, reason]) => ({ code, name: this.nameOf(code), reason })),
            ...(tree.rescale && { total: tree.rescale.text }),
          },
        }),
      lostPoints: this.lostPoints(),
      trace: { fired: this.scored.fired, notFired: this.scored.notFired },
    };
  }

  private node(node: IndicatorNode, level: number): Built {
    if (isDeclaredNode(node)) return this.declared(node, level);
    const built = isGroupNode(node)
      ? group(
          node.code,
          node.name,
          level,
          'group',
          node.weight,
          node.children.map((child) => this.node(child, level + 1)),
          node.explanation,
        )
      : this.leaf(node.code, level);
    if (node.onTop) built.report.onTop = true;
    return built;
  }

  /** The name of a leaf or declared key indicator. */
  private nameOf(code: string): string {
    const leaf = this.scored.compiled.leaves.get(code);
    if (leaf) return leaf.leaf.name;
    for (const results of this.scored.targets.values())
      for (const { indicator } of results) if (indicator.code === code) return indicator.name;
    return code;
  }

  private leaf(code: string, level: number): Built {
    const { compiled, submission } = this.scored;
    const leafSpec = compiled.leaves.get(code)!;
    const node = leafSpec.leaf;
    const result = this.scored.leaves.get(code)!;
    const { outcome, metric } = result;
    const tally = leafTally(leafSpec, result);
    // marked 不适用: its weight goes elsewhere, it loses nothing
    const lost = submission.notApplicable.has(code) ? ZERO : lostOf(tally);
    const text = outcome.explain();
    const figures: Record<string, string> = { ...text.figures };
    for (const { id, label, unit } of leafSpec.figureInputs) figures[label] = submission.numberTexts.get(id)! + unit;
    const score = leafSpec.show(outcome.score);
    const [targetsSection] = leafSpec.formulaSections;
    const template = result.status === 'not-applicable' || result.status === 'vetoed' ? undefined : node.basis;
    const basis = renderBasis(template, {
      calc: text.calc,
      metric: metric?.shown,
      score,
      weight: node.weight,
      evidence: submission.evidence.get(code),
      values: (key) => {
        if (key === 'targetsMet' || key === 'targetsDeclared') {
          const results = this.scored.targets.get(targetsSection ?? '') ?? [];
          return String(key === 'targetsMet' ? results.filter((r) => r.outcome.met).length : results.length);
        }
        return submission.numberTexts.get(key) ?? submission.texts.get(key);
      },
    });
    const lostText = fixed(lost, leafSpec.places);
    const lostReason = lost.gt(0) ? (text.lostReason ?? `扣${lostText}分`) : undefined;
    if (lostReason !== undefined)
      this.losses.push({ code, name: node.name, lost: lostText, reason: lostReason, amount: lost });
    const report: NodeReport = {
      code,
      name: node.name,
      level,
      kind: 'leaf',
      weight: node.weight,
      max: tally.max.toFixed(),
      score,
      lost: lostText,
      status: result.status,
      explanation: node.explanation,
      method: node.method.type,
      metric: metric ? metricReport(node.metric!, node.name, metric) : undefined,
      decision: { rule: outcome.rule, description: text.description },
      figures: Object.keys(figures).length > 0 ? figures : undefined,
      calc: text.calc,
      basis,
      lostReason,
    };
    return { report, tally };
  }

  private declared(node: DeclaredNode, level: number): Built {
    const { compiled, submission } = this.scored;
    const places = compiled.targetRounders.get(node.code)!.places;
    const goals = submission.declared.get(node.code) ?? [];
    const results = this.scored.targets.get(node.code) ?? [];
    let next = 0;
    const target = (indicator: ParsedDeclaredIndicator, targetLevel: number): Built =>
      this.target(node, indicator, results[next++], places, targetLevel);
    const children =
      node.declared.levels === 2
        ? goals.map((goal) =>
            group(
              goal.code,
              goal.name,
              level + 1,
              'declared-goal',
              goal.weight.toFixed(),
              goal.indicators.map((indicator) => target(indicator, level + 2)),
            ),
          )
        : goals.flatMap((goal) => goal.indicators.map((indicator) => target(indicator, level + 1)));
    return group(node.code, node.name, level, 'declared-section', node.weight, children, node.explanation);
  }

  private target(
    section: DeclaredNode,
    indicator: ParsedDeclaredIndicator,
    result: TargetResult,
    places: number,
    level: number,
  ): Built {
    const spec = section.declared;
    const { outcome } = result;
    const tally = targetTally(indicator, result, places);
    const reason = this.scored.submission.notApplicable.get(indicator.code);
    const lost = reason !== undefined ? ZERO : indicator.weight.sub(outcome.score);
    const text = outcome.explain();
    const score = fixed(outcome.score, places);
    const lostText = fixed(lost, places);
    const weight = indicator.weight.toFixed();
    const lead = outcome.met ? (spec.basisMet ?? '已完成年度指标值') : (spec.basisUnmet ?? '未完成年度指标值');
    const lostReason = lost.gt(0) ? text.lostReason : undefined;
    if (lost.gt(0))
      this.losses.push({
        code: indicator.code,
        name: indicator.name,
        lost: lostText,
        reason: lostReason ?? '',
        amount: lost,
      });
    const report: NodeReport = {
      code: indicator.code,
      name: indicator.name,
      level,
      kind: 'target',
      weight,
      max: weight,
      score,
      lost: lostText,
      status:
        reason !== undefined
          ? 'not-applicable'
          : outcome.score.gte(indicator.weight)
            ? 'full'
            : outcome.score.isZero()
              ? 'zero'
              : 'partial',
      explanation: indicator.description,
      method: 'target',
      decision: { rule: outcome.rule, description: text.description },
      figures: text.figures,
      calc: text.calc,
      basis: renderBasis(undefined, {
        calc: reason !== undefined ? text.calc : `${lead}：${text.calc}`,
        score,
        weight,
        evidence: this.scored.submission.evidence.get(indicator.code),
        values: () => undefined,
      }),
      lostReason,
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
    return { report, tally };
  }

  /** Every leaf and target that lost points, the largest loss first (扣分原因); ties keep the tree order. */
  private lostPoints(): LostPoints[] {
    return [...this.losses]
      .sort((a, b) => b.amount.cmp(a.amount))
      .map(({ code, name, lost, reason }) => ({ code, name, lost, reason }));
  }

  private header(): BudgetHeaderReport | undefined {
    const { compiled, submission } = this.scored;
    const spec = compiled.ruleSet.file.budgetHeader;
    const budget = submission.budget;
    if (!spec || !budget) return undefined;
    const places = compiled.ruleSet.file.rounding.ratePlaces;
    const rate = (executed: D, budgeted: D): string =>
      budgeted.isZero()
        ? '-'
        : fixed(roundTo(executed.mul(HUNDRED).div(budgeted), places, compiled.mode), places) + '%';
    const columns = spec.breakdowns.flatMap((breakdown) =>
      breakdown.columns.map((column) => {
        const { budgeted, executed } = budget.columns.get(column.code)!;
        return {
          code: column.code,
          label: column.label,
          breakdown: breakdown.label,
          budgeted: fixed(budgeted, 2),
          executed: fixed(executed, 2),
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
      totalBudgeted: fixed(totalBudgeted, 2),
      totalExecuted: fixed(totalExecuted, 2),
      totalRate: rate(totalExecuted, totalBudgeted),
    };
  }
}

function metricReport(
  spec: { label?: string; formula: string; unit: 'percent' | 'number' },
  name: string,
  metric: ScoredMetric,
): MetricReport {
  return {
    label: spec.label ?? name,
    formula: spec.formula,
    unit: spec.unit,
    computed: metric.computed.toFixed(),
    value: metric.value.toFixed(),
    shown: metric.shown,
  };
}

/** A group (or declared section or goal): its tally is the sum of its children's (node-tally.ts). */
function group(
  code: string,
  name: string,
  level: number,
  kind: NodeReport['kind'],
  weight: string,
  children: Built[],
  explanation?: string,
): Built {
  const tally = sumTallies(children.map((c) => c.tally));
  const lost = lostOf(tally);
  const status: NodeStatus = tally.notApplicable
    ? 'not-applicable'
    : lost.isZero()
      ? 'full'
      : tally.score.isZero()
        ? 'zero'
        : 'partial';
  return {
    tally,
    report: {
      code,
      name,
      level,
      kind,
      weight,
      max: tally.max.toFixed(),
      score: fixed(tally.score, tally.places),
      lost: fixed(lost, Math.max(tally.places, lost.decimalPlaces())),
      status,
      explanation,
      children: children.map((c) => c.report),
    },
  };
}

/** How a total with 加减分 counted on top of it is made up; undefined when the rule set has none. */
function onTopOf(nodes: readonly IndicatorNode[], built: readonly Built[]): ScoreReport['onTop'] {
  if (!nodes.some((node) => !isDeclaredNode(node) && node.onTop)) return undefined;
  const base = sumTallies(built.filter((b) => !b.report.onTop).map((b) => b.tally));
  const extra = sumTallies(built.filter((b) => b.report.onTop).map((b) => b.tally));
  return {
    base: fixed(base.score, base.places),
    score: fixed(extra.score, extra.places),
    max: extra.max.toFixed(),
  };
}

/**
 * Writes the figures of a tally with indicators marked 不适用 (not-applicable-tree.ts) over a node and its children:
 * score, weight, maximum and points lost, the status of what is 不适用, and the redistribution in the 评分依据.
 */
function patchFigures(report: NodeReport, figures: ReadonlyMap<string, NodeFigure>): void {
  for (const child of report.children ?? []) patchFigures(child, figures);
  const figure = figures.get(report.code);
  if (!figure) return;
  const notApplicable = !figure.applicable;
  report.score = fixed(figure.score, figure.places);
  report.weight = figure.weight.toFixed();
  report.max = (notApplicable ? figure.weight : figure.max).toFixed();
  const lost = notApplicable ? ZERO : D.max(ZERO, figure.max.sub(figure.score));
  report.lost = fixed(lost, Math.max(figure.places, lost.decimalPlaces()));
  if (!figure.applicable) report.status = 'not-applicable';
  else if (report.kind !== 'leaf' && report.kind !== 'target')
    report.status = lost.isZero() ? 'full' : figure.score.isZero() ? 'zero' : 'partial';
  if (figure.note) report.basis = report.basis ? `${report.basis}；${figure.note}` : figure.note;
}
