import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One kept revision of a department's declared targets (绩效目标申报) for a fiscal year. */
@Entity('target_declaration')
@Index(['departmentCode', 'fiscalYear', 'revision'], { unique: true })
export class TargetDeclarationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) departmentCode!: string;
  @Column({ type: 'int' }) fiscalYear!: number;
  @Column({ type: 'int' }) revision!: number;
  /** The rule set (row id) the declaration was validated against. */
  @Column({ type: 'varchar', length: 36 }) ruleSetRowId!: string;
  /** { "<section code>": [goals…] }, whole, as JSON text. */
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 64 }) createdBy!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
  /** 批复: who approved this revision and when; null while it awaits approval (or was never approved). */
  @Column({ type: 'datetime', precision: 3, nullable: true }) approvedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) approvedBy!: string | null;
}
