import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One audited read of personal data. Written by a plain insert on the request path with `seq`,
 * `prevHash` and `hash` null; the audit sequencer later gives each row its place in the chain
 * (see audit-sequencer.ts). There is no other update, and no delete but retention's from the
 * start of the chain: each row's `hash` covers its content and the previous row's hash, and signed
 * checkpoints cover the hashes, so an edit, a removal or a reordering breaks the chain.
 */
@Entity('audit_event')
@Index('ix_audit_event_owner', ['ownerMemberId', 'occurredAt', 'id'])
@Index('uq_audit_event_seq', ['seq'], { unique: true })
@Index('ix_audit_event_unsequenced', ['seq', 'occurredAt', 'id'])
export class AuditEventEntity {
  /** Made by the writer (a UUIDv7: time-ordered, no shared counter); what clients see as AuditEntry.id. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Position in the chain (1, 2, …), assigned by the sequencer; null until then. */
  @Column({ type: 'integer', nullable: true })
  seq!: number | null;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId!: string;

  @Column({ name: 'actor_kind', type: 'varchar', length: 24 })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 128, nullable: true })
  actorId!: string | null;

  @Column({ name: 'owner_member_id', type: 'varchar', length: 36 })
  ownerMemberId!: string;

  /** `Type.field`, e.g. `Member.phone`. */
  @Column({ type: 'varchar', length: 96 })
  field!: string;

  @Column({ type: 'varchar', length: 24 })
  category!: string;

  /** ALLOW, MASK or DENY. */
  @Column({ type: 'varchar', length: 8 })
  outcome!: string;

  /** The error code of a DENY. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose!: string | null;

  /** The previous entry's hash (the base's for the first one kept); null until sequenced. */
  @Column({ name: 'prev_hash', type: 'varchar', length: 64, nullable: true })
  prevHash!: string | null;

  /** SHA-256 of this entry's content and `prevHash` (see audit-chain.ts); null until sequenced. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  hash!: string | null;
}
