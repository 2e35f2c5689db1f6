import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One storefront event. The subject (URL or search text) is sealed; product ids stay plain for aggregate popularity. */
@Entity('browsing_event')
@Index('ix_browsing_event_member_time', ['memberId', 'occurredAt', 'publicId'])
@Index('ix_browsing_event_member_kind_time', ['memberId', 'kind', 'occurredAt', 'publicId'])
@Index('uq_browsing_event_public_id', ['publicId'], { unique: true })
@Index('ix_browsing_event_product', ['productId'])
@Index('ix_browsing_event_occurred', ['occurredAt'])
export class BrowsingEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

  /** The id clients see (see common/public-id.ts); with occurredAt, the history's keyset (no OFFSET). */
  @Column({ name: 'public_id', type: 'varchar', length: 36 })
  publicId!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'subject', type: 'text', nullable: true })
  subjectSealed!: string | null;

  @Column({ name: 'product_id', type: 'varchar', length: 64, nullable: true })
  productId!: string | null;

  @Column({ name: 'device_id', type: 'varchar', length: 36, nullable: true })
  deviceId!: string | null;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;
}
