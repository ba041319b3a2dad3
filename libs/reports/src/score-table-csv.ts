import type { NodeReport, ScoreReport } from '@jiping/scoring';
import { reviewScores } from './score-table-review';

const BOM = '\uFEFF';

const columns = (reviewed: boolean): string[] => [
  '代码',
  '一级指标',
  '二级指标',
  '三级指标',
  '层级',
  '分值',
  reviewed ? '自评分' : '得分/自评分',
  '复核分',
  '复核理由',
  '指标解释/年度指标值',
  '实际完成指标值',
  '评分依据',
];

/**
 * Renders the 自评表 as CSV (RFC 4180, CRLF), UTF-8 with a BOM so Excel opens the Chinese text correctly: a few
 * header lines (单位, 年度, 规则), then one row per indicator node (groups, leaves, declared goals and targets) with
 * the names of its levels, its 分值, its score and its 评分依据, then 总分 and 等次, and each 一票否决 or cap that held
 * with its sentence in the 评分依据 column. When an evaluator adjusted the
 * evaluation (复核), every node, 总分 and 等次 show the 自评分 and the 复核分 side by side — pass `self`, the report as
 * the department submitted it (see {@link reviewScores}) — and a touched leaf its 复核理由. Scores are the reports'
 * decimal strings, unchanged.
 */
export function renderScoreTableCsv(report: ScoreReport, options: { self?: ScoreReport } = {}): string {
  const review = reviewScores(report, options.self);
  const lines: string[][] = [
    ['单位名称', report.department.name, '单位代码', report.department.code],
    ['年度', String(report.fiscalYear), '评分规则', `${report.ruleSet.title}（${report.ruleSet.version}）`],
    [],
    columns(review !== undefined),
  ];
  const walk = (node: NodeReport, path: string[]): void => {
    const names = [...path, node.onTop ? `${node.name}（另计，不计入满分）` : node.name];
    const levels = [0, 1, 2].map((i) => names[i] ?? '');
    const target = node.target;
    lines.push([
      node.code,
      ...levels,
      String(node.level),
      node.weight,
      review ? review.selfScore(node) : node.score,
      review ? node.score : '',
      node.review?.reason ?? '',
      target ? target.target : (node.explanation ?? ''),
      target ? (target.actualText ?? (target.actual === undefined ? '' : `${target.actual}${target.unit ?? ''}`)) : '',
      node.basis ?? node.calc ?? '',
    ]);
    for (const child of node.children ?? []) walk(child, names);
  };
  for (const section of report.sections) walk(section, []);
  if (review) {
    lines.push(['', '总分', '', '', '', report.maxTotal, review.selfTotal, report.total]);
  } else {
    lines.push(['', '总分', '', '', '', report.maxTotal, report.total]);
  }
  if (report.onTop) {
    lines.push(['', '其中：满分内得分', '', '', '', report.maxTotal, report.onTop.base]);
    lines.push(['', '其中：另计加减分（不计入满分）', '', '', '', report.onTop.max, report.onTop.score]);
  }
  if (report.beforeVetoes && report.beforeVetoes.total !== report.total)
    lines.push(['', '其中：封顶前各项得分合计', '', '', '', report.maxTotal, report.beforeVetoes.total]);
  if (review) lines.push(['', '等次', '', '', '', '', review.selfGrade, report.grade]);
  else lines.push(['', '等次', '', '', '', '', report.grade]);
  // 一票否决与上限: each that held, its sentence in the 评分依据 column
  for (const veto of report.vetoes ?? [])
    lines.push([veto.code, veto.name, '', '', '', '', '', '', '', '', '', veto.text]);
  return BOM + lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a text that a spreadsheet would take for a
 * formula (= + - @ at the start, not a number) is prefixed with an apostrophe.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
