import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { decimalStringTransformer } from '../decimal.transformer';

/** An official scoring, pinned to the exact rule-set version, checksum and engine version; never edited. */
@Entity('evaluation')
@Index(['departmentCode', 'fiscalYear', 'sequence'], { unique: true })
export class EvaluationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) departmentCode!: string;
  @Column({ type: 'int' }) fiscalYear!: number;
  /** Per (department, year): 1, 2, 3… in the order evaluations were made. */
  @Column({ type: 'int' }) sequence!: number;
  @Column({ type: 'int' }) submissionRevision!: number;
  @Column({ type: 'int', nullable: true }) targetRevision!: number | null;
  @Column({ type: 'varchar', length: 36 }) ruleSetRowId!: string;
  @Column({ type: 'varchar', length: 64 }) ruleSetId!: string;
  @Column({ type: 'int' }) ruleSetVersionNo!: number;
  @Column({ type: 'varchar', length: 64 }) ruleSetChecksum!: string;
  @Column({ type: 'varchar', length: 32 }) engineVersion!: string;
  /** DECIMAL(24,10) on MySQL, the exact text on SQLite (migration ExactDecimalColumns). */
  @Column({ type: 'decimal', precision: 24, scale: 10, transformer: decimalStringTransformer }) total!: string;
  @Column({ type: 'varchar', length: 16 }) grade!: string;
  /** The evaluation this one re-scores with evaluator adjustments (复核), if any. */
  @Column({ type: 'varchar', length: 36, nullable: true }) adjustedFrom!: string | null;
  /** The adjustments (复核) applied, in order, as JSON text: [{ pointer, value, reason }]; null for an official scoring. */
  @Column({ type: 'text', nullable: true }) adjustments!: string | null;
  /** The ScoreReport, whole, as JSON text. */
  @Column({ type: 'text' }) report!: string;
  @Column({ type: 'varchar', length: 64 }) createdBy!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
}
