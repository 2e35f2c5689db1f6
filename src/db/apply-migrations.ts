import type { DatabaseConfig, DatabaseTimeouts } from '../config';
import { createDataSource, unreachable } from './data-source';
import { provideMigrationKeys } from './migration-keys';

/** MariaDB/MySQL named lock that serialises migrations across every instance on one database. */
const MIGRATION_LOCK = 'member_privacy_gateway.migrations';
/** How long an instance waits for another one's migrations before giving up (seconds). */
const MIGRATION_LOCK_WAIT_SECONDS = 300;

/**
 * Applies pending migrations on a connection of their own, without the statement time limit that
 * bounds requests: rebuilding a large table may rightly take minutes. Returns the names applied.
 * `masterSecret` is lent to migrations that must seal or open existing rows. On MySQL/MariaDB the
 * instances starting together take turns under a named lock: the first applies, the others then
 * find nothing pending. (SQLite is the single-process embedded default.)
 */
export async function applyMigrations(database: DatabaseConfig, timeouts: DatabaseTimeouts, masterSecret?: Buffer): Promise<string[]> {
  const dataSource = await createDataSource(database, { timeouts: { ...timeouts, statementMs: 0 } });
  // Migrations that seal or open existing rows borrow the master key (see migration-keys.ts).
  if (masterSecret) provideMigrationKeys(dataSource, masterSecret);
  await dataSource.initialize().catch((error: unknown) => {
    throw database.kind === 'mysql' ? unreachable(database.url, error, timeouts.connectMs) : error;
  });
  // Named locks belong to a session: hold it on one connection of its own for the whole run.
  const holder = database.kind === 'mysql' ? dataSource.createQueryRunner() : null;
  try {
    if (holder) {
      const [row] = (await holder.query('SELECT GET_LOCK(?, ?) AS got', [MIGRATION_LOCK, MIGRATION_LOCK_WAIT_SECONDS])) as Array<{
        got: number | string | null;
      }>;
      if (Number(row?.got) !== 1) throw new Error(`another instance held the migration lock for over ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (holder) {
      await holder.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]).catch(() => undefined);
      await holder.release();
    }
    await dataSource.destroy();
  }
}
