import type { NodeReport, ScoreReport } from '@jiping/scoring';
import { padDisplay, renderTable, type TableRow } from './table';

/**
 * The 自评表 as terminal text: header, budget table, indicator tree with 评分依据, section subtotals, 总分, 等次
 * and 扣分原因. Shows the report's own strings only; the CLI does no arithmetic on scores.
 */
export function renderScoreReport(report: ScoreReport, width: number): string[] {
  const lines = [report.ruleSet.title, ...renderHeader(report), ''];
  if (report.header) lines.push(...renderBudget(report.header, width), '');
  lines.push(...renderIndicators(report.sections, width), '');
  lines.push(`总分  ${totalLine(report)}`, `等次  ${report.grade}`);
  if (report.beforeVetoes) {
    lines.push(`      按各项得分：总分 ${report.beforeVetoes.total}，等次 ${report.beforeVetoes.grade}`);
    for (const veto of report.vetoes ?? []) lines.push(`      ${veto.text}`);
  }
  lines.push('', ...renderLostPoints(report, width));
  return lines;
}

function renderHeader(report: ScoreReport): string[] {
  const { department, ruleSet } = report;
  const fields: Array<[string, string]> = [
    ['单位', `${department.name}（${department.code}）`],
    ['年度', String(report.fiscalYear)],
    ['指标体系', `${ruleSet.id}@${ruleSet.version}（${ruleSet.checksum.slice(0, 12)}）`],
  ];
  return fields.map(([label, value]) => `${padDisplay(label, 8)}  ${value}`);
}

function renderBudget(header: NonNullable<ScoreReport['header']>, width: number): string[] {
  const rows: TableRow[] = [['合计', '', header.totalBudgeted, header.totalExecuted, header.totalRate]];
  let breakdown: string | undefined;
  for (const column of header.columns) {
    if (column.breakdown !== breakdown) rows.push('rule');
    rows.push([
      column.breakdown === breakdown ? '' : column.breakdown,
      column.label,
      column.budgeted,
      column.executed,
      column.rate,
    ]);
    breakdown = column.breakdown;
  }
  return [
    `预算执行情况（单位：${header.unit}）`,
    ...renderTable(
      [
        { header: '口径' },
        { header: '项目' },
        { header: '全年预算数', align: 'right' },
        { header: '全年执行数', align: 'right' },
        { header: '完成率', align: 'right' },
      ],
      rows,
      { maxWidth: width },
    ),
  ];
}

/** The indicator tree, one row per node, indented by level; each 一级指标 closes with its 小计. */
function renderIndicators(sections: NodeReport[], width: number): string[] {
  const rows: TableRow[] = [];
  const walk = (node: NodeReport): void => {
    // A 一级指标's score is its subtotal, shown once on the 小计 row that closes the section.
    const score = node.level === 1 && node.children ? '' : node.score;
    const name = node.onTop ? `${node.name}（另计）` : node.name;
    rows.push([{ text: name, indent: (node.level - 1) * 2 }, node.weight, score, node.basis ?? '']);
    node.children?.forEach(walk);
  };
  sections.forEach((section, index) => {
    if (index > 0) rows.push('rule');
    walk(section);
    if (section.children)
      rows.push([{ text: `小计（${section.name}）`, indent: 2 }, section.weight, section.score, '']);
  });
  return renderTable(
    [
      { header: '指标', wrap: true, minWidth: 16, maxWidth: 40 },
      { header: '分值', align: 'right' },
      { header: '得分', align: 'right' },
      { header: '评分依据', wrap: true, minWidth: 20 },
    ],
    rows,
    { maxWidth: width },
  );
}

function renderLostPoints(report: ScoreReport, width: number): string[] {
  if (report.lostPoints.length === 0) return ['扣分原因  无'];
  return [
    '扣分原因',
    ...renderTable(
      [
        { header: '指标', wrap: true, minWidth: 16, maxWidth: 40 },
        { header: '扣分', align: 'right' },
        { header: '原因', wrap: true, minWidth: 20 },
      ],
      report.lostPoints.map((lost) => [lost.name, lost.lost, lost.reason]),
      { maxWidth: width },
    ),
  ];
}

/** 94.622 / 100; with 加减分 counted on top of the total: 102.09（满分100，另计加减分+6.00）. */
export function totalLine(report: ScoreReport): string {
  if (!report.onTop) return `${report.total} / ${report.maxTotal}`;
  const score = report.onTop.score;
  return `${report.total}（满分${report.maxTotal}，另计加减分${score.startsWith('-') ? score : `+${score}`}）`;
}
