import { existsSync, readFileSync } from 'node:fs';
import type { TestGateway } from './test-gateway';

/**
 * Where each text is stored in plaintext, read the way an attacker with the storage would: every
 * row of every table (SELECT *), and on SQLite the raw bytes of the database file and its WAL.
 * Returns `row:<table>:<text>` and `file:<suffix>:<text>` hits; empty when found nowhere.
 */
export async function findInStorage(t: TestGateway, texts: string[]): Promise<string[]> {
  const hits: string[] = [];
  const sqlite = t.database.kind === 'sqlite';
  const tables: string[] = sqlite
    ? (await t.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((row: { name: string }) => row.name)
    : (await t.dataSource.query('SHOW TABLES')).map((row: Record<string, string>) => Object.values(row)[0]!);
  for (const table of tables) {
    const rows: unknown[] = await t.dataSource.query(sqlite ? `SELECT * FROM "${table}"` : `SELECT * FROM \`${table}\``);
    const dump = JSON.stringify(rows, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value));
    for (const text of texts) if (dump.includes(text)) hits.push(`row:${table}:${text}`);
  }
  if (sqlite) {
    const path = t.database.url.slice('sqlite:'.length);
    for (const suffix of ['', '-wal', '-journal']) {
      if (!existsSync(path + suffix)) continue;
      const bytes = readFileSync(path + suffix);
      for (const text of texts) if (bytes.includes(Buffer.from(text, 'utf8'))) hits.push(`file:${suffix || 'main'}:${text}`);
    }
  }
  return hits;
}
