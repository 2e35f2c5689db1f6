import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig, DatabaseTimeouts } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';
import { guardedMysql2 } from './mysql-pool-guard';
import { RequestDeadlineSubscriber } from './request-deadline.subscriber';

/** Without configured timeouts (the TypeORM CLI, scripts): connect and acquire bounded, statements not. */
const UNBOUNDED_STATEMENTS: DatabaseTimeouts = { connectMs: 3000, acquireMs: 5000, statementMs: 0 };

/**
 * The one place that turns DATABASE_URL into a TypeORM DataSource: MySQL/MariaDB through mysql2,
 * or embedded SQLite through better-sqlite3. Schema changes only ever come from `migrations`.
 * `timeouts` bound every wait on the database; with `statementMs` > 0 a request's statements also
 * stop at its deadline (see RequestDeadlineSubscriber). Migrations run with `statementMs` 0.
 */
export async function createDataSource(
  database: DatabaseConfig,
  options: { logger?: DataSourceOptions['logger']; timeouts?: DatabaseTimeouts } = {},
): Promise<DataSource> {
  const timeouts = options.timeouts ?? UNBOUNDED_STATEMENTS;
  const subscribers = timeouts.statementMs > 0 ? [RequestDeadlineSubscriber] : [];
  const common = { entities, migrations, subscribers, synchronize: false, migrationsRun: false, logging: false, logger: options.logger } as const;
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets readers proceed during a write; foreign keys are off by default in SQLite;
      // secure_delete zeroes deleted content, so erased rows do not linger in free pages.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('secure_delete = ON');
        db.pragma('journal_mode = WAL');
        // How long a write waits for another process's lock before SQLITE_BUSY (SERVICE_UNAVAILABLE).
        db.pragma(`busy_timeout = ${timeouts.acquireMs}`);
        db.pragma('foreign_keys = ON');
      },
    });
  }
  // TypeORM reads MariaDB's catalogue differently from MySQL's, so it must know which it talks to.
  const flavour = (await isMariaDb(database.url, timeouts.connectMs)) ? 'mariadb' : 'mysql';
  return new DataSource({
    ...common,
    type: flavour,
    driver: guardedMysql2({ flavour, acquireMs: timeouts.acquireMs, statementMs: timeouts.statementMs }),
    url: database.url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    connectTimeout: timeouts.connectMs,
    poolSize: database.poolSize,
    // mysql2 captures a stack trace per statement (for its error's stack) unless told not to: a few
    // per cent of a small request's CPU. Database errors leave as SERVICE_UNAVAILABLE, logged by type.
    extra: { trace: false },
  });
}

async function isMariaDb(url: string, connectTimeout: number): Promise<boolean> {
  if (url.startsWith('mariadb:')) return true;
  const connection = await createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout }).catch((error: unknown) => {
    throw unreachable(url, error, connectTimeout);
  });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
    return String(rows[0]?.version).includes('MariaDB');
  } finally {
    await connection.end();
  }
}

/** Start-up's error for a database it cannot reach: names the host (never the credentials) and why. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function unreachable(url: string, error: unknown, connectTimeout: number): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || code.startsWith('ER_')) return error as Error; // reached, but refused us: main.ts says so
  const { hostname, port } = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const where = `${hostname}:${port || 3306}`;
  const why =
    code === 'ETIMEDOUT'
      ? `timed out after ${connectTimeout} ms`
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND'
          ? 'unknown host'
          : 'unreachable';
  return new DatabaseUnreachableError(`the database at ${where} is unreachable (${why}; check DATABASE_URL)`, code);
}
