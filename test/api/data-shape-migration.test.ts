import { randomUUID } from 'node:crypto';
import { createDataSource } from '../../src/db/data-source';
import { DataShape1765411200000 } from '../../src/db/migrations/1765411200000-data-shape';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { migrationsThrough } from '../support/migrations-through';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Raw rows: a Date from MariaDB, UTC text from SQLite. */
const iso = (value: Date | string) => (value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)).toISOString();

describe('the data-shape migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('gives existing orders and browsing events distinct random public ids, keeps their rows and times, and reverts', async () => {
    const url = database.url;
    const dataSource = migrationsThrough(
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 }),
      DataShape1765411200000,
    );
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration({ transaction: 'each' });
      const memberId = randomUUID();
      // In SQL, not through the entities: they have the columns this migration adds.
      for (let i = 0; i < 3; i += 1) {
        await dataSource.query(
          `INSERT INTO purchase_order (number, member_id, status, total_minor, currency, consignee_name, delivery_address, consignee_phone, payment_method, placed_at)
           VALUES (?, ?, 'PLACED', 100, 'CNY', 'x', 'x', 'x', 'ALIPAY', '2026-01-0${i + 1} 10:00:00')`,
          [`O-${i}-${memberId.slice(0, 8)}`, memberId],
        );
        await dataSource.query(`INSERT INTO browsing_event (member_id, kind, occurred_at) VALUES (?, 'PAGE_VIEW', '2026-01-0${i + 1} 10:00:00')`, [memberId]);
      }

      expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(1);
      for (const table of ['purchase_order', 'browsing_event']) {
        const time = table === 'purchase_order' ? 'placed_at' : 'occurred_at';
        const rows: Array<{ id: number; public_id: string; at: Date | string }> = await dataSource.query(
          `SELECT id, public_id, ${time} AS at FROM ${table} ORDER BY id`,
        );
        expect(rows).toHaveLength(3);
        for (const row of rows) expect(row.public_id).toMatch(UUID);
        expect(new Set(rows.map((row) => row.public_id)).size).toBe(3);
        expect(rows.map((row) => iso(row.at))).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z']);
      }

      await dataSource.undoLastMigration({ transaction: 'each' });
      const [order] = await dataSource.query('SELECT * FROM purchase_order');
      expect(order).not.toHaveProperty('public_id');
      expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM browsing_event'))[0].n)).toBe(3);
    } finally {
      await dataSource.destroy();
    }
  });
});
