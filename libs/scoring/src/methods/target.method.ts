import type { DeclaredSpec } from '@jiping/rules';
import { D, plain } from '../decimal';
import type { ParsedDeclaredIndicator } from '../submission/parsed-submission';
import type { LeafOutcome } from './scoring-method';

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
 */
export function scoreTarget(
  indicator: ParsedDeclaredIndicator,
  spec: DeclaredSpec,
  round: (value: D) => D,
  show: (value: D) => string,
): TargetOutcome {
  const w = indicator.weight;
  if (indicator.kind === 'qualitative') {
    const tier = spec.qualitativeTiers.find((t) => t.code === indicator.tier)!;
    const top = spec.qualitativeTiers.reduce((best, t) => (new D(t.max).gt(best.max) ? t : best));
    const met = tier.code === top.code;
    const score = round(indicator.judgedScore!);
    const reason = indicator.reason ? `。${indicator.reason}` : '';
    return {
      score,
      met,
      calc: `${tier.label}（${plain(w.mul(tier.min))}-${plain(w.mul(tier.max))}分），自评${show(score)}分${reason}`,
      rule: `target:qualitative:${tier.code}`,
      description: spec.qualitativeTiers
        .map((t) => `${t.label}${plain(new D(t.min).mul(100))}%-${plain(new D(t.max).mul(100))}%`)
        .join('；'),
      lostReason: score.lt(w) ? `定性指标评为${tier.label}` : undefined,
    };
  }
  const t = indicator.targetValue!;
  const a = indicator.actual!;
  const unit = indicator.unit ?? '';
  const target = describeTarget(indicator);
  let met: boolean;
  let raw: D;
  let formula = '';
  switch (indicator.comparator!) {
    case '>=':
      met = a.gte(t);
      raw = met ? w : t.gt(0) ? w.mul(a).div(t) : new D(0);
      formula = `${plain(w)}×${plain(a)}/${plain(t)}`;
      break;
    case '<=':
      met = a.lte(t);
      raw = met ? w : a.gt(0) ? w.mul(t).div(a) : new D(0);
      formula = `${plain(w)}×${plain(t)}/${plain(a)}`;
      break;
    case '=':
      met = a.eq(t);
      raw = met ? w : a.gt(0) && t.gt(0) ? w.mul(D.min(a, t)).div(D.max(a, t)) : new D(0);
      formula = a.lt(t) ? `${plain(w)}×${plain(a)}/${plain(t)}` : `${plain(w)}×${plain(t)}/${plain(a)}`;
      break;
    case 'range': {
      const max = indicator.targetMax!;
      met = a.gte(t) && a.lte(max);
      if (met) raw = w;
      else if (a.lt(t)) {
        raw = t.gt(0) ? w.mul(a).div(t) : new D(0);
        formula = `${plain(w)}×${plain(a)}/${plain(t)}`;
      } else {
        raw = a.gt(0) ? w.mul(max).div(a) : new D(0);
        formula = `${plain(w)}×${plain(max)}/${plain(a)}`;
      }
      break;
    }
  }
  const score = round(D.min(w, D.max(0, raw)));
  const actual = `${indicator.actualRaw}${unit}`;
  return {
    score,
    met,
    calc: met
      ? `实际完成${actual}，目标${target}，得${show(score)}分`
      : `实际完成${actual}，目标${target}，${formula}=${show(score)}${indicator.reason ? `。未达标原因：${indicator.reason}` : ''}`,
    rule: `target:${met ? 'met' : 'unmet'}`,
    description: '达到目标得满分；未达到按实际完成值与目标值的比例计分，超额完成不加分',
    lostReason: met ? undefined : `实际完成${actual}，未达目标${target}`,
    figures: { 年度指标值: target, 实际完成值: actual },
  };
}
