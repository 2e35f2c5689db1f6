import { createConnection } from 'mysql2/promise';
import { migrations } from '../../src/db/migrations';

/** How many times each migration is recorded in a MariaDB database's `migrations` table, by name. */
export async function migrationsApplied(databaseUrl: string): Promise<{ names: string[]; notOnce: Array<{ name: string; times: number }> }> {
  const connection = await createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query('SELECT name, COUNT(*) AS times FROM migrations GROUP BY name');
    const applied = (rows as Array<{ name: string; times: number | string }>).map((row) => ({ name: row.name, times: Number(row.times) }));
    return { names: applied.map((row) => row.name).sort(), notOnce: applied.filter((row) => row.times !== 1) };
  } finally {
    await connection.end();
  }
}

/** Every registered migration's name, sorted (what `migrationsApplied(...).names` should equal). */
export const migrationNames = (): string[] => migrations.map((migration) => migration.name).sort();
