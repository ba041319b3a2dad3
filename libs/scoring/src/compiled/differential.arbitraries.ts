/**
 * Test support for the differential test (compiled path vs json-rules-engine): fast-check arbitraries that vary
 * every input of a base submission under any rule set — amounts free, zero or round; percent inputs free, zero or
 * on (and one hundredth either side of) every decimal the rule file compares with; the numerator of each ratio
 * metric set so that the metric, or its rounding, lands exactly on a threshold; checklists, booleans, counts,
 * judged scores inside their tiers, declared-target actuals on, around and far from their targets — and a few
 * broken inputs, for which both paths must throw the same error.
 */
import fc from 'fast-check';
import {
  type Condition,
  type FormulaNode,
  type IndicatorNode,
  isDeclaredNode,
  isFactCondition,
  isGroupNode,
  type LeafNode,
  parseFormula,
  type RuleSet,
} from '@jiping/rules';
import { D } from '../decimal';

// generated submissions are JSON built field by field: untyped on purpose
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Hundredths (cents, 0.01 pp) → "12.3" or "12.30". */
function decimalText(hundredths: number, fixed: boolean): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  if (fixed) return `${sign}${whole}.${cents}`;
  return cents === '00' ? `${sign}${whole}` : `${sign}${whole}.${cents.replace(/0$/, '')}`;
}

function leavesOf(nodes: IndicatorNode[]): LeafNode[] {
  return nodes.flatMap((node) =>
    isGroupNode(node) ? leavesOf(node.children) : isDeclaredNode(node) ? [] : [node as LeafNode],
  );
}

function conditionValues(condition: Condition): string[] {
  if (isFactCondition(condition)) return typeof condition.value === 'string' ? [condition.value] : [];
  if ('all' in condition) return condition.all.flatMap(conditionValues);
  if ('any' in condition) return condition.any.flatMap(conditionValues);
  return conditionValues(condition.not);
}

/** Every decimal a leaf's metric is compared with: band, veto and applies bounds, deduction references, caps. */
function thresholdsOf(leaf: LeafNode): string[] {
  const values = [
    ...(leaf.applies ? conditionValues(leaf.applies.when) : []),
    ...(leaf.veto ? conditionValues(leaf.veto.when) : []),
  ];
  const m = leaf.method;
  if (m.type === 'bands') m.bands.forEach((band) => values.push(...conditionValues(band.when)));
  if (m.type === 'deduction') values.push(m.reference);
  if (m.type === 'proportional') values.push(m.cap ?? '100');
  return values.filter((v) => /^-?\d+(\.\d+)?$/.test(v));
}

/** A ratio metric `x / (y + …)` or `(x - y) / y` whose numerator can be solved for a target value. */
interface Ratio {
  numerator: string;
  minus?: string;
  denominator: string[];
  thresholds: string[];
  percent: boolean;
}

function inputsSummed(node: FormulaNode): string[] | undefined {
  if (node.kind === 'input') return [node.id];
  if (node.kind === 'binary' && node.op === '+') {
    const [l, r] = [inputsSummed(node.left), inputsSummed(node.right)];
    return l && r ? [...l, ...r] : undefined;
  }
  return undefined;
}

function ratioOf(leaf: LeafNode): Ratio | undefined {
  if (!leaf.metric) return undefined;
  const ast = parseFormula(leaf.metric.formula).ast;
  if (!ast || ast.kind !== 'binary' || ast.op !== '/') return undefined;
  const denominator = inputsSummed(ast.right);
  if (!denominator) return undefined;
  const thresholds = thresholdsOf(leaf);
  const percent = leaf.metric.unit === 'percent';
  const { left } = ast;
  if (left.kind === 'input') return { numerator: left.id, denominator, thresholds, percent };
  if (left.kind === 'binary' && left.op === '-' && left.left.kind === 'input' && left.right.kind === 'input')
    return { numerator: left.left.id, minus: left.right.id, denominator, thresholds, percent };
  return undefined;
}

