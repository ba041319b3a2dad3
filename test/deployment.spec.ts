import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SETTING_NAMES, validateEnvironment } from '../config/environment';

/**
 * The deployment files, checked without a Docker engine (none runs on this machine or in CI; hadolint is not
 * available offline either): the Dockerfile's stages, commands and environment, compose.yaml's services, health
 * checks and every variable it sets — validated by the service's own configuration schema — the proxy in front of
 * the two instances, and the README's production section. The image's contents are started for real by
 * test/e2e/production-bundle.e2e-spec.ts.
 */
const ROOT = resolve(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string;
  instructions: Instruction[];
}

/** Dockerfile instructions, continuation lines joined and comments dropped, grouped by stage. */
function dockerfileStages(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  const stages: Stage[] = [];
  for (const line of logical.filter((l) => l.length > 0)) {
    const [, op, args] = /^(\S+)\s+(.*)$/s.exec(line)!;
    if (op.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args.trim())!;
      stages.push({ from, name: name ?? '', instructions: [] });
    } else {
      stages[stages.length - 1].instructions.push({ op: op.toUpperCase(), args: args.replace(/\s+/g, ' ').trim() });
    }
  }
  return stages;
}

/** ENV a=b c=d (or ENV a b) as pairs. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.op === 'ENV')) {
    const pairs = args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S+)/g);
    if (pairs) {
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
      }
    } else {
      const [name, ...value] = args.split(' ');
      env[name] = value.join(' ');
    }
  }
  return env;
}

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} with the values an operator puts in .env. */
function interpolate(value: string, dotEnv: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (dotEnv[name] !== undefined) return dotEnv[name];
    if (kind === '-') return rest ?? '';
    throw new Error(`compose.yaml needs ${name} (${rest ?? 'no default'})`);
  });
}

