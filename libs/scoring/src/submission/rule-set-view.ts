import {
  childPointer,
  type DeclaredNode,
  type IndicatorNode,
  type InputSpec,
  isDeclaredNode,
  type Localized,
  isGroupNode,
  type RuleSet,
  type TierSpec,
  toPointer,
} from '@jiping/rules';
import { D } from '../decimal';

/** How a decimal string is checked: its most decimal places, its sign, and what a problem calls it. */
export interface DecimalRule {
  readonly what: Localized;
  readonly places?: number;
  readonly negative?: boolean;
  readonly positive?: boolean;
}

/** A weight a judged score must lie within, and how a problem shows it: as written, or else its plain value. */
export interface JudgedWeight {
  readonly value: D;
  readonly text?: string;
}

/** A judgment leaf that scores a judgment input, or a judged 加减分 within its caps. */
export interface JudgedLeaf {
  readonly weight: JudgedWeight;
  readonly tiers: readonly TierSpec[] | undefined;
  /** A judged 加减分: the score lies in [−penaltyCap, bonusCap] instead of [0, weight]. */
  readonly range?: { readonly min: JudgedWeight; readonly max: JudgedWeight };
}

/** A tier's bounds as fractions of the weight. */
export interface TierFraction {
  readonly min: D;
  readonly max: D;
}

/** A checklist point and where it sits in a submission. */
export interface PointView {
  readonly id: string;
  readonly pointer: string;
  readonly evidencePointer: string;
}

/** A declared input and where it sits in a submission (/inputs/<id>). */
export interface InputView {
  readonly spec: InputSpec;
  readonly pointer: string;
  /** money, percent and number inputs. */
  readonly decimal?: DecimalRule;
  /** checklist inputs, in declared order. */
  readonly points?: readonly PointView[];
  readonly pointIds?: ReadonlySet<string>;
  /** events inputs: each kind by code, its points parsed. */
  readonly kinds?: ReadonlyMap<string, { readonly code: string; readonly label: string; readonly points: D }>;
}

/** A budget-header column and where its amounts sit (/budget/columns/<code>/budgeted, …/executed). */
export interface BudgetColumnView {
  readonly code: string;
  readonly pointer: string;
  readonly budgetedPointer: string;
  readonly executedPointer: string;
}

/**
 * What reading a submission needs from its rule set, derived once per rule set: the indicator tree's codes and
 * declared sections, the inputs with their pointers, the judgment leaves by input, the budget-header columns.
 */
export interface RuleSetView {
  readonly declaredSections: ReadonlyMap<string, DeclaredNode>;
  /** A section's smallest key-indicator weight, where it sets one. */
  readonly minIndicatorWeights: ReadonlyMap<DeclaredNode, D>;
  readonly declaredSectionCodes: ReadonlySet<string>;
  readonly nodeCodes: ReadonlySet<string>;
  readonly leafCodes: ReadonlySet<string>;
  /** One per input id, in declared order. */
  readonly inputs: readonly InputView[];
  readonly inputIds: ReadonlySet<string>;
  /** Judgment leaves by the input they score, in tree order. */
  readonly judgedLeaves: ReadonlyMap<string, readonly JudgedLeaf[]>;
  /** Judgment inputs a judged 加减分 reads: their score may be negative. */
  readonly signedJudgments: ReadonlySet<string>;
  /** Every tier of a judgment leaf or a declared section. */
  readonly tierFractions: ReadonlyMap<TierSpec, TierFraction>;
  /** Every column of every breakdown, in order (a column in two breakdowns appears twice). */
  readonly budgetColumns: readonly BudgetColumnView[];
  readonly budgetColumnCodes: ReadonlySet<string>;
}

const views = new WeakMap<RuleSet, RuleSetView>();

/** The view of a rule set, built on first use; a rule set never changes once built. */
export function ruleSetView(ruleSet: RuleSet): RuleSetView {
  let view = views.get(ruleSet);
  if (!view) {
    view = buildView(ruleSet);
    views.set(ruleSet, view);
  }
  return view;
}

