import type { DatabaseConfig, DatabaseTimeouts } from '../config';
import { createDataSource, unreachable } from './data-source';

/**
 * Applies pending migrations on a connection of their own, without the statement time limit that
 * bounds requests: rebuilding a large table may rightly take minutes. Returns the names applied.
 */
export async function applyMigrations(database: DatabaseConfig, timeouts: DatabaseTimeouts): Promise<string[]> {
  const dataSource = await createDataSource(database, { timeouts: { ...timeouts, statementMs: 0 } });
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
