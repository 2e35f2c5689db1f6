import * as mysql2 from 'mysql2';
import { DatabaseUnavailableError } from './database-unavailable';

export interface PoolGuardSettings {
  flavour: 'mariadb' | 'mysql';
  /** Longest wait for a pooled connection. */
  acquireMs: number;
  /** Server-side statement limit, plus a client-side watchdog for a server that stopped answering; 0: none. */
  statementMs: number;
}

/** The client gives a live server this long beyond its own limit to report a statement timeout itself. */
const WATCHDOG_GRACE_MS = 500;

type Callback = (error: Error | null, ...rest: unknown[]) => void;
interface RawConnection {
  query: (sql: unknown, values?: unknown, callback?: unknown) => unknown;
  destroy(): void;
  release(): void;
  promise(): unknown;
  stream?: { destroy(): void };
}
interface RawPool {
  getConnection(callback: (error: Error | null, connection?: RawConnection) => void): void;
  on(event: 'connection', listener: (connection: RawConnection) => void): void;
}

/**
 * mysql2 as TypeORM's `driver`, with the bounds mysql2's pool lacks: an acquire timeout, and on
 * every new connection utf8mb4 (whatever the server's default) and a statement time limit. A
 * statement the server does not answer in time (frozen server, dead network) destroys its
 * connection: the caller gets an error instead of waiting, the pool forgets the connection, and
 * the server rolls back whatever transaction was open on it.
 */
export function guardedMysql2(settings: PoolGuardSettings): typeof mysql2 {
  return {
    ...mysql2,
    createPool: ((options: mysql2.PoolOptions) => guardPool(mysql2.createPool(options) as unknown as RawPool, settings)) as unknown as typeof mysql2.createPool,
  };
}

function guardPool(pool: RawPool, settings: PoolGuardSettings): RawPool {
  pool.on('connection', (connection) => prepareConnection(connection, settings));
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let waiting = true;
    const timer = setTimeout(() => {
      waiting = false;
      callback(new DatabaseUnavailableError('ACQUIRE_TIMEOUT', `No database connection became free within ${settings.acquireMs} ms.`));
    }, settings.acquireMs);
    timer.unref();
    getConnection((error, connection) => {
      if (!waiting) {
        connection?.release(); // came too late: back to the pool for the next caller
        return;
      }
      waiting = false;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
  return pool;
}

function prepareConnection(connection: RawConnection, settings: PoolGuardSettings): void {
  keepPromiseWrapper(connection);
  if (settings.statementMs > 0) watchStatements(connection, settings.statementMs + WATCHDOG_GRACE_MS);
  // The handshake asks for utf8mb4 too, but a server may ignore it (character-set-client-handshake=OFF).
  const session = ["NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'"];
  if (settings.statementMs > 0) {
    session.push(
      settings.flavour === 'mariadb' ? `SESSION max_statement_time = ${settings.statementMs / 1000}` : `SESSION max_execution_time = ${settings.statementMs}`,
    );
  }
  // Queued before anything the pool's caller sends on this connection.
  connection.query(`SET ${session.join(', ')}`, (error: Error | null) => {
    if (error) connection.destroy();
  });
}

/**
 * TypeORM asks for the connection's promise wrapper on every statement, and mysql2 builds a new
 * one each time behind a `require()`: module resolution on every statement (about 1 % of a small
 * query's CPU). The wrapper holds nothing but the connection, so one per connection serves all.
 */
function keepPromiseWrapper(connection: RawConnection): void {
  const wrap = connection.promise.bind(connection);
  let wrapper: unknown;
  connection.promise = () => (wrapper ??= wrap());
}

function watchStatements(connection: RawConnection, limitMs: number): void {
  const query = connection.query;
  connection.query = function watchedQuery(this: RawConnection, sql: unknown, values?: unknown, callback?: unknown) {
    const done = (typeof values === 'function' ? values : callback) as Callback | undefined;
    const args = typeof values === 'function' ? [] : [values];
    if (!done) return query.call(this, sql, ...args);
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      connection.destroy();
      connection.stream?.destroy();
      done(new DatabaseUnavailableError('STATEMENT_TIMEOUT', `The database did not answer within ${limitMs} ms.`));
    }, limitMs);
    timer.unref();
    return query.call(this, sql, ...args, (error: Error | null, ...rest: unknown[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(error, ...rest);
    });
  };
}
