import type { BandsMethod } from '@jiping/rules';
import { constant, plain } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** The band json-rules-engine decided gives its points (or fraction of the weight). */
export const bandsMethod: ScoringMethod<BandsMethod> = {
  type: 'bands',
  label: '区间计分',
  score(method, { weight, metric, band, round, earns }) {
    const spec = method.bands[band!.index];
    const points = spec.score !== undefined ? constant(spec.score) : weight.mul(constant(spec.fraction!));
    const score = round(points);
    return {
      score,
      rule: band!.rule,
      explain: () => {
        const value = method.of === 'abs' ? `绝对值${metric!.shown.replace(/^-/, '')}` : metric!.shown;
        return {
          calc: `${value}在${band!.label}区间，${earns(points, score)}`,
          description: writtenOnce(spec, () => `${band!.label}得${plain(score)}分`),
          lostReason: score.lt(weight) ? `${value}，落在${band!.label}区间` : undefined,
        };
      },
    };
  },
};
