import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { childPointer, type Localized, localized } from '@jiping/rules';
import { ApiError, ApiErrorCode, type ErrorDetail } from './api-error';

/** The message of a refused request body or query, in both languages. */
export const REQUEST_INVALID = localized('请求有误：请按 details 修改所列字段', 'the request is invalid');

const CJK = /[\u3400-\u9fff]/;
const after = (en: string, pattern: RegExp): string => pattern.exec(en)?.[1] ?? '';

/**
 * The Chinese of class-validator's messages, by constraint, naming the field: class-validator words them in English
 * only ("status must be one of the following values: draft, published"). Parameters are read from the English text.
 */
const CHINESE: Record<string, (field: string, en: string) => string> = {
  isString: (f) => `${f} 应为文本`,
  isNotEmpty: (f) => `${f} 不能为空`,
  isDefined: (f) => `缺少 ${f}`,
  isIn: (f, en) => `${f} 应为以下值之一：${after(en, /following values: (.*)$/)}`,
  isEnum: (f, en) => `${f} 应为以下值之一：${after(en, /following values: (.*)$/)}`,
  isInt: (f) => `${f} 应为整数`,
  isNumber: (f) => `${f} 应为数字`,
  min: (f, en) => `${f} 不能小于 ${after(en, /less than (\S+)$/)}`,
  max: (f, en) => `${f} 不能大于 ${after(en, /greater than (\S+)$/)}`,
  isBoolean: (f) => `${f} 应为 true 或 false`,
  isLength: (f, en) =>
    /longer than or equal to/.test(en)
      ? `${f} 至少 ${after(en, /longer than or equal to (\d+)/)} 个字符`
      : `${f} 最多 ${after(en, /shorter than or equal to (\d+)/)} 个字符`,
  minLength: (f, en) => `${f} 至少 ${after(en, /longer than or equal to (\d+)/)} 个字符`,
  maxLength: (f, en) => `${f} 最多 ${after(en, /shorter than or equal to (\d+)/)} 个字符`,
  matches: (f, en) =>
    /department code/.test(en)
      ? `${f} 应为部门代码（小写字母、数字和连字符，如 gz-kjj）`
      : /rule-set id/.test(en)
        ? `${f} 应为规则集标识（小写字母、数字和连字符，如 guangzhou-department-overall）`
        : `${f} 的格式不对`,
  isArray: (f) => `${f} 应为列表`,
  arrayMinSize: (f, en) => `${f} 至少应有 ${after(en, /at least (\d+)/)} 项`,
  arrayMaxSize: (f, en) => `${f} 最多 ${after(en, /no more than (\d+)/)} 项`,
  isObject: (f) => `${f} 应为对象`,
  isUuid: (f, en) => (/id of a user/.test(en) ? `${f} 应为用户的 id` : `${f} 应为 UUID`),
  isIso8601: (f) => `${f} 应为 ISO 8601 日期时间，如 2027-03-31T16:00:00Z`,
  nestedValidation: (f) => `${f} 应为对象或列表`,
  whitelistValidation: (f) => `不认识的字段 ${f}：请删除它`,
};

/** One class-validator message in both languages: Chinese first, naming the field; the original English beside. */
export function localizeConstraint(constraint: string, field: string, en: string): Localized {
  if (CJK.test(en)) return localized(en, en);
  const zh = CHINESE[constraint]?.(field, en) ?? `${field} 的值不符合要求（${en}）`;
  return localized(zh, en);
}

/** Flattens class-validator errors into JSON pointers: /targets/performance/0/weight. */
export function toDetails(errors: ValidationError[], base = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const pointer = childPointer(base, String(error.property));
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      pointer,
      message: localizeConstraint(constraint, String(error.property), message),
    }));
    return [...own, ...toDetails(error.children ?? [], pointer)];
  });
}

/** The global pipe: unknown fields are errors, and every error names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ApiError(ApiErrorCode.VALIDATION_FAILED, REQUEST_INVALID, toDetails(errors)),
  });
}
