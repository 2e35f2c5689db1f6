import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per background job (outbox, retention, audit sequencer): which gateway instance holds
 * it and until when. Taking a lease is one conditional UPDATE, so it works the same on MariaDB
 * and SQLite and needs no named lock or long transaction.
 */
@Entity('job_lease')
export class JobLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  /** The instance id of the holder; empty when released. */
  @Column({ type: 'varchar', length: 64 })
  holder!: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;
}
