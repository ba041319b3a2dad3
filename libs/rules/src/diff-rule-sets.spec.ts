import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from './checksum';
import { diffRuleSets, type RuleSetChange } from './diff-rule-sets';
import type {
  BandsMethod,
  ChecklistInputSpec,
  CountAdjustMethod,
  DeclaredNode,
  DeductionMethod,
  EventsInputSpec,
  EventsMethod,
  GroupNode,
  IndicatorNode,
  JudgmentMethod,
  LeafNode,
  MoneyInputSpec,
  ProportionalMethod,
  RuleFile,
} from './rule-file.types';
import { parseRuleFileText, type RuleSet, toRuleSet } from './rule-set';

const GZ_2021_TEXT = readFileSync(join(__dirname, '../../../rules/guangzhou/department-overall/2021.json'), 'utf8');
const GZ_2021 = parseRuleFileText(GZ_2021_TEXT) as RuleFile;
const BASE = toRuleSet(GZ_2021);

/** The 广州 2021 rule set after one edit of a deep clone of its JSON; the edited file must stay valid. */
function edited(edit: (file: RuleFile) => void): RuleSet {
  const file = structuredClone(GZ_2021);
  edit(file);
  return toRuleSet(file);
}

/** The node at a path of child indexes under /indicators: node(file, 0, 3, 2) is /indicators/0/children/3/children/2. */
function node(file: RuleFile, ...path: number[]): IndicatorNode {
  let nodes = file.indicators;
  let found: IndicatorNode | undefined;
  for (const index of path) {
    found = nodes[index];
    nodes = 'children' in found ? found.children : [];
  }
  return found!;
}
const leaf = (file: RuleFile, path: readonly number[]): LeafNode => node(file, ...path) as LeafNode;
const group = (file: RuleFile, path: readonly number[]): GroupNode => node(file, ...path) as GroupNode;
const input = <T>(file: RuleFile, id: string): T => file.inputs.find((spec) => spec.id === id) as T;

// Where the GZ 2021 nodes sit; the pointers are spelled out so a wrong pointer fails the test.
const FUND_MANAGEMENT = [0, 0] as const;
const BUDGET_COMPLETION = [0, 0, 0] as const; // 预算完成率 (deduction, w 2, places 4)
const REVENUE_VARIANCE = [0, 0, 3] as const; // 财政拨款收入预决算差异率 (bands on abs)
const CARRYOVER = [0, 0, 5] as const; // 结转结余率 (deduction, w 2)
const PROCUREMENT_GROUP = [0, 1] as const; // 采购管理 (w 2)
const PROCUREMENT = [0, 1, 0] as const; // 政府采购执行率 (proportional, w 2)
const DISCLOSURE_GROUP = [0, 2] as const; // 信息公开管理
const ASSET_GROUP = [0, 3] as const; // 资产管理 (w 4)
const FIXED_ASSETS = [0, 3, 2] as const; // 固定资产利用率 (bands, increasing)
const COST_GROUP = [0, 4] as const; // 成本管理 (w 4)
const TARGET_COMPLETION = [0, 5, 3] as const; // 绩效目标完成率
const RESULT_APPLICATION = [0, 5, 5] as const; // 绩效结果应用 (judgment)
const COMMENDATION = [2, 0, 0] as const; // 工作受表彰或批评 (count-adjust)

const BC = '/indicators/0/children/0/children/0';
const RV = '/indicators/0/children/0/children/3';
const CR = '/indicators/0/children/0/children/5';
const PR = '/indicators/0/children/1/children/0';
const FA = '/indicators/0/children/3/children/2';
const TC = '/indicators/0/children/5/children/3';
const RA = '/indicators/0/children/5/children/5';
const CA = '/indicators/2/children/0/children/0';
const PERFORMANCE = '/indicators/1';

const bandsOf = (file: RuleFile, path: readonly number[] = FIXED_ASSETS): BandsMethod =>
  leaf(file, path).method as BandsMethod;
const declaredOf = (file: RuleFile): DeclaredNode => file.indicators[1] as DeclaredNode;
/** Sets the threshold between the ≥90 % and the 80–90 % bands of 固定资产利用率, keeping the bands contiguous. */
function moveTopThreshold(file: RuleFile, value: string): void {
  const [top, second] = bandsOf(file).bands;
  (top.when as { all: Array<{ value: string }> }).all[0].value = value;
  (second.when as { all: Array<{ value: string }> }).all[1].value = value;
}

/** A change without its message and path: what the tables assert exactly (messages and paths have their own tests). */
const facts = ({ message: _message, path: _path, ...rest }: RuleSetChange): Omit<RuleSetChange, 'message'> => rest;

