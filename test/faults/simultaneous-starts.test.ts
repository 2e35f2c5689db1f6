import { migrationNames, migrationsApplied } from '../support/migrations-applied';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('several instances starting together on one empty MariaDB database', () => {
  let database: TestDatabase;
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    // The shared MariaDB server, a fresh database of this test's own (nothing is frozen or killed here).
    process.env.TEST_DATABASE = 'mariadb';
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await database?.drop();
  });

  it('brings all three up and applies each migration exactly once', async () => {
    const started = await Promise.allSettled([1, 2, 3].map(() => startTestGateway({}, { database })));
    for (const result of started) if (result.status === 'fulfilled') gateways.push(result.value);
    expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'up'))).toEqual(['up', 'up', 'up']);

    const applied = await migrationsApplied(database.url);
    expect(applied.names).toEqual(migrationNames());
    expect(applied.notOnce).toEqual([]);
    for (const gateway of gateways) expect((await fetch(`${gateway.origin}/readyz`)).status).toBe(200);
  });
});
