/**
 * The bureau-wide overview under a realistic size: GET /years/2021/overview (and its 汇总表 downloads) over the demo
 * department plus N generated departments (test/support/generated-years.ts: ties, unscored, adjusted and late ones),
 * through HTTP on the whole application, on a fresh SQLite file and, when it answers, on the MariaDB of this machine.
 * Sequential requests from one client after a warm-up; wall-clock latency as the client sees it. Not run by
 * `npm run bench`, whose sections it leaves alone.
 *
 *   ts-node -r tsconfig-paths/register --transpile-only bench/overview.ts            # print the section
 *   ts-node -r tsconfig-paths/register --transpile-only bench/overview.ts --write    # and replace it in docs/performance.md
 *   … --count 5000 --runs 30
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { format, resolveConfig } from 'prettier';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { AppModule } from '../apps/api/src/app.module';
import { setupApp } from '../apps/api/src/setup-app';
import { insertGeneratedYears } from '../test/support/generated-years';
import { median, percentile, ROOT, writeDocSection } from './common';

const HEADING = '## Year overview';
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNT = arg('count', 1000);
const RUNS = arg('runs', 30);
const WRITE = process.argv.includes('--write');
const MYSQL = process.env.JIPING_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

const REQUESTS: Array<[string, string]> = [
  ['first page (50, by rank)', '/years/2021/overview'],
  ['page of 500, sorted by -total', '/years/2021/overview?limit=500&sort=-total'],
  ['filtered (region, grade), page 2', '/years/2021/overview?region=深圳市&grade=优&offset=50'],
  ['汇总表 .xlsx (every department)', '/years/2021/overview.xlsx'],
  ['汇总表 .csv (every department)', '/years/2021/overview.csv'],
];

interface Row {
  database: string;
  request: string;
  medianMs: number;
  p95Ms: number;
  bytes: number;
}

async function database(kind: 'sqlite' | 'mysql'): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiping-bench-overview-'));
    return {
      env: { DB_TYPE: 'sqlite', DB_PATH: join(dir, 'jiping.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `jiping_bench_${randomBytes(4).toString('hex')}`;
  const connection = await createConnection({ uri: MYSQL, connectTimeout: 5000 });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return {
    env: { DB_TYPE: 'mysql', DB_URL: `${MYSQL}/${name}` },
    drop: async () => {
      const c = await createConnection({ uri: MYSQL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

async function measure(kind: 'sqlite' | 'mysql'): Promise<Row[]> {
  const db = await database(kind);
  const env = validateEnvironment({
    ...db.env,
    JIPING_DEMO: 'true',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_ADDRESS: '1000000',
    RATE_LIMIT_PER_KEY: '1000000',
    RATE_LIMIT_EXPENSIVE: '1000000',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const rows: Row[] = [];
  try {
    await insertGeneratedYears(app.get(DataSource), COUNT, 2021);
    for (const [request, path] of REQUESTS) {
      const get = async (): Promise<number> => {
        const res = await fetch(base + encodeURI(path), { headers: { Authorization: 'Bearer demo-evaluator-key' } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.arrayBuffer()).byteLength;
      };
      for (let i = 0; i < 5; i += 1) await get();
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        bytes = await get();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      rows.push({ database: kind, request, medianMs: median(times), p95Ms: percentile(times, 95), bytes });
      process.stderr.write(`[bench] ${kind} ${request}: median ${median(times).toFixed(1)} ms\n`);
    }
  } finally {
    await app.close();
    await db.drop();
  }
  return rows;
}

async function main(): Promise<void> {
  const rows = await measure('sqlite');
  let mysqlNote = '';
  try {
    rows.push(...(await measure('mysql')));
  } catch (error) {
    mysqlNote = `MariaDB was not measured: ${(error as Error).message}.`;
  }
  const table = [
    '| database | request | median ms | p95 ms | body |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.database === 'mysql' ? 'MariaDB' : 'SQLite'} | ${r.request} | ${r.medianMs.toFixed(1)} | ` +
        `${r.p95Ms.toFixed(1)} | ${(r.bytes / 1024).toFixed(0)} KiB |`,
    ),
  ].join('\n');
  const section = `${HEADING}

Generated by \`bench/overview.ts\` (\`ts-node -r tsconfig-paths/register --transpile-only bench/overview.ts --write\`
replaces this section; \`npm run bench\` does not run it). Measured ${new Date().toISOString().slice(0, 10)} on
${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} shared with other work (load average ${loadavg()[0].toFixed(1)}).

What it measures: \`GET /years/2021/overview\` and the 汇总表 downloads as an evaluator's client sees them (HTTP on
127.0.0.1, the whole application: key check, two queries — the departments and the year's rows — then ranking,
statistics, sorting and paging in memory with decimal.js), over the demo department and ${COUNT} generated
departments (\`test/support/generated-years.ts\`: 400 distinct totals, so many ties; every tenth not scored; every
fiftieth adjusted; every seventh late). ${RUNS} sequential requests each after 5 warm-up ones. The brief asks for
under a second for 1,000 departments.

${table}
${mysqlNote ? `\n${mysqlNote}\n` : ''}
Where the time goes: every request reads the whole year (the ranks and the statistics need every total), so it grows
with the number of departments, not with the page size; the downloads add rendering (exceljs) of every row.
`;
  const formatted = await format(section, {
    ...(await resolveConfig(join(ROOT, 'docs', 'performance.md'))),
    parser: 'markdown',
  });
  process.stdout.write(formatted);
  if (WRITE) writeDocSection(HEADING, formatted.trimEnd() + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
