/** One detail of an API error: where (JSON pointer) and what. */
export interface ErrorDetail {
  pointer: string;
  message: string;
  path?: string;
}

/** The API's error body (application/problem+json with statusCode, code, message, details). */
interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  title?: string;
  detail?: string;
  requestId?: string;
  details?: ErrorDetail[];
}

/** The one error type pages see: an API refusal, a network failure, or an unexpected answer. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  static from(status: number, body: unknown): ApiProblem {
    const b = (body ?? {}) as Partial<ErrorBody>;
    const fallback = status === 0 ? 'NETWORK' : status >= 500 ? 'INTERNAL' : `HTTP_${status}`;
    return new ApiProblem(status, b.code ?? fallback, b.message ?? b.detail ?? '', b.details ?? [], b.requestId);
  }
}

/** Anything thrown while rendering a page, as an ApiProblem. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem(0, 'CLIENT', error instanceof Error ? error.message : String(error));
}
