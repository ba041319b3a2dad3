import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The bureau's deadlines of a fiscal year (optional): late acts are flagged, and blocked only when it says so. */
@Entity('year_deadlines')
export class YearDeadlinesEntity {
  @PrimaryColumn({ type: 'int' }) fiscalYear!: number;
  /** 绩效目标申报截止时间 */
  @Column({ type: 'datetime', precision: 3, nullable: true }) targetsDue!: Date | null;
  /** 年终数据提交截止时间 */
  @Column({ type: 'datetime', precision: 3, nullable: true }) submissionDue!: Date | null;
  /** Refuse a first submission after submissionDue (a re-submission after a 退回 is never refused). */
  @Column({ type: 'boolean', default: false }) blockLateSubmissions!: boolean;
  @Column({ type: 'datetime', precision: 3 }) updatedAt!: Date;
  @Column({ type: 'varchar', length: 100 }) updatedBy!: string;
}
