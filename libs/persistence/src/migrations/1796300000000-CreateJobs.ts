import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** Long jobs (impact over every department, …) stored so that any instance can answer for them. SQLite and MySQL. */
export class CreateJobs1796300000000 implements MigrationInterface {
  name = 'CreateJobs1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
    await queryRunner.createTable(
      new Table({
        name: 'job',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'params', type: 'text' },
          { name: 'progress_done', type: 'int', default: 0 },
          { name: 'progress_total', type: 'int', isNullable: true },
          { name: 'result', type: json, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'cancel_requested', type: 'boolean', default: false },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'worker', type: 'varchar', length: '120', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '100' },
          { name: 'created_by_user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'started_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'finished_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          { name: 'ix_job_created_at', columnNames: ['created_at'] },
          { name: 'ix_job_status', columnNames: ['status'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job');
  }
}
