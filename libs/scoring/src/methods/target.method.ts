import type { DeclaredSpec, TierSpec } from '@jiping/rules';
import { constant, D, maxOf, minOf, plain, type Rounder, ZERO } from '../decimal';
import type { ParsedDeclaredIndicator } from '../submission/parsed-submission';
import type { LeafOutcome } from './scoring-method';
import { writtenOnce } from './written-once';

export interface TargetOutcome extends LeafOutcome {
  met: boolean;
}

const SYMBOL: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=' };

/** How a declared target reads: ≥20个, 70-80%. */
export function describeTarget(indicator: ParsedDeclaredIndicator): string {
  if (indicator.kind === 'qualitative') return indicator.target;
  const unit = indicator.unit ?? '';
  if (indicator.comparator === 'range') return `${indicator.target}-${plain(indicator.targetMax!)}${unit}`;
  return `${SYMBOL[indicator.comparator!]}${indicator.target}${unit}`;
}

/**
 * Scores a declared key indicator (domain.md §3 "target"). Quantitative: met → w; `≥ t` unmet → w × actual / t;
 * `≤ t` (reverse) unmet → w × t / actual; `=` and ranges likewise; no bonus for over-achievement.
 * Qualitative: the self-score inside the tier (checked on submission); met when the tier is the top one.
 * Products are taken before quotients so a half lands where it should (domain.md §5).
 *
 * An evaluator's ruling (复核认定, `TargetResult.ruling`) overrides the comparator of a quantitative target: `met`
 * scores w whatever the actual; `unmet` counts the target as not met (targetsMet) and scores the not-met formula of
 * its comparator, capped at the highest score below w at the score places (3 → 2.99), since where the comparator
 * holds that formula would reach w and a target ruled unmet never scores as met.
 */
export function scoreTarget(indicator: ParsedDeclaredIndicator, spec: DeclaredSpec, rounder: Rounder): TargetOutcome {
  const { round, show } = rounder;
  const w = indicator.weight;
  if (indicator.kind === 'qualitative') {
    const tier = spec.qualitativeTiers.find((t) => t.code === indicator.tier)!;
    const top = topTierOf(spec.qualitativeTiers);
    const score = round(indicator.judgedScore!);
    return {
      score,
      met: tier.code === top.code,
      rule: `target:qualitative:${tier.code}`,
      explain: () => ({
        calc: `${tier.label}（${plain(w.mul(tier.min))}-${plain(w.mul(tier.max))}分），自评${rounder.earns(indicator.judgedScore!, score).slice(1)}${indicator.reason ? `。${indicator.reason}` : ''}`,
        description: writtenOnce(spec.qualitativeTiers, () =>
          spec.qualitativeTiers
            .map((t) => `${t.label}${plain(new D(t.min).mul(100))}%-${plain(new D(t.max).mul(100))}%`)
            .join('；'),
        ),
        lostReason: score.lt(w) ? `定性指标评为${tier.label}` : undefined,
      }),
    };
  }
  const t = indicator.targetValue!;
  const a = indicator.actual!;
  // holds: the comparator holds; ratio: the figures of the not-met formula w × ratio[0] / ratio[1] (none for a
  // range the actual lies in: a ruling "unmet" scores it w, capped below)
  let holds: boolean;
  let ratio: [D, D] | undefined;
  switch (indicator.comparator!) {
    case '>=':
      holds = a.gte(t);
      ratio = [a, t];
      break;
    case '<=':
      holds = a.lte(t);
      ratio = [t, a];
      break;
    case '=':
      holds = a.eq(t);
      ratio = a.lt(t) ? [a, t] : [t, a];
      break;
    case 'range': {
      const max = indicator.targetMax!;
      holds = a.gte(t) && a.lte(max);
      if (!holds) ratio = a.lt(t) ? [a, t] : [max, a];
      break;
    }
  }
  const ruling = indicator.ruling;
  const met = ruling ? ruling === 'met' : holds;
  const exact = met ? w : minOf(w, maxOf(ZERO, notMetScore(w, ratio)));
  let score = round(exact);
  if (ruling === 'unmet') score = minOf(score, highestBelow(w, show));
  return {
    score,
    met,
    rule: ruling ? `target:ruled-${ruling}` : `target:${met ? 'met' : 'unmet'}`,
    explain: () => {
      const target = describeTarget(indicator);
      const actual = `${indicator.actualRaw}${indicator.unit ?? ''}`;
      const formula = (): string => (ratio ? `${plain(w)}×${plain(ratio[0])}/${plain(ratio[1])}` : '');
      const lead = `实际完成${actual}，目标${target}，${ruling ? `复核认定${met ? '已完成' : '未完成'}，` : ''}`;
      const missed = indicator.reason ? `。未达标原因：${indicator.reason}` : '';
      return {
        calc: met
          ? `${lead}${rounder.earns(exact, score)}`
          : ruling && holds
            ? `${lead}未完成不得满分，得${show(score)}分${missed}`
            : `${lead}${formula()}=${rounder.result(exact, score)}${missed}`,
        description:
          '达到目标得满分；未达到按实际完成值与目标值的比例计分，超额完成不加分' +
          (ruling ? '；复核认定已完成得满分，认定未完成按比例计分且不得满分' : ''),
        lostReason: met ? undefined : `${ruling ? '复核认定未完成：' : ''}实际完成${actual}，未达目标${target}`,
        figures: { 年度指标值: target, 实际完成值: actual },
      };
    },
  };
}

const topTiers = new WeakMap<readonly TierSpec[], TierSpec>();
/** The tier with the highest upper bound: a qualitative target judged in it is met. */
function topTierOf(tiers: readonly TierSpec[]): TierSpec {
  let top = topTiers.get(tiers);
  if (!top) topTiers.set(tiers, (top = tiers.reduce((best, t) => (constant(t.max).gt(best.max) ? t : best))));
  return top;
}

/**
 * What a target not met scores before it is held to [0, w]: w × ratio[0] / ratio[1] (product before quotient), 0
 * when ratio[1] ≤ 0 (a formula with a zero or negative divisor gives nothing), w when no formula applies.
 */
const notMetScore = (w: D, ratio: [D, D] | undefined): D =>
  ratio === undefined ? w : ratio[1].gt(0) ? w.mul(ratio[0]).div(ratio[1]) : ZERO;

/** The highest score below w at the places `show` writes (3 at 2 places → 2.99; 2.5 at 0 places → 2). */
function highestBelow(w: D, show: (value: D) => string): D {
  const shown = show(new D(0));
  const places = shown.includes('.') ? shown.split('.')[1].length : 0;
  const step = new D(1).div(new D(10).pow(places));
  return D.max(0, w.div(step).ceil().mul(step).sub(step));
}