describe(diffRuleSets.name, () => {
  it('finds no change between a file and a fresh copy of itself', () => {
    const diff = diffRuleSets(
      BASE,
      edited(() => undefined),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.summary).toEqual({});
  });

  it('names both sides by id, version and checksum', () => {
    const next = edited((file) => {
      file.version = '2021.2.0';
    });
    const diff = diffRuleSets(BASE, next);
    expect(diff.from).toEqual({ id: 'guangzhou-department-overall', version: '2021.1.0', checksum: BASE.checksum });
    expect(diff.to).toEqual({ id: 'guangzhou-department-overall', version: '2021.2.0', checksum: next.checksum });
    expect(next.checksum).not.toBe(BASE.checksum);
    expect(diff.changes).toEqual([]);
  });

  // Each edit changes the file (its checksum) but not what it means.
  it.each<[string, (file: RuleFile) => void]>([
    [
      'weights written with trailing zeros',
      (file) => {
        group(file, PROCUREMENT_GROUP).weight = '2.0';
        leaf(file, PROCUREMENT).weight = '2.00';
      },
    ],
    ['a band threshold written as 90.0', (file) => moveTopThreshold(file, '90.0')],
    ['a band score written as 1.50', (file) => (bandsOf(file).bands[1].score = '1.50')],
    [
      'the default proportional cap (100) left out',
      (file) => delete (leaf(file, PROCUREMENT).method as ProportionalMethod).cap,
    ],
    ['bands on the value said explicitly', (file) => (bandsOf(file).of = 'value')],
    [
      'a formula respaced and parenthesised',
      (file) => (leaf(file, FIXED_ASSETS).metric!.formula = '(fixedAssetsInUse)/fixedAssetsTotal'),
    ],
    [
      'checklist points listed in another order',
      (file) => input<ChecklistInputSpec>(file, 'specialFunds').points.reverse(),
    ],
    ['two siblings of weight 2 swapped', (file) => group(file, DISCLOSURE_GROUP).children.reverse()],
    ['inputs listed in another order', (file) => file.inputs.reverse()],
    ['a grade bound written as 90.00', (file) => (file.grades[0].min = '90.00')],
    [
      'allowNegative: false said explicitly',
      (file) => (input<MoneyInputSpec>(file, 'budgetRevenue').allowNegative = false),
    ],
    ['a band label (display only)', (file) => (bandsOf(file).bands[0].label = '≥90%')],
    ['declared comparators listed in another order', (file) => declaredOf(file).declared.comparators.reverse()],
    [
      'an embedded test case',
      (file) => file.tests.push({ name: 'empty', submission: {}, expected: { total: '0', grade: '差' } }),
    ],
  ])('reports nothing for %s', (_name, edit) => {
    const next = edited(edit);
    expect(next.checksum).not.toBe(BASE.checksum);
    expect(diffRuleSets(BASE, next).changes).toEqual([]);
  });

  it.each<[string, (file: RuleFile) => void, Array<Omit<RuleSetChange, 'message'>>]>([
    [
      'a title',
      (file) => (file.title = '广州市部门整体支出绩效自评指标体系（2022年度）'),
      [
        {
          kind: 'metadata-changed',
          pointer: '/title',
          before: '广州市部门整体支出绩效自评指标体系（2021年度）',
          after: '广州市部门整体支出绩效自评指标体系（2022年度）',
        },
      ],
    ],
    [
      'the fiscal year',
      (file) => (file.fiscalYear = 2022),
      [{ kind: 'metadata-changed', pointer: '/fiscalYear', before: '2021', after: '2022' }],
    ],
    [
      'a removed effectiveFrom',
      (file) => delete file.effectiveFrom,
      [{ kind: 'metadata-changed', pointer: '', before: '2021-01-01' }],
    ],
    [
      'the score places',
      (file) => (file.rounding.scorePlaces = 3),
      [{ kind: 'rounding-changed', pointer: '/rounding/scorePlaces', before: '2', after: '3' }],
    ],
    [
      'the rounding mode',
      (file) => (file.rounding.mode = 'truncate'),
      [{ kind: 'rounding-changed', pointer: '/rounding/mode', before: 'half-up', after: 'truncate' }],
    ],
    [
      'a grade bound',
      (file) => (file.grades[0].min = '85'),
      [{ kind: 'grade-changed', code: 'excellent', pointer: '/grades/0/min', before: '90', after: '85' }],
    ],
    [
      'a grade label',
      (file) => (file.grades[1].label = '良好'),
      [{ kind: 'grade-changed', code: 'good', pointer: '/grades/1/label', before: '良', after: '良好' }],
    ],
    [
      'an indicator name',
      (file) => (leaf(file, FIXED_ASSETS).name = '固定资产使用率'),
      [
        {
          kind: 'indicator-renamed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/name`,
          before: '固定资产利用率',
          after: '固定资产使用率',
        },
      ],
    ],
    [
      'the top band threshold 90 → 95 (two bands move)',
      (file) => moveTopThreshold(file, '95'),
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/0`,
          before: '≥90% 得2分',
          after: '≥95% 得2分',
        },
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/1`,
          // compared by interval: what 80–95 % scored before, the old bands clipped to it
          before: '90%（含）-95% 得2分；80%（含）-90% 得1.5分',
          after: '80%（含）-95% 得1.5分',
        },
      ],
    ],
    [
      'a band score',
      (file) => (bandsOf(file).bands[1].score = '1.6'),
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/1`,
          before: '80%（含）-90% 得1.5分',
          after: '80%（含）-90% 得1.6分',
        },
      ],
    ],
    [
      'a band giving a fraction of the weight instead of the same points',
      (file) => {
        const band = bandsOf(file).bands[0];
        delete band.score;
        band.fraction = '1';
      },
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/0`,
          before: '≥90% 得2分',
          after: '≥90% 得满分（2分）',
        },
      ],
    ],
    [
      'one band fewer (60–70 % merged into the bottom band)',
      (file) => {
        const bands = bandsOf(file).bands;
        bands.splice(3, 2, {
          when: { all: [{ fact: 'metric', operator: 'decimalLessThan', value: '70' }] },
          score: '0',
        });
      },
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/3`,
          before: '60%（含）-70% 得0.5分；＜60% 得0分',
          after: '＜70% 得0分',
        },
      ],
    ],
    [
      'one band more (a 95 % band on top)',
      (file) => {
        const bands = bandsOf(file).bands;
        bands.reverse(); // listed bottom up, so the new band is appended
        bands[4].when = {
          all: [
            { fact: 'metric', operator: 'decimalGreaterThanInclusive', value: '90' },
            { fact: 'metric', operator: 'decimalLessThan', value: '95' },
          ],
        };
        bands[4].score = '1.8';
        bands.push({
          when: { all: [{ fact: 'metric', operator: 'decimalGreaterThanInclusive', value: '95' }] },
          score: '2',
        });
      },
      // by interval, not by position: the four lower bands, listed in another order, are no change
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/4`,
          before: '90%（含）-95% 得2分',
          after: '90%（含）-95% 得1.8分',
        },
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/5`,
          before: '≥90% 得2分',
          after: '≥95% 得2分',
        },
      ],
    ],
    [
      'a percent metric made a plain number (thresholds unchanged: no band change)',
      (file) => (leaf(file, FIXED_ASSETS).metric!.unit = 'number'),
      [
        {
          kind: 'formula-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/metric/unit`,
          before: 'percent',
          after: 'number',
        },
      ],
    ],
    [
      'a band threshold on a plain-number metric (no % suffix)',
      (file) => {
        leaf(file, FIXED_ASSETS).metric!.unit = 'number';
        moveTopThreshold(file, '95');
      },
      [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/0`,
          before: '≥90% 得2分',
          after: '≥95 得2分',
        },
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/method/bands/1`,
          before: '90%（含）-95% 得2分；80%（含）-90% 得1.5分',
          after: '80（含）-95 得1.5分',
        },
        {
          kind: 'formula-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/metric/unit`,
          before: 'percent',
          after: 'number',
        },
      ],
    ],
    [
      'a metric formula',
      (file) => (leaf(file, CARRYOVER).metric!.formula = 'carryoverBalance / (priorYearCarryover + currentYearBudget)'),
      [
        {
          kind: 'formula-changed',
          code: 'carryover-rate',
          pointer: `${CR}/metric/formula`,
          before: 'carryoverBalance / (priorYearCarryover + currentYearBudget + otherFunds)',
          after: 'carryoverBalance / (priorYearCarryover + currentYearBudget)',
        },
      ],
    ],
    [
      'metric places',
      (file) => (leaf(file, TARGET_COMPLETION).metric!.places = 0),
      [{ kind: 'formula-changed', code: 'target-completion-rate', pointer: `${TC}/metric/places`, after: '0' }],
    ],
    [
      'the method type',
      (file) => {
        const method: DeductionMethod = { type: 'deduction', reference: '100', direction: 'below', perUnit: '0.2' };
        leaf(file, PROCUREMENT).method = method;
      },
      [
        {
          kind: 'method-changed',
          code: 'procurement-execution-rate',
          pointer: `${PR}/method/type`,
          before: 'proportional',
          after: 'deduction',
        },
      ],
    ],
    [
      'a proportional cap',
      (file) => ((leaf(file, PROCUREMENT).method as ProportionalMethod).cap = '95'),
      [
        {
          kind: 'parameter-changed',
          code: 'procurement-execution-rate',
          pointer: `${PR}/method/cap`,
          before: '100',
          after: '95',
        },
      ],
    ],
    [
      'a deduction per unit',
      (file) => ((leaf(file, BUDGET_COMPLETION).method as DeductionMethod).perUnit = '0.25'),
      [
        {
          kind: 'parameter-changed',
          code: 'budget-completion-rate',
          pointer: `${BC}/method/perUnit`,
          before: '0.2',
          after: '0.25',
        },
      ],
    ],
    [
      'a deduction reference and direction',
      (file) => Object.assign(leaf(file, CARRYOVER).method, { reference: '95', direction: 'below' }),
      [
        {
          kind: 'parameter-changed',
          code: 'carryover-rate',
          pointer: `${CR}/method/reference`,
          before: '5',
          after: '95',
        },
        {
          kind: 'parameter-changed',
          code: 'carryover-rate',
          pointer: `${CR}/method/direction`,
          before: 'above',
          after: 'below',
        },
      ],
    ],
    [
      'bands no longer on the absolute value, nor declared monotone',
      (file) => {
        delete bandsOf(file, REVENUE_VARIANCE).of;
        delete bandsOf(file, REVENUE_VARIANCE).monotone;
      },
      [
        {
          kind: 'parameter-changed',
          code: 'revenue-budget-variance',
          pointer: `${RV}/method`,
          before: 'abs',
          after: 'value',
        },
        { kind: 'parameter-changed', code: 'revenue-budget-variance', pointer: `${RV}/method`, before: 'decreasing' },
      ],
    ],
    [
      'judgment tiers',
      (file) => {
        const tiers = (leaf(file, RESULT_APPLICATION).method as JudgmentMethod).tiers!;
        tiers[0].min = '0.85';
        tiers[1].max = '0.85';
      },
      [
        {
          kind: 'parameter-changed',
          code: 'result-application',
          pointer: `${RA}/method/tiers`,
          before: '达成（achieved）0.8-1；部分达成（partial）0.6-0.8；未达成（unachieved）0-0.6',
          after: '达成（achieved）0.85-1；部分达成（partial）0.6-0.85；未达成（unachieved）0-0.6',
        },
      ],
    ],
    [
      'points per commendation',
      (file) => ((leaf(file, COMMENDATION).method as CountAdjustMethod).positive.each = '2'),
      [
        {
          kind: 'parameter-changed',
          code: 'commendation-criticism',
          pointer: `${CA}/method/positive/each`,
          before: '2.5',
          after: '2',
        },
      ],
    ],
    [
      'leaf score places',
      (file) => (leaf(file, BUDGET_COMPLETION).places = 2),
      [{ kind: 'parameter-changed', code: 'budget-completion-rate', pointer: `${BC}/places`, before: '4', after: '2' }],
    ],
    [
      'an applicability condition added',
      (file) =>
        (leaf(file, PROCUREMENT).applies = {
          when: { all: [{ fact: 'procurementPlanned', operator: 'decimalGreaterThan', value: '0' }] },
          otherwise: 'full',
          reason: '无政府采购计划',
        }),
      [
        {
          kind: 'condition-changed',
          code: 'procurement-execution-rate',
          pointer: `${PR}/applies`,
          after: canonicalJson({
            when: { all: [{ fact: 'procurementPlanned', operator: 'decimalGreaterThan', value: '0' }] },
            otherwise: 'full',
            reason: '无政府采购计划',
          }),
        },
      ],
    ],
    [
      'a veto condition added',
      (file) =>
        (leaf(file, FIXED_ASSETS).veto = {
          when: { fact: 'metric', operator: 'decimalLessThan', value: '30' },
          reason: '固定资产大量闲置',
        }),
      [
        {
          kind: 'condition-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FA}/veto`,
          after: '{"reason":"固定资产大量闲置","when":{"fact":"metric","operator":"decimalLessThan","value":"30"}}',
        },
      ],
    ],
    [
      'declared-section rules',
      (file) => {
        const { declared } = declaredOf(file);
        declared.minIndicatorWeight = '0.5';
        declared.comparators = declared.comparators.filter((c) => c !== 'range');
        declared.places = 0;
      },
      [
        {
          kind: 'declared-changed',
          code: 'performance',
          pointer: `${PERFORMANCE}/declared/comparators`,
          before: '>= <= = range',
          after: '>= <= =',
        },
        {
          kind: 'declared-changed',
          code: 'performance',
          pointer: `${PERFORMANCE}/declared/minIndicatorWeight`,
          before: '1',
          after: '0.5',
        },
        {
          kind: 'declared-changed',
          code: 'performance',
          pointer: `${PERFORMANCE}/declared/places`,
          after: '0',
        },
      ],
    ],
    [
      'the basis of a met declared target',
      (file) => (declaredOf(file).declared.basisMet = '已完成'),
      [
        {
          kind: 'basis-changed',
          code: 'performance',
          pointer: `${PERFORMANCE}/declared/basisMet`,
          before: '已完成年度指标值',
          after: '已完成',
        },
      ],
    ],
    [
      'an explanation removed',
      (file) => delete leaf(file, FIXED_ASSETS).explanation,
      [
        {
          kind: 'explanation-changed',
          code: 'fixed-asset-utilization',
          pointer: FA,
          before: leaf(GZ_2021, FIXED_ASSETS).explanation,
        },
      ],
    ],
    [
      'a basis template',
      (file) => (leaf(file, PROCUREMENT).basis = '{metric}，{calc}'),
      [
        {
          kind: 'basis-changed',
          code: 'procurement-execution-rate',
          pointer: `${PR}/basis`,
          before: leaf(GZ_2021, PROCUREMENT).basis,
          after: '{metric}，{calc}',
        },
      ],
    ],
    [
      'weights moved from 资金管理 to 采购管理 (sums kept)',
      (file) => {
        group(file, FUND_MANAGEMENT).weight = '15';
        leaf(file, CARRYOVER).weight = '1';
        group(file, PROCUREMENT_GROUP).weight = '3';
        leaf(file, PROCUREMENT).weight = '3';
      },
      [
        {
          kind: 'weight-changed',
          code: 'fund-management',
          pointer: '/indicators/0/children/0/weight',
          before: '16',
          after: '15',
        },
        { kind: 'weight-changed', code: 'carryover-rate', pointer: `${CR}/weight`, before: '2', after: '1' },
        {
          kind: 'weight-changed',
          code: 'procurement-management',
          pointer: '/indicators/0/children/1/weight',
          before: '2',
          after: '3',
        },
        {
          kind: 'weight-changed',
          code: 'procurement-execution-rate',
          pointer: `${PR}/weight`,
          before: '2',
          after: '3',
        },
      ],
    ],
    [
      '专项资金管理情况 points split 1 + 0.5 + 0.5 → 0.5 + 0.5 + 1',
      (file) => {
        const points = input<ChecklistInputSpec>(file, 'specialFunds').points;
        points[0].points = '0.5';
        points[2].points = '1';
      },
      [
        {
          kind: 'input-changed',
          code: 'specialFunds',
          pointer: '/inputs/2/points/0/points',
          before: '1',
          after: '0.5',
        },
        {
          kind: 'input-changed',
          code: 'specialFunds',
          pointer: '/inputs/2/points/2/points',
          before: '0.5',
          after: '1',
        },
      ],
    ],
    [
      'a checklist point replaced by another',
      (file) => {
        const points = input<ChecklistInputSpec>(file, 'specialFunds').points;
        points[2] = { id: 'measuresPublished', label: '专项资金管理办法已公开', points: '0.5' };
      },
      [
        {
          kind: 'input-changed',
          code: 'specialFunds',
          pointer: '/inputs/2/points/2',
          after: '专项资金管理办法已公开 0.5分',
        },
        {
          kind: 'input-changed',
          code: 'specialFunds',
          pointer: '/inputs/2/points',
          before: '专项资金管理办法在有效期内 0.5分',
        },
      ],
    ],
    [
      'an input label and unit',
      (file) =>
        Object.assign(input<MoneyInputSpec>(file, 'budgetRevenue'), { label: '财政拨款收入年初预算数', unit: '元' }),
      [
        {
          kind: 'input-changed',
          code: 'budgetRevenue',
          pointer: '/inputs/4/label',
          before: '财政拨款收入预算数',
          after: '财政拨款收入年初预算数',
        },
        { kind: 'input-changed', code: 'budgetRevenue', pointer: '/inputs/4/unit', before: '万元', after: '元' },
      ],
    ],
    [
      'two leaves swapped between 资产管理 and 成本管理 (weights kept)',
      (file) => {
        const assets = group(file, ASSET_GROUP).children;
        const costs = group(file, COST_GROUP).children;
        [assets[2], costs[0]] = [costs[0], assets[2]];
      },
      [
        {
          kind: 'indicator-moved',
          code: 'public-expense-control',
          pointer: '/indicators/0/children/3/children/2',
          before: 'cost-management',
          after: 'asset-management',
        },
        {
          kind: 'indicator-moved',
          code: 'fixed-asset-utilization',
          pointer: '/indicators/0/children/4/children/0',
          before: 'asset-management',
          after: 'cost-management',
        },
      ],
    ],
    [
      '资产账务核对情况 and its input replaced by 资产卡片核对情况',
      (file) => {
        file.inputs = file.inputs.filter((spec) => spec.id !== 'assetReconciliation');
        file.inputs.push({ id: 'assetCards', label: '资产卡片与实物相符', type: 'boolean' });
        group(file, ASSET_GROUP).children[1] = {
          code: 'asset-card-check',
          name: '资产卡片核对情况',
          weight: '1',
          method: { type: 'boolean', input: 'assetCards' },
        };
      },
      [
        { kind: 'input-added', code: 'assetCards', pointer: '/inputs/29', after: '资产卡片与实物相符' },
        { kind: 'input-removed', code: 'assetReconciliation', pointer: '/inputs/16', before: '资产账与财务账相符' },
        {
          kind: 'indicator-added',
          code: 'asset-card-check',
          pointer: '/indicators/0/children/3/children/1',
          after: '资产卡片核对情况',
        },
        {
          kind: 'indicator-removed',
          code: 'asset-reconciliation',
          pointer: '/indicators/0/children/3/children/1',
          before: '资产账务核对情况',
        },
      ],
    ],
    [
      'a group turned into a leaf of the same code',
      (file) => {
        const { children } = group(file, [0]);
        const only = children[1] as GroupNode;
        children[1] = { ...(only.children[0] as LeafNode), code: only.code, name: only.name };
      },
      [
        {
          kind: 'method-changed',
          code: 'procurement-management',
          pointer: '/indicators/0/children/1/method/type',
          before: 'group',
          after: 'proportional',
        },
        {
          kind: 'explanation-changed',
          code: 'procurement-management',
          pointer: '/indicators/0/children/1/explanation',
          after: leaf(GZ_2021, PROCUREMENT).explanation,
        },
        {
          kind: 'basis-changed',
          code: 'procurement-management',
          pointer: '/indicators/0/children/1/basis',
          after: leaf(GZ_2021, PROCUREMENT).basis,
        },
        { kind: 'indicator-removed', code: 'procurement-execution-rate', pointer: PR, before: '政府采购执行率' },
      ],
    ],
  ])('reports %s', (_name, edit, expected) => {
    const diff = diffRuleSets(BASE, edited(edit));
    expect(diff.changes.map(facts)).toEqual(expected);
  });

  it.each<[string, (file: RuleFile) => void, string[]]>([
    [
      'a band, with the bureau’s wording',
      (file) => moveTopThreshold(file, '95'),
      [
        '管理效能 › 资产管理 › 固定资产利用率：≥95% 得2分（原 ≥90% 得2分，此区间得分不变）',
        '管理效能 › 资产管理 › 固定资产利用率：80%（含）-95% 得1.5分（原 90%（含）-95% 得2分；80%（含）-90% 得1.5分）',
      ],
    ],
    [
      'a parameter, naming it',
      (file) => ((leaf(file, PROCUREMENT).method as ProportionalMethod).cap = '95'),
      ['管理效能 › 采购管理 › 政府采购执行率：参数 上限（cap） 100 改为 95'],
    ],
    [
      'a removed parameter',
      (file) => delete bandsOf(file, REVENUE_VARIANCE).monotone,
      ['管理效能 › 资金管理 › 财政拨款收入预决算差异率：参数 单调性（monotone） decreasing 改为 （无）'],
    ],
    [
      'a method type',
      (file) => {
        leaf(file, PROCUREMENT).method = { type: 'deduction', reference: '100', direction: 'below', perUnit: '0.2' };
      },
      [
        '管理效能 › 采购管理 › 政府采购执行率：计分方法 按比例计分（proportional） 改为 扣分法（deduction）：' +
          '以100%为满分基准，每低1个百分点扣0.2分，扣完为止',
      ],
    ],
    [
      'a rename, under the new name',
      (file) => (leaf(file, FIXED_ASSETS).name = '固定资产使用率'),
      ['管理效能 › 资产管理 › 固定资产使用率：名称 固定资产利用率 改为 固定资产使用率'],
    ],
    [
      'a move, naming both parents',
      (file) => {
        const assets = group(file, ASSET_GROUP).children;
        const costs = group(file, COST_GROUP).children;
        [assets[2], costs[0]] = [costs[0], assets[2]];
      },
      [
        '管理效能 › 资产管理 › 公用经费控制率：从 管理效能 › 成本管理 移至 管理效能 › 资产管理',
        '管理效能 › 成本管理 › 固定资产利用率：从 管理效能 › 资产管理 移至 管理效能 › 成本管理',
      ],
    ],
    [
      'a checklist point, by its label',
      (file) => {
        const points = input<ChecklistInputSpec>(file, 'specialFunds').points;
        points[0].points = '0.8';
        points[1].points = '0.7';
      },
      [
        '填报项「专项资金管理情况」（specialFunds）：要点 专项资金在规定期限内（withinTerm）分值 1 改为 0.8',
        '填报项「专项资金管理情况」（specialFunds）：要点 专项资金信息在统一管理平台公开（platformDisclosure）分值 0.5 改为 0.7',
      ],
    ],
    ['a grade bound', (file) => (file.grades[0].min = '85'), ['等次「优」（excellent）：分数下限 90 改为 85']],
    ['a rounding field', (file) => (file.rounding.scorePlaces = 3), ['舍入规则：得分小数位数（scorePlaces） 2 改为 3']],
    [
      '加减分 moved on top of the total',
      (file) => {
        group(file, [2]).onTop = true;
        file.total = '95';
      },
      ['规则集：总分 100 改为 95', '加减分项：另计加减分，不计入总分（onTop） 否 改为 是'],
    ],
  ])('words %s in one Chinese line', (_name, edit, messages) => {
    expect(diffRuleSets(BASE, edited(edit)).changes.map((change) => change.message)).toEqual(messages);
  });

  it('words additions and removals', () => {
    const diff = diffRuleSets(
      BASE,
      edited((file) => {
        file.inputs = file.inputs.filter((spec) => spec.id !== 'assetReconciliation');
        file.inputs.push({ id: 'assetCards', label: '资产卡片与实物相符', type: 'boolean' });
        group(file, ASSET_GROUP).children[1] = {
          code: 'asset-card-check',
          name: '资产卡片核对情况',
          weight: '1',
          method: { type: 'boolean', input: 'assetCards' },
        };
      }),
    );
    expect(diff.changes.map((change) => change.message)).toEqual([
      '新增填报项 资产卡片与实物相符（assetCards），类型 boolean',
      '删除填报项 资产账与财务账相符（assetReconciliation）',
      '新增指标 管理效能 › 资产管理 › 资产卡片核对情况（asset-card-check），分值 1，位于 管理效能 › 资产管理 下；' +
        '填报项「资产卡片与实物相符」（assetCards）为“是”得满分，否则不得分',
      '删除指标 管理效能 › 资产管理 › 资产账务核对情况（asset-reconciliation），原分值 1',
    ]);
  });

  it('lists metadata, rounding, grades, inputs, then indicators top-down with removals last, and counts them', () => {
    const diff = diffRuleSets(
      BASE,
      edited((file) => {
        // Edited bottom-up and out of order on purpose: the report follows the new file, not the edit.
        (leaf(file, COMMENDATION).method as CountAdjustMethod).negative.cap = '4';
        group(file, ASSET_GROUP).children.splice(0, 1); // 资产管理制度健全性 (w 1) removed …
        group(file, ASSET_GROUP).children[0].weight = '2'; // … and its weight given to 资产账务核对情况
        file.inputs = file.inputs.filter((spec) => spec.id !== 'assetSystems');
        file.indicators[0].name = '管理效能指标';
        file.grades[3].label = '较差';
        file.rounding.totalPlaces = 2;
        file.title = '广州市部门整体支出绩效自评指标体系（2021年度修订）';
      }),
    );
    expect(diff.changes.map(({ kind, code }) => [kind, code])).toEqual([
      ['metadata-changed', undefined],
      ['rounding-changed', undefined],
      ['grade-changed', 'poor'],
      ['input-removed', 'assetSystems'],
      ['indicator-renamed', 'management'],
      ['weight-changed', 'asset-reconciliation'],
      ['parameter-changed', 'commendation-criticism'],
      ['indicator-removed', 'asset-systems'],
    ]);
    expect(diff.summary).toEqual({
      'metadata-changed': 1,
      'rounding-changed': 1,
      'grade-changed': 1,
      'input-removed': 1,
      'indicator-renamed': 1,
      'weight-changed': 1,
      'parameter-changed': 1,
      'indicator-removed': 1,
    });
    // A removal points into the old file; everything else into the new one.
    expect(diff.changes.find((change) => change.kind === 'indicator-removed')!.pointer).toBe(
      '/indicators/0/children/3/children/0',
    );
    expect(diff.changes.find((change) => change.kind === 'weight-changed')!.pointer).toBe(
      '/indicators/0/children/3/children/0/weight',
    );
  });

  it('is the reverse of itself: removals one way are additions the other', () => {
    const next = edited((file) => {
      file.inputs.push({ id: 'landArea', label: '土地面积', type: 'number', unit: '平方米' });
    });
    expect(diffRuleSets(BASE, next).changes.map(facts)).toEqual([
      { kind: 'input-added', code: 'landArea', pointer: '/inputs/30', after: '土地面积' },
    ]);
    expect(diffRuleSets(next, BASE).changes.map(facts)).toEqual([
      { kind: 'input-removed', code: 'landArea', pointer: '/inputs/30', before: '土地面积' },
    ]);
  });
});

