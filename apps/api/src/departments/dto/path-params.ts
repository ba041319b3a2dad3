import { localized, type Message } from '@jiping/rules';
import { Injectable, ParseIntPipe, type PipeTransform } from '@nestjs/common';
import { ApiError, ApiErrorCode } from '../../common/api-error';

/** A department code or rule-set id: kebab-case (e.g. gz-kjj, guangzhou-department-overall). */
export const KEBAB_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MIN_FISCAL_YEAR = 2000;
export const MAX_FISCAL_YEAR = 2100;

/** The value is not repeated: the global pipe has already turned a non-numeric :year into NaN. */
const invalidParam = (name: string, message: Message): ApiError =>
  new ApiError(
    ApiErrorCode.VALIDATION_FAILED,
    localized(`路径参数 ${name} 不正确`, `the path parameter ${name} is invalid`),
    [{ pointer: name, message }],
  );

const integerParam = new ParseIntPipe();

/** An integer path parameter within [min, max] (ParseIntPipe, then the range); else 422 naming the parameter. */
async function parseIntParam(name: string, value: string, min: number, max: number, message: Message): Promise<number> {
  const parsed = await integerParam.transform(value, { type: 'param', data: name }).catch(() => undefined);
  if (parsed === undefined || parsed < min || parsed > max) throw invalidParam(name, message);
  return parsed;
}

/** `:code`: a kebab-case department code of at most 64 characters. */
@Injectable()
export class ParseDepartmentCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 64 || !KEBAB_CODE.test(value)) {
      throw invalidParam(
        'code',
        localized(
          '部门代码由小写字母、数字和连字符组成，最多 64 个字符，如 gz-kjj',
          'a department code is kebab-case with at most 64 characters, e.g. gz-kjj',
        ),
      );
    }
    return value;
  }
}

/** `:year`: an integer fiscal year from 2000 to 2100. */
@Injectable()
export class ParseFiscalYearPipe implements PipeTransform<string, Promise<number>> {
  transform(value: string): Promise<number> {
    return parseIntParam(
      'year',
      value,
      MIN_FISCAL_YEAR,
      MAX_FISCAL_YEAR,
      localized(
        `年度应为 ${MIN_FISCAL_YEAR} 到 ${MAX_FISCAL_YEAR} 之间的整数，如 2021`,
        `a fiscal year is an integer from ${MIN_FISCAL_YEAR} to ${MAX_FISCAL_YEAR}, e.g. 2021`,
      ),
    );
  }
}

/** `:revision`: a positive integer. */
@Injectable()
export class ParseRevisionPipe implements PipeTransform<string, Promise<number>> {
  transform(value: string): Promise<number> {
    return parseIntParam(
      'revision',
      value,
      1,
      2_147_483_647,
      localized('版本号应为正整数，如 1', 'a revision is a positive integer, e.g. 1'),
    );
  }
}
