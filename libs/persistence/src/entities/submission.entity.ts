import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalStringTransformer } from '../decimal.transformer';

/** One append-only revision of a department's year-end data; never overwritten. */
@Entity('submission')
@Index(['departmentCode', 'fiscalYear', 'revision'], { unique: true })
export class SubmissionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) departmentCode!: string;
  @Column({ type: 'int' }) fiscalYear!: number;
  @Column({ type: 'int' }) revision!: number;
  /** The rule set (row id) and target revision the data was validated with. */
  @Column({ type: 'varchar', length: 36 }) ruleSetRowId!: string;
  @Column({ type: 'int', nullable: true }) targetRevision!: number | null;
  /** 全年预算数 / 全年执行数 of the budget header, when given (DECIMAL, never float). */
  @Column({ type: 'decimal', precision: 20, scale: 2, nullable: true, transformer: decimalStringTransformer })
  budgetTotal!: string | null;
  @Column({ type: 'decimal', precision: 20, scale: 2, nullable: true, transformer: decimalStringTransformer })
  executedTotal!: string | null;
  /** The submission as accepted, whole, as JSON text. */
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 64 }) createdBy!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
}
