import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from './api-key.entity';

/**
 * A person who uses the service (用户): a bureau admin, an evaluator, or a department's clerk (a department may have
 * several). Managed by admins; signs in with named API keys (api_key.user_id) or, when the bureau's single sign-on is
 * configured, with its OpenID Connect provider (`oidcSubject`, the token's `sub`; such users are created at their
 * first sign-in, their role and department taken from the token each time). Never deleted: disabled instead.
 */
@Entity('app_user')
@Index('ix_app_user_department', ['departmentCode'])
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** 姓名, as the audit log and every createdBy name the person. */
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** 联系方式: phone, e-mail, office; free text. */
  @Column({ type: 'varchar', length: 200, nullable: true }) contact!: string | null;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  /** The department of a clerk (role department); null for admins and evaluators. */
  @Column({ type: 'varchar', length: 64, nullable: true }) departmentCode!: string | null;
  /** The `sub` of the bureau's OpenID Connect provider, for a person who signs in with it. */
  @Index('uq_app_user_oidc_subject', { unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  oidcSubject!: string | null;
  @Column({ type: 'datetime' }) createdAt!: Date;
  /** Who created the user ("bootstrap", "单点登录" for a first sign-in). */
  @Column({ type: 'varchar', length: 100, nullable: true }) createdBy!: string | null;
  @Column({ type: 'datetime', nullable: true }) updatedAt!: Date | null;
  /** 停用: none of the user's keys, nor their sign-on, is accepted. */
  @Column({ type: 'datetime', nullable: true }) disabledAt!: Date | null;
  /** The last request the user made (kept to the minute). */
  @Column({ type: 'datetime', nullable: true }) lastSeenAt!: Date | null;
}
