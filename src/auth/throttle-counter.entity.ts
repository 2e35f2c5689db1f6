import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Throttle counters shared by the gateway instances on MySQL/MariaDB without Redis: the layout
 * rate-limiter-flexible's RateLimiterMySQL reads and writes (it inserts by position, so these
 * three columns, in this order). Keys are keyed digests, never an identifier or an address.
 * Created by a migration, so the library never runs DDL; unused (and empty) on SQLite.
 */
@Entity('throttle_counter')
export class ThrottleCounterEntity {
  /** `<limiter>:<digest>`, e.g. `login-identifier:…`. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** Points consumed in the current window. */
  @Column({ type: 'integer' })
  points!: number;

  /** End of the window, epoch milliseconds (null: never, which the gateway does not use). */
  @Index('ix_throttle_counter_expire')
  @Column({ type: 'bigint', nullable: true })
  expire!: string | null;
}
