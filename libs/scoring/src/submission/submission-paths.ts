import { indicatorPath, PATH_SEPARATOR, pointerSegments, type RuleSet } from '@jiping/rules';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const named = (value: unknown, fallback: string): string =>
  isObject(value) && typeof value.name === 'string' && value.name.trim() !== '' ? value.name : fallback;

/**
 * Where a JSON pointer into a submission lies, named as a department knows it (Chinese in either language: these are
 * the bureau's and the department's own names):
 * - an input: 填报项「政府采购执行金额」, a checklist point: 填报项「部门预算编制情况」 › 要点「…」;
 * - a declared goal or key indicator: the section's path and the names declared, 产出指标 › 目标一 › 论文发表数;
 * - a year-end result or evidence: the indicator's path (a declared one found by its code in the submission);
 * - the budget header: 单位基本情况 › the column's label; the department: 部门信息.
 * Undefined where the pointer alone says it.
 */
export function submissionPathOf(ruleSet: RuleSet, submission: unknown, pointer: string): string | undefined {
  const file = ruleSet.file;
  const [head, key, ...rest] = pointerSegments(pointer);
  switch (head) {
    case 'inputs': {
      const input = file.inputs.find((i) => i.id === key);
      if (!input) return undefined;
      const path = `填报项「${input.label}」`;
      const point = input.type === 'checklist' ? input.points.find((p) => p.id === rest[0]) : undefined;
      return point ? `${path}${PATH_SEPARATOR}要点「${point.label}」` : path;
    }
    case 'targets':
      return key === undefined ? undefined : declaredPath(ruleSet, submission, key, rest);
    case 'targetResults':
    case 'notApplicable':
    case 'evidence': {
      if (key === undefined) return undefined;
      return indicatorPath(file, key) ?? declaredIndicatorPath(ruleSet, submission, key);
    }
    case 'budget': {
      const column = file.budgetHeader?.breakdowns.flatMap((b) => b.columns).find((c) => c.code === rest[0]);
      return column ? `单位基本情况${PATH_SEPARATOR}${column.label}` : '单位基本情况';
    }
    case 'department':
      return '部门信息';
    default:
      return undefined;
  }
}

/** /targets/<section>/<goal>/indicators/<indicator>/… (two levels) or /targets/<section>/<indicator>/… (one). */
function declaredPath(ruleSet: RuleSet, submission: unknown, section: string, rest: string[]): string | undefined {
  const base = indicatorPath(ruleSet.file, section);
  if (base === undefined) return undefined;
  const targets = isObject(submission) && isObject(submission.targets) ? submission.targets : {};
  const list = Array.isArray(targets[section]) ? (targets[section] as unknown[]) : [];
  const names = [base];
  if (rest[0] !== undefined) {
    const first = list[Number(rest[0])];
    names.push(named(first, `第${Number(rest[0]) + 1}项`));
    if (rest[1] === 'indicators' && rest[2] !== undefined) {
      const indicators = isObject(first) && Array.isArray(first.indicators) ? first.indicators : [];
      names.push(named(indicators[Number(rest[2])], `第${Number(rest[2]) + 1}个指标`));
    }
  }
  return names.join(PATH_SEPARATOR);
}

/** The path of a declared key indicator found by its code among the submission's declared targets. */
function declaredIndicatorPath(ruleSet: RuleSet, submission: unknown, code: string): string | undefined {
  const targets = isObject(submission) && isObject(submission.targets) ? submission.targets : {};
  for (const [section, list] of Object.entries(targets)) {
    if (!Array.isArray(list)) continue;
    for (const [i, entry] of list.entries()) {
      if (!isObject(entry)) continue;
      if (entry.code === code) return declaredPath(ruleSet, submission, section, [String(i)]);
      const indicators = Array.isArray(entry.indicators) ? entry.indicators : [];
      const j = indicators.findIndex((ind) => isObject(ind) && ind.code === code);
      if (j >= 0) return declaredPath(ruleSet, submission, section, [String(i), 'indicators', String(j)]);
    }
  }
  return undefined;
}