describe('diffRuleSets on 加减分 events', () => {
  const example = parseRuleFileText(
    readFileSync(join(__dirname, '../../../docs/examples/project-self-evaluation-bonus-on-top.json'), 'utf8'),
  ) as RuleFile;

  it('lists a kind added, a kind repriced and a cap changed', () => {
    const next = structuredClone(example);
    const events = next.inputs.find((i) => i.id === 'adjustmentEvents') as EventsInputSpec;
    events.kinds[1].points = '1.5';
    events.kinds.push({ code: 'major-violation', label: '重大违规', points: '-5' });
    const leafNode = (next.indicators[4] as GroupNode).children[0] as LeafNode;
    (leafNode.method as EventsMethod).penaltyCap = '4';
    const diff = diffRuleSets(toRuleSet(example), toRuleSet(next));
    expect(diff.changes.map((c) => c.message)).toEqual([
      '填报项「加减分事项」（adjustmentEvents）：事项类型 省级表彰（provincial-commendation）每项分值 1 改为 1.5',
      '填报项「加减分事项」（adjustmentEvents）：新增事项类型（major-violation）重大违规 每项-5分',
      '加减分项 › 加减分事项：参数 最多减分（penaltyCap） 5 改为 4',
    ]);
  });
});

describe('diffRuleSets as a 修订说明: the 广州 2022 example draft', () => {
  const draft = parseRuleFileText(
    readFileSync(join(__dirname, '../../../docs/examples/guangzhou-department-overall-2022-draft.json'), 'utf8'),
  ) as RuleFile;
  const DRAFT = toRuleSet(draft);
  const byCode = (diff: ReturnType<typeof diffRuleSets>, code: string): RuleSetChange[] =>
    diff.changes.filter((change) => change.code === code);

  it('lists the new method with all its parameters', () => {
    const [change] = byCode(diffRuleSets(BASE, DRAFT), 'procurement-execution-rate');
    expect(change).toEqual({
      kind: 'method-changed',
      code: 'procurement-execution-rate',
      pointer: `${PR}/method/type`,
      path: '管理效能 › 采购管理 › 政府采购执行率',
      before: 'proportional',
      after: 'deduction',
      message:
        '管理效能 › 采购管理 › 政府采购执行率：计分方法 按比例计分（proportional） 改为 扣分法（deduction）：' +
        '以100%为满分基准，每低1个百分点扣0.1分，扣完为止',
    });
  });

  it('compares the bands by interval: each new band says what its values scored before', () => {
    const changes = byCode(diffRuleSets(BASE, DRAFT), 'fixed-asset-utilization');
    expect(changes.map(({ pointer, message }) => [pointer, message])).toEqual([
      [
        `${FA}/method/bands/0`,
        '管理效能 › 资产管理 › 固定资产利用率：≥95% 得满分（2分）（原 ≥90% 得2分，此区间得分不变）',
      ],
      [
        `${FA}/method/bands/1`,
        '管理效能 › 资产管理 › 固定资产利用率：85%（含）-95% 得分值的75%（1.5分）' +
          '（原 90%（含）-95% 得2分；85%（含）-90% 得1.5分）',
      ],
      [
        `${FA}/method/bands/2`,
        '管理效能 › 资产管理 › 固定资产利用率：＜85% 不得分' +
          '（原 80%（含）-85% 得1.5分；70%（含）-80% 得1分；60%（含）-70% 得0.5分；＜60% 得0分）',
      ],
    ]);
    expect(new Set(changes.map((change) => change.path))).toEqual(new Set(['管理效能 › 资产管理 › 固定资产利用率']));
  });

  it('names the indicator replaced and the one that replaces it by their Chinese paths, with the new method', () => {
    const diff = diffRuleSets(BASE, DRAFT);
    expect(byCode(diff, 'data-security').map((change) => change.message)).toEqual([
      '新增指标 管理效能 › 资产管理 › 数据安全管理（data-security），分值 1，位于 管理效能 › 资产管理 下；' +
        '按填报项「数据安全管理」（dataSecurity）逐项计分：已制定数据安全管理制度0.5分；按要求开展数据安全风险评估0.5分',
    ]);
    expect(byCode(diff, 'asset-systems').map((change) => change.message)).toEqual([
      '删除指标 管理效能 › 资产管理 › 资产管理制度健全性（asset-systems），原分值 1',
    ]);
    expect(byCode(diff, 'excellent').map((change) => change.message)).toEqual([
      '等次「优」（excellent）：分数下限 90 改为 92',
    ]);
    expect(diff.changes.map((change) => change.message)).toContain(
      '加减分项 › 工作表现加减分 › 工作受表彰或批评：参数 每次加分（positive.each） 2.5 改为 1.5',
    );
  });

  it('words the same changes in English on request, keeping the bureau’s Chinese names', () => {
    const diff = diffRuleSets(BASE, DRAFT, { lang: 'en' });
    expect(byCode(diff, 'procurement-execution-rate').map((change) => change.message)).toEqual([
      '管理效能 › 采购管理 › 政府采购执行率: method: proportional → deduction: ' +
        'full marks at 100%, 0.1 off per percentage point below it, down to 0',
    ]);
    expect(byCode(diff, 'fixed-asset-utilization')[1].message).toBe(
      '管理效能 › 资产管理 › 固定资产利用率: [85%, 95%) 75% of the weight (1.5) (was [90%, 95%) scores 2; [85%, 90%) scores 1.5)',
    );
    // the facts do not depend on the language
    expect(diff.changes.map(facts)).toEqual(diffRuleSets(BASE, DRAFT).changes.map(facts));
    for (const change of diff.changes) expect(change.message).not.toMatch(/改为|新增|删除|原 /);
  });

  it('says what the draft continues', () => {
    const [change] = diffRuleSets(BASE, DRAFT).changes.filter((c) => c.pointer === '/continues');
    expect(change.message).toBe('规则集：承接的上一版本 （无） 改为 guangzhou-department-overall 2021.1.0（2021年度）');
  });
});

