import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A line of an order. What was bought (product, name, spec, quantity, unit price) is transaction
 * data: sealed under the member's key and bound to its order, so destroying the key shreds it.
 */
@Entity('order_item')
@Index('ix_order_item_order', ['orderId', 'id'])
export class OrderItemEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

  @Column({ name: 'order_id', type: 'integer' })
  orderId!: number;

  /** Sealed JSON of the line (see order-item-content.ts). */
  @Column({ name: 'content', type: 'text' })
  contentSealed!: string;
}
