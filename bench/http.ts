/**
 * HTTP under load: the built service (`node dist/apps/api/main.js`, NODE_ENV=production) in its own process, on a
 * fresh temporary SQLite file with the demo loaded, driven by autocannon from this process — so the load generator
 * and the server never share an event loop, and the server is what is measured. Routes, in turn (a warm-up, then
 * the measured run):
 * - GET /health/live — public, no database: Nest + Express alone, the framework's own ceiling on this machine;
 * - GET /health — the readiness ping (SELECT 1 on SQLite);
 * - POST /what-if — gz-kjj 2021, one change (实际采购金额 = the plan: total 94.622 → 94.932), evaluator key;
 * - POST /departments/gz-kjj/years/2021/evaluations — official scoring: scores and stores an evaluation per request.
 *
 *   ts-node -r tsconfig-paths/register --transpile-only bench/http.ts              # print the section
 *   ts-node -r tsconfig-paths/register --transpile-only bench/http.ts --write      # and replace it in docs/performance.md
 *   ts-node -r tsconfig-paths/register --transpile-only bench/http.ts --profile    # with a CPU profile of the server
 *   … --duration=10 --connections=10 --warmup=3                                   # the defaults
 *
 * `npm run bench` (bench/run.ts) calls benchHttp and renderHttpSection.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { percentile, PLAIN_DIR, ROOT, writeDocSection, writePlain } from './common';
import type { PacedOptions, PacedResult } from './paced-client';

const DOC = join(ROOT, 'docs', 'performance.md');
const HEADING = '## HTTP under load';
const SERVER = join(ROOT, 'dist', 'apps', 'api', 'main.js');
/** What `nest build api` bundles into SERVER: a newer file here means the bundle is stale. */
const SOURCES = ['apps/api', 'libs', 'config', 'rules', 'nest-cli.json', 'tsconfig.json', 'package-lock.json'];
const EVALUATOR_KEY = 'demo-evaluator-key';
const MiB = 1024 * 1024;
/** Measured runs of a paced route (the median kept). */
const PACED_RUNS = 3;
/** The issue's target for POST /what-if on one department, on this 2-core machine. */
export const WHAT_IF_TARGET = { perSecond: 500, p99Ms: 20 };

const WHAT_IF_BODY = {
  department: 'gz-kjj',
  year: 2021,
  changes: [{ pointer: '/inputs/procurementActual', value: '1643.42' }],
};
const EVALUATIONS_PATH = '/departments/gz-kjj/years/2021/evaluations';

/** One route under load; `check` names what is wrong with a response, if anything (tried once before the load). */
interface RouteSpec {
  route: string;
  what: string;
  method: 'GET' | 'POST';
  path: string;
  key?: string;
  body?: unknown;
  /** Requests per second offered at an even pace ({@link paced}); unset: as fast as answered (autocannon). */
  rate?: number;
  check: (status: number, body: unknown) => string | undefined;
}

const WHAT_IF_CHECK = (status: number, body: unknown): string | undefined =>
  expectStatus(status, 200) ??
  expectField(body, ['report', 'total'], '94.932') ??
  expectField(body, ['comparison', 'total', 'before'], '94.622');

