import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * A job's first phase counted apart from its last (job.progress_prepared): an impact's departments read while the
 * scoring workers start, an import's rows checked before they are stored. Null for a job of one phase. SQLite and
 * MySQL.
 */
export class JobProgressPrepared1796600000000 implements MigrationInterface {
  name = 'JobProgressPrepared1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('job', new TableColumn({ name: 'progress_prepared', type: 'int', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('job', 'progress_prepared');
  }
}
