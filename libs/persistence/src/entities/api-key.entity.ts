import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Role = 'admin' | 'evaluator' | 'department';

/**
 * A named API key of a user (api_key.user_id): the key acts as its user, with the user's role and department. Only
 * its sha256 is stored; the key itself is shown once, when it is created. A key may expire (`expiresAt`) and be
 * revoked (`revokedAt`, kept for history); `lastUsedAt` says when it was last used (to the minute).
 */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** What the key is for, e.g. 填报系统对接, 笔记本电脑. */
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Index('ix_api_key_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;
  @Index('uq_api_key_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;
  /** The first characters of the key, to recognise it in a list. */
  @Column({ type: 'varchar', length: 12 }) keyPrefix!: string;
  @Column({ type: 'datetime' }) createdAt!: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) createdBy!: string | null;
  /** After this instant the key is refused (401); null: it does not expire. */
  @Column({ type: 'datetime', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'datetime', nullable: true }) lastUsedAt!: Date | null;
  /** 吊销: refused from then on (401), kept in lists and the audit log. */
  @Column({ type: 'datetime', nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) revokedBy!: string | null;
}
