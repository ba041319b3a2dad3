import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Counts every answered request by method, route (the route's pattern, e.g. /departments/:code, never the raw path:
 * a label per department would grow without bound; "unmatched" for no route) and status, with its latency.
 */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.latency.startTimer();
    response.once('finish', () => {
      const pattern = (request.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${request.baseUrl ?? ''}${pattern}` : 'unmatched';
      const method = request.method;
      metrics.requests.inc({ method, route, status: String(response.statusCode) });
      stop({ method, route });
    });
    next();
  };
}
