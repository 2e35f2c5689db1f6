import type { DataSource } from 'typeorm';

/**
 * After an erasure commits. SQLite (with secure_delete) zeroes erased content in the pages it
 * writes, but earlier page images stay in the -wal file until it is overwritten: a truncating
 * checkpoint moves the zeroed pages into the main file and empties the WAL. MariaDB purges its
 * own undo records; nothing to do there.
 */
export async function purgeErasedPages(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type === 'better-sqlite3') await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
}
