import { RateLimiterMySQL } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { JobLease } from '../db/job-lease';
import { describeError, type Logger } from '../logger';
import type { ThrottleBackend, ThrottleWindow } from './throttle-backend';
import { ThrottleCounterEntity } from './throttle-counter.entity';

/** How often one instance (under a job lease) deletes counters whose window has ended. */
const EXPIRY_INTERVAL_MS = 5 * 60_000;
const EXPIRY_BATCH = 1000;
/** Rows stay this long past their window, so instances' clocks need not agree to the millisecond. */
const EXPIRY_GRACE_MS = 60_000;

interface PooledConnection {
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(): void;
}
type GetConnection = (callback: (error: Error | null, connection?: PooledConnection) => void) => void;

/**
 * Throttle counters in the `throttle_counter` table of the gateway's own MySQL/MariaDB database
 * (rate-limiter-flexible's MySQL store), shared by every instance on it. It borrows connections
 * from the DataSource's pool, so it gets the same bounds (acquire timeout, statement limit,
 * utf8mb4) and closes with it. The table comes from a migration (`tableCreated`), and expired rows
 * are deleted here under a job lease rather than by the library's timer in every instance. A
 * database that fails makes the throttled mutation fail as SERVICE_UNAVAILABLE, as any statement would.
 */
export function databaseBackend(dataSource: DataSource, logger: Logger): ThrottleBackend {
  const driver = dataSource.driver as unknown as { pool?: { getConnection: GetConnection }; database?: string };
  const listened = new WeakSet<PooledConnection>();
  const pool = {
    getConnection(callback: (error: Error | null, connection?: PooledConnection) => void): void {
      if (!driver.pool) return callback(new Error('The database connection pool is closed.'));
      driver.pool.getConnection((error, connection) => {
        // The library sends ROLLBACK without a callback after a failed statement; on a connection
        // that failed, its error is emitted on the connection, where mysql2's pool listens only
        // once: a second such error would be unhandled and end the process.
        if (connection && !listened.has(connection)) {
          listened.add(connection);
          connection.on('error', (problem) => logger.debug({ error: describeError(problem) }, 'throttle store connection error'));
        }
        callback(error, connection);
      });
    },
  };
  const tableName = dataSource.getMetadata(ThrottleCounterEntity).tableName;
  const lease = new JobLease(dataSource);
  const expiry = setInterval(() => {
    lease
      .run('throttle-counter-expiry', EXPIRY_INTERVAL_MS, () => deleteExpiredThrottleCounters(dataSource, Date.now() - EXPIRY_GRACE_MS))
      .catch((error: unknown) => logger.warn({ error: describeError(error) }, 'throttle counter expiry failed'));
  }, EXPIRY_INTERVAL_MS);
  expiry.unref();
  return {
    kind: 'database',
    limiter: (window: ThrottleWindow) =>
      new RateLimiterMySQL({
        storeClient: pool,
        storeType: 'pool',
        dbName: driver.database,
        tableName,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: window.keyPrefix,
        points: window.points,
        duration: window.durationSeconds,
      }),
    close: async () => clearInterval(expiry),
  };
}

/** Deletes counters whose window ended before `before` (epoch ms), a batch per statement; returns how many. */
export async function deleteExpiredThrottleCounters(dataSource: DataSource, before: number): Promise<number> {
  const table = dataSource.getMetadata(ThrottleCounterEntity).tableName;
  let deleted = 0;
  for (;;) {
    // MySQL/MariaDB only (DELETE … LIMIT): this store is never used on SQLite. READ COMMITTED
    // locks only the rows deleted, no gaps, so sign-ins inserting new counters never wait on it.
    const result = (await dataSource.transaction('READ COMMITTED', (manager) =>
      manager.query(`DELETE FROM \`${table}\` WHERE \`expire\` < ? LIMIT ${EXPIRY_BATCH}`, [before]),
    )) as { affectedRows?: number };
    const affected = result.affectedRows ?? 0;
    deleted += affected;
    if (affected < EXPIRY_BATCH) return deleted;
  }
}
