import type { EventsMethod } from '@jiping/rules';
import { constant, type D, minOf, plain, ZERO } from '../decimal';
import type { ScoringMethod } from './scoring-method';
import { writtenOnce } from './written-once';

/**
 * Itemised 加减分: each listed event earns its kind's points; the positive points are summed and capped at
 * `bonusCap`, the negative ones at `penaltyCap`, then netted. Without events the score is 0.
 */
export const eventsMethod: ScoringMethod<EventsMethod> = {
  type: 'events',
  label: '加减分事项',
  score(method, { submission, round, show, input }) {
    const events = submission.events.get(method.input)!;
    let plus: D = ZERO;
    let minus: D = ZERO;
    for (const event of events) {
      if (event.points.isPositive()) plus = plus.add(event.points);
      else minus = minus.sub(event.points);
    }
    const bonus = method.bonusCap === undefined ? plus : minOf(plus, constant(method.bonusCap));
    const penalty = method.penaltyCap === undefined ? minus : minOf(minus, constant(method.penaltyCap));
    const score = round(bonus.sub(penalty));
    return {
      score,
      rule: 'events',
      status: score.gt(0) ? 'bonus' : score.lt(0) ? 'penalty' : 'neutral',
      explain: () => {
        const spec = input(method.input);
        const kinds = spec.type === 'events' ? spec.kinds : [];
        const labels = new Map(kinds.map((kind) => [kind.code, kind.label]));
        const items = events.map((event, i) => {
          const points = event.points.isPositive() ? `加${plain(event.points)}分` : `减${plain(event.points.neg())}分`;
          return `${i + 1}.${labels.get(event.kind)}：${event.text}，${points}`;
        });
        const sides: string[] = [];
        if (plus.gt(0)) sides.push(`加${plain(plus)}分${bonus.lt(plus) ? `，按上限计${method.bonusCap}分` : ''}`);
        if (minus.gt(0))
          sides.push(`减${plain(minus)}分${penalty.lt(minus) ? `，按上限计${method.penaltyCap}分` : ''}`);
        const count = (code: string): number => events.filter((event) => event.kind === code).length;
        const penalties = kinds.filter((kind) => constant(kind.points).isNegative() && count(kind.code) > 0);
        return {
          calc:
            events.length === 0
              ? `无加减分事项，得${show(score)}分`
              : `${items.join('；')}；${sides.join('；')}；合计${score.isNegative() ? '' : '+'}${show(score)}分`,
          description: writtenOnce(method, () => describeEvents(kinds, method)),
          lostReason: penalty.gt(0)
            ? `${penalties.map((kind) => `${kind.label}${count(kind.code)}项`).join('、')}，减${plain(penalty)}分`
            : method.bonusCap !== undefined && bonus.lt(method.bonusCap)
              ? `加分${plain(bonus)}分，未达上限${method.bonusCap}分`
              : undefined,
          figures: Object.fromEntries(kinds.map((kind) => [kind.label, `${count(kind.code)}项`])),
        };
      },
    };
  },
};

/** 国家级表彰每项加2分；通报批评每项减2分；最多加5分，最多减5分 */
export function describeEvents(
  kinds: ReadonlyArray<{ label: string; points: string }>,
  caps: { bonusCap?: string; penaltyCap?: string },
): string {
  const each = kinds.map((kind) =>
    constant(kind.points).isNegative()
      ? `${kind.label}每项减${plain(constant(kind.points).neg())}分`
      : `${kind.label}每项加${plain(constant(kind.points))}分`,
  );
  const limits = [
    ...(caps.bonusCap === undefined ? [] : [`最多加${caps.bonusCap}分`]),
    ...(caps.penaltyCap === undefined ? [] : [`最多减${caps.penaltyCap}分`]),
  ];
  return [...each, ...(limits.length > 0 ? [limits.join('，')] : [])].join('；');
}
