import type { BandsMethod } from '@jiping/rules';
import { constant, plain } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/** The band json-rules-engine decided gives its points (or fraction of the weight). */
export const bandsMethod: ScoringMethod<BandsMethod> = {
  type: 'bands',
  label: '区间计分',
  score(method, { weight, metric, band, round, show }) {
    const spec = method.bands[band!.index];
    const score = round(spec.score !== undefined ? constant(spec.score) : weight.mul(constant(spec.fraction!)));
    return {
      score,
      rule: band!.rule,
      explain: () => {
        const value = method.of === 'abs' ? `绝对值${metric!.shown.replace(/^-/, '')}` : metric!.shown;
        return {
          calc: `${value}在${band!.label}区间，得${show(score)}分`,
          description: writtenOnce(spec, () => `${band!.label}得${plain(score)}分`),
          lostReason: score.lt(weight) ? `${value}，落在${band!.label}区间` : undefined,
        };
      },
    };
  },
};
