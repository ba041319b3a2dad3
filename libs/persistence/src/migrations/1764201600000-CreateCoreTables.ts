import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The first schema: rule sets, departments, declared targets, submissions, evaluations, API keys. Written with the
 * QueryRunner API so it runs on SQLite and MySQL alike. JSON documents are stored whole (LONGTEXT on MySQL: a rule
 * file may be 1 MiB); money and scores are DECIMAL, never FLOAT/DOUBLE.
 */
export class CreateCoreTables1764201600000 implements MigrationInterface {
  name = 'CreateCoreTables1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
    const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: name === 'id' });
    const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'int', isNullable });
    const at = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable });
    const doc = (name: string): TableColumnOptions => ({ name, type: json });
    const money = (name: string): TableColumnOptions => ({
      name,
      type: 'decimal',
      precision: 20,
      scale: 2,
      isNullable: true,
    });

    await queryRunner.createTable(
      new Table({
        name: 'rule_set',
        columns: [
          id(),
          str('rule_set_id', 64),
          int('fiscal_year'),
          int('version_no'),
          str('file_version', 32),
          str('title', 200),
          str('status', 16),
          str('checksum', 64),
          doc('content'),
          str('created_by', 64),
          at('created_at'),
          str('published_by', 64, true),
          at('published_at', true),
        ],
        indices: [
          { name: 'uq_rule_set_version', columnNames: ['rule_set_id', 'fiscal_year', 'version_no'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'department',
        columns: [{ ...str('code', 64), isPrimary: true }, str('name', 200), str('region', 100), at('created_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'target_declaration',
        columns: [
          id(),
          str('department_code', 64),
          int('fiscal_year'),
          int('revision'),
          id('rule_set_row_id'),
          doc('content'),
          str('created_by', 64),
          at('created_at'),
        ],
        indices: [
          { name: 'uq_target_revision', columnNames: ['department_code', 'fiscal_year', 'revision'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'submission',
        columns: [
          id(),
          str('department_code', 64),
          int('fiscal_year'),
          int('revision'),
          id('rule_set_row_id'),
          int('target_revision', true),
          money('budget_total'),
          money('executed_total'),
          doc('content'),
          str('created_by', 64),
          at('created_at'),
        ],
        indices: [
          {
            name: 'uq_submission_revision',
            columnNames: ['department_code', 'fiscal_year', 'revision'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'evaluation',
        columns: [
          id(),
          str('department_code', 64),
          int('fiscal_year'),
          int('sequence'),
          int('submission_revision'),
          int('target_revision', true),
          id('rule_set_row_id'),
          str('rule_set_id', 64),
          int('rule_set_version_no'),
          str('rule_set_checksum', 64),
          str('engine_version', 32),
          { name: 'total', type: 'decimal', precision: 10, scale: 4 },
          str('grade', 16),
          { ...id('adjusted_from'), isNullable: true },
          doc('report'),
          str('created_by', 64),
          at('created_at'),
        ],
        indices: [
          {
            name: 'uq_evaluation_sequence',
            columnNames: ['department_code', 'fiscal_year', 'sequence'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_key',
        columns: [
          id(),
          str('name', 100),
          str('role', 16),
          str('department_code', 64, true),
          str('key_hash', 64),
          str('key_prefix', 12),
          at('created_at'),
          str('created_by', 64, true),
        ],
        indices: [{ name: 'uq_api_key_hash', columnNames: ['key_hash'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['api_key', 'evaluation', 'submission', 'target_declaration', 'department', 'rule_set']) {
      await queryRunner.dropTable(table);
    }
  }
}
