import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Level } from 'pino';
import type { Options } from 'pino-http';
import type { Principal } from '../auth/principal';

/** An incoming X-Request-Id is kept when it looks like an id (a proxy's or the caller's), else a new one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

type Request = IncomingMessage & {
  id?: string;
  originalUrl?: string;
  ip?: string;
  principal?: Principal;
};

/** The request's id: a sane X-Request-Id it came with, or a new UUID; sent back as X-Request-Id. */
export function requestIdFor(request: Request, response: ServerResponse): string {
  if (request.id) return request.id;
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  response.setHeader('X-Request-Id', id);
  return id;
}

export interface LoggingSettings {
  LOG_LEVEL: Level | 'silent';
}

/**
 * Structured JSON logs (pino): one line per event on stdout (or `destination`), every line of a request with its
 * requestId, and one access-log line per request ("request completed"/"request failed": method, path, status, time,
 * client address, who called). Headers are never logged, so neither the Authorization header (the key or token) nor
 * cookies can leak; the path is logged without its query string.
 */
export function loggingParams(settings: LoggingSettings, destination?: DestinationStream): Params {
  const logger = pino(
    {
      level: settings.LOG_LEVEL,
      base: { service: 'jiping' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // belt and braces: nothing logs headers, but a header object that slipped into a line is censored
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization'],
        censor: '[hidden]',
      },
    },
    destination,
  );
  const options: Options<Request, ServerResponse> = {
    logger,
    genReqId: requestIdFor,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customProps: (request) =>
      request.principal
        ? { user: { id: request.principal.userId, name: request.principal.name, role: request.principal.role } }
        : {},
    serializers: {
      req: (request: { raw?: Request; method?: string; url?: string; remoteAddress?: string }) => ({
        method: request.method,
        path: (request.raw?.originalUrl ?? request.url ?? '').split('?')[0],
        address: request.raw?.ip ?? request.remoteAddress,
        userAgent: request.raw?.headers['user-agent'],
      }),
      res: (response: { statusCode?: number }) => ({ status: response.statusCode }),
    },
  };
  return { pinoHttp: options as Params['pinoHttp'], useExisting: true };
}
