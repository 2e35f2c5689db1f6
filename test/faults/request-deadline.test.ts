import { runInRequestScope } from '../../src/common/request-scope';
import { createDataSource } from '../../src/db/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('work of a request whose deadline has passed', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    process.env.TEST_DATABASE = 'sqlite';
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('sends no further statement, COMMIT included, so its open transaction rolls back', async () => {
    const dataSource = await createDataSource(
      { kind: 'sqlite', path: database.url.slice('sqlite:'.length) },
      { timeouts: { connectMs: 1000, acquireMs: 200, statementMs: 1000 } },
    );
    await dataSource.initialize();
    try {
      await dataSource.query('CREATE TABLE probe (value TEXT)');
      const scope = { requestId: 'r-1', deadline: Date.now() + 60_000, failureLogged: false };
      const work = runInRequestScope(scope, () =>
        dataSource.transaction(async (manager) => {
          await manager.query(`INSERT INTO probe (value) VALUES ('half-written')`);
          scope.deadline = Date.now(); // the deadline passes mid-transaction
          await manager.query('SELECT 1');
        }),
      );
      await expect(work).rejects.toMatchObject({ code: 'REQUEST_DEADLINE' });
      expect(await dataSource.query('SELECT COUNT(*) AS n FROM probe')).toEqual([{ n: 0 }]);
      // Outside any request (background jobs) nothing is refused.
      await dataSource.query(`INSERT INTO probe (value) VALUES ('job')`);
    } finally {
      await dataSource.destroy();
    }
  });
});
