import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One audited read of personal data. Append-only: the code has no update or delete path, and
 * each row's `hash` covers its content and the previous row's hash, so an edit breaks the chain.
 */
@Entity('audit_event')
@Index('ix_audit_event_owner', ['ownerMemberId', 'seq'])
@Index('ix_audit_event_occurred', ['occurredAt'])
export class AuditEventEntity {
  /** Position in the chain, assigned under the chain-head lock. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

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

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
