import type { NodeReport } from '../../api/types';

/** One printed row of the 自评表: a leaf with its 一级/二级/三级 ancestors (as the bureau prints the table). */
export interface ScoreRow {
  key: string;
  level1: NodeReport;
  level2?: NodeReport;
  /** The leaf's own name when it is at level 3 or deeper (deeper names joined with ›). */
  level3Name?: string;
  leaf: NodeReport;
  /** rowSpan of the 一级 and 二级 cells (0 = merged into the row above). */
  span1: number;
  span2: number;
}

function leavesOf(node: NodeReport, path: NodeReport[], out: { path: NodeReport[]; leaf: NodeReport }[]): void {
  if (!node.children || node.children.length === 0) {
    out.push({ path, leaf: node });
    return;
  }
  for (const child of node.children) leavesOf(child, [...path, child], out);
}

/** Flattens the report's tree into printed rows with merged 一级/二级 cells. No score is computed here. */
export function scoreRows(sections: NodeReport[]): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const section of sections) {
    const leaves: { path: NodeReport[]; leaf: NodeReport }[] = [];
    leavesOf(section, [section], leaves);
    const start = rows.length;
    for (const { path, leaf } of leaves) {
      const level2 = path.length >= 2 ? path[1] : undefined;
      const level3Name =
        path.length >= 3
          ? path
              .slice(2)
              .map((n) => n.name)
              .join(' › ')
          : undefined;
      rows.push({
        key: `${section.code}/${leaf.code}/${rows.length}`,
        level1: section,
        level2,
        level3Name,
        leaf,
        span1: 0,
        span2: 0,
      });
    }
    rows[start].span1 = rows.length - start;
    // merge consecutive rows with the same 二级
    for (let i = start; i < rows.length; ) {
      let j = i + 1;
      while (j < rows.length && rows[i].level2 && rows[j].level2 === rows[i].level2) j++;
      rows[i].span2 = j - i;
      i = j;
    }
  }
  return rows;
}
