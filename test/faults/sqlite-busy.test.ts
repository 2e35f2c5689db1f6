import Database from 'better-sqlite3';
import { ME, registerMember } from '../support/members';
import { orderInput, PLACE } from '../support/storefront';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { CapturedLog, printTimings, record, timedRequest } from './support';

describe('an SQLite file whose write lock another process holds', () => {
  let database: TestDatabase;
  let t: TestGateway;
  const log = new CapturedLog();

  beforeAll(async () => {
    process.env.TEST_DATABASE = 'sqlite';
    database = await createTestDatabase();
    t = await startTestGateway({ DATABASE_ACQUIRE_TIMEOUT_MS: '200', LOG_LEVEL: 'info' }, { database, logDestination: log.destination });
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
    printTimings('SQLite busy timings (ms)');
  });

  it('answers a write SERVICE_UNAVAILABLE after the busy timeout, logged once, and keeps serving reads', async () => {
    const alice = await registerMember(t.client);
    const other = new Database(database.url.slice('sqlite:'.length));
    other.exec('BEGIN IMMEDIATE');
    try {
      const place = await timedRequest(t.client, PLACE, { input: orderInput() }, alice.accessToken);
      record('sqlite busy placeOrder', place.ms);
      expect(place.result.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(log.failuresOf(place.result.headers.get('x-request-id'))).toHaveLength(1);
      const me = await t.client.request(ME, {}, { token: alice.accessToken });
      expect(me.data!.me.memberName).toBe(alice.input.memberName);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const again = await t.client.request(PLACE, { input: orderInput() }, { token: alice.accessToken });
    expect(again.errors).toBeUndefined();
  });
});
