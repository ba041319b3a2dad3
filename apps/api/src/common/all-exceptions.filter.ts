import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import {
  inLang,
  type Lang,
  langFromAcceptLanguage,
  localized,
  type Message,
  RuleSetError,
  RuleSetErrorCode,
} from '@jiping/rules';
import { ScoringError, ScoringErrorCode } from '@jiping/scoring';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorCode, type ErrorDetail } from './api-error';
import { JsonTooDeepError } from './json-depth';
import { SignInFailures } from '../limits/sign-in-failures';

/** An error as it leaves: every message already in the caller's language. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: Array<{ pointer: string; message: string; path?: string }>;
}

interface LocalizedErrorBody {
  statusCode: number;
  code: string;
  message: Message;
  details: ErrorDetail[];
}

const NOT_JSON = localized('请求内容不是有效的 JSON', 'not valid JSON');
const TOO_LARGE = localized('请求内容超过大小上限', 'the body is larger than the limit');

/**
 * The one exception filter: every error leaves as { statusCode, code, message, details: [{ pointer, message }] }.
 * Domain errors of the pure libs are mapped here, exhaustively, and nowhere else.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(private readonly signIns: SignInFailures) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const lang = langFromAcceptLanguage(request.headers?.['accept-language']);
    const body = toErrorBody(error, lang);
    if (body.statusCode >= 500) this.logger.error((error as Error)?.message, (error as Error)?.stack);
    if (error instanceof ApiError && error.code === ApiErrorCode.UNAUTHORIZED) {
      this.signIns.failed(request.ip ?? 'unknown', error.message);
    }
    if (error instanceof ApiError && error.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }
}

/** The body of an error in a language: Chinese unless the caller asked for English. */
export function toErrorBody(error: unknown, lang: Lang = 'zh'): ErrorBody {
  const body = toLocalizedErrorBody(error);
  return {
    statusCode: body.statusCode,
    code: body.code,
    message: inLang(body.message, lang),
    details: body.details.map((detail) => ({
      pointer: detail.pointer,
      message: inLang(detail.message, lang),
      ...(detail.path === undefined ? {} : { path: detail.path }),
    })),
  };
}

function toLocalizedErrorBody(error: unknown): LocalizedErrorBody {
  if (error instanceof ApiError)
    return { statusCode: error.status, code: error.code, message: error.text, details: error.details };
  if (error instanceof RuleSetError) {
    return { statusCode: ruleSetStatus(error.code), code: error.code, message: error.text, details: error.problems };
  }
  if (error instanceof ScoringError) {
    return { statusCode: scoringStatus(error.code), code: error.code, message: error.text, details: error.problems };
  }
  const parserError = error as { type?: string; status?: number; message?: string };
  if (error instanceof JsonTooDeepError) {
    return {
      statusCode: 422,
      code: ApiErrorCode.JSON_TOO_DEEP,
      message: localized(
        `请求内容的嵌套层数超过上限 ${error.limit} 层，未予处理`,
        `the JSON body nests deeper than ${error.limit} levels; it was not processed`,
      ),
      details: [
        {
          pointer: error.pointer,
          message: localized(
            `此处嵌套超过 ${error.limit} 层：请减少对象和数组的嵌套`,
            `nested deeper than ${error.limit} levels here: nest fewer objects and arrays`,
          ),
        },
      ],
    };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return {
      statusCode: 400,
      code: ApiErrorCode.MALFORMED_JSON,
      message: localized(
        `请求内容不是有效的 JSON：${parserError.message}`,
        `the body is not valid JSON: ${parserError.message}`,
      ),
      details: [{ pointer: '', message: NOT_JSON }],
    };
  }
  if (parserError?.type === 'entity.too.large') {
    return {
      statusCode: 413,
      code: ApiErrorCode.PAYLOAD_TOO_LARGE,
      message: TOO_LARGE,
      details: [{ pointer: '', message: TOO_LARGE }],
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest turns body-parser failures into HttpExceptions: a JSON syntax error (400) and a body over the limit (413).
    if (status === HttpStatus.BAD_REQUEST && /JSON/.test(error.message)) {
      return {
        statusCode: 400,
        code: ApiErrorCode.MALFORMED_JSON,
        message: localized(`请求内容不是有效的 JSON：${error.message}`, `the body is not valid JSON: ${error.message}`),
        details: [{ pointer: '', message: NOT_JSON }],
      };
    }
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return {
        statusCode: 413,
        code: ApiErrorCode.PAYLOAD_TOO_LARGE,
        message: TOO_LARGE,
        details: [{ pointer: '', message: TOO_LARGE }],
      };
    }
    const code =
      status === HttpStatus.NOT_FOUND
        ? ApiErrorCode.NOT_FOUND
        : status >= 500
          ? ApiErrorCode.INTERNAL
          : `HTTP_${status}`;
    return { statusCode: status, code, message: httpExceptionText(status, error.message), details: [] };
  }
  return {
    statusCode: 500,
    code: ApiErrorCode.INTERNAL,
    message: localized('系统内部错误，请稍后重试；如仍失败，请联系管理员', 'internal error'),
    details: [],
  };
}

/** Nest's own exceptions (an unknown route, a method not allowed) in words a user reads. */
function httpExceptionText(status: number, english: string): Message {
  if (status === HttpStatus.NOT_FOUND) return localized(`未找到该地址：${english.replace(/^Cannot /, '')}`, english);
  if (status === HttpStatus.METHOD_NOT_ALLOWED) return localized('不支持此请求方法', english);
  if (status >= 500) return localized('系统内部错误，请稍后重试；如仍失败，请联系管理员', english);
  return localized(`请求未被接受（HTTP ${status}）：${english}`, english);
}

function ruleSetStatus(code: RuleSetErrorCode): number {
  switch (code) {
    case RuleSetErrorCode.RULE_SET_INVALID:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case RuleSetErrorCode.RULE_SET_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case RuleSetErrorCode.RULE_SET_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case RuleSetErrorCode.RULE_SET_CHECKSUM_MISMATCH:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertNever(code);
  }
}

function scoringStatus(code: ScoringErrorCode): number {
  switch (code) {
    case ScoringErrorCode.INVALID_SUBMISSION:
    case ScoringErrorCode.METRIC_UNDEFINED:
    case ScoringErrorCode.RULE_TEST_FAILED:
    case ScoringErrorCode.INVALID_ADJUSTMENT:
    case ScoringErrorCode.CANNOT_SIMULATE:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ScoringErrorCode.AMBIGUOUS_DECISION:
    case ScoringErrorCode.ENGINE_FAILURE:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`unmapped error code ${String(value)}`);
}