const ROUTES: RouteSpec[] = [
  {
    route: 'GET /health/live',
    what: 'public, no database: Nest + Express alone (the ceiling)',
    method: 'GET',
    path: '/health/live',
    check: (status, body) => expectStatus(status, 200) ?? expectField(body, ['status'], 'ok'),
  },
  {
    route: 'GET /health',
    what: 'public, SELECT 1 on SQLite',
    method: 'GET',
    path: '/health',
    check: (status, body) => expectStatus(status, 200) ?? expectField(body, ['status'], 'ok'),
  },
  {
    route: 'POST /what-if',
    what: 'gz-kjj 2021, procurementActual = 1643.42: scored before and after, compared; nothing stored',
    method: 'POST',
    path: '/what-if',
    key: EVALUATOR_KEY,
    body: WHAT_IF_BODY,
    check: WHAT_IF_CHECK,
  },
  {
    route: `POST /what-if at ${WHAT_IF_TARGET.perSecond} req/s`,
    what:
      `the same what-if offered at an even ${WHAT_IF_TARGET.perSecond} req/s by bench/paced-client.ts, ` +
      'an open-loop client in its own process (one request every 2 ms whether or not earlier ones were answered; ' +
      'latency from the scheduled send time): the latency at the target rate',
    method: 'POST',
    path: '/what-if',
    key: EVALUATOR_KEY,
    body: WHAT_IF_BODY,
    rate: WHAT_IF_TARGET.perSecond,
    check: WHAT_IF_CHECK,
  },
  {
    route: `POST ${EVALUATIONS_PATH}`,
    what: 'official scoring of the latest submission: one evaluation row and one audit row written per request',
    method: 'POST',
    path: EVALUATIONS_PATH,
    key: EVALUATOR_KEY,
    body: {},
    check: (status, body) => expectStatus(status, 201) ?? expectField(body, ['total'], '94.622'),
  },
];

const expectStatus = (status: number, expected: number): string | undefined =>
  status === expected ? undefined : `status ${status}, expected ${expected}`;

function expectField(body: unknown, path: string[], expected: string): string | undefined {
  const value = path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    body,
  );
  return value === expected ? undefined : `${path.join('.')} is ${JSON.stringify(value)}, expected ${expected}`;
}

export interface RouteResult {
  route: string;
  what: string;
  connections: number;
  /** Requests/s offered (a paced run), or null: as fast as the server answers. */
  offered: number | null;
  /** The measured run, seconds (autocannon's own). */
  durationSeconds: number;
  requests: number;
  /** Mean of autocannon's per-second request counts. */
  perSecond: number;
  /** Of the 2xx responses, from each response's own hrtime duration (autocannon's histogram rounds to 1 ms). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Mean size of a 2xx response as read from the socket, headers included. */
  responseBytes: number;
  /** Connection errors and timeouts (autocannon's errors count includes its timeouts). */
  errors: number;
  timeouts: number;
  /** The server process's CPU time (user + system, /proc) over the measured run, per request; null off Linux. */
  serverCpuMsPerRequest: number | null;
  /** The server's CPU time over the run's wall time: 1 = one core busy the whole run. */
  serverCpuShare: number | null;
}

export interface ProfilePhase {
  phase: string;
  share: number;
  msPerRequest: number;
}

