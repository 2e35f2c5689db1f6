import { randomUUID } from 'node:crypto';
import { RecommendationAggregates1764979200000 } from '../../src/db/migrations/1764979200000-recommendation-aggregates';
import { migrationsThrough } from '../support/migrations-through';
import { createDataSource } from '../../src/db/data-source';
import { ConsentEventEntity } from '../../src/consent/consent-event.entity';
import { ConsentPurpose } from '../../src/consent/consent-purpose';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the recommendation-aggregates migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('keeps product ids only for members whose latest PERSONALIZATION decision is a grant, and keeps every earlier decision', async () => {
    const url = database.url;
    const dataSource = migrationsThrough(
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 }),
      RecommendationAggregates1764979200000,
    );
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration({ transaction: 'each' });
      const [consenting, withdrawn, never] = [randomUUID(), randomUUID(), randomUUID()];
      const decision = (memberId: string, seq: number, granted: boolean, purpose = ConsentPurpose.PERSONALIZATION) => ({
        id: randomUUID(),
        memberId,
        purpose,
        granted,
        method: 'EXPLICIT',
        channel: 'web',
        policyVersion: null,
        guardianSealed: null,
        createdAt: new Date(),
        seq,
      });
      await dataSource
        .getRepository(ConsentEventEntity)
        .insert([
          decision(consenting, 1, false),
          decision(consenting, 2, true),
          decision(withdrawn, 1, true),
          decision(withdrawn, 2, false),
          decision(never, 1, true, ConsentPurpose.MARKETING),
        ]);
      for (const memberId of [consenting, withdrawn, never]) {
        // In SQL, not through the entity: it has columns later migrations add.
        await dataSource.query(`INSERT INTO browsing_event (member_id, kind, product_id, occurred_at) VALUES (?, 'CART_ADD', 'sku-1', '2026-01-01 10:00:00')`, [
          memberId,
        ]);
      }
      // Two decisions of one member on one day, as the gateway made them before the rule.
      for (let i = 0; i < 2; i += 1) {
        await dataSource.query(
          `INSERT INTO automated_decision (id, member_id, kind, detail, decided_at) VALUES (?, ?, 'RECOMMENDATION', 'sealed', '2026-01-01 10:00:00')`,
          [randomUUID(), consenting],
        );
      }

      await dataSource.runMigrations({ transaction: 'each' });
      const rows: Array<{ member_id: string; product_id: string | null }> = await dataSource.query('SELECT member_id, product_id FROM browsing_event');
      const productOf = (memberId: string) => rows.find((row) => row.member_id === memberId)!.product_id;
      expect([productOf(consenting), productOf(withdrawn), productOf(never)]).toEqual(['sku-1', null, null]);
      const [{ n }] = (await dataSource.query(`SELECT COUNT(*) AS n FROM automated_decision`)) as Array<{ n: number | string }>;
      expect(Number(n)).toBe(2);
    } finally {
      await dataSource.destroy();
    }
  });
});
