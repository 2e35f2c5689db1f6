import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';

/**
 * The one place that turns DATABASE_URL into a TypeORM DataSource: MySQL/MariaDB through mysql2,
 * or embedded SQLite through better-sqlite3. Schema changes only ever come from `migrations`.
 */
export async function createDataSource(database: DatabaseConfig, options: { logger?: DataSourceOptions['logger'] } = {}): Promise<DataSource> {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false, logger: options.logger } as const;
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
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    });
  }
  return new DataSource({
    ...common,
    // TypeORM reads MariaDB's catalogue differently from MySQL's, so it must know which it talks to.
    type: (await isMariaDb(database.url)) ? 'mariadb' : 'mysql',
    url: database.url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: database.poolSize,
  });
}

async function isMariaDb(url: string): Promise<boolean> {
  if (url.startsWith('mariadb:')) return true;
  const connection = await createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 5000 });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
    return String(rows[0]?.version).includes('MariaDB');
  } finally {
    await connection.end();
  }
}
