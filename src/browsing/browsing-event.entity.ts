import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One storefront event. The subject (URL or search text) is sealed; product ids stay plain for aggregate popularity. */
@Entity('browsing_event')
@Index('ix_browsing_event_member', ['memberId', 'id'])
@Index('ix_browsing_event_member_kind', ['memberId', 'kind', 'id'])
@Index('ix_browsing_event_product', ['productId'])
@Index('ix_browsing_event_occurred', ['occurredAt'])
export class BrowsingEventEntity {
  /** Increasing: newest first is `id DESC`, and cursors are ids (no OFFSET). */
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

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

  @Column({ name: 'occurred_at', type: 'datetime' })
  occurredAt!: Date;
}
