import type { DatabaseConfig, DatabaseTimeouts } from '../config';
import { createDataSource, unreachable } from './data-source';
import { provideMigrationKeys } from './migration-keys';

/**
 * Applies pending migrations on a connection of their own, without the statement time limit that
 * bounds requests: rebuilding a large table may rightly take minutes. Returns the names applied.
 * `masterSecret` is lent to migrations that must seal or open existing rows.
 */
export async function applyMigrations(database: DatabaseConfig, timeouts: DatabaseTimeouts, masterSecret?: Buffer): Promise<string[]> {
  const dataSource = await createDataSource(database, { timeouts: { ...timeouts, statementMs: 0 } });
  // Migrations that seal or open existing rows borrow the master key (see migration-keys.ts).
  if (masterSecret) provideMigrationKeys(dataSource, masterSecret);
  await dataSource.initialize().catch((error: unknown) => {
    throw database.kind === 'mysql' ? unreachable(database.url, error, timeouts.connectMs) : error;
  });
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
