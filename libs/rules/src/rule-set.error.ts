import { inLang, type Localized, type Message } from './localized';

/**
 * A problem found in a rule file: what is wrong, in Chinese and English, at a JSON pointer into that file, and where
 * its readers know it (`path`: the indicator's Chinese path 管理效能 › 资产管理 › 固定资产利用率, 填报项「…」, 等次「优」,
 * 内嵌测试「…」; see rulePathOf). The pointer is always there, for machines; the path where the pointer names a thing.
 */
export interface RuleProblem {
  pointer: string;
  message: Localized;
  path?: string;
}

export enum RuleSetErrorCode {
  RULE_SET_INVALID = 'RULE_SET_INVALID',
  RULE_SET_TOO_LARGE = 'RULE_SET_TOO_LARGE',
  RULE_SET_NOT_FOUND = 'RULE_SET_NOT_FOUND',
  RULE_SET_CHECKSUM_MISMATCH = 'RULE_SET_CHECKSUM_MISMATCH',
}

/** A domain error of libs/rules. `text` is what users read (Chinese first); `message` is its English, for logs. */
export class RuleSetError extends Error {
  constructor(
    readonly code: RuleSetErrorCode,
    readonly text: Message,
    readonly problems: RuleProblem[] = [],
  ) {
    super(inLang(text, 'en'));
    this.name = 'RuleSetError';
  }
}
