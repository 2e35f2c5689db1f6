import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A personalised result and the factors behind it, so the member can ask why. Factors are sealed.
 * At most one per member, model version and (UTC) day: the unique key makes a second insert a
 * no-op on both databases, however many requests race. Rows from before that rule have no model
 * version or day (NULLs never collide in a unique key), and stay listed.
 */
@Entity('automated_decision')
@Index('ix_automated_decision_member', ['memberId', 'decidedAt'])
@Index('ix_automated_decision_decided', ['decidedAt'])
@Index('uq_automated_decision_day', ['memberId', 'modelVersion', 'decidedOn'], { unique: true })
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

  @Column({ name: 'decided_at', type: 'datetime', precision: 3 })
  decidedAt!: Date;

  @Column({ name: 'model_version', type: 'varchar', length: 32, nullable: true })
  modelVersion!: string | null;

  /** YYYY-MM-DD (UTC) of decidedAt. */
  @Column({ name: 'decided_on', type: 'varchar', length: 10, nullable: true })
  decidedOn!: string | null;
}
