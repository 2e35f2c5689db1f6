import type { DataSource } from 'typeorm';

/**
 * Find options that lock the rows read (SELECT … FOR UPDATE) until the transaction ends.
 * Empty on SQLite, which runs one writer at a time and has no row locks.
 */
export function rowLock(dataSource: DataSource): { lock?: { mode: 'pessimistic_write' } } {
  return dataSource.options.type === 'better-sqlite3' ? {} : { lock: { mode: 'pessimistic_write' } };
}
