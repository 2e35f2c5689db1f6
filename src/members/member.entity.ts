import { Column, Entity, Index, OneToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { MemberKeyEntity } from './member-key.entity';

export type MemberStatus = 'ACTIVE' | 'CANCELLED';

/**
 * A member as stored. Personal columns hold ciphertexts sealed with the member's data key
 * (`*Sealed`); lookups go through keyed blind indexes (`*Index`). Never exposed to GraphQL.
 */
@Entity('member')
export class MemberEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_member_member_name_index', { unique: true })
  @Column({ name: 'member_name_index', type: 'varchar', length: 64 })
  memberNameIndex!: string;

  @Column({ name: 'member_name', type: 'text' })
  memberNameSealed!: string;

  @Index('uq_member_phone_index', { unique: true })
  @Column({ name: 'phone_index', type: 'varchar', length: 64 })
  phoneIndex!: string;

  @Column({ name: 'phone', type: 'text' })
  phoneSealed!: string;

  @Column({ name: 'contact_name', type: 'text' })
  contactNameSealed!: string;

  @Column({ name: 'contact_address', type: 'text', nullable: true })
  contactAddressSealed!: string | null;

  @Column({ name: 'birth_date', type: 'text', nullable: true })
  birthDateSealed!: string | null;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: MemberStatus;

  /** Access tokens issued before this instant (seconds precision) are refused. */
  @Column({ name: 'tokens_valid_after', type: 'datetime', precision: 3, nullable: true })
  tokensValidAfter!: Date | null;

  /** Set by a PRIVACY_OFFICER: the member's data must be kept (no erasure) until it is lifted. */
  @Column({ name: 'legal_hold_reason', type: 'varchar', length: 500, nullable: true })
  legalHoldReason!: string | null;

  /** The deletion (request id) that a legal hold postponed; carried out when the hold is lifted. */
  @Column({ name: 'erasure_pending_request', type: 'varchar', length: 36, nullable: true })
  erasurePendingRequest!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;

  @OneToOne(() => MemberKeyEntity, (key) => key.member)
  key?: MemberKeyEntity;
}
