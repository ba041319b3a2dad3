import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Lang, langFromAcceptLanguage } from '@jiping/rules';
import type { Request } from 'express';

/** The caller's language (Accept-Language: en → English; Chinese otherwise), for texts in a response body. */
export const RequestLang = createParamDecorator(
  (_: unknown, context: ExecutionContext): Lang =>
    langFromAcceptLanguage(context.switchToHttp().getRequest<Request>().headers['accept-language']),
);
