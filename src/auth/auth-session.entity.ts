import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One sign-in: the family of refresh tokens that descends from it. Access tokens carry its id
 * (`sid`), so revoking the session ends them too, not only future refreshes.
 */
@Entity('auth_session')
export class AuthSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_auth_session_member')
  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  /** When the member last proved who they are in this session (sign-in or step-up). */
  @Column({ name: 'auth_time', type: 'datetime', precision: 3 })
  authTime!: Date;

  /** How: `pwd`, later `face` or `voice`. */
  @Column({ type: 'varchar', length: 32 })
  amr!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;

  /** LOGOUT, PASSWORD_CHANGED, TOKEN_REUSE, ACCOUNT_CANCELLED. */
  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;
}
