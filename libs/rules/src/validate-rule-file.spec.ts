import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BandsMethod, JudgmentMethod, LeafNode, RuleFile } from './rule-file.types';
import { parseRuleFileText } from './rule-set';
import { RuleSetError, RuleSetErrorCode } from './rule-set.error';
import { RULE_FILE_LIMITS, validateRuleFile } from './validate-rule-file';

const GZ_2021_TEXT = readFileSync(join(__dirname, '../../../rules/guangzhou/department-overall/2021.json'), 'utf8');
const GZ_2021 = JSON.parse(GZ_2021_TEXT) as RuleFile;

/** A fresh deep clone of the shipped 广州 2021 file, for one test to break. */
const gz = (): RuleFile => structuredClone(GZ_2021);

type Mutable = Record<string, unknown>;
/** The node at a path of child indexes under /indicators: at(file, 0, 3, 2) is /indicators/0/children/3/children/2. */
function at(file: RuleFile, ...path: number[]): LeafNode {
  let nodes: unknown[] = file.indicators;
  let node: unknown;
  for (const index of path) {
    node = nodes[index];
    nodes = (node as { children?: unknown[] }).children ?? [];
  }
  return node as LeafNode;
}

// Where the GZ 2021 leaves sit (domain.md §4 order).
const BUDGET_COMPLETION = [0, 0, 0] as const; // 预算完成率 (deduction, w 2)
const BUDGET_PREPARATION = [0, 0, 1] as const; // 部门预算编制情况 (checklist, w 3)
const PROCUREMENT = [0, 1, 0] as const; // 政府采购执行率 (proportional)
const ASSET_SYSTEMS = [0, 3, 0] as const; // 资产管理制度健全性 (boolean)
const ASSET_RECONCILIATION = [0, 3, 1] as const;
const FIXED_ASSETS = [0, 3, 2] as const; // 固定资产利用率 (bands, increasing)
const TARGET_COMPLETION = [0, 5, 3] as const; // 绩效目标完成率 (targetsMet / targetsDeclared)
const RESULT_APPLICATION = [0, 5, 5] as const; // 绩效结果应用 (judgment, three tiers)
const COMMENDATION = [2, 0, 0] as const; // 工作受表彰或批评 (count-adjust, w 5)

const bandsOf = (file: RuleFile): BandsMethod => at(file, ...FIXED_ASSETS).method as BandsMethod;
const tiersOf = (file: RuleFile): NonNullable<JudgmentMethod['tiers']> =>
  (at(file, ...RESULT_APPLICATION).method as JudgmentMethod).tiers!;
/** The part-th comparison of the band-th band of 固定资产利用率 ({ fact, operator, value }). */
const bandBound = (file: RuleFile, band: number, part: number): Mutable =>
  (bandsOf(file).bands[band].when as unknown as { all: Mutable[] }).all[part];

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { deeper: value };
  return value;
}

interface Case {
  breaks: string;
  mutate: (file: RuleFile) => void;
  pointer: string;
  /** What the Chinese message says (a part of it). */
  zh: string;
  /** What the English message says (a part of it). */
  en: string;
  /** The Chinese path of what the pointer names, where it names something. */
  path?: string;
}

const FA = '/indicators/0/children/3/children/2';
const RA = '/indicators/0/children/5/children/5';

