import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type NodeReport, scoreSubmission } from '@jiping/scoring';
import { GZ_2021, loadRuleSet, readJson, ROOT, SEED_SUBMISSION } from '../support/load';

interface ExpectedNode {
  name: string;
  weight: string;
  score: string;
  indicators?: ExpectedNode[];
  groups?: ExpectedNode[];
}

// The shared fixture sits beside the project (../shared); the project keeps the seed submission itself.
const EXPECTED_PATH = join(ROOT, '..', 'shared', 'fixtures', 'gz-kjj-2021', 'expected.json');
const expected = existsSync(EXPECTED_PATH)
  ? (readJson('../shared/fixtures/gz-kjj-2021/expected.json') as {
      total: string;
      sections: ExpectedNode[];
      budget: { 完成率: string[] };
    })
  : undefined;

// CI always has ../shared: there a missing fixture fails the run instead of skipping it.
const describeIfShared = expected || process.env.CI ? describe : describe.skip;

describe('the 2021 seed: 广州市科学技术局 under 广州 2021', () => {
  const ruleSet = loadRuleSet(GZ_2021);

  it('totals 94.622, grade 优', async () => {
    const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
    expect(report.total).toBe('94.622');
    expect(report.grade).toBe('优');
    expect(report.gradeCode).toBe('excellent');
    expect(report.maxTotal).toBe('100');
  });

  it('shows the budget header 完成率 of every column', async () => {
    const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
    expect(report.header!.columns.map((c) => c.rate)).toEqual([
      '90.00%',
      '100.00%',
      '94.83%',
      '89.86%',
      '89.61%',
      '100.00%',
    ]);
    expect(report.header!.totalBudgeted).toBe('5683388811.03');
    expect(report.header!.totalExecuted).toBe('5115068546.17');
  });

  it('explains 政府采购执行率 as the seed does', async () => {
    const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
    const leaf = report.sections[0].children![1].children![0];
    expect(leaf.basis).toBe('实际采购金额合计数1388.29万元/采购计划金额合计数1643.42万元×100%=84.48%，84.48%×2=1.69');
    expect(leaf.metric).toMatchObject({ value: '84.48', shown: '84.48%' });
    expect(leaf.decision!.rule).toBe('proportional');
  });

  it('decides 固定资产利用率 by the json-rules-engine band rule that fired', async () => {
    const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
    const leaf = report.sections[0].children![3].children![2];
    expect(leaf).toMatchObject({ name: '固定资产利用率', score: '1.50', metric: { shown: '84.30%' } });
    expect(leaf.decision!.rule).toBe('fixed-asset-utilization#band-2');
    expect(report.trace.fired).toContain('fixed-asset-utilization#band-2');
    expect(report.trace.notFired).toContain('fixed-asset-utilization#band-1');
  });

  it('ranks where points were lost', async () => {
    const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
    expect(report.lostPoints.map((l) => [l.name, l.lost])).toEqual([
      ['工作受表彰或批评', '2.5'],
      ['部门预算编制情况', '1.00'],
      ['财政拨款收入预决算差异率', '1.00'],
      ['固定资产利用率', '0.50'],
      ['政府采购执行率', '0.31'],
      ['预算完成率', '0.0680'],
    ]);
  });

  describeIfShared('matches expected.json node by node', () => {
    const flatten = (nodes: ExpectedNode[]): ExpectedNode[] =>
      nodes.flatMap((n) => [n, ...flatten([...(n.groups ?? []), ...(n.indicators ?? [])])]);
    const flattenReport = (nodes: NodeReport[]): NodeReport[] =>
      nodes.flatMap((n) => [n, ...flattenReport(n.children ?? [])]);

    it('has every node with its Chinese name, weight and exact score string', async () => {
      const report = await scoreSubmission(ruleSet, readJson(SEED_SUBMISSION));
      const actual = flattenReport(report.sections);
      // The fixture abbreviates long goal names with "…" and leaves out the seed's 工作表现加减分 level, so
      // each expected node is matched to the next report node whose name it begins.
      let cursor = 0;
      for (const node of flatten(expected!.sections)) {
        const prefix = node.name.replace(/…$/, '');
        while (cursor < actual.length && !actual[cursor].name.startsWith(prefix)) cursor += 1;
        expect(actual[cursor]).toMatchObject({ weight: node.weight, score: node.score });
        cursor += 1;
      }
      expect(actual.filter((n) => n.kind === 'leaf' || n.kind === 'target')).toHaveLength(21 + 21 + 1);
      expect(report.total).toBe(expected!.total);
      expect(report.header!.columns.map((c) => c.rate)).toEqual(expected!.budget.完成率);
    });
  });
});
