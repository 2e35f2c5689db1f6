import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A refresh token, stored only as a SHA-256 hash. Each use rotates it: `rotatedAt` is set once. */
@Entity('refresh_token')
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_refresh_token_session')
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @Index('uq_refresh_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: 'datetime', precision: 3, nullable: true })
  rotatedAt!: Date | null;
}
