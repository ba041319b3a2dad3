import { inLang, type Localized, localized, type Message } from '@jiping/rules';

/**
 * A problem of a submission (or an adjustment, a what-if change), at a JSON pointer into it; `path` says where users
 * know it: the indicator's Chinese path (管理效能 › 资产管理 › 固定资产利用率), 填报项「…」, or a declared row.
 */
export interface ScoringProblem {
  pointer: string;
  message: Localized;
  path?: string;
}

/** The message of an INVALID_SUBMISSION: 填报数据与规则集 id@version 不符：N 处问题. */
export function doesNotFit(ruleSet: { id: string; version: string }, count: number): Localized {
  return localized(
    `填报数据与规则集 ${ruleSet.id}@${ruleSet.version} 不符：${count} 处问题`,
    `the submission does not fit rule set ${ruleSet.id}@${ruleSet.version}: ${count} problem(s)`,
  );
}

export enum ScoringErrorCode {
  /** The submission does not fit the rule set's declared inputs and targets. */
  INVALID_SUBMISSION = 'INVALID_SUBMISSION',
  /** A metric cannot be computed from valid inputs (e.g. a zero denominator on an applicable leaf). */
  METRIC_UNDEFINED = 'METRIC_UNDEFINED',
  /** The conditions of a leaf decided nothing or more than one band (a validated rule set never does this). */
  AMBIGUOUS_DECISION = 'AMBIGUOUS_DECISION',
  /** json-rules-engine failed. */
  ENGINE_FAILURE = 'ENGINE_FAILURE',
  /** An embedded test case of a rule file did not give its expected scores. */
  RULE_TEST_FAILED = 'RULE_TEST_FAILED',
  /** An evaluator's adjustment (复核) addresses a value that is not judgment-based, or has no reason. */
  INVALID_ADJUSTMENT = 'INVALID_ADJUSTMENT',
  /**
   * A rule set cannot score data of an earlier version (cross-year simulation): it does not continue that series and
   * year, or one of its inputs has neither a value in that data nor a declaration (continues.inputs).
   */
  CANNOT_SIMULATE = 'CANNOT_SIMULATE',
}

/**
 * A domain error of libs/scoring: a code, a message saying how to fix the cause (`text`, Chinese first; `message` is
 * its English, for logs), and pointed problems.
 */
export class ScoringError extends Error {
  constructor(
    readonly code: ScoringErrorCode,
    readonly text: Message,
    readonly problems: ScoringProblem[] = [],
  ) {
    super(inLang(text, 'en'));
    this.name = 'ScoringError';
  }
}
