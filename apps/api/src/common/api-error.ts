import { HttpStatus } from '@nestjs/common';
import { localized, type Message } from '@jiping/rules';

export interface ErrorDetail {
  /** JSON pointer into the request body (or the path parameter's name). */
  pointer: string;
  /** Chinese first; the filter picks the caller's language. */
  message: Message;
  /** Where a user knows it: the indicator's Chinese path (管理效能 › 资产管理 › 固定资产利用率) or the sheet and cell. */
  path?: string;
}

export enum ApiErrorCode {
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  JSON_TOO_DEEP = 'JSON_TOO_DEEP',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RULE_SET_AMBIGUOUS = 'RULE_SET_AMBIGUOUS',
  PRECONDITION_MISSING = 'PRECONDITION_MISSING',
  /** An inline rule file took longer than its time budget to check and score (or could not be checked at all). */
  RULE_SET_TOO_COSTLY = 'RULE_SET_TOO_COSTLY',
  /** A rate limit: Retry-After says when to try again. */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  /** The database (or another service the request needs) does not answer now: Retry-After says when to try again. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The request ran past REQUEST_TIMEOUT_MS: answered 503 with Retry-After (its work may still finish). */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  INTERNAL = 'INTERNAL',
}

const STATUS: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.UNAUTHORIZED]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ApiErrorCode.VALIDATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.MALFORMED_JSON]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.JSON_TOO_DEEP]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.RULE_SET_AMBIGUOUS]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.PRECONDITION_MISSING]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.RULE_SET_TOO_COSTLY]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.TOO_MANY_REQUESTS]: HttpStatus.TOO_MANY_REQUESTS,
  [ApiErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.REQUEST_TIMEOUT]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * An error of the service layer: a code, a message saying how to fix the cause (Chinese first, English on request)
 * and pointed details. `message` (Error's) is the English text, for logs.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly text: Message,
    readonly details: ErrorDetail[] = [],
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(typeof text === 'string' ? text : text.en);
    this.name = 'ApiError';
  }

  get status(): HttpStatus {
    return STATUS[this.code];
  }

  /** `ApiError.notFound(localized('部门“gz-czj”', 'department "gz-czj"'))` → 未找到部门“gz-czj” / department "gz-czj" not found. */
  static notFound(what: Message): ApiError {
    if (typeof what === 'string') {
      return new ApiError(ApiErrorCode.NOT_FOUND, localized(`未找到 ${what}`, `${what} not found`));
    }
    return new ApiError(ApiErrorCode.NOT_FOUND, localized(`未找到${what.zh}`, `${what.en} not found`));
  }

  static conflict(message: Message): ApiError {
    return new ApiError(ApiErrorCode.CONFLICT, message);
  }
}
