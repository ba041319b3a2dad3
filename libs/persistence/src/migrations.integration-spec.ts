import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type DatabaseSettings, MIGRATIONS } from './data-source-options';
import { SubmissionEntity } from './entities/submission.entity';
import { AuditLogEntity } from './entities/audit-log.entity';
import { EvaluationEntity } from './entities/evaluation.entity';

const MYSQL_SERVER = process.env.JIPING_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

async function mysqlSettings(): Promise<{ settings: DatabaseSettings; drop: () => Promise<void> } | undefined> {
  const name = `jiping_it_${randomUUID().slice(0, 8)}`;
  try {
    const c = await createConnection({ uri: MYSQL_SERVER, connectTimeout: 5000 });
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.end();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`MySQL unreachable (${(error as Error).message}); skipping (CI=true fails instead)`);
    return undefined;
  }
  return {
    settings: { DB_TYPE: 'mysql', DB_URL: `${MYSQL_SERVER}/${name}`, DB_PATH: '', DB_MIGRATIONS_RUN: 'false' },
    drop: async () => {
      const c = await createConnection({ uri: MYSQL_SERVER });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

jest.setTimeout(30_000);

describe.each([
  [
    'sqlite',
    async () => ({
      settings: { DB_TYPE: 'sqlite', DB_PATH: ':memory:', DB_MIGRATIONS_RUN: 'false' } as DatabaseSettings,
      drop: async () => undefined,
    }),
  ],
  ['mysql', mysqlSettings],
])('migrations on %s', (_kind, make) => {
  let target: Awaited<ReturnType<typeof make>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    target = await make();
    if (target) dataSource = await new DataSource(buildDataSourceOptions(target.settings)).initialize();
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await target?.drop();
  });

  it('run up, down and up again, leaving every table', async () => {
    if (!target) return;
    await dataSource.runMigrations();
    const core = ['rule_set', 'department', 'target_declaration', 'submission', 'evaluation', 'api_key'];
    const workflow = ['department_year', 'year_deadlines'];
    const tables = [...core, 'audit_log'];
    const runner = dataSource.createQueryRunner();
    try {
      for (const table of [...tables, ...workflow]) expect(await runner.hasTable(table)).toBe(true);
      expect(await runner.hasColumn('evaluation', 'adjustments')).toBe(true);
      expect(await runner.hasTable('app_user')).toBe(true);
      expect(await runner.hasColumn('api_key', 'role')).toBe(false);
      expect(await runner.hasTable('job')).toBe(true);
      expect(await runner.hasTable('job_impact_row')).toBe(true);
      expect(await runner.hasTable('job_item')).toBe(true);
      expect(await runner.hasColumn('job', 'input')).toBe(true);
      expect(await runner.hasColumn('job', 'progress_prepared')).toBe(true);
      await dataSource.undoLastMigration(); // JobProgressPrepared
      expect(await runner.hasColumn('job', 'progress_prepared')).toBe(false);
      await dataSource.undoLastMigration(); // JobInputsAndItems
      expect(await runner.hasTable('job_item')).toBe(false);
      expect(await runner.hasColumn('job', 'input')).toBe(false);
      await dataSource.undoLastMigration(); // CreateJobImpactRows
      expect(await runner.hasTable('job_impact_row')).toBe(false);
      expect(await runner.hasTable('job')).toBe(true);
      await dataSource.undoLastMigration(); // CreateJobs
      expect(await runner.hasTable('job')).toBe(false);
      await dataSource.undoLastMigration(); // UsersAndNamedKeys
      expect(await runner.hasTable('app_user')).toBe(false);
      expect(await runner.hasColumn('api_key', 'role')).toBe(true);
      expect(await runner.hasColumn('api_key', 'user_id')).toBe(false);
      expect(await runner.hasColumn('audit_log', 'actor_user_id')).toBe(false);
      expect(await runner.hasColumn('department', 'retired_at')).toBe(true);
      await dataSource.undoLastMigration(); // DepartmentHierarchyAndRetirement
      expect(await runner.hasColumn('department', 'parent_code')).toBe(false);
      expect(await runner.hasColumn('department', 'retired_at')).toBe(false);
      expect(await runner.hasColumn('department', 'region')).toBe(true);
      await dataSource.undoLastMigration(); // ExactDecimalColumns
      expect(await runner.hasTable('audit_log')).toBe(true);
      expect(await runner.hasColumn('target_declaration', 'approved_at')).toBe(true);
      await dataSource.undoLastMigration(); // CreateDepartmentYearWorkflow
      for (const table of workflow) expect(await runner.hasTable(table)).toBe(false);
      expect(await runner.hasColumn('target_declaration', 'approved_at')).toBe(false);
      for (const table of tables) expect(await runner.hasTable(table)).toBe(true);
      await dataSource.undoLastMigration(); // CreateAuditLog
      expect(await runner.hasTable('audit_log')).toBe(false);
      expect(await runner.hasColumn('evaluation', 'adjustments')).toBe(false);
      for (const table of core) expect(await runner.hasTable(table)).toBe(true);
      await dataSource.undoLastMigration(); // CreateCoreTables
      for (const table of tables) expect(await runner.hasTable(table)).toBe(false);
    } finally {
      await runner.release();
    }
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('turns every existing key into a user (the demo keys into the demo people), and back', async () => {
    if (!target) return;
    const runner = dataSource.createQueryRunner();
    try {
      await dataSource.undoLastMigration(); // JobProgressPrepared
      await dataSource.undoLastMigration(); // JobInputsAndItems
      await dataSource.undoLastMigration(); // CreateJobImpactRows
      await dataSource.undoLastMigration(); // CreateJobs
      await dataSource.undoLastMigration(); // UsersAndNamedKeys: keys with a role and department, as before
      const insert = (id: string, name: string, role: string, department: string | null, hash: string) =>
        runner.query(
          'INSERT INTO api_key (id, name, role, department_code, key_hash, key_prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [id, name, role, department, hash, 'jp_abcd', '2022-01-01 00:00:00', 'bootstrap'],
        );
      const demoHash = createHash('sha256').update('demo-gz-kjj-key').digest('hex');
      await insert('k1', '科技局填报账号', 'department', 'gz-kjj', 'a'.repeat(64));
      await insert('k2', '科技局填报账号', 'department', 'gz-kjj', 'b'.repeat(64));
      await insert('k3', '评审专家', 'evaluator', null, 'c'.repeat(64));
      await insert('k4', 'demo 广州市科学技术局', 'department', 'gz-kjj', demoHash);
      await dataSource.runMigrations();
      const users = await runner.query(
        'SELECT u.name, u.role, u.department_code, k.id AS key_id FROM api_key k JOIN app_user u ON u.id = k.user_id ORDER BY k.id',
      );
      expect(users).toEqual([
        { name: '科技局填报账号', role: 'department', department_code: 'gz-kjj', key_id: 'k1' },
        { name: '科技局填报账号', role: 'department', department_code: 'gz-kjj', key_id: 'k2' },
        { name: '评审专家', role: 'evaluator', department_code: null, key_id: 'k3' },
        { name: '刘洋', role: 'department', department_code: 'gz-kjj', key_id: 'k4' },
      ]);
      // The two keys of the same name, role and department share one user.
      expect(Number((await runner.query('SELECT COUNT(*) AS n FROM app_user'))[0].n)).toBe(3);
      await dataSource.undoLastMigration(); // JobProgressPrepared
      await dataSource.undoLastMigration(); // JobInputsAndItems
      await dataSource.undoLastMigration(); // CreateJobImpactRows
      await dataSource.undoLastMigration(); // CreateJobs
      await dataSource.undoLastMigration(); // UsersAndNamedKeys
      expect(
        await runner.query("SELECT role, department_code FROM api_key WHERE id IN ('k3', 'k4') ORDER BY id"),
      ).toEqual([
        { role: 'evaluator', department_code: null },
        { role: 'department', department_code: 'gz-kjj' },
      ]);
      await runner.query('DELETE FROM api_key');
      await dataSource.runMigrations();
    } finally {
      await runner.release();
    }
  });

  it('stores money and scores as DECIMAL and reads them back exactly', async () => {
    if (!target) return;
    const submissions = dataSource.getRepository(SubmissionEntity);
    const id = randomUUID();
    await submissions.save({
      id,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      revision: 1,
      ruleSetRowId: randomUUID(),
      targetRevision: 1,
      budgetTotal: '5683388811.03',
      executedTotal: '5115068546.17',
      content: '{}',
      createdBy: 'test',
      createdAt: new Date(),
    });
    const back = await submissions.findOneByOrFail({ id });
    expect([back.budgetTotal, back.executedTotal]).toEqual(['5683388811.03', '5115068546.17']);
    // the largest DECIMAL(20,2) reads back exactly (SQLite used to keep it as the REAL 1.0e17)
    await submissions.update({ id }, { budgetTotal: '99999999999999999.99', executedTotal: '-0.01' });
    const largest = await submissions.findOneByOrFail({ id });
    expect([largest.budgetTotal, largest.executedTotal]).toEqual(['99999999999999999.99', '-0.01']);

    const evaluations = dataSource.getRepository(EvaluationEntity);
    const evaluationId = randomUUID();
    await evaluations.save({
      id: evaluationId,
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      sequence: 1,
      submissionRevision: 1,
      targetRevision: 1,
      ruleSetRowId: randomUUID(),
      ruleSetId: 'guangzhou-department-overall',
      ruleSetVersionNo: 1,
      ruleSetChecksum: 'x'.repeat(64),
      engineVersion: '0.1.0',
      total: '94.622',
      grade: '优',
      adjustedFrom: null,
      report: '{}',
      createdBy: 'test',
      createdAt: new Date(),
    });
    expect((await evaluations.findOneByOrFail({ id: evaluationId })).total).toBe('94.622');
    // a total with the 10 places a rule file may ask for, and 14 digits before the point
    await evaluations.update({ id: evaluationId }, { total: '12345678901234.0123456789' });
    expect((await evaluations.findOneByOrFail({ id: evaluationId })).total).toBe('12345678901234.0123456789');
  });

  it('keeps an audit entry’s time to the millisecond', async () => {
    if (!target) return;
    const entries = dataSource.getRepository(AuditLogEntity);
    const at = new Date('2022-03-31T08:00:00.123Z');
    const id = randomUUID();
    await entries.insert({
      id,
      at,
      actor: '评审专家',
      actorKeyId: randomUUID(),
      actorUserId: randomUUID(),
      actorRole: 'evaluator',
      action: 'evaluation.adjusted',
      entityType: 'evaluation',
      entityId: randomUUID(),
      departmentCode: 'gz-kjj',
      fiscalYear: 2021,
      reason: '复核：已开展事前绩效评估',
      details: '{"total":"95.622"}',
    });
    const back = await entries.findOneByOrFail({ id });
    expect([back.at.toISOString(), back.reason, back.details]).toEqual([
      '2022-03-31T08:00:00.123Z',
      '复核：已开展事前绩效评估',
      '{"total":"95.622"}',
    ]);
  });

  it('declares money and score columns DECIMAL on MySQL, exact text on SQLite, never FLOAT, DOUBLE or REAL', async () => {
    if (!target) return;
    const runner = dataSource.createQueryRunner();
    try {
      const submission = await runner.getTable('submission');
      const evaluation = await runner.getTable('evaluation');
      const columns = [
        submission!.findColumnByName('budget_total')!,
        submission!.findColumnByName('executed_total')!,
        evaluation!.findColumnByName('total')!,
      ];
      const expected = _kind === 'mysql' ? 'decimal' : 'varchar';
      for (const column of columns) expect(column.type.toLowerCase()).toBe(expected);
      if (_kind === 'mysql') expect([columns[2].precision, columns[2].scale]).toEqual([24, 10]);
    } finally {
      await runner.release();
    }
  });
});

describe('the SQLite file', () => {
  it('keeps the decimals stored before ExactDecimalColumns when it converts their columns to text', async () => {
    const dataSource = await new DataSource(
      buildDataSourceOptions({ DB_TYPE: 'sqlite', DB_PATH: ':memory:', DB_MIGRATIONS_RUN: 'false' }),
    ).initialize();
    try {
      await dataSource.runMigrations();
      // back to the schema before ExactDecimalColumns (and the migrations after it)
      while (
        (await dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1'))[0].name !==
        'ExactDecimalColumns1796287847884'
      ) {
        await dataSource.undoLastMigration();
      }
      await dataSource.undoLastMigration();
      await dataSource.query(
        `INSERT INTO submission (id, department_code, fiscal_year, revision, rule_set_row_id, budget_total,
           executed_total, content, created_by, created_at) VALUES ('s', 'gz-kjj', 2021, 1, 'r', 5683388811.03, 100, '{}', 't', '2022-01-01')`,
      );
      expect(await dataSource.query('SELECT typeof(budget_total) AS t FROM submission')).toEqual([{ t: 'real' }]);
      await dataSource.runMigrations();
      const back = await dataSource.getRepository(SubmissionEntity).findOneByOrFail({ id: 's' });
      expect([back.budgetTotal, back.executedTotal]).toEqual(['5683388811.03', '100']);
      expect(await dataSource.query('SELECT typeof(budget_total) AS t FROM submission')).toEqual([{ t: 'text' }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('is journaled with WAL and syncs every commit (synchronous = FULL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiping-wal-'));
    const dataSource = await new DataSource(
      buildDataSourceOptions({ DB_TYPE: 'sqlite', DB_PATH: join(dir, 'wal.sqlite'), DB_MIGRATIONS_RUN: 'false' }),
    ).initialize();
    try {
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    } finally {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run migration:run and migration:revert (the README's commands)", () => {
  it('migrate a fresh SQLite file up and revert its last migration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiping-migration-cli-'));
    const run = (script: string) =>
      spawnSync('npm', ['run', '--silent', script], {
        cwd: join(__dirname, '..', '..', '..'),
        env: { ...process.env, DB_TYPE: 'sqlite', DB_PATH: join(dir, 'cli.sqlite') },
        encoding: 'utf8',
      });
    try {
      const up = run('migration:run');
      expect({ status: up.status, stderr: up.stderr }).toEqual({ status: 0, stderr: '' });
      expect(up.stdout).toContain('Migration CreateAuditLog1795818249120 has been executed successfully.');
      expect(up.stdout).toContain('Migration ExactDecimalColumns1796287847884 has been executed successfully.');
      const down = run('migration:revert');
      expect(down.status).toBe(0);
      const last = MIGRATIONS.map((m) => m.name)
        .sort((a, b) => Number(a.slice(-13)) - Number(b.slice(-13)))
        .at(-1);
      expect(down.stdout).toContain(`Migration ${last} has been reverted successfully.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
