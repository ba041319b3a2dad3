import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * The year as a workflow: department_year (status, submitted revision, binding targets, the last 退回, the official
 * score copied from the stored reports), year_deadlines, and who approved (批复) a target declaration and when.
 * Written with the QueryRunner API so it runs on SQLite and MySQL alike.
 */
export class CreateDepartmentYearWorkflow1796286156430 implements MigrationInterface {
  name = 'CreateDepartmentYearWorkflow1796286156430';

  async up(queryRunner: QueryRunner): Promise<void> {
    const at = (name: string, isNullable = true) => ({ name, type: 'datetime', precision: 3, isNullable });
    const str = (name: string, length: number, isNullable = true) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'department_year',
        columns: [
          { ...str('department_code', 64, false), isPrimary: true },
          { name: 'fiscal_year', type: 'int', isPrimary: true },
          str('status', 16, false),
          { name: 'approved_target_revision', type: 'int', isNullable: true },
          { name: 'submitted_revision', type: 'int', isNullable: true },
          at('submitted_at'),
          str('submitted_by', 100),
          { name: 'submitted_late', type: 'boolean', default: false },
          { name: 'returned_reason', type: 'text', isNullable: true },
          at('returned_at'),
          str('returned_by', 100),
          str('scored_evaluation_id', 36),
          str('evaluation_id', 36),
          str('self_total', 32),
          str('reviewed_total', 32),
          str('grade', 16),
          at('scored_at'),
          at('reviewed_at'),
          str('reviewed_by', 100),
          at('finalised_at'),
          str('finalised_by', 100),
          at('updated_at', false),
        ],
        indices: [{ name: 'ix_department_year_status', columnNames: ['fiscal_year', 'status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'year_deadlines',
        columns: [
          { name: 'fiscal_year', type: 'int', isPrimary: true },
          at('targets_due'),
          at('submission_due'),
          { name: 'block_late_submissions', type: 'boolean', default: false },
          at('updated_at', false),
          str('updated_by', 100, false),
        ],
      }),
    );
    await queryRunner.addColumns('target_declaration', [
      new TableColumn(at('approved_at')),
      new TableColumn(str('approved_by', 100)),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('target_declaration', 'approved_by');
    await queryRunner.dropColumn('target_declaration', 'approved_at');
    await queryRunner.dropTable('year_deadlines');
    await queryRunner.dropTable('department_year');
  }
}