/** The arbitrary of submissions for a rule set, varying the inputs and target results of `base`. */
export function submissionArbitrary(ruleSet: RuleSet, base: Json): fc.Arbitrary<Json> {
  const file = ruleSet.file;
  const leaves = leavesOf(file.indicators);
  const allThresholds = [...new Set(leaves.flatMap(thresholdsOf))];
  const edgeHundredths = [
    0,
    10_000,
    ...allThresholds.flatMap((t) => {
      const h = new D(t).mul(100).round().toNumber();
      return [h - 1, h, h + 1];
    }),
  ].filter((h) => h >= 0);
  const money = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 1_000_000_000 }) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((k) => k * 10_000) },
  );
  const percent = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 12_000 }) },
    { weight: 3, arbitrary: fc.constantFrom(...edgeHundredths) },
  );
  const judgmentLeaf = (id: string) =>
    leaves.find((leaf) => leaf.method.type === 'judgment' && leaf.method.input === id);

  const inputArbs: Record<string, fc.Arbitrary<unknown>> = {};
  for (const spec of file.inputs) {
    const current = base.inputs?.[spec.id];
    switch (spec.type) {
      case 'money':
      case 'number':
        inputArbs[spec.id] = fc.tuple(money, fc.boolean()).map(([h, fixed]) => decimalText(h, fixed));
        break;
      case 'percent':
        inputArbs[spec.id] = fc.tuple(percent, fc.boolean()).map(([h, fixed]) => decimalText(h, fixed));
        break;
      case 'count':
        inputArbs[spec.id] = fc.integer({ min: 0, max: 5 });
        break;
      case 'boolean':
        inputArbs[spec.id] = fc.boolean();
        break;
      case 'checklist':
        inputArbs[spec.id] = fc.record(
          Object.fromEntries(
            spec.points.map((p) => [
              p.id,
              fc.oneof(
                fc.boolean(),
                fc.boolean().map((met) => ({ met, evidence: met ? '详见佐证材料' : '未完成' })),
              ),
            ]),
          ),
        );
        break;
      case 'events':
        inputArbs[spec.id] = fc.array(
          fc.record({ kind: fc.constantFrom(...spec.kinds.map((k) => k.code)), text: fc.constant('详见通报文件') }),
          { maxLength: 6 },
        );
        break;
      case 'judgment': {
        const adjust = leaves.find((leaf) => leaf.method.type === 'judged-adjust' && leaf.method.input === spec.id);
        if (adjust?.method.type === 'judged-adjust') {
          const [min, max] = [adjust.method.penaltyCap ?? '0', adjust.method.bonusCap ?? '0'].map((cap) =>
            new D(cap).mul(100).toNumber(),
          );
          inputArbs[spec.id] = fc
            .integer({ min: -min, max })
            .map((h) => ({ ...current, score: new D(h).div(100).toFixed() }));
          break;
        }
        const leaf = judgmentLeaf(spec.id);
        const weight = new D(leaf?.weight ?? '0').mul(100).toNumber();
        const tiers = leaf?.method.type === 'judgment' ? (leaf.method.tiers ?? []) : [];
        inputArbs[spec.id] = fc.integer({ min: 0, max: weight }).map((h) => {
          const tier = tiers.find((t) => new D(t.min).mul(weight).lte(h) && new D(t.max).mul(weight).gte(h));
          return { ...current, score: decimalText(h, false), ...(tier ? { tier: tier.code } : {}) };
        });
        break;
      }
      default:
        inputArbs[spec.id] = fc.constant(current);
    }
  }

  const ratios = leaves.map(ratioOf).filter((r): r is Ratio => !!r && r.thresholds.length > 0);
  const edge = ratios.length
    ? fc.option(
        fc.record({
          ratio: fc.integer({ min: 0, max: ratios.length - 1 }),
          threshold: fc.nat(),
          /** In hundredths of the metric's unit, or 'cent': one cent off an exact hit on a big denominator. */
          nudge: fc.constantFrom(-1, 0, 0, 1, 'cent-' as const, 'cent+' as const),
          negative: fc.boolean(),
          scale: fc.integer({ min: 1, max: 100_000 }),
        }),
        { freq: 2 },
      )
    : fc.constant(null);

  const targetArbs = targetResultArbitraries(base, file.indicators);
  // one submission in about thirty gets a broken or missing input
  const broken = fc.oneof(
    { weight: 30, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.record({
        input: fc.constantFrom(...file.inputs.map((s) => s.id)),
        value: fc.constantFrom<unknown>('abc', '-1', '1.234', null, 12, undefined, {}),
      }),
    },
  );

  return fc
    .record({ inputs: fc.record(inputArbs), targetResults: fc.record(targetArbs), edge, broken })
    .map(({ inputs, targetResults, edge: e, broken: b }) => {
      const submission: Json = { ...base, inputs: { ...base.inputs, ...inputs } };
      if (Object.keys(targetResults).length > 0) submission.targetResults = { ...base.targetResults, ...targetResults };
      if (e) applyEdge(submission.inputs, ratios[e.ratio], e);
      if (b) {
        if (b.value === undefined) delete submission.inputs[b.input];
        else submission.inputs[b.input] = b.value;
      }
      return submission;
    });
}

