import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Jobs that write (a year re-scored, a department list imported): the job's stored input, never shown (an uploaded
 * list's checked rows, who asked), and job_item, one row per step done, written in the step's own transaction so that
 * a job run again after its instance died does no step twice. SQLite and MySQL.
 */
export class JobInputsAndItems1796500000000 implements MigrationInterface {
  name = 'JobInputsAndItems1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const long = queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
    await queryRunner.addColumn('job', new TableColumn({ name: 'input', type: long, isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'job_item',
        columns: [
          { name: 'job_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'item_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'position', type: 'int' },
          { name: 'outcome', type: 'text' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_item');
    await queryRunner.dropColumn('job', 'input');
  }
}
