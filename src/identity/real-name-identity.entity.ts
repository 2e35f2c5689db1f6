import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';

export type IdentityStatus = 'PENDING' | 'VERIFIED' | 'REJECTED';

/** A member's real-name data, sealed with the member's key; one per member. */
@Entity('real_name_identity')
export class RealNameIdentityEntity {
  @PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ name: 'legal_name', type: 'text' })
  legalNameSealed!: string;

  @Column({ name: 'document_type', type: 'varchar', length: 24 })
  documentType!: string;

  @Column({ name: 'document_number', type: 'text' })
  documentNumberSealed!: string;

  /** Blind index of type and number: one identity per document across members. */
  @Index('uq_real_name_identity_document', { unique: true })
  @Column({ name: 'document_index', type: 'varchar', length: 64 })
  documentIndex!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: IdentityStatus;

  @Column({ name: 'verified_at', type: 'datetime', precision: 3, nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'rejection_reason', type: 'varchar', length: 500, nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer' })
  version!: number;
}