/** Sets a ratio's inputs so its metric lands on (or a hundredth / a cent beside) one of its thresholds. */
function applyEdge(
  inputs: Json,
  ratio: Ratio,
  e: { threshold: number; nudge: number | 'cent-' | 'cent+'; negative: boolean; scale: number },
): void {
  const threshold = new D(ratio.thresholds[e.threshold % ratio.thresholds.length]);
  // each denominator term a multiple of 100.00, so the exact hit is a whole number of cents
  ratio.denominator.forEach((id) => (inputs[id] = decimalText(e.scale * 10_000, true)));
  const denominatorCents = new D(e.scale * 10_000).mul(ratio.denominator.length);
  const step = typeof e.nudge === 'number' ? new D(e.nudge).div(100) : new D(0);
  const ratioValue = threshold.add(step).div(ratio.percent ? 100 : 1);
  let cents = denominatorCents.mul(ratioValue).round();
  if (e.nudge === 'cent-') cents = cents.sub(1);
  if (e.nudge === 'cent+') cents = cents.add(1);
  if (ratio.minus) {
    const sign = e.negative ? -1 : 1;
    cents = new D(String(inputs[ratio.minus])).mul(100).add(cents.mul(sign));
  }
  if (cents.lt(0)) return;
  inputs[ratio.numerator] = decimalText(cents.toNumber(), true);
}

/** Declared-target results: quantitative actuals on, beside, above and below the target (and 0); tiers and scores. */
function targetResultArbitraries(base: Json, indicators: IndicatorNode[]): Record<string, fc.Arbitrary<unknown>> {
  const arbs: Record<string, fc.Arbitrary<unknown>> = {};
  const tiersOf = new Map<string, Array<{ code: string; min: string; max: string }>>();
  for (const node of indicators.flatMap(function all(n: IndicatorNode): IndicatorNode[] {
    return isGroupNode(n) ? [n, ...n.children.flatMap(all)] : [n];
  })) {
    if (isDeclaredNode(node)) tiersOf.set(node.code, node.declared.qualitativeTiers);
  }
  for (const [section, goals] of Object.entries((base.targets ?? {}) as Record<string, Json[]>)) {
    const tiers = tiersOf.get(section) ?? [];
    for (const goal of goals) {
      for (const indicator of (goal.indicators ?? [goal]) as Json[]) {
        const current = base.targetResults?.[indicator.code] ?? {};
        if (indicator.kind === 'qualitative') {
          const weight = new D(indicator.weight).mul(100).toNumber();
          arbs[indicator.code] = fc.integer({ min: 0, max: weight }).map((h) => {
            const tier = tiers.find((t) => new D(t.min).mul(weight).lte(h) && new D(t.max).mul(weight).gte(h));
            return { ...current, score: decimalText(h, false), tier: tier?.code ?? current.tier };
          });
        } else {
          const target = new D(indicator.target).mul(100).round().toNumber();
          const max = indicator.targetMax ? new D(indicator.targetMax).mul(100).round().toNumber() : target;
          arbs[indicator.code] = fc
            .oneof(
              fc.constantFrom(0, target, target - 1, target + 1, max, max + 1),
              fc.integer({ min: 0, max: Math.max(2 * max, 100) }),
            )
            .filter((h) => h >= 0)
            .map((h) => ({ ...current, actual: decimalText(h, false) }));
        }
      }
    }
  }
  return arbs;
}
