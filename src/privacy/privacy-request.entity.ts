import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A member's request to exercise a right (deletion, correction, explanation, access, restriction). */
@Entity('privacy_request')
@Index('ix_privacy_request_status_due', ['status', 'dueAt'])
@Index('ix_privacy_request_member', ['memberId', 'receivedAt'])
export class PrivacyRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 24 })
  type!: string;

  /** The member's own words, sealed with their key. */
  @Column({ name: 'details', type: 'text', nullable: true })
  detailsSealed!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;

  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt!: Date;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'refusal_ground', type: 'varchar', length: 32, nullable: true })
  refusalGround!: string | null;

  @Column({ name: 'extension_reason', type: 'varchar', length: 500, nullable: true })
  extensionReason!: string | null;

  @Column({ name: 'handled_by', type: 'varchar', length: 128, nullable: true })
  handledBy!: string | null;
}
