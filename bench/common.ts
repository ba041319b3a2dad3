import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseRuleFileText, type RuleSet, toRuleSet } from '@jiping/rules';
import type { Json } from './generate-submissions';

/** The checkout: the nearest folder up with nest-cli.json (bench/, or bench/batch.ts's plain copy under node_modules). */
export const ROOT = ((dir: string): string => {
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    if (dirname(dir) === dir) throw new Error(`no nest-cli.json above ${__dirname}`);
    dir = dirname(dir);
  }
  return dir;
})(__dirname);
/** Where bench code is transpiled to plain JavaScript, to run without ts-node (node_modules resolve from there). */
export const PLAIN_DIR = join(ROOT, 'node_modules', '.cache', 'jiping-bench');
export const RULE_FILE = 'rules/guangzhou/department-overall/2021.json';
export const SEED_FILE = 'test/fixtures/gz-kjj-2021/submission.json';
export const SEED_TOTAL = '94.622';

export const readRuleFileText = (): string => readFileSync(join(ROOT, RULE_FILE), 'utf8');
export const loadRuleSet = (): RuleSet => toRuleSet(parseRuleFileText(readRuleFileText()));
export const loadSeed = (): Json => JSON.parse(readFileSync(join(ROOT, SEED_FILE), 'utf8')) as Json;

export const nowNs = (): bigint => process.hrtime.bigint();
export const elapsedUs = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e3;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs a bench/child.ts mode in a fresh Node process (ts-node, tsconfig paths), with extra Node flags; the child
 * prints one JSON line last on stdout.
 */
export function runChild<T>(mode: string, args: string[] = [], nodeFlags: string[] = []): T {
  const result = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(ROOT, 'bench', 'child.ts'),
      mode,
      ...args,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    },
  );
  if (result.status !== 0) throw new Error(`bench child "${mode}" failed (${result.status}): ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/**
 * A TypeScript file transpiled to plain CommonJS at `target` (ts.transpileModule: no type check), for code that runs
 * without ts-node; with `libs`, each \`@jiping/<lib>\` import points at \`<libs>/<lib>/src\`. Returns `target`.
 */
export function writePlain(source: string, target: string, libs?: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
    fileName: source,
  });
  const code =
    libs === undefined
      ? outputText
      : outputText.replace(/require\("@jiping\/([a-z-]+)"\)/g, (_, lib: string) => {
          const path = relative(dirname(target), join(libs, lib, 'src'));
          return `require(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)})`;
        });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
  return target;
}

/** Replaces the section under `heading` in docs/performance.md with `formatted`, or appends it when there is none. */
export function writeDocSection(heading: string, formatted: string): void {
  const file = join(ROOT, 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const at = doc.indexOf(`\n${heading}\n`);
  const next = at < 0 ? -1 : doc.indexOf('\n## ', at + heading.length + 2);
  const head = (at < 0 ? doc : doc.slice(0, at)).trimEnd() + '\n\n';
  const tail = next < 0 ? '' : '\n' + doc.slice(next + 1);
  writeFileSync(file, head + formatted + tail);
  process.stderr.write(`[bench] wrote the "${heading}" section of ${file}\n`);
}
