import {
  arePointersRelated,
  asLocalized,
  childPointer,
  isArrayIndex,
  type Localized,
  localized,
  parsePointer,
  pointerProblem,
  type Submission,
  suggestion,
  toPointer,
} from '@jiping/rules';
import { ScoringError, ScoringErrorCode, type ScoringProblem } from '../scoring.error';

/** One what-if change: the value to put at a JSON pointer (RFC 6901) into the submission. */
export interface SubmissionChange {
  pointer: string;
  value: unknown;
}

/** The parts of a submission a what-if may change: the year-end data. */
export const WHAT_IF_FIELDS = ['inputs', 'targetResults', 'budget', 'evidence', 'overview', 'notApplicable'] as const;

/** Why the other top-level fields are not what-if inputs. */
const FIXED_FIELDS: Record<string, Localized> = {
  formatVersion: localized('格式版本不是模拟的输入', 'the format version is not a what-if input'),
  department: localized(
    '部门不是模拟的输入：请对该部门发起模拟',
    'the department is not a what-if input: ask the what-if of that department',
  ),
  fiscalYear: localized(
    '年度不是模拟的输入：它是所依据填报的年度',
    'the fiscal year is not a what-if input: it is the year of the base submission',
  ),
  targets: localized(
    '申报的绩效目标不是模拟的输入：请在 /targetResults 下修改其完成情况',
    'declared targets (绩效目标申报) are not what-if inputs: change their results under /targetResults',
  ),
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
/** A deep copy of JSON data (submissions and change values are JSON). */
const copyJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Returns a new submission with every change applied in order, each at its JSON pointer (RFC 6901) into
 * /inputs, /targetResults, /budget, /evidence or /overview: an existing value is replaced, and the last key of a
 * pointer is created when its parent exists. The submission and the values are never modified: the values are
 * copied, and so are the objects and lists along each pointer; the rest is shared with the submission (scoring
 * reads a submission, never writes it).
 *
 * Throws ScoringError INVALID_SUBMISSION listing every bad change at once, at `/changes/<i>/pointer` (or
 * `/changes/<i>/value` for a missing value). The values themselves are checked later, by the submission validation
 * of scoring (so an amount must still be a decimal string).
 */
export function applyChanges(submission: Submission, changes: ReadonlyArray<SubmissionChange>): Submission {
  const changed: Json = { ...submission };
  const copies = new Set<unknown>([changed]);
  const problems: ScoringProblem[] = [];
  changes.forEach((change, index) => {
    const at = (field: 'pointer' | 'value') => childPointer('/changes', index, field);
    const pointer = (change as Partial<SubmissionChange> | null)?.pointer;
    if (typeof pointer !== 'string') {
      problems.push({
        pointer: at('pointer'),
        message: localized(
          '必填：JSON 指针字符串，如 /inputs/procurementActual',
          'a JSON pointer string is required, e.g. /inputs/procurementActual',
        ),
      });
      return;
    }
    const segments = changeTokens(pointer);
    if (!Array.isArray(segments)) {
      problems.push({ pointer: at('pointer'), message: segments });
      return;
    }
    if (!Object.hasOwn(change, 'value') || change.value === undefined) {
      problems.push({
        pointer: at('value'),
        message: localized('必填：要设置的值（任意 JSON 值）', 'a value is required (any JSON value)'),
      });
      return;
    }
    const refused = refusedField(segments[0]);
    if (refused) {
      problems.push({ pointer: at('pointer'), message: refused });
      return;
    }
    const error = setAt(changed, segments, copyJson(change.value), copies);
    if (error) problems.push({ pointer: at('pointer'), message: error });
  });
  if (problems.length > 0) {
    throw new ScoringError(
      ScoringErrorCode.INVALID_SUBMISSION,
      localized(
        `有 ${problems.length} 项模拟修改无法应用，未评分`,
        `${problems.length} what-if change(s) cannot be applied; nothing was scored`,
      ),
      problems,
    );
  }
  return changed as unknown as Submission;
}

/**
 * Says which change caused each problem of the changed submission, where one can tell: a problem at, inside or
 * above a change's pointer gets "(set by <name of the change>)" appended. The pointers are kept.
 */
export function attributeToChanges(
  problems: ReadonlyArray<ScoringProblem>,
  changes: ReadonlyArray<SubmissionChange>,
  nameOf: (index: number) => string,
): ScoringProblem[] {
  return problems.map((problem) => {
    const causes = changes
      .map((change, index) => ({ change, index }))
      .filter(({ change }) => typeof change.pointer === 'string' && related(problem.pointer, change.pointer))
      .map(({ index }) => nameOf(index));
    if (causes.length === 0) return problem;
    const message = asLocalized(problem.message);
    return {
      ...problem,
      message: localized(
        `${message.zh}（由 ${causes.join('、')} 修改）`,
        `${message.en} (set by ${causes.join(', ')})`,
      ),
    };
  });
}

const related = (problem: string, change: string): boolean =>
  problem !== '' && change !== '' && arePointersRelated(problem, change);

/** The reference tokens of a change's pointer (RFC 6901, unescaped); or why it is not one. */
function changeTokens(pointer: string): string[] | Localized {
  if (pointer === '') {
    return localized(
      '空指针表示整份填报：请指向 /inputs、/targetResults、/budget、/evidence 或 /overview 之内',
      'the empty pointer names the whole submission: point into /inputs, /targetResults, /budget, /evidence or /overview',
    );
  }
  return pointerProblem(pointer) ?? parsePointer(pointer)!;
}

function refusedField(field: string): Localized | undefined {
  if ((WHAT_IF_FIELDS as readonly string[]).includes(field)) return undefined;
  if (Object.hasOwn(FIXED_FIELDS, field)) {
    const why = FIXED_FIELDS[field];
    return localized(`/${field} 不能修改：${why.zh}`, `/${field} cannot be changed: ${why.en}`);
  }
  const fields = WHAT_IF_FIELDS.map((f) => `/${f}`);
  const hint = suggestion(field, WHAT_IF_FIELDS);
  return localized(
    `“${field}”不是模拟可以修改的部分${hint.zh || `：请指向 ${fields.join('、')} 之内`}`,
    `"${field}" is not a part of a submission a what-if changes${hint.en || `: point into ${fields.join(', ')}`}`,
  );
}

/** A shallow copy of an object or list, made once per applyChanges (`copies`); anything else as it is. */
function copyOnce(value: unknown, copies: Set<unknown>): unknown {
  if (value === null || typeof value !== 'object' || copies.has(value)) return value;
  const copy = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Json) };
  copies.add(copy);
  return copy;
}

