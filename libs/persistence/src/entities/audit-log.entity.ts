import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One line of the audit log: who (the API key's name, id and role) did what (`action`) to which entity, when and
 * why. Written by the service beside the action it records, never changed or deleted.
 */
@Entity('audit_log')
@Index('ix_audit_log_at', ['at'])
@Index('ix_audit_log_entity', ['entityType', 'entityId'])
export class AuditLogEntity {
  /** Time-ordered (UUID version 7): within one instant, later entries have greater ids. */
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** When, to the millisecond. */
  @Column({ type: 'datetime', precision: 3 }) at!: Date;
  /** The name of the person who acted (the service's own name, e.g. "bootstrap", at start). */
  @Column({ type: 'varchar', length: 100 }) actor!: string;
  /** The API key they used; "oidc" for single sign-on, "bootstrap" for the service itself. */
  @Column({ type: 'varchar', length: 36 }) actorKeyId!: string;
  /** The user (app_user.id); null for the service itself and for entries written before users existed. */
  @Index('ix_audit_log_actor_user')
  @Column({ type: 'varchar', length: 36, nullable: true })
  actorUserId!: string | null;
  @Column({ type: 'varchar', length: 16 }) actorRole!: string;
  /** e.g. rule-set.published, evaluation.adjusted */
  @Column({ type: 'varchar', length: 64 }) action!: string;
  /** rule-set, targets, submission, evaluation, api-key */
  @Column({ type: 'varchar', length: 32 }) entityType!: string;
  /** How the API names the entity: a rule-set ref, `<department>:<year>:<revision>`, an evaluation or key id. */
  @Column({ type: 'varchar', length: 160 }) entityId!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) departmentCode!: string | null;
  @Column({ type: 'int', nullable: true }) fiscalYear!: number | null;
  /** Why, where the action takes a reason (an adjustment's 复核理由). */
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  /** A small JSON object: revision, ref, total… */
  @Column({ type: 'text' }) details!: string;
}
