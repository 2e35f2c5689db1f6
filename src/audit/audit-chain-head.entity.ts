import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The single row holding where the audit chain ends and where it starts. Only the sequencer
 * (which moves the end) and retention (which moves the start) change it, each under a lock on
 * this row and together with a signed checkpoint; the request path never reads it. Verifiers do
 * not trust it: they check against the checkpoints' signed values.
 */
@Entity('audit_chain_head')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  /** Entries sequenced so far (the last one's seq). */
  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'last_hash', type: 'varchar', length: 64 })
  lastHash!: string;

  /** Where verification starts: the last entry removed by retention (0 and the genesis hash before any). */
  @Column({ name: 'base_seq', type: 'integer' })
  baseSeq!: number;

  @Column({ name: 'base_hash', type: 'varchar', length: 64 })
  baseHash!: string;
}
