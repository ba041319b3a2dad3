import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type RuleSetStatus = 'draft' | 'published' | 'superseded';

/**
 * One uploaded version of a rule set: the next version number of (rule-set id, fiscal year). The rule file is
 * stored whole; once published it never changes again (the service refuses every change with 409).
 */
@Entity('rule_set')
@Index(['ruleSetId', 'fiscalYear', 'versionNo'], { unique: true })
export class RuleSetEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) ruleSetId!: string;
  @Column({ type: 'int' }) fiscalYear!: number;
  @Column({ type: 'int' }) versionNo!: number;
  /** The version the file gives itself, e.g. 2021.1.0. */
  @Column({ type: 'varchar', length: 32 }) fileVersion!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 16 }) status!: RuleSetStatus;
  @Column({ type: 'varchar', length: 64 }) checksum!: string;
  /** The rule file, whole, as JSON text. */
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 64 }) createdBy!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) publishedBy!: string | null;
  @Column({ type: 'datetime', nullable: true }) publishedAt!: Date | null;
}
