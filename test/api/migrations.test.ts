import { createDataSource } from '../../src/db/data-source';
import { migrations } from '../../src/db/migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const open = async () => {
    const url = database.url;
    const dataSource = await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 });
    return dataSource.initialize();
  };

  it('build exactly the schema the entities describe, on this database', async () => {
    const dataSource = await open();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('revert cleanly, leaving no table behind, and apply again', async () => {
    const dataSource = await open();
    try {
      for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      const runner = dataSource.createQueryRunner();
      const left = [];
      for (const entity of dataSource.entityMetadatas) if (await runner.hasTable(entity.tableName)) left.push(entity.tableName);
      await runner.release();
      expect(left).toEqual([]);
      expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
    } finally {
      await dataSource.destroy();
    }
  });
});