const cases: Case[] = [
  {
    breaks: 'a leaf weight that breaks its parent’s sum',
    mutate: (f) => void (at(f, ...BUDGET_COMPLETION).weight = '3'),
    pointer: '/indicators/0/children/0/weight',
    zh: '“资金管理”分值为 16，但下级指标分值之和为 17',
    en: '"资金管理" weighs 16 but its children sum to 17',
    path: '管理效能 › 资金管理',
  },
  {
    breaks: 'top-level weights that differ from the declared total',
    mutate: (f) => void (f.total = '99'),
    pointer: '/total',
    zh: '一级指标分值之和为 100，但总分（total）写的是 99',
    en: 'the top-level indicators weigh 100 but the declared total is 99',
    path: '总分',
  },
  {
    breaks: 'a duplicate indicator code',
    mutate: (f) => void (at(f, ...ASSET_RECONCILIATION).code = 'asset-systems'),
    pointer: '/indicators/0/children/3/children/1/code',
    zh: '指标代码“asset-systems”重复（首次出现于 管理效能 › 资产管理 › 资产管理制度健全性，/indicators/0/children/3/children/0）',
    en: 'duplicate indicator code "asset-systems"',
    path: '管理效能 › 资产管理 › 资产账务核对情况',
  },
  {
    breaks: 'a duplicate input id',
    mutate: (f) => void f.inputs.push({ ...f.inputs[15] }),
    pointer: `/inputs/${GZ_2021.inputs.length}/id`,
    zh: '填报项 id “assetSystems”重复（首次出现于 填报项「资产管理制度健全」，/inputs/15）',
    en: 'duplicate input id "assetSystems"',
    path: '填报项「资产管理制度健全」',
  },
  {
    breaks: 'a formula that does not parse',
    mutate: (f) => void (at(f, ...PROCUREMENT).metric!.formula = 'procurementActual / (procurementPlanned'),
    pointer: '/indicators/0/children/1/children/0/metric/formula',
    zh: '公式无法解析',
    en: 'formula does not parse',
    path: '管理效能 › 采购管理 › 政府采购执行率',
  },
  {
    breaks: 'a formula that reads an undeclared input',
    mutate: (f) => void (at(f, ...PROCUREMENT).metric!.formula = 'procurementActual / procurementPlaned'),
    pointer: '/indicators/0/children/1/children/0/metric/formula',
    zh: '“procurementPlaned”不是已声明的填报项，是否应为 procurementPlanned？',
    en: '"procurementPlaned" is not a declared input',
    path: '管理效能 › 采购管理 › 政府采购执行率',
  },
  {
    breaks: 'a formula that reads a non-numeric input',
    mutate: (f) => void (at(f, ...PROCUREMENT).metric!.formula = 'procurementActual / assetSystems'),
    pointer: '/indicators/0/children/1/children/0/metric/formula',
    zh: '填报项“assetSystems”的类型为“是否”（boolean），不是数',
    en: 'input "assetSystems" is boolean, not a number',
    path: '管理效能 › 采购管理 › 政府采购执行率',
  },
  {
    breaks: 'targetsMet() of a section that is not declared',
    mutate: (f) =>
      void (at(f, ...TARGET_COMPLETION).metric!.formula = 'targetsMet("nope") / targetsDeclared("performance")'),
    pointer: '/indicators/0/children/5/children/3/metric/formula',
    zh: '“nope”不是申报目标的指标',
    en: '"nope" is not a declared-target section',
    path: '管理效能 › 绩效管理 › 绩效目标完成率',
  },
  {
    breaks: 'a formula cycle through score() between two leaves',
    mutate: (f) => {
      // 成本管理 (4) keeps its weight: its two leaves drop to 1 and two new leaves of 1 read each other's score.
      const cost = f.indicators[0] as unknown as { children: Array<{ children: unknown[] }> };
      const group = cost.children[4] as unknown as { children: LeafNode[] };
      group.children[0].weight = '1';
      group.children[1].weight = '1';
      const leaf = (code: string, other: string): LeafNode => ({
        code,
        name: `循环${code}`,
        weight: '1',
        metric: { formula: `score("${other}") / 1`, unit: 'percent' },
        method: { type: 'proportional' },
      });
      group.children.push(leaf('cycle-a', 'cycle-b'), leaf('cycle-b', 'cycle-a'));
    },
    pointer: '/indicators/0/children/4/children/2/metric/formula',
    zh: '指标之间循环引用得分：循环cycle-a（cycle-a） → 循环cycle-b（cycle-b） → 循环cycle-a（cycle-a）',
    en: 'dependency cycle: cycle-a → cycle-b → cycle-a',
    path: '管理效能 › 成本管理 › 循环cycle-a',
  },
  {
    breaks: 'bands with a gap (80 → 82 on the lower side of [80, 90))',
    mutate: (f) => void (bandBound(f, 1, 0).value = '82'),
    pointer: `${FA}/method/bands/1/when`,
    zh: '指标值为 80%（含）-82%（区间 [80, 82)）时没有对应的档次',
    en: 'values in [80, 82) are covered by no band',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'bands on abs() that leave [0, 1) uncovered',
    mutate: (f) => {
      const variance = at(f, 0, 0, 3).method as BandsMethod;
      variance.bands[0].when = {
        all: [
          { fact: 'metric', operator: 'decimalGreaterThanInclusive', value: '1' },
          { fact: 'metric', operator: 'decimalLessThanInclusive', value: '5' },
        ],
      };
    },
    pointer: '/indicators/0/children/0/children/3/method/bands/0/when',
    zh: '指标值为 0%（含）-1%（区间 [0, 1)）时没有对应的档次',
    en: 'values in [0, 1) are covered by no band',
    path: '管理效能 › 资金管理 › 财政拨款收入预决算差异率',
  },
  {
    breaks: 'overlapping bands ([70, 85) against [80, 90))',
    mutate: (f) => void (bandBound(f, 2, 1).value = '85'),
    pointer: `${FA}/method/bands/1/when`,
    zh: '与下一档重叠：指标值为 80%（含）-85%（区间 [80, 85)）时同时属于两个档次',
    en: 'overlaps the band below it at [80, 85)',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'bands that leave the top uncovered',
    mutate: (f) => void bandsOf(f).bands.shift(),
    pointer: `${FA}/method/bands`,
    zh: '指标值为 ≥90%（区间 [90, +∞)）时没有对应的档次',
    en: 'values in [90, +∞) are covered by no band',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'bands that leave the bottom uncovered',
    mutate: (f) => void bandsOf(f).bands.pop(),
    pointer: `${FA}/method/bands/3/when`,
    zh: '指标值为 ＜60%（区间 (-∞, 60)）时没有对应的档次',
    en: 'values in (-∞, 60) are covered by no band',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'bands listed out of order',
    mutate: (f) => {
      const bands = bandsOf(f).bands;
      [bands[1], bands[2]] = [bands[2], bands[1]];
    },
    pointer: `${FA}/method/bands`,
    zh: '档次要按界值顺序排列',
    en: 'bands must be listed in order of their thresholds',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'bands declared increasing that are not',
    mutate: (f) => void (bandsOf(f).bands[0].score = '1'),
    pointer: `${FA}/method/bands/0`,
    zh: '声明了指标值越高得分不减（increasing），但 ≥90% 得 1 分，低于下一档的 1.5 分',
    en: 'declared increasing but ≥90 scores 1 after 1.5',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'an unknown operator',
    mutate: (f) =>
      void (at(f, ...ASSET_SYSTEMS).applies = {
        when: { fact: 'assetReconciliation', operator: 'isTrue', value: true },
        otherwise: 'zero',
        reason: '账实不符时不适用',
      }),
    pointer: '/indicators/0/children/3/children/0/applies/when/operator',
    zh: '未知的运算符“isTrue”',
    en: 'unknown operator "isTrue"',
    path: '管理效能 › 资产管理 › 资产管理制度健全性',
  },
  {
    breaks: 'a float built-in operator',
    mutate: (f) =>
      void (at(f, ...PROCUREMENT).veto = {
        when: { fact: 'metric', operator: 'lessThan', value: '10' },
        reason: '执行率过低',
      }),
    pointer: '/indicators/0/children/1/children/0/veto/when/operator',
    zh: '“lessThan”按浮点数比较，不精确；请改用“decimalLessThan”',
    en: '"lessThan" compares floats; use "decimalLessThan"',
    path: '管理效能 › 采购管理 › 政府采购执行率',
  },
  {
    breaks: 'a band condition on a fact other than metric',
    mutate: (f) => void (bandBound(f, 0, 0).fact = 'fixedAssetsInUse'),
    pointer: `${FA}/method/bands/0/when`,
    zh: '档次条件比较的是事实 "metric"',
    en: 'a band condition compares the fact "metric"',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: 'tiers with a gap',
    mutate: (f) => void (tiersOf(f)[1].min = '0.65'),
    pointer: `${RA}/method/tiers`,
    zh: '评议档次“未达成”（unachieved）与“部分达成”（partial）没有衔接',
    en: 'tiers "unachieved" and "partial" do not meet (gap or overlap)',
    path: '管理效能 › 绩效管理 › 绩效结果应用',
  },
  {
    breaks: 'a count-adjust cap above the weight',
    mutate: (f) => void ((at(f, ...COMMENDATION).method as { positive: { cap: string } }).positive.cap = '6'),
    pointer: '/indicators/2/children/0/children/0/method/positive/cap',
    zh: '加分上限必须大于 0 且不超过分值 5',
    en: 'the cap must be > 0 and ≤ the weight 5',
    path: '加减分项 › 工作表现加减分 › 工作受表彰或批评',
  },
  {
    breaks: 'grades that do not descend',
    mutate: (f) => void (f.grades[1].min = '95'),
    pointer: '/grades/1/min',
    zh: '等次要从高到低排列',
    en: 'grades are listed from the highest down',
    path: '等次「良」',
  },
  {
    breaks: 'a lowest grade above 0',
    mutate: (f) => void (f.grades[3].min = '10'),
    pointer: '/grades/3/min',
    zh: '最低等次的下限必须为 0 或更低',
    en: 'the lowest grade must start at 0 or below',
    path: '等次「差」',
  },
  {
    breaks: 'checklist points that do not sum to the leaf weight',
    mutate: (f) => {
      const spec = f.inputs.find((i) => i.id === 'budgetPreparation') as { points: Array<{ points: string }> };
      spec.points[2].points = '2';
    },
    pointer: '/indicators/0/children/0/children/1/method/input',
    zh: '要点“budgetPreparation”各项分值之和为 4，但“部门预算编制情况”分值为 3',
    en: 'the points of checklist "budgetPreparation" sum to 4 but "部门预算编制情况" weighs 3',
    path: '管理效能 › 资金管理 › 部门预算编制情况',
  },
  {
    breaks: 'a method input of the wrong type',
    mutate: (f) => void ((at(f, ...ASSET_SYSTEMS).method as { input: string }).input = 'commendations'),
    pointer: '/indicators/0/children/3/children/0/method/input',
    zh: '填报项“commendations”的类型为“计数”（count），这里需要“是否”（boolean）类型',
    en: 'input "commendations" is count; this needs boolean',
    path: '管理效能 › 资产管理 › 资产管理制度健全性',
  },
  {
    breaks: 'an unknown top-level key',
    mutate: (f) => void ((f as unknown as Mutable).colour = 'red'),
    pointer: '/colour',
    zh: '未知的键“colour”',
    en: 'unknown key "colour"',
  },
  {
    breaks: 'an unknown key in a leaf',
    mutate: (f) => void ((at(f, ...BUDGET_PREPARATION) as unknown as Mutable).weigth = '3'),
    pointer: '/indicators/0/children/0/children/1/weigth',
    zh: '未知的键“weigth”，是否应为 weight？',
    en: 'unknown key "weigth"',
    path: '管理效能 › 资金管理 › 部门预算编制情况',
  },
  {
    breaks: 'an unknown key in a band',
    mutate: (f) => void ((bandsOf(f).bands[0] as unknown as Mutable).points = '2'),
    pointer: `${FA}/method/bands/0/points`,
    zh: '未知的键“points”',
    en: 'unknown key "points"',
    path: '管理效能 › 资产管理 › 固定资产利用率',
  },
  {
    breaks: `nesting deeper than ${RULE_FILE_LIMITS.maxDepth} levels`,
    // /deep is depth 1, so its innermost value lies at depth maxDepth + 1.
    mutate: (f) => void ((f as unknown as Mutable).deep = nested(RULE_FILE_LIMITS.maxDepth)),
    pointer: '',
    zh: `文件嵌套超过 ${RULE_FILE_LIMITS.maxDepth} 层`,
    en: `nests deeper than ${RULE_FILE_LIMITS.maxDepth} levels`,
  },
  {
    breaks: `more than ${RULE_FILE_LIMITS.maxNodes} JSON values`,
    mutate: (f) => void ((f as unknown as Mutable).many = new Array(RULE_FILE_LIMITS.maxNodes).fill(0)),
    pointer: '',
    zh: `文件中的 JSON 值超过 ${RULE_FILE_LIMITS.maxNodes} 个`,
    en: `more than ${RULE_FILE_LIMITS.maxNodes} JSON values`,
  },
];

