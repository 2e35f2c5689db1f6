import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Earlier verified real-name values, kept sealed after an edit voided them; shown in the member's export. */
@Entity('real_name_history')
@Index('ix_real_name_history_member', ['memberId', 'replacedAt'])
export class RealNameHistoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ name: 'legal_name', type: 'text' })
  legalNameSealed!: string;

  @Column({ name: 'document_type', type: 'varchar', length: 24 })
  documentType!: string;

  @Column({ name: 'document_number', type: 'text' })
  documentNumberSealed!: string;

  @Column({ name: 'verified_at', type: 'datetime', precision: 3, nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'replaced_at', type: 'datetime', precision: 3 })
  replacedAt!: Date;
}
