import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { childPointer } from '@jiping/rules';
import { ApiError, ApiErrorCode, type ErrorDetail } from './api-error';

/** Flattens class-validator errors into JSON pointers: /targets/performance/0/weight. */
export function toDetails(errors: ValidationError[], base = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const pointer = childPointer(base, String(error.property));
    const own = Object.values(error.constraints ?? {}).map((message) => ({ pointer, message }));
    return [...own, ...toDetails(error.children ?? [], pointer)];
  });
}

/** The global pipe: unknown fields are errors, and every error names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new ApiError(ApiErrorCode.VALIDATION_FAILED, 'the request is invalid', toDetails(errors)),
  });
}
