import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One step of a job that writes (a department re-scored, an import applied), stored in the same transaction as the
 * step's own writes: a step is done exactly once however often the job is run again (its instance died, another took
 * it over), and the job's result is read back from these rows, so a run taken over ends with the same result.
 */
@Entity('job_item')
export class JobItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) jobId!: string;
  /** What the step is about: a department code, `apply`, … */
  @PrimaryColumn({ type: 'varchar', length: 100 }) itemKey!: string;
  /** The order steps are reported in (the department's place in the job's list). */
  @Column({ type: 'int' }) position!: number;
  /** What the step did, as JSON. */
  @Column({ type: 'text' }) outcome!: string;
  @Column({ type: 'datetime', precision: 3 }) createdAt!: Date;
}
