import type { DataSource } from 'typeorm';

/** A queue of mysql2's pool (its RingQueue): only the length is read. */
interface Counted {
  readonly length: number;
}

/** The parts of mysql2's pool (`mysql2/lib/base/pool.js`) that hold its connections: internal, not public API. */
interface Mysql2PoolInternals {
  _allConnections?: Counted;
  _freeConnections?: Counted;
  _connectionQueue?: Counted;
}

/**
 * Connections of the data source's pool right now. mysql2 publishes no counts, so they are read
 * from its pool's internal queues (checked on every read: a mysql2 without them throws, and the
 * metrics count a failed read). `waiting` includes callers whose acquire timeout already answered
 * them (mysql-pool-guard.ts) until a connection frees up. SQLite (better-sqlite3) has one
 * connection and runs statements synchronously, so between statements it is always idle.
 */
export function poolUsage(dataSource: DataSource): { inUse: number; idle: number; waiting: number } {
  if (dataSource.options.type === 'better-sqlite3') return { inUse: 0, idle: 1, waiting: 0 };
  const pool = (dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool;
  const all = pool?._allConnections?.length;
  const free = pool?._freeConnections?.length;
  const waiting = pool?._connectionQueue?.length;
  if (typeof all !== 'number' || typeof free !== 'number' || typeof waiting !== 'number') throw new Error('the mysql2 pool does not expose its queues');
  return { inUse: all - free, idle: free, waiting };
}