describe(validateRuleFile.name, () => {
  it('finds no problem in the shipped 广州 2021 file', () => {
    expect(validateRuleFile(gz())).toEqual([]);
  });

  it.each(cases)(
    'reports $breaks at $pointer, in Chinese and English, with its path',
    ({ mutate, pointer, zh, en, path }) => {
      const file = gz();
      mutate(file);

      expect(validateRuleFile(file)).toEqual([
        {
          pointer,
          message: { zh: expect.stringContaining(zh), en: expect.stringContaining(en) },
          ...(path === undefined ? {} : { path }),
        },
      ]);
    },
  );

  it('reports judgment tiers outside [0, 1] and the cover they then break', () => {
    const file = gz();
    tiersOf(file)[0].max = '1.2';

    expect(validateRuleFile(file)).toEqual([
      {
        pointer: `${RA}/method/tiers/0`,
        message: {
          zh: '评议档次是分值的比例，须在 [0, 1] 之内且 min ≤ max（现为 0.8–1.2）',
          en: expect.stringContaining('inside [0, 1]'),
        },
        path: '管理效能 › 绩效管理 › 绩效结果应用',
      },
      {
        pointer: `${RA}/method/tiers`,
        message: { zh: '评议档次合起来要覆盖分值的 0 到 1', en: 'tiers must together cover 0 to 1 of the weight' },
        path: '管理效能 › 绩效管理 › 绩效结果应用',
      },
    ]);
  });

  it('accepts a file nested exactly to the depth limit', () => {
    const file = gz() as unknown as Mutable;
    // The root is depth 0, so a value at depth maxDepth is allowed; the schema then refuses the unknown key.
    file.deep = nested(RULE_FILE_LIMITS.maxDepth - 1);

    expect(validateRuleFile(file)).toEqual([
      { pointer: '/deep', message: { zh: '未知的键“deep”', en: 'unknown key "deep"' } },
    ]);
  });

  it('returns every problem at once', () => {
    const file = gz();
    file.total = '99';
    (at(file, ...ASSET_SYSTEMS).method as { input: string }).input = 'commendations';
    file.grades[3].min = '10';

    expect(validateRuleFile(file).map((p) => p.pointer)).toEqual([
      '/total',
      '/indicators/0/children/3/children/0/method/input',
      '/grades/3/min',
    ]);
  });

  it('validates without mutating its input', () => {
    const file = gz();
    bandBound(file, 1, 0).value = '82';
    const before = structuredClone(file);

    validateRuleFile(file);

    expect(file).toEqual(before);
  });
});

