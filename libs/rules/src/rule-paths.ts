import { closest, distance } from 'fastest-levenshtein';

/** Between the names of an indicator path: 管理效能 › 资产管理 › 固定资产利用率. */
export const PATH_SEPARATOR = ' › ';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === 'object';
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Splits an RFC 6901 pointer into its segments ("" → []). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The Chinese path of an indicator of a rule file, from its top-level section down, by the names the bureau prints:
 * `indicatorPath(file, 'fixed-asset-utilisation')` → 管理效能 › 资产管理 › 固定资产利用率. Undefined for an unknown
 * code. Works on any parsed value, valid or not (a node without a name shows its code).
 */
export function indicatorPath(file: unknown, code: string): string | undefined {
  const names = findNames(isObject(file) ? file.indicators : undefined, code);
  return names ? names.join(PATH_SEPARATOR) : undefined;
}

function findNames(nodes: unknown, code: string): string[] | undefined {
  if (!Array.isArray(nodes)) return undefined;
  for (const node of nodes) {
    if (!isObject(node)) continue;
    const name = text(node.name) ?? text(node.code) ?? '?';
    if (node.code === code) return [name];
    const below = findNames(node.children, code);
    if (below) return [name, ...below];
  }
  return undefined;
}

/** The names along /indicators/i/children/j/…: the indicator a pointer lies in, and how far the pointer went. */
function indicatorNamesAt(file: Loose, segments: string[]): string[] {
  const names: string[] = [];
  let nodes: unknown = file.indicators;
  let i = 1;
  while (Array.isArray(nodes) && i < segments.length) {
    const node: unknown = nodes[Number(segments[i])];
    if (!isObject(node)) break;
    names.push(text(node.name) ?? text(node.code) ?? `第${Number(segments[i]) + 1}项`);
    if (segments[i + 1] !== 'children') break;
    nodes = node.children;
    i += 2;
  }
  return names;
}

/**
 * Where a JSON pointer into a rule file lies, named as its readers know it (Chinese, in either language: these are
 * the bureau's own names):
 * - inside an indicator: its path, 管理效能 › 资产管理 › 固定资产利用率;
 * - inside an input: 填报项「固定资产原值」;
 * - a grade: 等次「优」; a test: 内嵌测试「全部达标」, with the indicator's path for an expected score;
 * - the total, rounding, budget header and continuation: 总分, 小数位数与舍入, 单位基本情况, 承接的上一版本（continues）.
 * Undefined where the pointer alone says it (the file's id, version, title).
 */
export function rulePathOf(file: unknown, pointer: string): string | undefined {
  if (!isObject(file)) return undefined;
  const segments = pointerSegments(pointer);
  const [head, index] = segments;
  const item = (list: unknown): Loose | undefined =>
    Array.isArray(list) && isObject(list[Number(index)]) ? (list[Number(index)] as Loose) : undefined;
  switch (head) {
    case 'indicators': {
      const names = indicatorNamesAt(file, segments);
      return names.length > 0 ? names.join(PATH_SEPARATOR) : undefined;
    }
    case 'inputs': {
      const input = item(file.inputs);
      if (!input) return undefined;
      return `填报项「${text(input.label) ?? text(input.id) ?? `第${Number(index) + 1}项`}」`;
    }
    case 'grades': {
      const grade = item(file.grades);
      return grade ? `等次「${text(grade.label) ?? text(grade.code) ?? '?'}」` : '等次';
    }
    case 'tests': {
      const test = item(file.tests);
      if (!test) return '内嵌测试';
      const name = `内嵌测试「${text(test.name) ?? `第${Number(index) + 1}个`}」`;
      if (segments[2] === 'expected' && segments[3] === 'scores' && segments[4] !== undefined) {
        const indicator = indicatorPath(file, segments[4]);
        return indicator ? name + PATH_SEPARATOR + indicator : name;
      }
      return name;
    }
    case 'total':
      return '总分';
    case 'rounding':
      return '小数位数与舍入';
    case 'budgetHeader':
      return '单位基本情况';
    case 'continues':
      return '承接的上一版本（continues）';
    case 'vetoes': {
      const veto = item(file.vetoes);
      return veto
        ? `一票否决与上限「${text(veto.name) ?? text(veto.code) ?? `第${Number(index) + 1}条`}」`
        : '一票否决与上限';
    }
    default:
      return undefined;
  }
}

/**
 * Gives every problem that has none the path of its pointer in `file` (rulePathOf). Problems are returned as new
 * objects; the ones that have a path keep it.
 */
export function withRulePaths<P extends { pointer: string; path?: string }>(
  file: unknown,
  problems: readonly P[],
): P[] {
  return problems.map((problem) => {
    if (problem.path !== undefined) return problem;
    const path = rulePathOf(file, problem.pointer);
    return path === undefined ? problem : { ...problem, path };
  });
}

/**
 * The known name nearest to a misspelt one by edit distance, when it is near enough to be what was meant: at most
 * 1 edit for names up to 4 characters, 2 up to 8, then a quarter of the length. Case differences count as one
 * edit each. Names that differ only in digits are not suggested (rd-9 is not a misspelt rd-1). Undefined when
 * nothing is that near (or the name is known).
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  // Names that differ only in their digits are different numbered things (rd-9, rd-1), not misspellings.
  const digitless = name.replace(/[0-9]/g, '');
  const candidates = [...known].filter(
    (candidate) => candidate !== name && (digitless === '' || candidate.replace(/[0-9]/g, '') !== digitless),
  );
  if (candidates.length === 0 || name === '') return undefined;
  const best = closest(name, candidates);
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : Math.max(2, Math.floor(name.length / 4));
  return distance(name, best) <= limit ? best : undefined;
}

/** The "did you mean" tail of a message, in both languages: `，是否应为 procurementPlanned？` / `; did you mean …?`. */
export function suggestion(name: string, known: Iterable<string>): { zh: string; en: string } {
  const nearest = nearestName(name, known);
  return nearest === undefined
    ? { zh: '', en: '' }
    : { zh: `，是否应为 ${nearest}？`, en: `; did you mean ${nearest}?` };
}
