import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the console's build (apps/web → dist/web) is, from the source tree (ts-node, jest) or from dist/apps/api. */
export function consoleDirectory(): string | undefined {
  const candidates = [
    process.env.JIPING_CONSOLE_DIR,
    resolve(__dirname, '../../../../dist/web'), // apps/api/src/console
    resolve(__dirname, '../../web'), // dist/apps/api (webpack bundles everything into main.js)
    resolve(__dirname, '../web'),
    resolve(process.cwd(), 'dist/web'),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

/** Client routes of the console: they never share a path with the API (see apps/web/src/app/routes.tsx). */
export function isConsoleRoute(path: string): boolean {
  return path === '/' || path === '/app' || path.startsWith('/app/');
}

/**
 * The console at / from the same origin: hashed assets under /assets (cached for a year), index.html for / and every
 * /app/… client route (never cached, so a deploy is picked up). Nothing else: the API's routes are untouched. Without
 * a build (tests of the API alone) nothing is mounted and / stays the API's 404.
 */
export function serveConsole(app: NestExpressApplication): string | undefined {
  const dir = consoleDirectory();
  if (!dir) return undefined;
  const indexFile = join(dir, 'index.html');
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isConsoleRoute(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(readFileSync(indexFile));
  });
  return dir;
}
