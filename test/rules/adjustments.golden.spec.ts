import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  type CountAdjustMethod,
  type GroupNode,
  inLang,
  type LeafNode,
  parseRuleFileText,
  type RuleFile,
  toRuleSet,
  validateRuleFile,
} from '@jiping/rules';
import {
  checkRuleFile,
  type NodeReport,
  type ScoreReport,
  scoreSubmission,
  ScoringError,
  scoreSubmissionSync,
} from '@jiping/scoring';
import { GZ_2021, readJson, ROOT, SEED_SUBMISSION } from '../support/load';

const EXAMPLE = 'docs/examples/project-self-evaluation-bonus-on-top.json';
const exampleFile = (): RuleFile => parseRuleFileText(readFileSync(join(ROOT, EXAMPLE), 'utf8')) as RuleFile;
const node = (report: ScoreReport, code: string): NodeReport => {
  const walk = (nodes: NodeReport[]): NodeReport | undefined =>
    nodes.map((n) => (n.code === code ? n : walk(n.children ?? []))).find((n) => n !== undefined);
  return walk(report.sections)!;
};
const messages = (value: unknown): string[] =>
  validateRuleFile(value).map((p) => `${p.pointer} ${inLang(p.message, 'zh')}`);

describe('加减分 as bureaus write it: itemised events and a judged 加减分, on top of 100', () => {
  const file = exampleFile();
  const ruleSet = toRuleSet(file);
  const test = (i: number): unknown => file.tests[i].submission;

  it('is a valid example whose embedded tests pass', async () => {
    expect((await checkRuleFile(file)).problems).toEqual([]);
  });

  // The park project of 财预〔2020〕10号 scores 96.09 within 100 (test/fixtures/national-project-2020/README.md).
  // 加减分项 (onTop, 8 = 5 + 3) is counted on top of it:
  //   events: 国家级表彰 +2, 省级表彰 +1 ×2, 通报批评 −2 → plus 2 + 1 + 1 = 4 (cap 5), minus 2 (cap 5) → 4 − 2 = 2.00
  //   judged: +1.5 → 1.50;  on top 2.00 + 1.50 = 3.50;  total 96.09 + 3.50 = 99.59 (优)
  it('nets the events by their kinds and adds the judged score: 96.09 + 2.00 + 1.50 = 99.59', async () => {
    const report = await scoreSubmission(ruleSet, test(0));
    expect(report).toMatchObject({ total: '99.59', grade: '优', maxTotal: '100' });
    expect(report.onTop).toEqual({ base: '96.09', score: '3.50', max: '8' });
    expect(node(report, 'bonus-penalty')).toMatchObject({ onTop: true, weight: '8', score: '3.50', status: 'partial' });
    expect(node(report, 'adjustment-events')).toMatchObject({
      score: '2.00',
      status: 'bonus',
      method: 'events',
      basis:
        '1.国家级表彰：获评全国园林绿化先进集体（建城〔2020〕88号），加2分；2.省级表彰：省住建厅城市园林绿化工作通报表扬（第一批），加1分；' +
        '3.省级表彰：省住建厅城市园林绿化工作通报表扬（第二批），加1分；4.通报批评：市政府督查室通报：1座公园工程进度滞后，减2分；' +
        '加4分；减2分；合计+2.00分',
      figures: { 国家级表彰: '1项', 省级表彰: '2项', 通报批评: '1项', 审计发现问题: '0项' },
    });
    expect(node(report, 'expert-adjustment')).toMatchObject({
      score: '1.50',
      status: 'bonus',
      basis: '评议加1.50分。理由：养护长效机制建设成效明显，酌情加1.5分',
    });
  });

  //   events: 国家级表彰 ×3 = 6 → capped at 5;  judged +3 (its cap);  on top 8.00;  total 96.09 + 8.00 = 104.09
  it('caps the events at bonusCap and lets the total pass 100, saying so (满分100, not /108)', async () => {
    const report = await scoreSubmission(ruleSet, test(1));
    expect(report).toMatchObject({ total: '104.09', grade: '优', maxTotal: '100' });
    expect(report.onTop).toEqual({ base: '96.09', score: '8.00', max: '8' });
    expect(node(report, 'adjustment-events').basis).toContain('加6分，按上限计5分；合计+5.00分');
  });

  //   events: 审计发现问题 −1 ×2, 通报批评 −2 → minus 4 (cap 5) → −4.00;  judged −3 → −3.00;  on top −7.00
  //   total 96.09 − 7.00 = 89.09: the grade falls from 优 to 良
  it('takes penalties off the total: 96.09 − 4.00 − 3.00 = 89.09, 良', async () => {
    const report = await scoreSubmission(ruleSet, test(2));
    expect(report).toMatchObject({ total: '89.09', grade: '良' });
    expect(node(report, 'adjustment-events')).toMatchObject({ score: '-4.00', status: 'penalty' });
    expect(node(report, 'expert-adjustment')).toMatchObject({
      score: '-3.00',
      status: 'penalty',
      basis: '评议减3.00分。理由：整改不到位，减3分',
    });
    expect(report.lostPoints.find((l) => l.code === 'expert-adjustment')?.reason).toBe(
      '评议减3.00分：整改不到位，减3分',
    );
  });

  it('refuses a judged 加减分 outside its caps, an unknown kind and an event without its description', async () => {
    const submission = structuredClone(test(0)) as { inputs: Record<string, unknown> };
    submission.inputs.expertAdjustment = { score: '-3.5', reason: '整改不到位' };
    submission.inputs.adjustmentEvents = [{ kind: 'city-commendation', text: '市级表彰' }, { kind: 'audit-finding' }];
    const error = await scoreSubmission(ruleSet, submission).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScoringError);
    expect((error as ScoringError).problems.map((p) => [p.pointer, inLang(p.message, 'zh')])).toEqual([
      [
        '/inputs/adjustmentEvents/0/kind',
        '事项类型应为 "national-commendation"（国家级表彰）、"provincial-commendation"（省级表彰）、"circulated-criticism"（通报批评）、"audit-finding"（审计发现问题） 之一',
      ],
      ['/inputs/adjustmentEvents/1/text', expect.any(String)],
      ['/inputs/expertAdjustment/score', '评议加减分应在 -3 至 3 分之间'],
    ]);
  });

  it('refuses on upload what cannot be counted on top, and events without the cap of their side', () => {
    const broken = exampleFile();
    const group = broken.indicators[4] as GroupNode;
    (group.children[0] as LeafNode).method = { type: 'events', input: 'adjustmentEvents', bonusCap: '6' };
    group.children.push({
      code: 'nested',
      name: '嵌套另计',
      weight: '1',
      onTop: true,
      method: { type: 'boolean', input: 'x' },
    } as LeafNode);
    group.weight = '9';
    broken.inputs.push({ id: 'x', label: '是否', type: 'boolean' });
    expect(messages(broken)).toEqual([
      '/indicators/4/children/2/onTop 只有一级指标可以另计（onTop）：把另计的加减分放在一级',
      '/indicators/4/children/0/method 事项“通报批评”、“审计发现问题”减分，须写 penaltyCap（最多减分多少分）',
      '/indicators/4/children/0/method/bonusCap 最多加分必须大于 0 且不超过分值 5',
      '/indicators/4/children/2/method/type 另计（onTop）的加减分部分只能用加减分计分方法：count-adjust、events 或 judged-adjust',
    ]);
    expect(validateRuleFile(broken)[1].path).toBe('加减分项 › 加减分事项');
  });
});

