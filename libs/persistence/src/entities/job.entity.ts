import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a job is doing: queued (waiting for a worker), running, or finished one way or another. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * A long job (a rule-change impact over every department, …) stored so that any instance can answer for it: its
 * parameters, its progress, and its result or error once finished. Whichever instance's worker runs it writes here;
 * the queue (BullMQ on Redis, or in-process) only carries the id.
 */
@Entity('job')
@Index('ix_job_created_at', ['createdAt'])
@Index('ix_job_status', ['status'])
export class JobEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** impact, rescore, department-import */
  @Column({ type: 'varchar', length: 32 }) kind!: string;
  @Column({ type: 'varchar', length: 16 }) status!: JobStatus;
  /** The request, as JSON (for impact: ref, against, year, lang). */
  @Column({ type: 'text' }) params!: string;
  @Column({ type: 'int', default: 0 }) progressDone!: number;
  /** Unknown until the job starts counting. */
  @Column({ type: 'int', nullable: true }) progressTotal!: number | null;
  /**
   * Of a job in two phases, how many of the total its first phase has prepared (an impact: departments read; an
   * import: rows checked), so that its progress moves before the first item is done; null for a job of one phase.
   */
  @Column({ type: 'int', nullable: true }) progressPrepared!: number | null;
  /** The result as JSON, once succeeded. Large (an impact summary with its movers and indicators). */
  @Column({ type: 'text', nullable: true }) result!: string | null;
  /**
   * What the job needs and nobody is shown, as JSON: who asked (the job acts and audits as them) and, for an import,
   * the rows of the checked upload.
   */
  @Column({ type: 'text', nullable: true }) input!: string | null;
  /** { code, message, details? } as JSON, once failed. */
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** Someone asked to cancel: the worker stops at its next progress step. */
  @Column({ type: 'boolean', default: false }) cancelRequested!: boolean;
  /** How many times a worker started it (more than 1: an instance died while running it and another took over). */
  @Column({ type: 'int', default: 0 }) attempts!: number;
  /** The instance (host:pid) whose worker runs or ran it. */
  @Column({ type: 'varchar', length: 120, nullable: true }) worker!: string | null;
  @Column({ type: 'varchar', length: 100 }) createdBy!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) createdByUserId!: string | null;
  @Column({ type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ type: 'datetime', precision: 3, nullable: true }) startedAt!: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) finishedAt!: Date | null;
  @Column({ type: 'datetime', precision: 3 }) updatedAt!: Date;
}
