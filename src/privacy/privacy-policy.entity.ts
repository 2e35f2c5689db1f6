import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A published version of the privacy policy. Never changed or deleted: old versions stay readable. */
@Entity('privacy_policy')
@Index('uq_privacy_policy_seq', ['seq'], { unique: true })
export class PrivacyPolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  version!: string;

  /** Publication order (timestamps can tie). */
  @Column({ type: 'integer' })
  seq!: number;

  /** A material change asks every member to accept again. */
  @Column({ type: 'boolean' })
  material!: boolean;

  @Column({ type: 'varchar', length: 500 })
  summary!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'published_at', type: 'datetime', precision: 3 })
  publishedAt!: Date;

  @Column({ name: 'published_by', type: 'varchar', length: 128 })
  publishedBy!: string;
}
