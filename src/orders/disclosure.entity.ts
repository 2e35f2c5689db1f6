import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A disclosure of a member's data to a third party: who, which categories, why, on what legal basis. */
@Entity('disclosure')
@Index('ix_disclosure_member', ['memberId', 'disclosedAt'])
export class DisclosureEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 100 })
  recipient!: string;

  /** Comma-separated data categories. */
  @Column({ type: 'varchar', length: 200 })
  categories!: string;

  @Column({ type: 'varchar', length: 100 })
  purpose!: string;

  @Column({ name: 'legal_basis', type: 'varchar', length: 32 })
  legalBasis!: string;

  @Column({ name: 'order_id', type: 'integer', nullable: true })
  orderId!: number | null;

  @Column({ name: 'disclosed_at', type: 'datetime', precision: 3 })
  disclosedAt!: Date;
}