/**
 * Puts the value at the path, walking only existing own properties and copying each object or list it enters (the
 * root is a copy already); returns why it cannot, if it cannot.
 */
function setAt(root: Json, segments: string[], value: unknown, copies: Set<unknown>): Localized | undefined {
  let parent: unknown = root;
  for (const [depth, segment] of segments.entries()) {
    const where = toDisplay(segments.slice(0, depth));
    const [whereZh, whereEn] = where ? [where, where] : ['整份填报', 'the submission'];
    const last = depth === segments.length - 1;
    if (Array.isArray(parent)) {
      if (!isArrayIndex(segment) || Number(segment) >= parent.length) {
        return localized(
          `${whereZh} 是含 ${parent.length} 项的列表：“${segment}”不是它的下标`,
          `${whereEn} is a list of ${parent.length}: "${segment}" is not one of its indexes`,
        );
      }
      if (last) parent[Number(segment)] = value;
      else parent = parent[Number(segment)] = copyOnce(parent[Number(segment)], copies);
    } else if (isObject(parent)) {
      if (last) {
        // defineProperty: a key "__proto__" becomes a plain own key (which validation refuses), never a prototype.
        Object.defineProperty(parent, segment, { value, enumerable: true, writable: true, configurable: true });
      } else if (!Object.hasOwn(parent, segment)) {
        const missing = toDisplay(segments.slice(0, depth + 1));
        return localized(
          `${missing} 不存在：一项修改只能新增指针的最后一级`,
          `${missing} does not exist: a change may add only the last key of its pointer`,
        );
      } else parent = parent[segment] = copyOnce(parent[segment], copies);
    } else {
      return localized(
        `${whereZh} 是${kindOf(parent).zh}，不是对象：没有键“${segment}”`,
        `${whereEn} is ${kindOf(parent).en}, not an object: it has no key "${segment}"`,
      );
    }
  }
  return undefined;
}

const toDisplay = (segments: string[]): string => toPointer(...segments);

const kindOf = (value: unknown): Localized =>
  value === null
    ? localized(' null', 'null')
    : Array.isArray(value)
      ? localized('列表', 'a list')
      : localized(` ${typeof value}`, `a ${typeof value}`);
