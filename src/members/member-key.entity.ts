import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { MemberEntity } from './member.entity';

/**
 * A member's data key, wrapped by the master key. Deleting this row is crypto-shredding: every
 * ciphertext of the member, in this database and in every backup, becomes unreadable.
 */
@Entity('member_key')
export class MemberKeyEntity {
  @PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ name: 'wrapped_key', type: 'varchar', length: 255 })
  wrappedKey!: string;

  @Column({ name: 'kek_id', type: 'varchar', length: 32 })
  kekId!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @OneToOne(() => MemberEntity, (member) => member.key, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'fk_member_key_member' })
  member?: MemberEntity;
}
