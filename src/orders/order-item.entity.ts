import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A line of an order. Product data is not personal; the fact that this member bought it is (via the order). */
@Entity('order_item')
@Index('ix_order_item_order', ['orderId', 'id'])
export class OrderItemEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

  @Column({ name: 'order_id', type: 'integer' })
  orderId!: number;

  @Column({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  spec!: string | null;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price_minor', type: 'integer' })
  unitPriceMinor!: number;
}
