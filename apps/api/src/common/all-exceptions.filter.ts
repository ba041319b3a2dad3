import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import {
  inLang,
  jsonSyntaxReason,
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
import { PROBLEM_JSON, problemTitle, problemType } from './problem-types';
import { SignInFailures } from '../limits/sign-in-failures';
import { Metrics } from '../observability/metrics';
import { isDatabaseUnavailable } from './database-errors';

/** An error's own fields, every message already in the caller's language. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: Array<{ pointer: string; message: string; path?: string }>;
}

/**
 * An error as it leaves (application/problem+json, RFC 9457): the standard members type, title, status, detail and
 * instance, the request id, and the API's own fields (statusCode, code, message, details) as extensions.
 */
export interface ProblemBody extends ErrorBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
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

  constructor(
    private readonly signIns: SignInFailures,
    private readonly metrics: Metrics,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const error = isDatabaseUnavailable(thrown) ? databaseUnavailable(thrown) : thrown;
    if (error !== thrown) this.metrics.refused.inc({ reason: 'database' });
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const lang = langFromAcceptLanguage(request.headers?.['accept-language']);
    const body = toProblemBody(toErrorBody(error, lang), request, lang);
    if (body.statusCode >= 500 && body.code === ApiErrorCode.INTERNAL) {
      this.logger.error({ msg: (error as Error)?.message, err: error });
    } else if (body.statusCode >= 500) {
      const cause = (error as Error)?.cause as Error | undefined;
      this.logger.warn({
        msg: (error as Error)?.message,
        requestId: body.requestId,
        code: body.code,
        cause: cause?.message,
      });
    }
    if (error instanceof ApiError && error.code === ApiErrorCode.UNAUTHORIZED) {
      this.signIns.failed(request.ip ?? 'unknown', error.message);
    }
    const retryAfter = error instanceof ApiError ? error.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    if (response.headersSent) {
      // a stream already under way (NDJSON): it can only be cut short
      response.end();
      return;
    }
    response.status(body.statusCode).type(PROBLEM_JSON).send(JSON.stringify(body));
  }
}

/** Seconds a caller is told to wait when the database does not answer. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database is down, frozen past the query timeout, locked or full: 503, try again shortly (never a 500). */
function databaseUnavailable(cause: unknown): ApiError {
  const error = new ApiError(
    ApiErrorCode.SERVICE_UNAVAILABLE,
    localized(
      `数据库暂时不可用，请 ${DATABASE_RETRY_AFTER_SECONDS} 秒后重试；如持续出现，请联系管理员`,
      `the database is unavailable for now; try again in ${DATABASE_RETRY_AFTER_SECONDS} s`,
    ),
    [],
    DATABASE_RETRY_AFTER_SECONDS,
  );
  error.cause = cause;
  return error;
}

/** The request id pino-http gave the request (from a sane X-Request-Id, or a new one). */
export const requestIdOf = (request: Request): string => String((request as { id?: unknown }).id ?? '');

/** Adds the RFC 9457 members to an error body. */
export function toProblemBody(body: ErrorBody, request: Request, lang: Lang): ProblemBody {
  return {
    type: problemType(body.code),
    title: inLang(problemTitle(body.code, body.statusCode), lang),
    status: body.statusCode,
    detail: body.message,
    instance: (request.originalUrl ?? request.url ?? '').split('?')[0],
    requestId: requestIdOf(request),
    ...body,
  };
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
  if (error instanceof ApiError) {
    // an internal error's own words are for the log; the user reads that it failed, in Chinese first
    const message =
      error.code === ApiErrorCode.INTERNAL && typeof error.text === 'string'
        ? localized('系统内部错误，请稍后重试；如仍失败，请联系管理员', error.text)
        : error.text;
    return { statusCode: error.status, code: error.code, message, details: error.details };
  }
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
        `请求内容不是有效的 JSON：${jsonSyntaxReason(parserError.message ?? '').zh}`,
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
        message: localized(
          `请求内容不是有效的 JSON：${jsonSyntaxReason(error.message).zh}`,
          `the body is not valid JSON: ${error.message}`,
        ),
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
