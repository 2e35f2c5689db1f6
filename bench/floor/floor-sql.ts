import Database from 'better-sqlite3';
import { createPool, type ExecuteValues } from 'mysql2/promise';

/**
 * The floor's one way to the database: hand-written SQL with `?` placeholders, rows as plain
 * objects, datetimes as the stored `YYYY-MM-DD HH:MM:SS[.mmm]` text (UTC). Counts statements.
 */
export interface FloorSql {
  statements: number;
  all<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

/** better-sqlite3 on the gateway's file, statements prepared once per text. */
export function sqliteSql(path: string): FloorSql {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const prepared = new Map<string, Database.Statement>();
  const sql: FloorSql = {
    statements: 0,
    async all<Row>(text: string, params: readonly unknown[]) {
      sql.statements += 1;
      let statement = prepared.get(text);
      if (!statement) prepared.set(text, (statement = db.prepare(text)));
      return statement.all(...params) as Row[];
    },
  };
  return sql;
}

/** A mysql2 pool of `connections`, server-side prepared statements (cached per connection). */
export function mysqlSql(url: string, connections: number): FloorSql {
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: connections,
    // As the gateway stores them (TypeORM with timezone 'Z'); kept as text, converted once.
    timezone: 'Z',
    dateStrings: true,
    charset: 'utf8mb4_unicode_ci',
  });
  const sql: FloorSql = {
    statements: 0,
    async all<Row>(text: string, params: readonly unknown[]) {
      sql.statements += 1;
      const [rows] = await pool.execute(text, params as ExecuteValues[]);
      return rows as Row[];
    },
  };
  return sql;
}

/** `?, ?, ?` for an IN list of `count` values. */
export const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/**
 * The stored datetime text as the gateway's DateTime scalar prints it (ISO 8601, UTC, milliseconds).
 * SQLite holds `YYYY-MM-DD HH:MM:SS.mmm`; mysql2 leaves out a zero fraction.
 */
export const isoDate = (stored: string) => `${stored.slice(0, 10)}T${stored.slice(11, 19)}.${`${stored.slice(20)}000`.slice(0, 3)}Z`;
