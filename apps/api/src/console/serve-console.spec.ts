import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isConsoleRoute } from './serve-console';

const API_SRC = join(__dirname, '..');
const ROUTES_FILE = join(__dirname, '../../../web/src/app/routes.tsx');

function controllerPrefixes(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...controllerPrefixes(path));
    else if (entry.name.endsWith('.controller.ts'))
      for (const m of readFileSync(path, 'utf8').matchAll(/@Controller\(\s*'([^']*)'/g)) out.push(`/${m[1]}`);
  }
  return out;
}

describe('console routes never share a path with the API', () => {
  it('no API controller answers under / or /app', () => {
    const prefixes = controllerPrefixes(API_SRC);
    expect(prefixes.length).toBeGreaterThan(10);
    expect(prefixes.filter((p) => isConsoleRoute(p) || isConsoleRoute(`${p}/`))).toEqual([]);
  });

  it('every page of the console route table lives under /app/', () => {
    const paths = [...readFileSync(ROUTES_FILE, 'utf8').matchAll(/path: '([^']+)'/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(1);
    expect(paths.filter((p) => !p.startsWith('/app/'))).toEqual([]);
  });

  it('serves index.html for / and client routes only', () => {
    expect(['/', '/app', '/app/years/2021/overview'].map(isConsoleRoute)).toEqual([true, true, true]);
    expect(['/departments', '/docs', '/application', '/rule-sets/x'].map(isConsoleRoute)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