describe(parseRuleFileText.name, () => {
  it('parses the shipped file', () => {
    expect(parseRuleFileText(GZ_2021_TEXT)).toEqual(GZ_2021);
  });

  it(`refuses text over ${RULE_FILE_LIMITS.maxBytes} bytes before parsing it`, () => {
    // Valid JSON padded with whitespace: only its size is wrong.
    const text = GZ_2021_TEXT + ' '.repeat(RULE_FILE_LIMITS.maxBytes - Buffer.byteLength(GZ_2021_TEXT) + 1);

    const error = catchError(() => parseRuleFileText(text));

    expect(error).toBeInstanceOf(RuleSetError);
    expect(error).toMatchObject({
      code: RuleSetErrorCode.RULE_SET_TOO_LARGE,
      problems: [
        {
          pointer: '',
          message: {
            zh: `超过 ${RULE_FILE_LIMITS.maxBytes} 字节`,
            en: `larger than ${RULE_FILE_LIMITS.maxBytes} bytes`,
          },
        },
      ],
    });
  });

  it('counts bytes, not characters, against the limit', () => {
    // 中 is 3 bytes in UTF-8: a string of maxBytes/3 + 1 of them is under the limit in characters, over it in bytes.
    const text = JSON.stringify('中'.repeat(Math.floor(RULE_FILE_LIMITS.maxBytes / 3) + 1));

    expect(text.length).toBeLessThan(RULE_FILE_LIMITS.maxBytes);
    expect(catchError(() => parseRuleFileText(text))).toMatchObject({ code: RuleSetErrorCode.RULE_SET_TOO_LARGE });
  });

  it.each([
    ['a truncated object', '{"id": '],
    ['a trailing comma', '{"id": "x",}'],
    ['plain text', '广州 2021'],
  ])('refuses %s as not JSON', (_, text) => {
    const error = catchError(() => parseRuleFileText(text));

    expect(error).toBeInstanceOf(RuleSetError);
    expect(error).toMatchObject({
      code: RuleSetErrorCode.RULE_SET_INVALID,
      problems: [
        {
          pointer: '',
          message: { zh: expect.stringContaining('不是有效的 JSON'), en: expect.stringContaining('not JSON') },
        },
      ],
    });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
