import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConsentPurpose } from './consent-purpose';

/** One entry of the append-only consent ledger: rows are inserted, never updated. */
@Entity('consent_event')
@Index('uq_consent_event_member_seq', ['memberId', 'seq'], { unique: true })
@Index('ix_consent_event_member_purpose', ['memberId', 'purpose', 'seq'])
export class ConsentEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 32 })
  purpose!: ConsentPurpose;

  @Column({ type: 'boolean' })
  granted!: boolean;

  /** EXPLICIT, GUARDIAN, GLOBAL_PRIVACY_CONTROL. */
  @Column({ type: 'varchar', length: 32 })
  method!: string;

  @Column({ name: 'policy_version', type: 'varchar', length: 32, nullable: true })
  policyVersion!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** storefront, mobile, graphiql or api: where the decision was made (X-Client-Channel). */
  @Column({ type: 'varchar', length: 24, nullable: true })
  channel!: string | null;

  /** For a minor's consent: the guardian's name, contact and relationship, sealed with the member's key. */
  @Column({ name: 'guardian', type: 'text', nullable: true })
  guardianSealed!: string | null;

  /** Order within the member's ledger (timestamps can tie). */
  @Column({ type: 'integer' })
  seq!: number;
}
