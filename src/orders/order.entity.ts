import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An order. Consignee, address, phone and payment details are sealed; only the card's last four are plain. */
@Entity('purchase_order')
@Index('ix_purchase_order_member', ['memberId', 'id'])
@Index('ix_purchase_order_partner', ['partnerId', 'id'])
@Index('uq_purchase_order_number', ['number'], { unique: true })
@Index('ix_purchase_order_hidden', ['hiddenAt'])
@Index('uq_purchase_order_public_id', ['publicId'], { unique: true })
export class OrderEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

  /** The id clients see (see common/public-id.ts); joins keep the integer. */
  @Column({ name: 'public_id', type: 'varchar', length: 36 })
  publicId!: string;

  @Column({ type: 'varchar', length: 32 })
  number!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  /** PLACED or SHIPPED. */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'total_minor', type: 'integer' })
  totalMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'consignee_name', type: 'text' })
  consigneeNameSealed!: string;

  @Column({ name: 'delivery_address', type: 'text' })
  deliveryAddressSealed!: string;

  @Column({ name: 'consignee_phone', type: 'text' })
  consigneePhoneSealed!: string;

  @Column({ name: 'payment_method', type: 'varchar', length: 16 })
  paymentMethod!: string;

  @Column({ name: 'payment_account_name', type: 'text', nullable: true })
  paymentAccountNameSealed!: string | null;

  @Column({ name: 'card_number', type: 'text', nullable: true })
  cardNumberSealed!: string | null;

  @Column({ name: 'placed_at', type: 'datetime', precision: 3 })
  placedAt!: Date;

  /** Set when the member cleared the order from their view; kept for legal retention. */
  @Column({ name: 'hidden_at', type: 'datetime', precision: 3, nullable: true })
  hiddenAt!: Date | null;

  /** The logistics partner the shipment is assigned to. */
  @Column({ name: 'partner_id', type: 'varchar', length: 64, nullable: true })
  partnerId!: string | null;

  @Column({ name: 'tracking_number', type: 'varchar', length: 64, nullable: true })
  trackingNumber!: string | null;

  @Column({ name: 'shipped_at', type: 'datetime', precision: 3, nullable: true })
  shippedAt!: Date | null;
}
