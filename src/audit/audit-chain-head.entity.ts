import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The single row holding the end of the audit chain; locked while a request appends to it. */
@Entity('audit_chain_head')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'last_hash', type: 'varchar', length: 64 })
  lastHash!: string;

  /** HMAC of (lastSeq, lastHash): cutting rows off the end and rewinding the head is detected. */
  @Column({ type: 'varchar', length: 64 })
  mac!: string;

  /** Where verification starts: the last row removed by retention (0 and the genesis hash before any). */
  @Column({ name: 'base_seq', type: 'integer' })
  baseSeq!: number;

  @Column({ name: 'base_hash', type: 'varchar', length: 64 })
  baseHash!: string;
}
