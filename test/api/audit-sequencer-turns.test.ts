import type { DataSource } from 'typeorm';
import { AuditCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditSequencer } from '../../src/audit/audit-sequencer';
import { AuditService } from '../../src/audit/audit.service';
import { createDataSource } from '../../src/db/data-source';
import { DataCategory } from '../../src/policy/data-category';
import type { AuditRecord } from '../../src/policy/request-privacy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ENTRIES = 1500;
// The module object itself (the one src/ requires), so a spy on it sees the sequencer's calls.
const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');

describe('the audit sequencer beside requests', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    const url = database.url;
    dataSource = await (
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 })
    ).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('hashes at most 100 entries between two turns of the event loop on MariaDB (a whole batch inside its transaction on SQLite) while it chains 1500, and the chain verifies', async () => {
    const checkpoints = await AuditCheckpoints.create(dataSource, {
      signingKey: { ...crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'audit-test' },
    });
    const sequencer = new AuditSequencer(checkpoints, { intervalMs: 5000, settleMs: 1000 });
    const audit = new AuditService(dataSource, checkpoints, { sequencedWithinMs: sequencer.sequencedWithinMs });
    const written = new Date(Date.now() - 60_000);
    const record = (index: number): AuditRecord => ({
      requestId: `request-${index}`,
      actorKind: 'MEMBER',
      actorId: 'member-1',
      ownerMemberId: 'member-1',
      field: 'Order.consigneePhone',
      category: DataCategory.CONTACT,
      outcome: 'ALLOW',
      code: null,
      purpose: 'SELF_SERVICE',
      occurredAt: written,
    });
    for (let from = 0; from < ENTRIES; from += 100) await audit.append(Array.from({ length: 100 }, (_, offset) => record(from + offset)));

    // Each entry's chain hash is one SHA-256 (audit-chain.ts); an immediate rescheduling itself
    // notes the most computed between two of its turns, i.e. while requests would have waited.
    const hashes = jest.spyOn(crypto, 'hash');
    let atLastTurn = 0;
    let mostInOneTurn = 0;
    let running = true;
    const tick = () => {
      mostInOneTurn = Math.max(mostInOneTurn, hashes.mock.calls.length - atLastTurn);
      atLastTurn = hashes.mock.calls.length;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const round = await sequencer.round();
    running = false;
    await new Promise((resolve) => setImmediate(resolve));
    hashes.mockRestore();

    expect(round.sequenced).toBe(ENTRIES);
    if (database.kind === 'mariadb') {
      expect(mostInOneTurn).toBeGreaterThan(0);
      expect(mostInOneTurn).toBeLessThanOrEqual(100);
    } else {
      // SQLite's transactions share its one connection: a batch gives no turn inside its transaction.
      expect(mostInOneTurn).toBeGreaterThanOrEqual(1000);
    }
    const chained = await dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
    expect(chained.map((row) => row.seq)).toEqual(Array.from({ length: ENTRIES }, (_, index) => index + 1));
    expect(await audit.verify({ full: true })).toMatchObject({ intact: true, checkedEntries: ENTRIES, unsequencedBacklog: 0 });
  });
});
