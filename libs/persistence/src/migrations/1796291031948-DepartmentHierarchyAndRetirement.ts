import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Departments in bulk (issue 12): a department may name its parent department (parent_code, a department code or
 * null), may be retired (retired_at; kept for history, it takes no new data) with a reason, and remembers when it was
 * last changed (updated_at). Region and parent are indexed: the overview filters by region, lists by parent.
 */
export class DepartmentHierarchyAndRetirement1796291031948 implements MigrationInterface {
  name = 'DepartmentHierarchyAndRetirement1796291031948';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('department', [
      new TableColumn({ name: 'parent_code', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'retired_at', type: 'datetime', isNullable: true }),
      new TableColumn({ name: 'retired_reason', type: 'varchar', length: '500', isNullable: true }),
      new TableColumn({ name: 'updated_at', type: 'datetime', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'department',
      new TableIndex({ name: 'ix_department_region', columnNames: ['region'] }),
    );
    await queryRunner.createIndex(
      'department',
      new TableIndex({ name: 'ix_department_parent', columnNames: ['parent_code'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('department', 'ix_department_parent');
    await queryRunner.dropIndex('department', 'ix_department_region');
    await queryRunner.dropColumns('department', ['updated_at', 'retired_reason', 'retired_at', 'parent_code']);
  }
}
