import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  /** JSON pointer into the request body (or the path parameter's name). */
  pointer: string;
  message: string;
}

export enum ApiErrorCode {
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RULE_SET_AMBIGUOUS = 'RULE_SET_AMBIGUOUS',
  PRECONDITION_MISSING = 'PRECONDITION_MISSING',
  INTERNAL = 'INTERNAL',
}

const STATUS: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.UNAUTHORIZED]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ApiErrorCode.VALIDATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.MALFORMED_JSON]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.RULE_SET_AMBIGUOUS]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.PRECONDITION_MISSING]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** An error of the service layer: a code, a message saying how to fix the cause, and pointed details. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): HttpStatus {
    return STATUS[this.code];
  }

  static notFound(what: string): ApiError {
    return new ApiError(ApiErrorCode.NOT_FOUND, `${what} not found`);
  }

  static conflict(message: string): ApiError {
    return new ApiError(ApiErrorCode.CONFLICT, message);
  }
}
