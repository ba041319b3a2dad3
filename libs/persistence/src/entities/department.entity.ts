import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A department (部门/单位) the bureau funds and evaluates. */
@Entity('department')
export class DepartmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 100 }) region!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
}
