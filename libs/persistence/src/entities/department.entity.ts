import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A department (部门/单位) the bureau funds and evaluates. Never deleted: a department that no longer exists is
 * retired (`retiredAt` set), kept with its history and marked in lists, and takes no new targets, data or
 * submissions.
 */
@Entity('department')
export class DepartmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** 地区, e.g. 广州市 (column `region`, indexed: the overview filters by it). */
  @Index('ix_department_region')
  @Column({ type: 'varchar', length: 100 })
  region!: string;
  /** The parent department's code (column `parent_code`), or null for a top-level department. */
  @Index('ix_department_parent')
  @Column({ type: 'varchar', length: 64, nullable: true })
  parentCode!: string | null;
  @Column({ type: 'datetime' }) createdAt!: Date;
  /** When it was last renamed, moved or retired (column `updated_at`); null if never. */
  @Column({ type: 'datetime', nullable: true }) updatedAt!: Date | null;
  /** When it was retired (撤销; column `retired_at`); null while it is active. */
  @Column({ type: 'datetime', nullable: true }) retiredAt!: Date | null;
  /** Why it was retired (column `retired_reason`). */
  @Column({ type: 'varchar', length: 500, nullable: true }) retiredReason!: string | null;
}
