import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Outbox: a recipient of a member's data must be told it was erased. Delivered (and retried) by a dispatcher. */
@Entity('erasure_notice')
@Index('ix_erasure_notice_state', ['state', 'createdAt'])
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

  /** PENDING until delivered; a failed delivery stays PENDING with attempts counted. */
  @Column({ type: 'varchar', length: 16 })
  state!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
