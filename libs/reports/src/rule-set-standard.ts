import Decimal from 'decimal.js';
import { describeEvents, describeJudgedAdjust } from '@jiping/scoring';
import {
  bandInterval,
  type DeclaredNode,
  describeInterval,
  type InputSpec,
  type LeafNode,
  type RuleFile,
} from '@jiping/rules';

const plain = (value: string | Decimal): string => new Decimal(value).toFixed();
const COMPARATOR_WORDS: Record<string, string> = { '>=': '≥（正向）', '<=': '≤（反向）', '=': '=', range: '区间' };

/**
 * The scoring standard of a leaf in the bureau's words, generated from its rule: bands as `≥90%得2分；80%（含）-90%
 * 得1.5分；…`, a deduction as `100%得满分，每低1个百分点扣0.2分，扣完为止`, checklist points with their points,
 * count adjustments, judgment tiers, 加减分 events and judged 加减分; applicability and veto conditions are appended with
 * their reasons, and a 加减分 counted on top of the total (`onTop`) says so.
 */
export function describeStandard(
  leaf: LeafNode,
  file: Pick<RuleFile, 'inputs' | 'total'>,
  options: { onTop?: boolean } = {},
): string {
  const method = leaf.method;
  const suffix = leaf.metric?.unit === 'percent' ? '%' : '';
  const weight = new Decimal(leaf.weight);
  let text: string;
  switch (method.type) {
    case 'bands': {
      const parts = method.bands.map((band) => {
        const interval = bandInterval(band.when);
        const reads = band.label ?? (typeof interval === 'string' ? '' : describeInterval(interval, suffix));
        const score = band.score ?? weight.mul(band.fraction ?? '0').toFixed();
        return `${reads}得${plain(score)}分`;
      });
      text = `${method.of === 'abs' ? '按绝对值：' : ''}${parts.join('；')}`;
      break;
    }
    case 'deduction': {
      const unit = suffix === '%' ? '个百分点' : '个单位';
      text =
        method.direction === 'below'
          ? `${plain(method.reference)}${suffix}得满分，每低1${unit}扣${method.perUnit}分，扣完为止`
          : `≤${plain(method.reference)}${suffix}得满分，每高1${unit}扣${method.perUnit}分，扣完为止`;
      break;
    }
    case 'proportional':
      text = `得分=分值×${suffix === '%' ? '比率' : '指标值'}（上限${plain(method.cap ?? '100')}%）`;
      break;
    case 'checklist': {
      const input = file.inputs.find((i) => i.id === method.input);
      const points = input?.type === 'checklist' ? input.points : [];
      text = points.map((p) => `${p.label}得${plain(p.points)}分`).join('；');
      break;
    }
    case 'boolean':
      text = `满足得${plain(weight)}分，否则不得分`;
      break;
    case 'judgment':
      text = method.tiers
        ? method.tiers.map((t) => `${t.label}${plain(weight.mul(t.min))}-${plain(weight.mul(t.max))}分`).join('；')
        : `在0-${plain(weight)}分内评议`;
      break;
    case 'count-adjust':
      text =
        `每项加${method.positive.each}分，最多加${method.positive.cap}分；` +
        `每起扣${method.negative.each}分，最多扣${method.negative.cap}分`;
      break;
    case 'events': {
      const input = file.inputs.find((i) => i.id === method.input);
      text = describeEvents(input?.type === 'events' ? input.kinds : [], method);
      break;
    }
    case 'judged-adjust':
      text = describeJudgedAdjust(method);
      break;
  }
  if (options.onTop) text += `（另计，不计入满分${plain(file.total)}分，总分可超过${plain(file.total)}分）`;
  if (leaf.applies) {
    text += `；不适用时${leaf.applies.otherwise === 'full' ? '得满分' : '不得分'}（${leaf.applies.reason}）`;
  }
  if (leaf.veto) text += `；${leaf.veto.reason}的，本项不得分`;
  return text;
}

/** The calculation of a leaf's metric with the inputs' Chinese labels: 实际采购金额/采购计划金额×100%. */
export function describeFormula(leaf: LeafNode, inputs: readonly InputSpec[]): string {
  if (!leaf.metric) return '';
  const formula = leaf.metric.formula.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => {
    const input = inputs.find((i) => i.id === id);
    return input ? input.label : id;
  });
  const body = formula
    .replace(/\s*\*\s*/g, '×')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*([+-])\s*/g, '$1');
  return `${leaf.metric.label ?? leaf.name}=${body}${leaf.metric.unit === 'percent' ? '×100%' : ''}`;
}

/** How a declared section (履职效能) is scored, from its target rules and qualitative tiers. */
export function describeDeclared(node: DeclaredNode): string {
  const spec = node.declared;
  const comparators = spec.comparators.map((c) => COMPARATOR_WORDS[c]).join('、');
  const tiers = spec.qualitativeTiers
    .map((t) => `${t.label}${plain(new Decimal(t.min).mul(100))}%-${plain(new Decimal(t.max).mul(100))}%`)
    .join('；');
  return [
    `部门按批复的绩效目标申报${spec.levels === 2 ? '目标及其关键指标' : '关键指标'}和分值` +
      `${spec.minIndicatorWeight ? `（每项关键指标不少于${plain(spec.minIndicatorWeight)}分）` : ''}`,
    `定量指标（${comparators}）：达到年度指标值得满分；未达到的，正向指标得分=分值×实际值/指标值，反向指标得分=分值×指标值/实际值，超额完成不加分`,
    `定性指标按分值比例自评：${tiers}`,
    ...(spec.places === undefined ? [] : [`关键指标得分${spec.places === 0 ? '取整' : `保留${spec.places}位小数`}`]),
  ].join('；');
}
