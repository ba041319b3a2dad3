import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type NodeReport, type ScoreReport, scoreSubmission } from '@jiping/scoring';
import { LANGFANG_2019, LANGFANG_SUBMISSION, loadRuleSet, readJson, ROOT } from '../support/load';

interface PublishedRow {
  一级指标: string;
  二级指标: string;
  三级指标: string | null;
  年度指标值?: string;
  实际完成值?: string;
  分值?: string;
  得分?: string;
  偏差原因分析及改进措施?: string | null;
}
interface Published {
  budget: { 年度资金总额: Record<string, string> };
  rows: PublishedRow[];
  rowSum: string;
}

// The real table sits beside the project (../shared); the project keeps its own submission transcribed from it.
const PUBLISHED_PATH = join(ROOT, '..', 'shared', 'fixtures', 'langfang-2019', 'published.json');
const published = existsSync(PUBLISHED_PATH)
  ? (readJson('../shared/fixtures/langfang-2019/published.json') as Published)
  : undefined;
// CI always has ../shared: there a missing fixture fails the run instead of skipping it.
const describeIfShared = published || process.env.CI ? describe : describe.skip;
if (!published && !process.env.CI)
  console.warn(`skipping the 廊坊 2019 golden test: no ${PUBLISHED_PATH} (../shared beside the project)`);

const flatten = (nodes: NodeReport[]): NodeReport[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const child = (nodes: NodeReport[] | undefined, name: string): NodeReport | undefined =>
  nodes?.find((node) => node.name === name);
/** The published table numbers its 三级指标 within each 二级指标 ("指标1工程资金金额"); the rule file does not. */
const indicatorName = (published: string): string => published.replace(/^指标\d+/, '');

describe('廊坊 2019: 廊坊市食品工程学校, 办公宿舍楼、食堂及餐厅暖通改造经费', () => {
  const ruleSet = loadRuleSet(LANGFANG_2019);
  let report: ScoreReport;
  beforeAll(async () => {
    report = await scoreSubmission(ruleSet, readJson(LANGFANG_SUBMISSION));
  });

  // By hand, every score rounded to an integer, half up (rounding.scorePlaces 0):
  //   预算执行率 37.24 / 43.2 = 86.2037…% → 86.20 % (ratePlaces 2); 86.20 % × 10 = 8.62 → 9
  //   工程资金金额 ≥ 43.2 万元, actual 37.24: 10 × 37.24 / 43.2 = 8.6203… → 9
  //   the other eight rows: actual 100 = target 100 → 10 each
  //   产出 9 + 10 + 10 + 10 + 10 = 49; 效益 10 + 10 + 10 = 30; 满意度 10; total 9 + 49 + 30 + 10 = 98 (优, ≥ 90).
  //   Without the integer rounding the rows would sum to 8.62 + 8.62 + 80 = 97.24.
  it('totals 98, grade 优, shown as a whole number', () => {
    expect(report.total).toBe('98');
    expect(report.grade).toBe('优');
    expect(report.maxTotal).toBe('100');
    expect(report.sections.map((s) => [s.name, s.weight, s.score])).toEqual([
      ['预算执行率', '10', '9'],
      ['产出指标', '50', '49'],
      ['效益指标', '30', '30'],
      ['满意度指标', '10', '10'],
    ]);
  });

  it('writes the rounding step in the 评分依据 where rounding changes a score', () => {
    const execution = report.sections[0];
    expect(execution.metric).toMatchObject({ computed: '86.2037037037037037037037037037037037037', shown: '86.20%' });
    expect(execution.basis).toBe(
      '年初预算数43.2万元，全年预算数43.2万元，全年执行数37.24万元，执行率86.20%，86.20%×10=8.62，取整得9分',
    );
    const funds = flatten(report.sections).find((n) => n.code === 'project-funds')!;
    expect(funds.basis).toBe(
      '未完成年度指标值：实际完成37.24万元，目标≥43.2万元，10×37.24/43.2=8.62，取整得9分。' +
        '未达标原因：已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度',
    );
    // a full score needs no step
    const completion = flatten(report.sections).find((n) => n.code === 'completion-rate')!;
    expect(completion.basis).toBe('已完成年度指标值：实际完成100%，目标≥100%，得10分');
  });

  describeIfShared('reproduces the published table row by row', () => {
    it('the budget row: 全年预算数, 全年执行数, 执行率 and 得分', () => {
      const row = published!.budget.年度资金总额;
      const execution = report.sections[0];
      expect(execution.weight).toBe(row.分值);
      expect(execution.score).toBe(row.得分);
      expect(execution.metric!.shown).toBe(row.执行率);
      expect(report.header!.totalRate).toBe(row.执行率);
      expect(Number(report.header!.totalBudgeted)).toBe(Number(row.全年预算数));
      expect(Number(report.header!.totalExecuted)).toBe(Number(row.全年执行数));
    });

    it('every indicator row: its 一级/二级/三级指标, 年度指标值, 实际完成值, 分值 and 得分', () => {
      const rows = published!.rows.filter((row) => row.三级指标 !== null);
      expect(rows).toHaveLength(9);
      for (const row of rows) {
        const section = child(report.sections, row.一级指标);
        const goal = child(section?.children, row.二级指标);
        const target = child(goal?.children, indicatorName(row.三级指标!));
        expect({ row: row.三级指标, found: target !== undefined }).toEqual({ row: row.三级指标, found: true });
        expect(target!.kind).toBe('target');
        expect(target!.weight).toBe(row.分值);
        expect(target!.score).toBe(row.得分);
        expect(target!.target!.actual).toBe(row.实际完成值);
        expect(target!.target!.target).toMatch(new RegExp(`^[≥≤=]${row.年度指标值!.replace('.', '\\.')}(万元|%)$`));
        // "0" in the published 偏差原因 column means "none"; a real reason is carried into the 评分依据
        const reason = row.偏差原因分析及改进措施;
        const carried = reason && reason !== '0' ? `未达标原因：${reason.replace(/。$/, '')}` : '未达标原因';
        expect(target!.basis!.includes(carried)).toBe(reason !== null && reason !== '0');
      }
    });

    it('the row without an indicator (生态效益指标) is not declared, and the rows sum to the published 98', () => {
      const empty = published!.rows.filter((row) => row.三级指标 === null);
      expect(empty.map((row) => row.二级指标)).toEqual(['生态效益指标']);
      const outcome = child(report.sections, '效益指标')!;
      expect(outcome.children!.map((goal) => goal.name)).toEqual(['经济效益指标', '社会效益指标', '可持续影响指标']);
      const sum =
        Number(published!.budget.年度资金总额.得分) +
        published!.rows.reduce((total, row) => total + Number(row.得分 ?? 0), 0);
      expect(String(sum)).toBe(published!.rowSum);
      expect(report.total).toBe(published!.rowSum);
    });
  });
});
