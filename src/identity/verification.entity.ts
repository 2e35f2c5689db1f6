import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type VerificationCaseStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'SUPERSEDED';

/** One verification case of a real-name submission, decided by a VERIFIER. */
@Entity('verification')
@Index('ix_verification_status', ['status', 'openedAt'])
@Index('ix_verification_member', ['memberId', 'openedAt'])
export class VerificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: VerificationCaseStatus;

  @Column({ name: 'opened_at', type: 'datetime', precision: 3 })
  openedAt!: Date;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 128, nullable: true })
  decidedBy!: string | null;

  /** Why it was rejected; shown to the member. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;
}
