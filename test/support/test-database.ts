import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  kind: 'sqlite' | 'mariadb';
  /** DATABASE_URL for the gateway. */
  url: string;
  drop(): Promise<void>;
}

const MARIADB_SERVER = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * A fresh, empty database for one test file: a temporary SQLite file, or a `t_<random>` database
 * on the MariaDB server (dropped afterwards). The project (jest.config.js) chooses which. When
 * MariaDB is unreachable the test fails with how to fix it; it is never skipped.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DATABASE !== 'mariadb') {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-sqlite-'));
    return { kind: 'sqlite', url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection({ uri: MARIADB_SERVER, connectTimeout: 5000 }).catch((error: Error) => {
    throw new Error(
      `MariaDB is not reachable at ${MARIADB_SERVER} (${error.message}). Start it with ` +
        '`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, or run `npm run test:sqlite`.',
    );
  });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    kind: 'mariadb',
    url: `${MARIADB_SERVER}/${name}`,
    drop: async () => {
      const connection = await createConnection({ uri: MARIADB_SERVER });
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
