import { checksumOf } from './checksum';
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
      `the rule file is ${bytes} bytes; the limit is ${RULE_FILE_LIMITS.maxBytes}`,
      [{ pointer: '', message: `larger than ${RULE_FILE_LIMITS.maxBytes} bytes` }],
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RuleSetError(
      RuleSetErrorCode.RULE_SET_INVALID,
      `the rule file is not JSON: ${(error as Error).message}`,
      [{ pointer: '', message: `not JSON: ${(error as Error).message}` }],
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
      `rule set ${where} has ${problems.length} problem(s)`,
      problems,
    );
  }
  const file = deepFreeze(structuredClone(value) as RuleFile);
  return { id: file.id, version: file.version, checksum: checksumOf(file), file };
}

function describeFile(value: unknown): string {
  const { id, version } = (value ?? {}) as { id?: unknown; version?: unknown };
  return typeof id === 'string' ? `${id}@${typeof version === 'string' ? version : '?'}` : '(unnamed)';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