export interface HttpBenchResult {
  date: string;
  routes: RouteResult[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  server: {
    node: string;
    /** ms from spawning the process to the first 200 from GET /health (migrations and the demo included). */
    startupMs: number;
    /** Peak RSS of the server process (VmHWM); null off Linux. */
    peakRssBytes: number | null;
    /** Evaluations stored for gz-kjj 2021 at the end: the demo's, and one per 201 of the scoring runs. */
    evaluationsStored: number;
    rebuilt: boolean;
  };
  /**
   * The target, judged on two runs: req/s as fast as the server answers (saturation), and p99 at the target rate
   * offered (served within 2 % of it). `p99Ms` is the saturation run's, where ten requests queue at all times.
   */
  whatIf: {
    perSecond: number;
    p99Ms: number;
    atTargetPerSecond: number;
    atTargetP99Ms: number;
    perSecondMet: boolean;
    p99Met: boolean;
  };
  machine: { cpu: string; cores: number; loadBefore: number[]; loadAfter: number[] };
  /** Where the server's CPU went under the POST /what-if run (only with `profile`). */
  profile?: { samplesMs: number; phases: ProfilePhase[]; top: { name: string; share: number }[] };
  seconds: number;
}

export interface HttpBenchOptions {
  /** Measured seconds per route (default 10). */
  durationSeconds?: number;
  /** Concurrent connections (default 10). */
  connections?: number;
  /** Warm-up seconds per route, not measured (default 3). */
  warmupSeconds?: number;
  /** Run the server under `node --cpu-prof` and summarise the POST /what-if run (perturbs the numbers a little). */
  profile?: boolean;
}

const log = (message: string): void => {
  process.stderr.write(`[http bench] ${message}\n`);
};

/** Starts the built service on a fresh SQLite file with the demo and puts each route under load in turn. */
export async function benchHttp(options: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const { durationSeconds = 10, connections = 10, warmupSeconds = 3, profile = false } = options;
  const started = Date.now();
  const loadBefore = loadavg();
  const rebuilt = ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'jiping-http-bench-'));
  let server: RunningServer | undefined;
  try {
    server = await startServer(dir, profile);
    const routes: RouteResult[] = [];
    let whatIfWindow: [number, number] | undefined;
    for (const spec of ROUTES) {
      await checkOnce(server.url, spec);
      log(
        `${spec.route}: ${warmupSeconds} s warm-up, ${durationSeconds} s measured, ` +
          (spec.rate ? `${spec.rate} req/s offered at an even pace` : `${connections} connections`),
      );
      const run = spec.rate === undefined ? load : paced;
      await run(server.url, spec, { connections, durationSeconds: warmupSeconds });
      const startUs = monotonicUs();
      // a paced run's p99 is a handful of slow requests, so it is measured three times and the median run kept
      const runs: RouteResult[] = [];
      for (let i = 0; i < (spec.rate === undefined ? 1 : PACED_RUNS); i++) {
        const measured = await run(server.url, spec, { connections, durationSeconds }, server.process.pid);
        log(
          `  ${Math.round(measured.perSecond)} req/s, p50 ${ms(measured.p50Ms)} ms, p99 ${ms(measured.p99Ms)} ms, ` +
            `non-2xx ${measured.non2xx}, errors ${measured.errors}`,
        );
        runs.push(measured);
      }
      if (spec.route === 'POST /what-if') whatIfWindow = [startUs, monotonicUs()];
      runs.sort((a, b) => a.p99Ms - b.p99Ms);
      const kept = runs[Math.floor(runs.length / 2)];
      routes.push(
        runs.length === 1
          ? kept
          : {
              ...kept,
              what: `${kept.what}; p99 of the ${runs.length} runs ${runs.map((r) => ms(r.p99Ms)).join(' / ')} ms, the median run shown`,
            },
      );
    }
    const evaluationsStored = await countEvaluations(server.url);
    const peakRssBytes = procStatusBytes(server.process.pid, 'VmHWM');
    const profilePath = await server.stop();
    const whatIf = routes.find((r) => r.route === 'POST /what-if')!;
    const atTarget = routes.find((r) => r.offered === WHAT_IF_TARGET.perSecond)!;
    return {
      date: new Date().toISOString(),
      routes,
      connections,
      durationSeconds,
      warmupSeconds,
      server: { node: process.version, startupMs: server.startupMs, peakRssBytes, evaluationsStored, rebuilt },
      whatIf: {
        perSecond: whatIf.perSecond,
        p99Ms: whatIf.p99Ms,
        atTargetPerSecond: atTarget.perSecond,
        atTargetP99Ms: atTarget.p99Ms,
        perSecondMet: whatIf.perSecond >= WHAT_IF_TARGET.perSecond,
        p99Met: atTarget.p99Ms <= WHAT_IF_TARGET.p99Ms && atTarget.perSecond >= WHAT_IF_TARGET.perSecond * 0.98,
      },
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown cpu',
        cores: availableParallelism(),
        loadBefore,
        loadAfter: loadavg(),
      },
      profile:
        profilePath && whatIfWindow
          ? summariseServerProfile(JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile, whatIfWindow, whatIf)
          : undefined,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server

/** Builds dist/apps/api/main.js when it is missing or older than a source it bundles; true when it built. */
function ensureBuilt(): boolean {
  const built = existsSync(SERVER) ? statSync(SERVER).mtimeMs : 0;
  const newer = SOURCES.map((source) => newestMtime(join(ROOT, source))).some((mtime) => mtime > built);
  if (!newer) return false;
  log(`building the service (nest build api): ${built === 0 ? 'no bundle yet' : 'sources changed since the bundle'}`);
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'api'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`nest build api failed:\n${result.stdout}\n${result.stderr}`);
  return true;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

interface RunningServer {
  url: string;
  process: ChildProcess & { pid: number };
  startupMs: number;
  /** Stops the server (SIGTERM: Nest's shutdown hooks close it); the CPU profile's path when profiled. Idempotent. */
  stop: () => Promise<string | undefined>;
}

async function startServer(dir: string, profile: boolean): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DB_TYPE: 'sqlite',
    DB_PATH: join(dir, 'jiping.sqlite'),
    DB_MIGRATIONS_RUN: 'true',
    JIPING_DEMO: 'true',
  };
  delete env.DB_URL;
  delete env.JIPING_BOOTSTRAP_ADMIN_KEY;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=server.cpuprofile'] : [];
  const t0 = Date.now();
  const child = spawn(process.execPath, [...flags, SERVER], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('the server did not start');
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: Promise<string | undefined> | undefined;
  const stop = (): Promise<string | undefined> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      const profilePath = join(dir, 'server.cpuprofile');
      return profile && existsSync(profilePath) ? profilePath : undefined;
    })());
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  log(`server pid ${child.pid} on ${url}, ready in ${Date.now() - t0} ms (demo loaded)`);
  return { url, process: child as ChildProcess & { pid: number }, startupMs: Date.now() - t0, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, died: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (died()) throw new Error('the server exited before answering GET /health');
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not answer GET /health within 60 s');
}