describe('the seed’s rule stays expressible: one commendation → +2.5, capped ±5, inside 100', () => {
  // 广州 2021's 工作受表彰或批评 (count-adjust, each 2.5, caps 5/5, inside the total 100) written as events: kinds
  // 表扬 +2.5 and 问题 −2.5, bonusCap 5, penaltyCap 5. The seed's one commendation is one event: +2.5 → 94.622.
  const gz = parseRuleFileText(readFileSync(join(ROOT, GZ_2021), 'utf8')) as RuleFile;
  const asEvents = structuredClone(gz);
  const leaf = ((asEvents.indicators[2] as GroupNode).children[0] as GroupNode).children[0] as LeafNode;
  const counted = leaf.method as CountAdjustMethod;
  leaf.method = {
    type: 'events',
    input: 'financeEvents',
    bonusCap: counted.positive.cap,
    penaltyCap: counted.negative.cap,
  };
  asEvents.inputs.push({
    id: 'financeEvents',
    label: '受表彰或被发现问题',
    type: 'events',
    kinds: [
      { code: 'commendation', label: '受财政部门表扬', points: counted.positive.each },
      { code: 'violation', label: '被审计或财政部门发现问题', points: `-${counted.negative.each}` },
    ],
  });
  asEvents.tests = [];
  const counts = toRuleSet(gz);
  const events = toRuleSet(asEvents);
  const seed = readJson(SEED_SUBMISSION) as { inputs: Record<string, unknown> };
  const withCounts = (commendations: number, violations: number): unknown => ({
    ...seed,
    inputs: { ...seed.inputs, commendations, violations },
  });
  const withEvents = (commendations: number, violations: number): unknown => ({
    ...seed,
    inputs: {
      ...seed.inputs,
      commendations,
      violations,
      financeEvents: [
        ...Array.from({ length: commendations }, (_, i) => ({ kind: 'commendation', text: `表扬${i + 1}` })),
        ...Array.from({ length: violations }, (_, i) => ({ kind: 'violation', text: `问题${i + 1}` })),
      ],
    },
  });

  it('scores the seed 94.622 either way', async () => {
    const byCount = await scoreSubmission(counts, readJson(SEED_SUBMISSION));
    const byEvents = await scoreSubmission(events, withEvents(1, 0));
    expect(byCount.total).toBe('94.622');
    expect(byEvents.total).toBe('94.622');
    expect(node(byEvents, 'commendation-criticism')).toMatchObject({ score: '2.5', status: 'bonus' });
    expect(byEvents.onTop).toBeUndefined();
  });

  it('gives count-adjust’s score for any number of commendations and violations (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 6 }), fc.nat({ max: 6 }), (plus, minus) => {
        const byCount = scoreSubmissionSync(counts, withCounts(plus, minus));
        const byEvents = scoreSubmissionSync(events, withEvents(plus, minus));
        expect(node(byEvents, 'commendation-criticism').score).toBe(node(byCount, 'commendation-criticism').score);
        expect(byEvents.total).toBe(byCount.total);
      }),
      { numRuns: 49 },
    );
  });
});
