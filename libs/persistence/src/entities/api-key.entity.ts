import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Role = 'admin' | 'evaluator' | 'department';

/** An API key: only its sha256 is stored; the key itself is shown once, when it is created. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  /** The department a department key is bound to. */
  @Column({ type: 'varchar', length: 64, nullable: true }) departmentCode!: string | null;
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;
  /** The first characters of the key, to recognise it in a list. */
  @Column({ type: 'varchar', length: 12 }) keyPrefix!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) createdBy!: string | null;
}
