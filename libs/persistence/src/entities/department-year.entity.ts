import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where a department's fiscal year stands (填报与评审状态). Codes, with the words users see:
 * not-started 未填报 · in-progress 填报中 · submitted 已提交 · returned 已退回 · scored 已评分 · reviewed 已复核 ·
 * finalised 已定稿.
 */
export const DEPARTMENT_YEAR_STATUSES = [
  'not-started',
  'in-progress',
  'submitted',
  'returned',
  'scored',
  'reviewed',
  'finalised',
] as const;
export type DepartmentYearStatus = (typeof DEPARTMENT_YEAR_STATUSES)[number];

/**
 * A department's fiscal year as a workflow: its status, the revision it submitted, the binding (approved) target
 * declaration, the last 退回 and its reason, and its official score as copied from the stored ScoreReports (the
 * scored evaluation's total as 自评分, the adjusted one's as 复核分; never computed here). A department without a row
 * has not started the year (未填报). Changed only through the workflow, each change audited in its transaction.
 */
@Entity('department_year')
@Index('ix_department_year_status', ['fiscalYear', 'status'])
export class DepartmentYearEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) departmentCode!: string;
  @PrimaryColumn({ type: 'int' }) fiscalYear!: number;
  @Column({ type: 'varchar', length: 16 }) status!: DepartmentYearStatus;
  /** The binding declaration (批复): scoring and submitting use it. */
  @Column({ type: 'int', nullable: true }) approvedTargetRevision!: number | null;
  /** The submission revision handed in (提交); official scoring scores it. */
  @Column({ type: 'int', nullable: true }) submittedRevision!: number | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) submittedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) submittedBy!: string | null;
  /** Submitted after the year's submission deadline. */
  @Column({ type: 'boolean', default: false }) submittedLate!: boolean;
  /** The last 退回: its reason, who and when (kept after the department submits again). */
  @Column({ type: 'text', nullable: true }) returnedReason!: string | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) returnedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) returnedBy!: string | null;
  /** The official scoring of the submitted revision, and the evaluation now in force (it, or its latest 复核). */
  @Column({ type: 'varchar', length: 36, nullable: true }) scoredEvaluationId!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) evaluationId!: string | null;
  /** 自评分: the scored report's total, as the report writes it ("94.622"). */
  @Column({ type: 'varchar', length: 32, nullable: true }) selfTotal!: string | null;
  /** 复核分: the total of the adjusted report in force; null when nothing was adjusted. */
  @Column({ type: 'varchar', length: 32, nullable: true }) reviewedTotal!: string | null;
  /** 等次 of the evaluation in force, as its report writes it. */
  @Column({ type: 'varchar', length: 16, nullable: true }) grade!: string | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) scoredAt!: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) reviewedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) reviewedBy!: string | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) finalisedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) finalisedBy!: string | null;
  @Column({ type: 'datetime', precision: 3 }) updatedAt!: Date;
}
