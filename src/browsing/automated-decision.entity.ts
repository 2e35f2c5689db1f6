import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A personalised result and the factors behind it, so the member can ask why. Factors are sealed. */
@Entity('automated_decision')
@Index('ix_automated_decision_member', ['memberId', 'decidedAt'])
export class AutomatedDecisionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** JSON: { outcome: string[], factors: {productId, events, weight}[] }, sealed. */
  @Column({ name: 'detail', type: 'text' })
  detailSealed!: string;

  @Column({ name: 'decided_at', type: 'datetime' })
  decidedAt!: Date;
}
