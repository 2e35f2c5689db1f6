import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed statement of the audit chain's state: `jws` (compact, signed with the audit signing key)
 * carries size, head, base, baseHead and iat; the other columns repeat them for lookups only and
 * are never trusted (verifiers read the signed payload). One per sequencer batch and per retention
 * batch; (size, base) only grows, so it orders them.
 */
@Entity('audit_checkpoint')
export class AuditCheckpointEntity {
  /** Entries sequenced as of this checkpoint. */
  @PrimaryColumn({ type: 'integer' })
  size!: number;

  /** Entries removed by retention as of this checkpoint (the first kept entry is base + 1). */
  @PrimaryColumn({ type: 'integer' })
  base!: number;

  @Column({ type: 'varchar', length: 64 })
  head!: string;

  @Column({ name: 'base_head', type: 'varchar', length: 64 })
  baseHead!: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt!: Date;

  @Column({ type: 'text' })
  jws!: string;

  /** When auditIntegrity last found the chain intact up to here: where its next incremental check starts. */
  @Column({ name: 'verified_at', type: 'datetime', precision: 3, nullable: true })
  verifiedAt!: Date | null;
}