function buildView(ruleSet: RuleSet): RuleSetView {
  const declaredSections = new Map<string, DeclaredNode>();
  const nodeCodes = new Set<string>();
  const leafCodes = new Set<string>();
  const judgedLeaves = new Map<string, JudgedLeaf[]>();
  const signedJudgments = new Set<string>();
  const minIndicatorWeights = new Map<DeclaredNode, D>();
  const tierFractions = new Map<TierSpec, TierFraction>();
  const addTiers = (tiers: readonly TierSpec[] = []): void => {
    for (const tier of tiers) tierFractions.set(tier, { min: new D(tier.min), max: new D(tier.max) });
  };
  const walk = (nodes: readonly IndicatorNode[]): void => {
    for (const node of nodes) {
      nodeCodes.add(node.code);
      if (isGroupNode(node)) walk(node.children);
      else if (isDeclaredNode(node)) {
        declaredSections.set(node.code, node);
        addTiers(node.declared.qualitativeTiers);
        const min = node.declared.minIndicatorWeight;
        if (min !== undefined) minIndicatorWeights.set(node, new D(min));
      } else {
        leafCodes.add(node.code);
        if (node.method.type === 'judgment') {
          const leaf = { weight: { text: node.weight, value: new D(node.weight) }, tiers: node.method.tiers };
          judgedLeaves.set(node.method.input, [...(judgedLeaves.get(node.method.input) ?? []), leaf]);
          addTiers(node.method.tiers);
        } else if (node.method.type === 'judged-adjust') {
          const { bonusCap = '0', penaltyCap = '0' } = node.method;
          const leaf: JudgedLeaf = {
            weight: { text: node.weight, value: new D(node.weight) },
            tiers: undefined,
            range: {
              min: { text: new D(penaltyCap).neg().toFixed(), value: new D(penaltyCap).neg() },
              max: { text: bonusCap, value: new D(bonusCap) },
            },
          };
          judgedLeaves.set(node.method.input, [...(judgedLeaves.get(node.method.input) ?? []), leaf]);
          signedJudgments.add(node.method.input);
        }
      }
    }
  };
  walk(ruleSet.file.indicators);

  // by id, as a Map keeps them: the first declaration's place, the last declaration's spec
  const specs = new Map(ruleSet.file.inputs.map((spec) => [spec.id, spec]));
  const budgetColumns = (ruleSet.file.budgetHeader?.breakdowns ?? []).flatMap((b) =>
    b.columns.map(({ code }) => {
      const pointer = toPointer('budget', 'columns', code);
      return {
        code,
        pointer,
        budgetedPointer: childPointer(pointer, 'budgeted'),
        executedPointer: childPointer(pointer, 'executed'),
      };
    }),
  );
  return {
    declaredSections,
    minIndicatorWeights,
    declaredSectionCodes: new Set(declaredSections.keys()),
    nodeCodes,
    leafCodes,
    inputs: [...specs.values()].map(inputView),
    inputIds: new Set(specs.keys()),
    judgedLeaves,
    signedJudgments,
    tierFractions,
    budgetColumns,
    budgetColumnCodes: new Set(budgetColumns.map((column) => column.code)),
  };
}

/** A bureau's own name (an input's Chinese label): the same in both languages. */
const both = (name: string): Localized => ({ zh: name, en: name });

function inputView(spec: InputSpec): InputView {
  const pointer = toPointer('inputs', spec.id);
  switch (spec.type) {
    case 'money':
      return {
        spec,
        pointer,
        decimal: { places: 2, negative: spec.allowNegative, what: both(`${spec.label}（${spec.unit}）`) },
      };
    case 'percent':
      return {
        spec,
        pointer,
        decimal: { places: spec.places ?? 2, negative: spec.allowNegative, what: both(spec.label) },
      };
    case 'number':
      return { spec, pointer, decimal: { places: spec.places, negative: spec.allowNegative, what: both(spec.label) } };
    case 'checklist': {
      const points = spec.points.map(({ id }) => {
        const at = childPointer(pointer, id);
        return { id, pointer: at, evidencePointer: childPointer(at, 'evidence') };
      });
      return { spec, pointer, points, pointIds: new Set(points.map((point) => point.id)) };
    }
    case 'events':
      return {
        spec,
        pointer,
        kinds: new Map(spec.kinds.map((k) => [k.code, { code: k.code, label: k.label, points: new D(k.points) }])),
      };
    default:
      return { spec, pointer };
  }
}
