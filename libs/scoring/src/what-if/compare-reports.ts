import { D, fixed, ZERO } from '../decimal';
import type { NodeReport, ReportVeto, ScoreReport } from '../score-report.types';

/** One indicator's score in two reports, matched by code. Scores are decimal strings; null where the node is absent. */
export interface NodeComparison {
  code: string;
  name: string;
  /** 1 = 一级指标, 2 = 二级, 3 = 三级 */
  level: number;
  kind: NodeReport['kind'];
  before: string | null;
  after: string | null;
  /** after − before (an absent side counts 0), with as many decimals as the more precise side: "0.31". */
  delta: string;
  /** In a simulation, the keys of the assumed values the after side of this leaf read (see NodeReport.assumed). */
  assumed?: string[];
}

/** Two scorings side by side: what a what-if or a rule change moved. */
export interface ReportComparison {
  /** Every node of either report, in tree order (the before report's, with nodes found only after among their siblings). */
  nodes: NodeComparison[];
  /** The 一级指标 (sections) only. */
  sections: NodeComparison[];
  total: { before: string; after: string; delta: string };
  grade: { before: string; after: string; changed: boolean };
  /** The vetoes and caps (一票否决与上限) that held on either side (ScoreReport.vetoes); absent when none held. */
  vetoes?: { before: ReportVeto[]; after: ReportVeto[] };
  /** The nodes whose score moved (or that exist on one side only), in tree order. */
  changed: NodeComparison[];
}

/**
 * Compares two ScoreReports node by node (matched by indicator code), section by section, and by total and grade.
 * Pure: the scores are the reports' own strings, and each delta keeps the places the scores are shown with.
 */
export function compareReports(before: ScoreReport, after: ScoreReport): ReportComparison {
  const beforeNodes = flatten(before.sections);
  const afterNodes = flatten(after.sections);
  const codes = mergeOrder(
    beforeNodes.map((n) => n.code),
    afterNodes.map((n) => n.code),
  );
  const beforeByCode = new Map(beforeNodes.map((n) => [n.code, n]));
  const afterByCode = new Map(afterNodes.map((n) => [n.code, n]));
  const nodes = codes.map((code) => compareNode(beforeByCode.get(code), afterByCode.get(code)));
  const topLevel = new Set([...before.sections, ...after.sections].map((s) => s.code));
  return {
    nodes,
    sections: nodes.filter((n) => topLevel.has(n.code)),
    total: { before: before.total, after: after.total, delta: difference(before.total, after.total) },
    grade: { before: before.grade, after: after.grade, changed: before.grade !== after.grade },
    ...((before.vetoes || after.vetoes) && { vetoes: { before: before.vetoes ?? [], after: after.vetoes ?? [] } }),
    changed: nodes.filter((n) => n.before === null || n.after === null || !ZERO_TEXT.test(n.delta)),
  };
}

function compareNode(before: NodeReport | undefined, after: NodeReport | undefined): NodeComparison {
  const node = (after ?? before)!;
  const beforeScore = before?.score ?? null;
  const afterScore = after?.score ?? null;
  return {
    code: node.code,
    name: node.name,
    level: node.level,
    kind: node.kind,
    before: beforeScore,
    after: afterScore,
    delta: difference(beforeScore, afterScore),
    ...(after?.assumed && { assumed: after.assumed.map((assumption) => assumption.key) }),
  };
}

const placesOf = (text: string | null): number => (text?.includes('.') ? text.split('.')[1].length : 0);

/** A delta as `difference` writes a zero: 0, 0.0, 0.00 … (never signed). */
const ZERO_TEXT = /^0(\.0+)?$/;

/** after − before with the places of the more precise side; never "-0.00". Most nodes of a what-if are unchanged. */
function difference(before: string | null, after: string | null): string {
  if (before !== null && before === after) return fixed(ZERO, placesOf(before));
  const delta = new D(after ?? 0).sub(before ?? 0);
  return fixed(delta.isZero() ? ZERO : delta, Math.max(placesOf(before), placesOf(after)));
}

/** Every node, parents before their children, in tree order. */
function flatten(nodes: readonly NodeReport[]): NodeReport[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children ?? [])]);
}

/**
 * The codes of both trees in one order: the before order, with each code found only after inserted right after
 * the code that precedes it in the after order (so a new declared target sits among its siblings).
 */
function mergeOrder(before: string[], after: string[]): string[] {
  const merged = [...new Set(before)];
  const placed = new Set(merged);
  let previous: string | undefined;
  for (const code of after) {
    if (!placed.has(code)) {
      merged.splice(previous === undefined ? 0 : merged.indexOf(previous) + 1, 0, code);
      placed.add(code);
    }
    previous = code;
  }
  return merged;
}
