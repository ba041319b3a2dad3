import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One department's line of an impact job's result: its total and grade under the version in force (before) and the
 * candidate (after), and the change. Kept in its own table, not in the job's result, so that a run over 10,000
 * departments is read a page at a time, sorted by the change (the biggest movers) or filtered by a grade transition.
 * Written by the worker as it goes; a run taken over starts again from no rows.
 */
@Entity('job_impact_row')
@Index('ix_job_impact_row_delta', ['jobId', 'deltaOrder', 'departmentCode'])
export class JobImpactRowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) jobId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) departmentCode!: string;
  @Column({ type: 'varchar', length: 200 }) departmentName!: string;
  /** Decimal strings as the reports write them ("94.622"). */
  @Column({ type: 'varchar', length: 40 }) beforeTotal!: string;
  @Column({ type: 'varchar', length: 40 }) beforeGrade!: string;
  @Column({ type: 'varchar', length: 40 }) afterTotal!: string;
  @Column({ type: 'varchar', length: 40 }) afterGrade!: string;
  /** after − before ("-3.740"). */
  @Column({ type: 'varchar', length: 40 }) delta!: string;
  /** The change × 10¹⁰ as an integer (exact: a total has at most 10 decimals), for sorting and filtering by it. */
  @Column({ type: 'bigint' }) deltaOrder!: string;
  /** The rest of the row as JSON: vetoes before/after, 不适用 after, the assumed values used (absent when none). */
  @Column({ type: 'text', nullable: true }) detail!: string | null;
}
