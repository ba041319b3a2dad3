import type { MethodSpec } from '@jiping/rules';
import { bandsMethod } from './bands.method';
import { booleanMethod } from './boolean.method';
import { checklistMethod } from './checklist.method';
import { countAdjustMethod } from './count-adjust.method';
import { deductionMethod } from './deduction.method';
import { eventsMethod } from './events.method';
import { judgedAdjustMethod } from './judged-adjust.method';
import { judgmentMethod } from './judgment.method';
import { proportionalMethod } from './proportional.method';
import type { ScoringMethod } from './scoring-method';

/** The registry of leaf methods: adding a method is adding a module and one line here. */
const METHODS: { [K in MethodSpec['type']]: ScoringMethod<Extract<MethodSpec, { type: K }>> } = {
  proportional: proportionalMethod,
  deduction: deductionMethod,
  bands: bandsMethod,
  checklist: checklistMethod,
  boolean: booleanMethod,
  judgment: judgmentMethod,
  'count-adjust': countAdjustMethod,
  events: eventsMethod,
  'judged-adjust': judgedAdjustMethod,
};

export function methodFor<M extends MethodSpec>(method: M): ScoringMethod<M> {
  return METHODS[method.type] as unknown as ScoringMethod<M>;
}

export * from './scoring-method';
export { scoreTarget } from './target.method';
export { describeEvents } from './events.method';
export { describeJudgedAdjust } from './judged-adjust.method';
