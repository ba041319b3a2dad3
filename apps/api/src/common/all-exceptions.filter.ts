import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { RuleSetError, RuleSetErrorCode } from '@jiping/rules';
import { ScoringError, ScoringErrorCode } from '@jiping/scoring';
import type { Response } from 'express';
import { ApiError, ApiErrorCode, type ErrorDetail } from './api-error';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: ErrorDetail[];
}

/**
 * The one exception filter: every error leaves as { statusCode, code, message, details: [{ pointer, message }] }.
 * Domain errors of the pure libs are mapped here, exhaustively, and nowhere else.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    if (body.statusCode >= 500) this.logger.error((error as Error)?.message, (error as Error)?.stack);
    host.switchToHttp().getResponse<Response>().status(body.statusCode).json(body);
  }
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError)
    return { statusCode: error.status, code: error.code, message: error.message, details: error.details };
  if (error instanceof RuleSetError) {
    return { statusCode: ruleSetStatus(error.code), code: error.code, message: error.message, details: error.problems };
  }
  if (error instanceof ScoringError) {
    return { statusCode: scoringStatus(error.code), code: error.code, message: error.message, details: error.problems };
  }
  const parserError = error as { type?: string; status?: number; message?: string };
  if (parserError?.type === 'entity.parse.failed') {
    return {
      statusCode: 400,
      code: ApiErrorCode.MALFORMED_JSON,
      message: `the body is not valid JSON: ${parserError.message}`,
      details: [{ pointer: '', message: 'not valid JSON' }],
    };
  }
  if (parserError?.type === 'entity.too.large') {
    return {
      statusCode: 413,
      code: ApiErrorCode.PAYLOAD_TOO_LARGE,
      message: 'the body is larger than the limit',
      details: [{ pointer: '', message: 'too large' }],
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest turns body-parser failures into HttpExceptions: a JSON syntax error (400) and a body over the limit (413).
    if (status === HttpStatus.BAD_REQUEST && /JSON/.test(error.message)) {
      return {
        statusCode: 400,
        code: ApiErrorCode.MALFORMED_JSON,
        message: `the body is not valid JSON: ${error.message}`,
        details: [{ pointer: '', message: 'not valid JSON' }],
      };
    }
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return {
        statusCode: 413,
        code: ApiErrorCode.PAYLOAD_TOO_LARGE,
        message: 'the body is larger than the limit',
        details: [{ pointer: '', message: 'too large' }],
      };
    }
    const code =
      status === HttpStatus.NOT_FOUND
        ? ApiErrorCode.NOT_FOUND
        : status >= 500
          ? ApiErrorCode.INTERNAL
          : `HTTP_${status}`;
    return { statusCode: status, code, message: error.message, details: [] };
  }
  return { statusCode: 500, code: ApiErrorCode.INTERNAL, message: 'internal error', details: [] };
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
