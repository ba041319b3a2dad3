/** A problem found in a rule file, at a JSON pointer into that file. */
export interface RuleProblem {
  pointer: string;
  message: string;
}

export enum RuleSetErrorCode {
  RULE_SET_INVALID = 'RULE_SET_INVALID',
  RULE_SET_TOO_LARGE = 'RULE_SET_TOO_LARGE',
  RULE_SET_NOT_FOUND = 'RULE_SET_NOT_FOUND',
  RULE_SET_CHECKSUM_MISMATCH = 'RULE_SET_CHECKSUM_MISMATCH',
}

export class RuleSetError extends Error {
  constructor(
    readonly code: RuleSetErrorCode,
    message: string,
    readonly problems: RuleProblem[] = [],
  ) {
    super(message);
    this.name = 'RuleSetError';
  }
}
