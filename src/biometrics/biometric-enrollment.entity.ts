import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An enrolled face or voiceprint template, L2-normalised and sealed; never returned by any query. */
@Entity('biometric_enrollment')
@Index('uq_biometric_enrollment_member_kind', ['memberId', 'kind'], { unique: true })
export class BiometricEnrollmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: 'FACE' | 'VOICEPRINT';

  @Column({ name: 'template', type: 'text' })
  templateSealed!: string;

  @Column({ type: 'integer' })
  dimensions!: number;

  @Column({ name: 'enrolled_at', type: 'datetime', precision: 3 })
  enrolledAt!: Date;
}
