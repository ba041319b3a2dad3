import { checksumOf } from './checksum';
import { jsonSyntaxReason, localized } from './localized';
import { RuleSetError, RuleSetErrorCode, type RuleProblem } from './rule-set.error';
import type { RuleFile } from './rule-file.types';
import { RULE_FILE_LIMITS, validateRuleFile } from './validate-rule-file';

/** A validated rule file with its content checksum: the only thing libs/scoring accepts. */
export interface RuleSet {
  readonly id: string;
  readonly version: string;
  readonly checksum: string;
  readonly file: Readonly<RuleFile>;
}

/** Parses rule-file text, refusing oversized files before parsing. */
export function parseRuleFileText(text: string): unknown {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > RULE_FILE_LIMITS.maxBytes) {
    throw new RuleSetError(
      RuleSetErrorCode.RULE_SET_TOO_LARGE,
      localized(
        `规则文件有 ${bytes} 字节，超过上限 ${RULE_FILE_LIMITS.maxBytes} 字节`,
        `the rule file is ${bytes} bytes; the limit is ${RULE_FILE_LIMITS.maxBytes}`,
      ),
      [
        {
          pointer: '',
          message: localized(
            `超过 ${RULE_FILE_LIMITS.maxBytes} 字节`,
            `larger than ${RULE_FILE_LIMITS.maxBytes} bytes`,
          ),
        },
      ],
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = jsonSyntaxReason((error as Error).message);
    throw new RuleSetError(
      RuleSetErrorCode.RULE_SET_INVALID,
      localized(`规则文件不是有效的 JSON：${reason.zh}`, `the rule file is not JSON: ${reason.en}`),
      [{ pointer: '', message: localized(`不是有效的 JSON：${reason.zh}`, `not JSON: ${reason.en}`) }],
    );
  }
}

/** Validates a parsed rule file and returns it as an immutable RuleSet; throws RuleSetError listing every problem. */
export function toRuleSet(value: unknown): RuleSet {
  const problems: RuleProblem[] = validateRuleFile(value);
  if (problems.length > 0) {
    const where = describeFile(value);
    throw new RuleSetError(
      RuleSetErrorCode.RULE_SET_INVALID,
      localized(`规则集 ${where} 有 ${problems.length} 处问题`, `rule set ${where} has ${problems.length} problem(s)`),
      problems,
    );
  }
  const file = deepFreeze(structuredClone(value) as RuleFile);
  return { id: file.id, version: file.version, checksum: checksumOf(file), file };
}

/**
 * A rule set from a file that toRuleSet has already accepted elsewhere — the inline rules worker checks an inline
 * file (schema, meaning, embedded tests) and reports its checksum — without checking and hashing it a second time on
 * the request thread: frozen as toRuleSet freezes it, with the checksum it was given. Only for that hand-over: a file
 * from anywhere else goes through toRuleSet.
 */
export function checkedRuleSet(text: string, checksum: string): RuleSet {
  const file = deepFreeze(JSON.parse(text) as RuleFile);
  return { id: file.id, version: file.version, checksum, file };
}

function describeFile(value: unknown): string {
  const { id, version } = (value ?? {}) as { id?: unknown; version?: unknown };
  return typeof id === 'string' ? `${id}@${typeof version === 'string' ? version : '?'}` : '(id?)';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
