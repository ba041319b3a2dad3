import { localized } from '@jiping/rules';
import { ApiError, ApiErrorCode } from '../common/api-error';

/**
 * How a stored rule-set version is named in URLs: `<rule-set id>:<fiscal year>:<version no>`, or
 * `<rule-set id>:<fiscal year>:published` for the version in force. e.g. guangzhou-department-overall:2021:1
 */
export interface RuleSetRef {
  ruleSetId: string;
  fiscalYear: number;
  versionNo: number | 'published';
}

const REF = /^([a-z0-9]+(?:-[a-z0-9]+)*):(\d{4}):(\d+|published)$/;

export function parseRuleSetRef(ref: string, pointer = 'ref'): RuleSetRef {
  const match = REF.exec(ref);
  if (!match) {
    throw new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized(`“${ref}”不是规则集引用`, `"${ref}" is not a rule-set reference`),
      [
        {
          pointer,
          message: localized(
            '应写成 <规则集标识>:<年度>:<版本号或 published>，如 guangzhou-department-overall:2021:1',
            'expected <rule-set id>:<fiscal year>:<version no | published>, e.g. guangzhou-department-overall:2021:1',
          ),
        },
      ],
    );
  }
  return {
    ruleSetId: match[1],
    fiscalYear: Number(match[2]),
    versionNo: match[3] === 'published' ? 'published' : Number(match[3]),
  };
}

export const formatRuleSetRef = (row: { ruleSetId: string; fiscalYear: number; versionNo: number }): string =>
  `${row.ruleSetId}:${row.fiscalYear}:${row.versionNo}`;
