import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Decimal columns keep every digit on both databases.
 *
 * SQLite gives a column declared DECIMAL numeric affinity and stores 99999999999999999.99 as the REAL
 * 1.0e17 (it read back as 100000000000000000.00): there, submission.budget_total, executed_total and evaluation.total
 * become TEXT-affinity columns (varchar), so the exact decimal string written is the one read back. Existing values
 * are copied as SQLite writes a REAL in text (15 significant digits: every value stored so far reads back the same).
 *
 * evaluation.total was DECIMAL(10,4): MySQL rounded a total shown with more than 4 places (a rule file may ask for
 * up to 10) and refused one of 7 digits or more. It becomes DECIMAL(24,10) on MySQL (and varchar on SQLite).
 */
export class ExactDecimalColumns1796287847884 implements MigrationInterface {
  name = 'ExactDecimalColumns1796287847884';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.changeColumn('evaluation', 'total', decimal('total', 24, 10, false));
      return;
    }
    await queryRunner.changeColumn('submission', 'budget_total', text('budget_total', true));
    await queryRunner.changeColumn('submission', 'executed_total', text('executed_total', true));
    await queryRunner.changeColumn('evaluation', 'total', text('total', false));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.changeColumn('evaluation', 'total', decimal('total', 10, 4, false));
      return;
    }
    await queryRunner.changeColumn('submission', 'budget_total', decimal('budget_total', 20, 2, true));
    await queryRunner.changeColumn('submission', 'executed_total', decimal('executed_total', 20, 2, true));
    await queryRunner.changeColumn('evaluation', 'total', decimal('total', 10, 4, false));
  }
}

/** A decimal kept as its exact text on SQLite (varchar: TEXT affinity, never converted to REAL). */
const text = (name: string, isNullable: boolean): TableColumn =>
  new TableColumn({ name, type: 'varchar', length: '40', isNullable });

const decimal = (name: string, precision: number, scale: number, isNullable: boolean): TableColumn =>
  new TableColumn({ name, type: 'decimal', precision, scale, isNullable });
