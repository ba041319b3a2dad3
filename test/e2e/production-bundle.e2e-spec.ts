import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What the Dockerfile's runtime stage holds, assembled here without Docker (no engine runs on this machine): the
 * webpack build of the API (`nest build api`, as `npm run build` makes it), package.json and the production
 * dependencies only (`npm ci --omit=dev`, as `npm prune --omit=dev` leaves them; the native SQLite module copied
 * from this checkout's build, as the image's build stage compiles it) in an empty folder. Started as the image
 * starts it (`node dist/apps/api/main.js`, NODE_ENV=production), it answers /health/live and /health/ready, takes a
 * key and checks and stores a rule file: nothing it needs is a dev dependency or a file outside dist/.
 */
jest.setTimeout(900_000);

const ROOT = resolve(__dirname, '../..');
const KEY = 'bundle-admin-key';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

describe('The production bundle (the Dockerfile’s runtime stage)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let url: string;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiping-bundle-'));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'api'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(dir, file));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(dir, 'node_modules/better-sqlite3/build'), {
      recursive: true,
    });
    mkdirSync(join(dir, 'dist/apps'), { recursive: true });
    cpSync(join(ROOT, 'dist/apps/api'), join(dir, 'dist/apps/api'), { recursive: true });

    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/apps/api/main.js'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DB_TYPE: 'sqlite',
        DB_PATH: join(dir, 'data/jiping.sqlite'),
        JIPING_DEMO: 'false',
        JIPING_BOOTSTRAP_ADMIN_KEY: KEY,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 120_000;
    while (child.exitCode === null && Date.now() < deadline) {
      if ((await fetch(`${url}/health/live`).catch(() => undefined))?.ok) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`the bundle did not start:\n${output}`);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child!.on('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the production dependencies and none of the build and test tools', () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(dependencies).filter((name) => !existsSync(join(dir, 'node_modules', name)))).toEqual([]);
    // (typescript and ts-node may stay: a production package names them as peers)
    const tools = ['jest', 'ts-jest', '@nestjs/cli', 'eslint', 'prettier', 'supertest', 'fast-check', 'webpack'];
    expect(tools.filter((name) => existsSync(join(dir, 'node_modules', name)))).toEqual([]);
  });

  it('answers /health/live and /health/ready, takes a key and stores a rule file', async () => {
    expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const auth = { Authorization: `Bearer ${KEY}` };
    const session = await fetch(`${url}/session`, { headers: auth });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ role: 'admin' });
    const upload = await fetch(`${url}/rule-sets`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json')),
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ ref: 'guangzhou-department-overall:2021:1', status: 'draft' });
    expect(output).not.toMatch(/Error|Cannot find module/);
  });
});
