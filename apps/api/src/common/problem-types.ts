import { localized, type Localized } from '@jiping/rules';

/** The media type of every error the API answers (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

/** RFC 9457 `type` of an error code: a URN (its meaning is the code's, listed in the OpenAPI document at /docs). */
export const problemType = (code: string): string => `urn:jiping:problem:${code.toLowerCase().replace(/_/g, '-')}`;

/** RFC 9457 `title`: the same short summary for every occurrence of a code (Chinese first). */
const TITLES: Record<string, Localized> = {
  UNAUTHORIZED: localized('未登录或密钥无效', 'not signed in'),
  FORBIDDEN: localized('无权进行此操作', 'not allowed'),
  NOT_FOUND: localized('未找到', 'not found'),
  CONFLICT: localized('与现有数据冲突', 'conflicts with stored data'),
  VALIDATION_FAILED: localized('请求内容未通过校验', 'the request is not valid'),
  MALFORMED_JSON: localized('请求内容不是有效的 JSON', 'the body is not valid JSON'),
  JSON_TOO_DEEP: localized('请求内容嵌套过深', 'the JSON body nests too deep'),
  PAYLOAD_TOO_LARGE: localized('请求内容过大', 'the body is too large'),
  RULE_SET_AMBIGUOUS: localized('规则集不明确', 'the rule set is ambiguous'),
  PRECONDITION_MISSING: localized('缺少前提条件', 'a precondition is missing'),
  RULE_SET_TOO_COSTLY: localized('内联规则文件过于复杂', 'the inline rule file is too costly'),
  TOO_MANY_REQUESTS: localized('请求过于频繁', 'too many requests'),
  SERVICE_UNAVAILABLE: localized('服务暂时不可用', 'the service is unavailable for now'),
  REQUEST_TIMEOUT: localized('请求处理超时', 'the request took too long'),
  INTERNAL: localized('系统内部错误', 'internal error'),
  RULE_SET_INVALID: localized('规则文件有误', 'the rule file is not valid'),
  RULE_SET_TOO_LARGE: localized('规则文件过大', 'the rule file is too large'),
  RULE_SET_NOT_FOUND: localized('未找到规则集', 'rule set not found'),
  RULE_SET_CHECKSUM_MISMATCH: localized('规则集校验和不符', 'rule set checksum mismatch'),
  INVALID_SUBMISSION: localized('填报数据与规则集不符', 'the submission does not fit the rule set'),
  METRIC_UNDEFINED: localized('指标值无法计算', 'a metric cannot be computed'),
  AMBIGUOUS_DECISION: localized('评分规则未能唯一确定得分', 'the rules decided no single score'),
  ENGINE_FAILURE: localized('评分引擎出错', 'the scoring engine failed'),
  RULE_TEST_FAILED: localized('规则文件的内置测试未通过', 'an embedded test of the rule file failed'),
  INVALID_ADJUSTMENT: localized('复核调整无效', 'the adjustment is not valid'),
  CANNOT_SIMULATE: localized('无法模拟', 'cannot simulate'),
};

/** The title of a code; codes of Nest's own exceptions (HTTP_405…) by their status. */
export function problemTitle(code: string, status: number): Localized {
  return TITLES[code] ?? localized(`请求未被接受（HTTP ${status}）`, `request refused (HTTP ${status})`);
}
