import { D, ZERO } from '../decimal';

/** A leaf that can gain points, with its options (alternatives: a plan takes at most one per leaf). */
export interface PlanCandidate {
  options: ReadonlyArray<{ gain: D; judgment: boolean }>;
}

/** A combination: which option of which candidate (candidate indexes ascending). */
export interface PlanChoice {
  picks: Array<{ candidate: number; option: number }>;
  gain: D;
  overshoot: D;
}

/** Up to this many candidate leaves, every combination is considered; beyond, the search is greedy. */
export const EXACT_PLAN_LIMIT = 16;

export const choiceKey = (choice: PlanChoice): string =>
  choice.picks.map((p) => `${p.candidate}:${p.option}`).join(',');

/**
 * The cheapest combination of options whose gains sum to at least `needed`: fewest leaves, then the smallest
 * overshoot, then fewer judgment-based options, then the earliest leaves (candidates are in tree order). Exact over
 * every combination of up to {@link EXACT_PLAN_LIMIT} candidates, greedy beyond. Combinations in `excluded` (by
 * {@link choiceKey}) are skipped, so a caller can ask for the next best when a plan fails its verification.
 */
export function cheapestPlan(
  candidates: readonly PlanCandidate[],
  needed: D,
  excluded: ReadonlySet<string> = new Set(),
): { search: 'exact' | 'greedy'; choice?: PlanChoice } {
  if (candidates.length <= EXACT_PLAN_LIMIT)
    return { search: 'exact', choice: exactPlan(candidates, needed, excluded) };
  const choice = greedyPlan(candidates, needed);
  return { search: 'greedy', choice: choice && !excluded.has(choiceKey(choice)) ? choice : undefined };
}

const maxGain = (candidate: PlanCandidate): D => D.max(ZERO, ...candidate.options.map((o) => o.gain));

interface Best {
  picks: Array<{ candidate: number; option: number }>;
  /** In whole units of the finest decimal place (exact integers: gains are decimals with few places). */
  overshoot: number;
  judgments: number;
}

/** Gains and the need as exact integers of one common unit (10^-places), so the search adds numbers, not Decimals. */
function toUnits(candidates: readonly PlanCandidate[], needed: D) {
  const places = Math.max(
    needed.decimalPlaces(),
    ...candidates.flatMap((c) => c.options.map((o) => o.gain.decimalPlaces())),
  );
  const scale = new D(10).pow(places);
  const units = (value: D): number => value.mul(scale).toNumber();
  return { units, need: units(needed) };
}

function exactPlan(candidates: readonly PlanCandidate[], needed: D, excluded: ReadonlySet<string>) {
  const { units, need } = toUnits(candidates, needed);
  // Options cheapest first, so the first feasible completion of a combination has the least overshoot.
  const ordered = candidates.map((c) =>
    c.options
      .map((o, index) => ({ gain: units(o.gain), judgment: o.judgment, index }))
      .filter((o) => o.gain > 0)
      .sort((a, b) => a.gain - b.gain || a.index - b.index),
  );
  const maxima = ordered.map((options) => (options.length > 0 ? options[options.length - 1].gain : 0));
  const minima = ordered.map((options) => (options.length > 0 ? options[0].gain : 0));
  const better = (overshoot: number, judgments: number, best: Best | undefined): boolean =>
    !best || overshoot < best.overshoot || (overshoot === best.overshoot && judgments < best.judgments);

  for (let size = 1; size <= candidates.length; size++) {
    let best: Best | undefined;
    const combination: number[] = [];
    const picks: Best['picks'] = [];
    /** Assigns an option to each leaf of the combination from `position` on; `most`/`least`: what the rest adds. */
    const assign = (position: number, gain: number, judgments: number, most: number, least: number): void => {
      if (position === combination.length) {
        const key = picks.map((p) => `${p.candidate}:${p.option}`).join(',');
        if (gain >= need && !excluded.has(key) && better(gain - need, judgments, best))
          best = { picks: [...picks], overshoot: gain - need, judgments };
        return;
      }
      const candidate = combination[position];
      const [restMost, restLeast] = [most - maxima[candidate], least - minima[candidate]];
      for (const option of ordered[candidate]) {
        const sum = gain + option.gain;
        if (sum + restMost < need) continue; // even the largest options of the rest cannot reach
        if (best && sum + restLeast - need > best.overshoot) break; // options only grow from here
        picks.push({ candidate, option: option.index });
        assign(position + 1, sum, judgments + (option.judgment ? 1 : 0), restMost, restLeast);
        picks.pop();
      }
    };
    const choose = (start: number, most: number, least: number): void => {
      if (combination.length === size) {
        if (most >= need && !(best && least - need > best.overshoot)) assign(0, 0, 0, most, least);
        return;
      }
      for (let i = start; i <= candidates.length - (size - combination.length); i++) {
        if (maxima[i] === 0) continue;
        combination.push(i);
        choose(i + 1, most + maxima[i], least + minima[i]);
        combination.pop();
      }
    };
    choose(0, 0, 0);
    if (best) {
      const gain = best.picks.reduce((s, p) => s.add(candidates[p.candidate].options[p.option].gain), ZERO);
      return { picks: best.picks, gain, overshoot: gain.sub(needed) };
    }
  }
  return undefined;
}

/** Largest leaves first until the gain suffices; then drop what is not needed and take smaller options where enough. */
function greedyPlan(candidates: readonly PlanCandidate[], needed: D): PlanChoice | undefined {
  const maxima = candidates.map(maxGain);
  const order = candidates.map((_, i) => i).sort((a, b) => maxima[b].cmp(maxima[a]) || a - b);
  const picked: number[] = [];
  let gain = ZERO;
  for (const i of order) {
    if (gain.gte(needed)) break;
    if (maxima[i].lte(0)) continue;
    picked.push(i);
    gain = gain.add(maxima[i]);
  }
  if (gain.lt(needed)) return undefined;
  for (const i of [...picked].sort((a, b) => maxima[a].cmp(maxima[b]) || b - a)) {
    if (gain.sub(maxima[i]).gte(needed)) {
      picked.splice(picked.indexOf(i), 1);
      gain = gain.sub(maxima[i]);
    }
  }
  const picks = picked
    .sort((a, b) => a - b)
    .map((candidate) => {
      const options = candidates[candidate].options;
      return { candidate, option: options.findIndex((o) => o.gain.eq(maxima[candidate])), gain: maxima[candidate] };
    });
  for (const pick of [...picks].reverse()) {
    const without = gain.sub(pick.gain);
    const smaller = candidates[pick.candidate].options
      .map((o, index) => ({ ...o, index }))
      .filter((o) => o.gain.gt(0) && without.add(o.gain).gte(needed))
      .sort((a, b) => a.gain.cmp(b.gain) || a.index - b.index)[0];
    pick.option = smaller.index;
    pick.gain = smaller.gain;
    gain = without.add(smaller.gain);
  }
  return {
    picks: picks.map(({ candidate, option }) => ({ candidate, option })),
    gain,
    overshoot: gain.sub(needed),
  };
}
