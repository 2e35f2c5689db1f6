import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { chainHash } from '../../src/audit/audit-chain';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditSequencer } from '../../src/audit/audit-sequencer';
import { ChainVerifier } from '../../src/audit/chain-verifier';
import { MasterKeys } from '../../src/crypto';
import { createDataSource } from '../../src/db/data-source';
import { provideMigrationKeys } from '../../src/db/migration-keys';
import { AuditSequencer1765670400000 } from '../../src/db/migrations/1765670400000-audit-sequencer';
import { migrationsThrough } from '../support/migrations-through';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const GENESIS = '0'.repeat(64);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LegacyRow {
  seq: number;
  occurred_at: string;
  request_id: string;
  actor_kind: string;
  actor_id: string | null;
  owner_member_id: string;
  field: string;
  category: string;
  outcome: string;
  code: string | null;
  purpose: string | null;
  prev_hash: string;
  hash: string;
}

/** The HMAC chain as the gateway wrote it before this migration. */
function legacyHash(row: Omit<LegacyRow, 'hash'>, key: Buffer): string {
  const content = [
    row.prev_hash,
    row.seq,
    new Date(`${row.occurred_at.replace(' ', 'T')}Z`).toISOString(),
    row.request_id,
    row.actor_kind,
    row.actor_id,
    row.owner_member_id,
    row.field,
    row.category,
    row.outcome,
    row.code,
    row.purpose,
  ];
  return createHmac('sha256', key).update(JSON.stringify(content)).digest('hex');
}
const legacyMac = (key: Buffer, lastSeq: number, lastHash: string) =>
  createHmac('sha256', key).update(`head:${lastSeq}:${lastHash}:0:${GENESIS}`).digest('hex');

describe('the audit sequencer migration', () => {
  let database: TestDatabase;
  const secret = randomBytes(32);
  const key = new MasterKeys(secret).auditKey;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const open = async (withKeys: boolean): Promise<DataSource> => {
    const url = database.url;
    const dataSource = migrationsThrough(
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 }),
      AuditSequencer1765670400000,
    );
    if (withKeys) provideMigrationKeys(dataSource, secret);
    return dataSource.initialize();
  };

  /** Three entries chained with the HMAC, and the head with its MAC, as the previous version left them. */
  const writeLegacyChain = async (dataSource: DataSource): Promise<LegacyRow[]> => {
    let previous = GENESIS;
    const rows: LegacyRow[] = [];
    for (let seq = 1; seq <= 3; seq += 1) {
      const row = {
        seq,
        occurred_at: `2026-01-0${seq} 10:00:00.000`,
        request_id: randomUUID(),
        actor_kind: 'SUPPORT',
        actor_id: 'agent-1',
        owner_member_id: randomUUID(),
        field: 'Member.phone',
        category: 'CONTACT',
        outcome: 'MASK',
        code: null,
        purpose: `TICKET-${seq}`,
        prev_hash: previous,
      };
      const hash = legacyHash(row, key);
      rows.push({ ...row, hash });
      previous = hash;
      await dataSource.query(
        'INSERT INTO audit_event (seq, occurred_at, request_id, actor_kind, actor_id, owner_member_id, field, category, outcome, code, purpose, prev_hash, hash) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          seq,
          row.occurred_at,
          row.request_id,
          row.actor_kind,
          row.actor_id,
          row.owner_member_id,
          row.field,
          row.category,
          row.outcome,
          null,
          row.purpose,
          row.prev_hash,
          hash,
        ],
      );
    }
    await dataSource.query('UPDATE audit_chain_head SET last_seq = ?, last_hash = ?, mac = ? WHERE id = 1', [3, previous, legacyMac(key, 3, previous)]);
    return rows;
  };

  it('re-chains existing entries with SHA-256 under their seq after checking the HMAC chain, keeps their data, and reverts to the HMAC chain', async () => {
    const dataSource = await open(true);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration({ transaction: 'each' });
      const legacy = await writeLegacyChain(dataSource);

      expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(1);
      const rows = await dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
      expect(rows.map((row) => [row.seq, row.purpose, row.requestId, row.occurredAt.toISOString()])).toEqual(
        legacy.map((row) => [row.seq, row.purpose, row.request_id, `${row.occurred_at.replace(' ', 'T')}Z`]),
      );
      let previous = GENESIS;
      for (const row of rows) {
        expect(row.id).toMatch(UUID_V7);
        expect(row.prevHash).toBe(previous);
        expect(row.hash).toBe(chainHash({ ...row, seq: row.seq! }));
        previous = row.hash!;
      }
      const [head] = await dataSource.query('SELECT * FROM audit_chain_head');
      expect(head).toEqual({ id: 1, last_seq: 3, last_hash: previous, base_seq: 0, base_hash: GENESIS });
      // Before the first checkpoint, the chain checks out from the head row's base; the first sequencer round signs it.
      const checkpoints = await AuditCheckpoints.create(dataSource, {
        signingKey: { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'audit-test' },
      });
      const verifier = new ChainVerifier(checkpoints.verifier);
      expect(await verifier.check(dataSource.manager, { full: true })).toMatchObject({ intact: true, checkedEntries: 3, checkpointSize: null });
      const sequencer = new AuditSequencer(checkpoints, { intervalMs: 5000, settleMs: 20_000 });
      expect(await sequencer.round()).toMatchObject({ sequenced: 0 });
      expect(await verifier.check(dataSource.manager, { full: true })).toMatchObject({ intact: true, checkedEntries: 3, checkpointSize: 3 });

      await dataSource.undoLastMigration({ transaction: 'each' });
      const reverted: LegacyRow[] = await dataSource.query('SELECT * FROM audit_event ORDER BY seq');
      expect(reverted.map((row) => [Number(row.seq), row.prev_hash, row.hash])).toEqual(legacy.map((row) => [row.seq, row.prev_hash, row.hash]));
      const [oldHead] = await dataSource.query('SELECT * FROM audit_chain_head');
      expect(oldHead.mac).toBe(legacyMac(key, 3, legacy[2]!.hash));
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses, changing nothing, when the existing HMAC chain does not verify or the master key is not lent', async () => {
    const dataSource = await open(true);
    try {
      await dataSource.query("UPDATE audit_event SET purpose = 'nothing to see' WHERE seq = 2");
      await expect(dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(
        'the existing audit chain does not verify at entry 2; nothing was changed',
      );
      expect(await dataSource.query('SELECT seq FROM audit_event ORDER BY seq')).toHaveLength(3);
      expect(await dataSource.createQueryRunner().hasTable('audit_checkpoint')).toBe(false);
    } finally {
      await dataSource.destroy();
    }
    const keyless = await open(false);
    try {
      await expect(keyless.runMigrations({ transaction: 'each' })).rejects.toThrow('needs the master key');
      expect(await keyless.createQueryRunner().hasColumn('audit_event', 'id')).toBe(false);
    } finally {
      await keyless.destroy();
    }
  });
});