const NOT_SETTINGS = new Set(['NODE_ENV']);
/** Names the service would ignore (a typo, a setting that does not exist). */
const unknownSettings = (env: Record<string, string>): string[] =>
  Object.keys(env).filter((name) => !NOT_SETTINGS.has(name) && !(SETTING_NAMES as string[]).includes(name));

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const [build, runtime] = stages;
  const runs = (stage: Stage) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);

  it('has a build stage and a small Node 20 runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20(\.\d+)*-(bookworm-slim|alpine)/);
  });

  it('builds the native SQLite module, the bundle, then keeps only the production dependencies', () => {
    const commands = runs(build).join(' && ');
    const order = ['npm ci', 'npm rebuild better-sqlite3', 'npm run build', 'npm prune --omit=dev'].map((command) =>
      commands.indexOf(command),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(commands).toMatch(/apt-get install[^&]*\bpython3\b[^&]*\bmake\b[^&]*\bg\+\+/);
    // the lockfile comes before the sources, so that the dependency layer is cached
    const copies = build.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies[0]).toBe('package.json package-lock.json ./');
    expect(copies[1]).toBe('. .');
    // what `npm run build` builds is what the runtime runs: the API bundle and the console (dist/web), which the
    // API finds beside its bundle (dist/apps/api → ../../web)
    const { scripts } = JSON.parse(read('package.json'));
    expect(scripts.build).toMatch(/nest build api/);
    expect(scripts.build).toMatch(/npm run build:web/);
    expect(read('apps/web/vite.config.ts')).toMatch(/outDir: fileURLToPath\(new URL\('\.\.\/\.\.\/dist\/web'/);
    expect(read('apps/api/src/console/serve-console.ts')).toMatch(/resolve\(__dirname, '\.\.\/\.\.\/web'\)/);
  });

  it('runs as the non-root user node, from the bundle, with a health check', () => {
    const ops = runtime.instructions.map((i) => i.op);
    const copied = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const path of ['/app/node_modules', '/app/dist', '/app/package.json']) {
      expect(copied.some((args) => args.startsWith('--from=build') && args.includes(path))).toBe(true);
    }
    const user = runtime.instructions.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user).toEqual(['node']);
    expect(ops.indexOf('USER')).toBeLessThan(ops.indexOf('CMD'));
    expect(runtime.instructions.find((i) => i.op === 'CMD')!.args).toBe('["node", "dist/apps/api/main.js"]');
    expect(runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!.args).toMatch(/\/health\/live/);
    expect(runtime.instructions.find((i) => i.op === 'EXPOSE')!.args).toBe('3000');
  });

  it('sets only settings the service knows, with values it accepts', () => {
    const env = envOf(runtime);
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    expect(unknownSettings(env)).toEqual([]);
    expect(() => validateEnvironment(env)).not.toThrow();
  });

  it('.dockerignore keeps the modules, the build, local data and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.git', 'node_modules', 'dist', 'data', '.env', '*.sqlite']) expect(ignored).toContain(entry);
    expect(ignored).not.toContain('package-lock.json');
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, Record<string, any>>;
  };
  const services = compose.services;
  const dotEnv = Object.fromEntries(
    read('deploy/env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1) || 'a-long-random-key']),
  );
  const envOf = (service: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(services[service].environment as Record<string, string>).map(([k, v]) => [
        k,
        interpolate(String(v), dotEnv),
      ]),
    );
  const apis = ['api-1', 'api-2'];

  it('runs MariaDB, Redis, two API instances from the Dockerfile and one proxy, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'mariadb', 'proxy', 'redis']);
    for (const [name, service] of Object.entries(services)) {
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
    for (const api of apis) expect(services[api].build).toBe('.');
    expect(services.mariadb.image).toMatch(/^mariadb:/);
    expect(services.redis.image).toMatch(/^redis:/);
    // BullMQ loses jobs on a Redis that evicts keys
    expect(services.redis.command.join(' ')).toMatch(/--maxmemory-policy noeviction/);
  });

  it('gives each API instance a production configuration the service accepts', () => {
    for (const api of apis) {
      const env = envOf(api);
      expect([api, unknownSettings(env)]).toEqual([api, []]);
      const settings = validateEnvironment(env);
      expect(settings).toMatchObject({
        DB_TYPE: 'mysql',
        JIPING_DEMO: 'false',
        HOST: '0.0.0.0',
        PORT: 3000,
        TRUST_PROXY: '1',
      });
      expect(settings.JIPING_BOOTSTRAP_ADMIN_KEY).toBeTruthy();
      // the database and the queue are the compose services, with the user and database MariaDB creates
      const db = new URL(settings.DB_URL!);
      const mariadb = envOf('mariadb');
      expect([db.hostname, db.port, db.username, db.password, db.pathname.slice(1)]).toEqual([
        'mariadb',
        '3306',
        mariadb.MARIADB_USER,
        mariadb.MARIADB_PASSWORD,
        mariadb.MARIADB_DATABASE,
      ]);
      expect(new URL(settings.REDIS_URL!).hostname).toBe('redis');
      expect(services[api].healthcheck.test.join(' ')).toMatch(/\/health\/ready/);
    }
  });

  it('migrates from one instance only; the other starts once it is healthy', () => {
    expect(apis.map((api) => envOf(api).DB_MIGRATIONS_RUN)).toEqual(['true', 'false']);
    expect(services['api-2'].depends_on['api-1']).toEqual({ condition: 'service_healthy' });
    expect(services['api-1'].depends_on).toEqual({
      mariadb: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('puts the two instances behind one address', () => {
    const proxy = services.proxy;
    const [mount] = proxy.volumes as string[];
    expect(mount).toMatch(/^\.\/deploy\/nginx\.conf:/);
    const conf = read('deploy/nginx.conf');
    const port = envOf('api-1').PORT;
    expect(conf.match(/server (api-\d):(\d+)/g)).toEqual(apis.map((api) => `server ${api}:${port}`));
    expect(interpolate(proxy.ports[0], dotEnv)).toBe('8080:8080');
    expect(conf).toMatch(/listen 8080;/);
    expect(conf).toMatch(/proxy_buffering off;/); // the impact stream
  });
});

describe('README production section', () => {
  const readme = read('README.md');

  it('says how to run it with compose and how the image was verified', () => {
    expect(readme).toMatch(/docker compose up/);
    expect(readme).toMatch(/production-bundle\.e2e-spec\.ts/);
    expect(readme).toMatch(/deployment\.spec\.ts/);
  });

  it('documents every setting', () => {
    const missing = SETTING_NAMES.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
