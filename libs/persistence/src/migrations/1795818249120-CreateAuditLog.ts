import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * The audit log (who did what, when and why), and the adjustments (复核) an evaluation was re-scored with. Written
 * with the QueryRunner API so it runs on SQLite and MySQL alike.
 */
export class CreateAuditLog1795818249120 implements MigrationInterface {
  name = 'CreateAuditLog1795818249120';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: 'datetime', precision: 3 },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'actor_key_id', type: 'varchar', length: '36' },
          { name: 'actor_role', type: 'varchar', length: '16' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'entity_type', type: 'varchar', length: '32' },
          { name: 'entity_id', type: 'varchar', length: '160' },
          { name: 'department_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'fiscal_year', type: 'int', isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'details', type: 'text' },
        ],
        indices: [
          { name: 'ix_audit_log_at', columnNames: ['at'] },
          { name: 'ix_audit_log_entity', columnNames: ['entity_type', 'entity_id'] },
        ],
      }),
    );
    // The full list of adjustments an adjusted evaluation was scored with (JSON), null for an official scoring.
    await queryRunner.addColumn('evaluation', new TableColumn({ name: 'adjustments', type: json, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('evaluation', 'adjustments');
    await queryRunner.dropTable('audit_log');
  }
}
