import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Outbox: a recipient of a member's data must be told it was erased. Delivered (and retried until
 * it is) by the ErasureDispatcher; the id doubles as the delivery's Idempotency-Key.
 */
@Entity('erasure_notice')
@Index('ix_erasure_notice_state', ['state', 'createdAt'])
@Index('ix_erasure_notice_due', ['nextAttemptAt'])
export class ErasureNoticeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 36 })
  requestId!: string;

  @Column({ type: 'varchar', length: 100 })
  recipient!: string;

  /** JSON: what the recipient already knows the data by (order and tracking numbers), never the member id. */
  @Column({ type: 'text', nullable: true })
  subjects!: string | null;

  /** PENDING, then DELIVERED; FAILING once OUTBOX_MAX_ATTEMPTS attempts failed (still retried, on a slow schedule). */
  @Column({ type: 'varchar', length: 16 })
  state!: string;

  /** Attempts started, counted when a worker claims the notice (before it sends). */
  @Column({ type: 'integer' })
  attempts!: number;

  /** When the next attempt is due; a claim moves it past the send's timeout. Null once delivered. */
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_attempt_at', type: 'datetime', precision: 3, nullable: true })
  lastAttemptAt!: Date | null;

  /** The class of the last failure (HTTP_503, TIMEOUT, NETWORK, …), never a response body. */
  @Column({ name: 'last_error_code', type: 'varchar', length: 32, nullable: true })
  lastErrorCode!: string | null;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