describe('diffRuleSets on 不适用 settings', () => {
  const withNotApplicable = edited((file) => {
    file.notApplicable = { policy: 'parent' };
    (group(file, ASSET_GROUP).children[0] as LeafNode).allowNotApplicable = true;
    group(file, ASSET_GROUP).notApplicable = { policy: 'siblings' };
    declaredOf(file).declared.allowNotApplicable = true;
  });

  it('names the rule set, each indicator marked may be 不适用 and each policy, by Chinese path', () => {
    const diff = diffRuleSets(BASE, withNotApplicable);
    expect(diff.changes.map((c) => [c.kind, c.pointer, c.message])).toEqual([
      [
        'not-applicable-changed',
        '/notApplicable/policy',
        '规则集：不适用指标的分值分配方式（notApplicable） 未规定 改为 上级指标按实际分值折算（parent）',
      ],
      [
        'not-applicable-changed',
        '/indicators/0/children/3/notApplicable/policy',
        '管理效能 › 资产管理：下级不适用时的分值分配方式（notApplicable） 沿用规则集的方式 改为 分值按比例分给同级指标（siblings）',
      ],
      [
        'not-applicable-changed',
        '/indicators/0/children/3/children/0/allowNotApplicable',
        '管理效能 › 资产管理 › 资产管理制度健全性：可由部门标为不适用（allowNotApplicable） 否 改为 是',
      ],
      [
        'not-applicable-changed',
        `${PERFORMANCE}/declared/allowNotApplicable`,
        '履职效能：申报的关键指标可由部门标为不适用（allowNotApplicable） 否 改为 是',
      ],
    ]);
    expect(diff.changes.map((c) => c.path)).toEqual([
      undefined,
      '管理效能 › 资产管理',
      '管理效能 › 资产管理 › 资产管理制度健全性',
      '履职效能',
    ]);
    expect(diff.summary).toEqual({ 'not-applicable-changed': 4 });
  });

  it('words the way back, and a policy changed, in English on request', () => {
    const back = diffRuleSets(withNotApplicable, BASE, { lang: 'en' });
    expect(back.changes.map((c) => c.message)).toEqual([
      'Rule set: redistribution of what is marked 不适用 (notApplicable): parent rescaled from the applicable part (parent) → none',
      "管理效能 › 资产管理: redistribution when something below is 不适用 (notApplicable): weight to the siblings in proportion (siblings) → the rule set's",
      '管理效能 › 资产管理 › 资产管理制度健全性: may be marked 不适用 by the department (allowNotApplicable): yes → no',
      '履职效能: declared rows may be marked 不适用 (allowNotApplicable): yes → no',
    ]);
    const total = edited((file) => {
      file.notApplicable = { policy: 'total' };
      (group(file, ASSET_GROUP).children[0] as LeafNode).allowNotApplicable = true;
      group(file, ASSET_GROUP).notApplicable = { policy: 'siblings' };
      declaredOf(file).declared.allowNotApplicable = true;
    });
    expect(diffRuleSets(withNotApplicable, total).changes.map((c) => [c.before, c.after, c.message])).toEqual([
      [
        '上级指标按实际分值折算（parent）',
        '总分按实际分值折算（total）',
        '规则集：不适用指标的分值分配方式（notApplicable） 上级指标按实际分值折算（parent） 改为 总分按实际分值折算（total）',
      ],
    ]);
  });
});