// ---------------------------------------------------------------------------------------------------------------
// The load

interface AutocannonResult {
  duration: number;
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
}
type Autocannon = (options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  timeout: number;
}) => AutocannonRun;
// autocannon ships no types: the part of its API used here, typed above.
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

const headersOf = (spec: RouteSpec): Record<string, string> => ({
  ...(spec.key ? { authorization: `Bearer ${spec.key}` } : {}),
  ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
});

/** One request, checked, before any load: a wrong answer fails the bench rather than being timed. */
async function checkOnce(url: string, spec: RouteSpec): Promise<void> {
  const response = await fetch(url + spec.path, {
    method: spec.method,
    headers: headersOf(spec),
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const wrong = spec.check(response.status, body);
  if (wrong) throw new Error(`${spec.route}: ${wrong}: ${text.slice(0, 500)}`);
}

async function load(
  url: string,
  spec: RouteSpec,
  { connections, durationSeconds }: { connections: number; durationSeconds: number },
  serverPid?: number,
): Promise<RouteResult> {
  const latencies: number[] = [];
  let bytes = 0;
  const cpuBefore = serverPid === undefined ? null : procCpuMs(serverPid);
  const t0 = process.hrtime.bigint();
  const result = await autocannon({
    url: url + spec.path,
    method: spec.method,
    headers: headersOf(spec),
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    connections,
    duration: durationSeconds,
    timeout: 10,
  }).on('response', (_client, status, responseBytes, responseMs) => {
    if (status < 200 || status >= 300) return;
    latencies.push(responseMs);
    bytes += responseBytes;
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpuAfter = serverPid === undefined ? null : procCpuMs(serverPid);
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  const requests = result.requests.total;
  return {
    route: spec.route,
    what: spec.what,
    connections,
    offered: spec.rate ?? null,
    durationSeconds: result.duration,
    requests,
    perSecond: result.requests.average,
    p50Ms: sorted.length ? percentile(sorted, 0.5) : NaN,
    p99Ms: sorted.length ? percentile(sorted, 0.99) : NaN,
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    responseBytes: latencies.length ? bytes / latencies.length : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: cpuMs === null || requests === 0 ? null : cpuMs / requests,
    serverCpuShare: cpuMs === null ? null : cpuMs / wallMs,
  };
}

/**
 * `spec.rate` requests per second at an even pace, offered by bench/paced-client.ts in its own plain-Node process
 * (an open loop; latency from each request's scheduled send time).
 */
async function paced(
  url: string,
  spec: RouteSpec,
  { durationSeconds }: { connections: number; durationSeconds: number },
  serverPid?: number,
): Promise<RouteResult> {
  const options: PacedOptions = {
    url: url + spec.path,
    method: spec.method,
    headers: headersOf(spec),
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    rate: spec.rate!,
    durationSeconds,
  };
  const cpuBefore = serverPid === undefined ? null : procCpuMs(serverPid);
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [plainPacedClient(), JSON.stringify(options)],
      { maxBuffer: 64 * MiB },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
  const cpuAfter = serverPid === undefined ? null : procCpuMs(serverPid);
  const result = JSON.parse(output) as PacedResult;
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const sorted = Float64Array.from(result.latenciesMs).sort();
  const answered = result.latenciesMs.length;
  return {
    route: spec.route,
    what: `${spec.what} (at most ${result.maxInFlight} in flight)`,
    connections: result.maxInFlight,
    offered: options.rate,
    durationSeconds: Math.round(result.wallMs / 10) / 100,
    requests: result.sent,
    perSecond: (answered * 1000) / result.wallMs,
    p50Ms: answered ? percentile(sorted, 0.5) : NaN,
    p99Ms: answered ? percentile(sorted, 0.99) : NaN,
    maxMs: answered ? sorted[answered - 1] : NaN,
    responseBytes: answered ? result.bytes / answered : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: 0,
    serverCpuMsPerRequest: cpuMs === null || result.sent === 0 ? null : cpuMs / result.sent,
    serverCpuShare: cpuMs === null ? null : cpuMs / result.wallMs,
  };
}

/** bench/paced-client.ts as plain JavaScript, to run without ts-node. */
const plainPacedClient = (): string =>
  writePlain(join(__dirname, 'paced-client.ts'), join(PLAIN_DIR, 'paced-client.js'));

async function countEvaluations(url: string): Promise<number> {
  const response = await fetch(url + EVALUATIONS_PATH, { headers: { authorization: `Bearer ${EVALUATOR_KEY}` } });
  const body = (await response.json()) as unknown;
  if (!Array.isArray(body)) throw new Error(`GET ${EVALUATIONS_PATH}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.length;
}

// ---------------------------------------------------------------------------------------------------------------
// /proc (Linux): the server's CPU time and peak RSS

let clockTicks: number | undefined;

/** utime + stime of a process in ms, or null where /proc is not there. */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after "(comm)", which may itself hold spaces: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

function procStatusBytes(pid: number, field: string): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(/(\d+)\s*kB/.exec(line)![1]) * 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server's CPU profile

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

/**
 * Phases of a request, matched on the sampled stack (the first that matches wins). Function names survive the
 * webpack bundle; packages keep their node_modules paths (the bundle leaves them external).
 */
const PHASES: Array<{ phase: string; matches: (frame: Frame) => boolean }> = [
  { phase: 'garbage collection', matches: (f) => f.functionName === '(garbage collector)' },
  {
    phase: 'database (TypeORM, better-sqlite3)',
    matches: (f) => /node_modules\/(typeorm|better-sqlite3)\//.test(f.url),
  },
  {
    phase: 'engine: scoreSubmission (before and after)',
    matches: (f) => /^scoreSubmission(Sync)?$/.test(f.functionName),
  },
  { phase: 'compareReports', matches: (f) => f.functionName === 'compareReports' },
  { phase: 'applyChanges', matches: (f) => f.functionName === 'applyChanges' },
  {
    phase: 'what-if service: the rest (JSON.parse of rows, engineSubmission)',
    matches: (f) => f.functionName === 'scenario',
  },
  {
    phase: 'response: JSON.stringify and the socket write',
    matches: (f) => f.url.includes('node_modules/express/') && ['json', 'send'].includes(f.functionName),
  },
  { phase: 'request body: JSON parse', matches: (f) => f.url.includes('node_modules/body-parser/') },
  {
    phase: 'body validation (class-validator, class-transformer)',
    matches: (f) => /node_modules\/class-(validator|transformer)\//.test(f.url),
  },
  { phase: 'auth guard (API key hash and lookup)', matches: (f) => f.functionName === 'canActivate' },
  {
    phase: 'HTTP: Node, Express and Nest routing',
    matches: (f) => /node_modules\/(express|router|@nestjs)\//.test(f.url) || f.url.startsWith('node:'),
  },
];

function summariseServerProfile(
  profile: CpuProfile,
  [startUs, endUs]: [number, number],
  run: RouteResult,
): NonNullable<HttpBenchResult['profile']> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const phaseUs = new Map<string, number>();
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const us = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    const leaf = byId.get(profile.samples[i])!;
    if (time < startUs || time > endUs || leaf.callFrame.functionName === '(idle)') continue;
    const stack: Frame[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id))
      stack.push(byId.get(id)!.callFrame);
    const phase = PHASES.find((p) => stack.some(p.matches))?.phase ?? 'other';
    phaseUs.set(phase, (phaseUs.get(phase) ?? 0) + us);
    const name = `${leaf.callFrame.functionName || '(anonymous)'} (${shortUrl(leaf.callFrame.url)})`;
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
    totalUs += us;
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return {
    samplesMs: totalUs / 1e3,
    phases: sorted(phaseUs).map(([phase, us]) => ({
      phase,
      share: us / totalUs,
      msPerRequest: us / 1e3 / Math.max(1, run.requests),
    })),
    top: sorted(selfUs)
      .slice(0, 12)
      .map(([name, us]) => ({ name, share: us / totalUs })),
  };
}

function shortUrl(url: string): string {
  if (!url) return 'V8';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  return url.startsWith('file://') || url.startsWith('/') ? relative(ROOT, url.replace(/^file:\/\//, '')) : url;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

// ---------------------------------------------------------------------------------------------------------------
// The section of docs/performance.md

const ms = (value: number): string => (Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;

/** The "## HTTP under load" section of docs/performance.md (markdown, not yet Prettier-formatted). */
export function renderHttpSection(result: HttpBenchResult): string {
  const rows = result.routes.map((r) =>
    [
      `\`${r.route}\``,
      String(r.connections),
      r.offered === null ? 'max' : thousands(r.offered),
      `${r.durationSeconds} s`,
      `**${thousands(r.perSecond)}**`,
      ms(r.p50Ms),
      `**${ms(r.p99Ms)}**`,
      thousands(r.responseBytes),
      String(r.non2xx),
      String(r.errors),
      r.serverCpuMsPerRequest === null ? '—' : ms(r.serverCpuMsPerRequest),
      r.serverCpuShare === null ? '—' : pct(r.serverCpuShare),
    ].join(' | '),
  );
  const [live, whatIf] = [
    result.routes.find((r) => r.route === 'GET /health/live'),
    result.routes.find((r) => r.route === 'POST /what-if'),
  ];
  const { perSecondMet, p99Met } = result.whatIf;
  const verdict = perSecondMet && p99Met ? 'met' : 'not met';
  const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const mib = (bytes: number | null): string => (bytes === null ? '—' : `${Math.round(bytes / 1024 / 1024)} MiB`);
  return `${HEADING}

Generated by \`bench/http.ts\` (\`ts-node -r tsconfig-paths/register --transpile-only bench/http.ts --write\` replaces
this section) on ${result.date}; it took ${Math.round(result.seconds)} s.

Server: the built service, \`node dist/apps/api/main.js\` (${result.server.rebuilt ? 'rebuilt by the bench with' : 'as built by'}
\`nest build api\`), one process, NODE_ENV=production, node ${result.server.node}, on a fresh temporary SQLite file
(better-sqlite3) with the demo loaded at start (${thousands(result.server.startupMs)} ms from spawn to the first 200 from
\`GET /health\`, migrations and demo included). Load: autocannon in the bench's own process — a separate process
and event loop, on the same ${result.machine.cores}-core machine — ${result.connections} connections, keep-alive, each
route warmed up for ${result.warmupSeconds} s and then measured for ${result.durationSeconds} s, one route after the
other. Requests/s is the mean of autocannon's per-second counts; p50/p99 are of the 2xx responses, each timed with
hrtime by autocannon (not its 1 ms histogram). Server CPU is the server process's user + system time over the measured
run (/proc): per request, and as a share of one core (100 % = the server's one thread was never idle, so the route
is CPU-bound in the server).

| route | connections | offered req/s | duration | req/s | p50 ms | p99 ms | bytes/response | non-2xx | errors | server CPU ms/req | server CPU |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((row) => `| ${row} |`).join('\n')}

${result.routes.map((r) => `- \`${r.route}\`: ${r.what}.`).join('\n')}

**Target (the issue): \`POST /what-if\` for one department ≥ ${WHAT_IF_TARGET.perSecond} req/s with p99 ≤
${WHAT_IF_TARGET.p99Ms} ms — ${verdict}**: as fast as it answers, ${thousands(result.whatIf.perSecond)} req/s
(${perSecondMet ? 'met' : 'not met'}); offered ${WHAT_IF_TARGET.perSecond} req/s, it served
${thousands(result.whatIf.atTargetPerSecond)} req/s with p99 ${ms(result.whatIf.atTargetP99Ms)} ms
(${p99Met ? 'met' : 'not met'}). At saturation ${result.connections} requests are always in flight, so each waits for
the others: p99 there is ${ms(result.whatIf.p99Ms)} ms — the latency of a server run flat out, not the one at the
target rate.
${live && whatIf ? frameworkShare(live, whatIf) : ''}

Evaluations stored for gz-kjj 2021 at the end: ${thousands(result.server.evaluationsStored)} (the demo's, one per 201
of the check, warm-up and measured runs). Server peak RSS ${mib(result.server.peakRssBytes)}.
${result.profile ? profileSection(result.profile) : ''}
Machine: ${result.machine.cpu}, ${result.machine.cores} logical cores; load average (1/5/15 min)
${loads(result.machine.loadBefore)} at the start, ${loads(result.machine.loadAfter)} at the end. Other processes
were not controlled for: a load average above the core count means the server and autocannon shared the cores with
them, so these rates are a floor.
`;
}

/** How much of a what-if is the framework: by the server's CPU per request where measured, else by the rates. */
function frameworkShare(live: RouteResult, whatIf: RouteResult): string {
  const cpu = live.serverCpuMsPerRequest !== null && whatIf.serverCpuMsPerRequest !== null;
  const [framework, route] = cpu
    ? [live.serverCpuMsPerRequest!, whatIf.serverCpuMsPerRequest!]
    : [1000 / live.perSecond, 1000 / whatIf.perSecond];
  return (
    `The framework alone (\`GET /health/live\`) serves ${thousands(live.perSecond)} req/s here and costs ` +
    `${ms(framework)} ms of ${cpu ? 'server CPU' : 'time'} a request; a what-if costs ${ms(route)} ms ` +
    `(${pct(framework / route)} of it the framework), and answers ${thousands(whatIf.responseBytes)} bytes.`
  );
}

function profileSection(profile: NonNullable<HttpBenchResult['profile']>): string {
  return `
Where the server's CPU went during the \`POST /what-if\` run (\`--profile\`: the server ran under
\`node --cpu-prof\`, which slows it a little; ${thousands(profile.samplesMs)} ms of samples, idle excluded; each
sample goes to the first phase on its stack):

| phase | share | ms per request |
| --- | ---: | ---: |
${profile.phases.map((p) => `| ${p.phase} | ${pct(p.share)} | ${ms(p.msPerRequest)} |`).join('\n')}

Top self time: ${profile.top.map((t) => `${t.name} ${pct(t.share)}`).join(', ')}.
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const numberArg = (name: string): number | undefined => {
    const arg = args.find((a) => a.startsWith(`--${name}=`));
    return arg === undefined ? undefined : Number(arg.slice(name.length + 3));
  };
  const result = await benchHttp({
    durationSeconds: numberArg('duration'),
    connections: numberArg('connections'),
    warmupSeconds: numberArg('warmup'),
    profile: args.includes('--profile'),
  });
  const options = (await resolveConfig(DOC)) ?? {};
  const formatted = await format(renderHttpSection(result), { ...options, parser: 'markdown' });
  process.stdout.write(formatted);
  if (args.includes('--write')) writeDocSection(HEADING, formatted);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
