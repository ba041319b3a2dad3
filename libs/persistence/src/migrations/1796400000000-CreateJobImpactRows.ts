import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** An impact job's per-department lines (job_impact_row), read a page at a time. SQLite and MySQL. */
export class CreateJobImpactRows1796400000000 implements MigrationInterface {
  name = 'CreateJobImpactRows1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_impact_row',
        columns: [
          { name: 'job_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'department_code', type: 'varchar', length: '64', isPrimary: true },
          { name: 'department_name', type: 'varchar', length: '200' },
          { name: 'before_total', type: 'varchar', length: '40' },
          { name: 'before_grade', type: 'varchar', length: '40' },
          { name: 'after_total', type: 'varchar', length: '40' },
          { name: 'after_grade', type: 'varchar', length: '40' },
          { name: 'delta', type: 'varchar', length: '40' },
          { name: 'delta_order', type: 'bigint' },
          { name: 'detail', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'ix_job_impact_row_delta', columnNames: ['job_id', 'delta_order', 'department_code'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_impact_row');
  }
}