describe('diffRuleSets on the rule set’s vetoes (一票否决与上限)', () => {
  const PROCUREMENT_CAP = {
    code: 'procurement-below-85',
    when: { all: [{ fact: 'metric:procurement-execution-rate', operator: 'decimalLessThan', value: '85' }] },
    maxGrade: 'good',
    reason: '政府采购执行率低于85%',
  };
  const ASSET_CAP = {
    code: 'asset-management-short',
    name: '总分封顶：资产管理未得满分',
    when: { all: [{ fact: 'score:asset-management', operator: 'decimalLessThan', value: '4' }] },
    maxTotal: '90',
    reason: '资产管理未得满分',
  };
  const withVetoes = edited((file) => (file.vetoes = [structuredClone(PROCUREMENT_CAP), structuredClone(ASSET_CAP)]));

  it('lists each veto added and removed with its effect, reason and condition', () => {
    const added = diffRuleSets(BASE, withVetoes);
    expect(added.changes.map((c) => [c.kind, c.code, c.pointer, c.path, c.message])).toEqual([
      [
        'veto-added',
        'procurement-below-85',
        '/vetoes/0',
        '一票否决与上限「procurement-below-85」',
        '新增一票否决与上限「procurement-below-85」（procurement-below-85）：等次最高为良（good），理由“政府采购执行率低于85%”，条件 {"all":[{"fact":"metric:procurement-execution-rate","operator":"decimalLessThan","value":"85"}]}',
      ],
      [
        'veto-added',
        'asset-management-short',
        '/vetoes/1',
        '一票否决与上限「总分封顶：资产管理未得满分」',
        '新增一票否决与上限「总分封顶：资产管理未得满分」（asset-management-short）：总分最高为90，理由“资产管理未得满分”，条件 {"all":[{"fact":"score:asset-management","operator":"decimalLessThan","value":"4"}]}',
      ],
    ]);
    const removed = diffRuleSets(withVetoes, BASE);
    expect(removed.changes.map((c) => [c.kind, c.pointer, c.message])).toEqual([
      [
        'veto-removed',
        '/vetoes/0',
        '删除一票否决与上限「procurement-below-85」（procurement-below-85），原为：等次最高为良（good），理由“政府采购执行率低于85%”，条件 {"all":[{"fact":"metric:procurement-execution-rate","operator":"decimalLessThan","value":"85"}]}',
      ],
      [
        'veto-removed',
        '/vetoes/1',
        '删除一票否决与上限「总分封顶：资产管理未得满分」（asset-management-short），原为：总分最高为90，理由“资产管理未得满分”，条件 {"all":[{"fact":"score:asset-management","operator":"decimalLessThan","value":"4"}]}',
      ],
    ]);
    expect(removed.summary).toEqual({ 'veto-removed': 2 });
    expect(diffRuleSets(withVetoes, withVetoes).changes).toEqual([]);
  });

  it('says what changed in a veto kept: condition, effect, reason, name; order alone is no change', () => {
    const next = edited((file) => {
      const asset = { ...structuredClone(ASSET_CAP), reason: '资产管理得分低于4分' };
      const procurement: Record<string, unknown> = { ...structuredClone(PROCUREMENT_CAP), name: '等次上限：采购' };
      procurement.when = {
        all: [{ fact: 'metric:procurement-execution-rate', operator: 'decimalLessThan', value: '80' }],
      };
      delete procurement.maxGrade;
      procurement.setGrade = 'poor';
      file.vetoes = [asset, procurement as unknown as NonNullable<RuleFile['vetoes']>[number]];
    });
    const diff = diffRuleSets(withVetoes, next);
    expect(diff.changes.map((c) => [c.kind, c.pointer, c.message])).toEqual([
      [
        'veto-changed',
        '/vetoes/0/reason',
        '一票否决与上限「总分封顶：资产管理未得满分」：理由 资产管理未得满分 改为 资产管理得分低于4分',
      ],
      ['veto-changed', '/vetoes/1/name', '一票否决与上限「等次上限：采购」：名称 （无） 改为 等次上限：采购'],
      [
        'veto-changed',
        '/vetoes/1/when',
        '一票否决与上限「等次上限：采购」：条件 {"all":[{"fact":"metric:procurement-execution-rate","operator":"decimalLessThan","value":"85"}]} 改为 {"all":[{"fact":"metric:procurement-execution-rate","operator":"decimalLessThan","value":"80"}]}',
      ],
      [
        'veto-changed',
        '/vetoes/1/setGrade',
        '一票否决与上限「等次上限：采购」：效果 等次最高为良（good） 改为 等次定为差（poor）',
      ],
    ]);
    expect(diffRuleSets(withVetoes, next, { lang: 'en' }).changes.map((c) => c.message)[3]).toBe(
      '一票否决与上限「等次上限：采购」: effect: grade at most 良 (good) → grade set to 差 (poor)',
    );
  });
});
