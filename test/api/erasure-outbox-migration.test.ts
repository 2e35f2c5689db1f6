import { randomUUID } from 'node:crypto';
import { createDataSource } from '../../src/db/data-source';
import { ErasureOutboxRetries1765584000000 } from '../../src/db/migrations/1765584000000-erasure-outbox-retries';
import { migrationsThrough } from '../support/migrations-through';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the erasure-outbox-retries migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('gives every undelivered notice a due time and revives the FAILED ones as FAILING, due at once', async () => {
    const url = database.url;
    const dataSource = migrationsThrough(
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 }),
      ErasureOutboxRetries1765584000000,
    );
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration({ transaction: 'each' });
      const ids = { pending: randomUUID(), failed: randomUUID(), delivered: randomUUID() };
      // In SQL: the entity has the columns this migration adds. A notice given up after 20 attempts, as before.
      for (const [state, id, attempts] of [
        ['PENDING', ids.pending, 3],
        ['FAILED', ids.failed, 20],
        ['DELIVERED', ids.delivered, 1],
      ] as const) {
        await dataSource.query(
          `INSERT INTO erasure_notice (id, member_id, request_id, recipient, subjects, state, attempts, created_at) VALUES (?, ?, ?, 'sf-express', NULL, ?, ?, '2026-01-02 03:04:05.678')`,
          [id, randomUUID(), randomUUID(), state, attempts],
        );
      }

      await dataSource.runMigrations({ transaction: 'each' });
      const rows: Array<{ id: string; state: string; attempts: number; next_attempt_at: unknown }> = await dataSource.query(
        `SELECT id, state, attempts, next_attempt_at FROM erasure_notice`,
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const at = (value: unknown) => (value === null ? null : new Date(value instanceof Date ? value : `${String(value).replace(' ', 'T')}Z`).toISOString());
      expect({ ...byId.get(ids.pending)!, next_attempt_at: at(byId.get(ids.pending)!.next_attempt_at) }).toMatchObject({
        state: 'PENDING',
        next_attempt_at: '2026-01-02T03:04:05.678Z',
      });
      expect({ ...byId.get(ids.failed)!, next_attempt_at: at(byId.get(ids.failed)!.next_attempt_at) }).toMatchObject({
        state: 'FAILING',
        next_attempt_at: '2026-01-02T03:04:05.678Z',
      });
      expect(byId.get(ids.delivered)).toMatchObject({ state: 'DELIVERED', next_attempt_at: null });

      await dataSource.undoLastMigration({ transaction: 'each' });
      const reverted: Array<{ id: string; state: string }> = await dataSource.query(`SELECT id, state FROM erasure_notice ORDER BY state`);
      expect(reverted.map((row) => row.state).sort()).toEqual(['DELIVERED', 'FAILED', 'PENDING']);
    } finally {
      await dataSource.destroy();
    }
  });
});
