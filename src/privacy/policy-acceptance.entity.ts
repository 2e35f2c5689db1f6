import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member accepted a policy version. */
@Entity('policy_acceptance')
export class PolicyAcceptanceEntity {
  @PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  version!: string;

  @Column({ name: 'accepted_at', type: 'datetime', precision: 3 })
  acceptedAt!: Date;
}
