import { createHash, createHmac } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, Table, TableColumn, type TableColumnOptions, TableIndex } from 'typeorm';
import { newTimeOrderedId } from '../../common/time-ordered-id';
import { MasterKeys } from '../../crypto';
import { migrationKeys } from '../migration-keys';

const SLICE = 200;
const CONTENT = ['occurred_at', 'request_id', 'actor_kind', 'actor_id', 'owner_member_id', 'field', 'category', 'outcome', 'code', 'purpose'] as const;

interface Row {
  id?: string;
  seq: number | null;
  occurred_at: Date | string;
  request_id: string;
  actor_kind: string;
  actor_id: string | null;
  owner_member_id: string;
  field: string;
  category: string;
  outcome: string;
  code: string | null;
  purpose: string | null;
  prev_hash: string | null;
  hash: string | null;
}

interface Head {
  last_seq: number;
  last_hash: string;
  base_seq: number;
  base_hash: string;
  mac?: string;
}

const contentColumns: TableColumnOptions[] = [
  { name: 'occurred_at', type: 'datetime', precision: 3 },
  { name: 'request_id', type: 'varchar', length: '64' },
  { name: 'actor_kind', type: 'varchar', length: '24' },
  { name: 'actor_id', type: 'varchar', length: '128', isNullable: true },
  { name: 'owner_member_id', type: 'varchar', length: '36' },
  { name: 'field', type: 'varchar', length: '96' },
  { name: 'category', type: 'varchar', length: '24' },
  { name: 'outcome', type: 'varchar', length: '8' },
  { name: 'code', type: 'varchar', length: '32', isNullable: true },
  { name: 'purpose', type: 'varchar', length: '200', isNullable: true },
];

/**
 * The audit trail without a global lock on the request path: entries get an app-made,
 * time-ordered id (a UUIDv7) as primary key and are written with seq, prev_hash and hash null;
 * the audit sequencer chains them later and signs checkpoints (audit_checkpoint). The chain hash
 * becomes a plain SHA-256 (verifiable with the public audit key alone) instead of an HMAC under the
 * master key: existing entries keep their seq and are re-chained with it, after their HMAC chain
 * was checked with the master key, so the new chain vouches only for what the old one did (a
 * broken old chain stops the migration, nothing changed). The head row loses its MAC (the signed
 * checkpoints replace it). Existing rows need the master key (the gateway and ormconfig lend it).
 * The table is rebuilt rather than altered: its primary key changes, on SQLite too.
 */
export class AuditSequencer1765670400000 implements MigrationInterface {
  name = 'AuditSequencer1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const head = await readHead(queryRunner);
    // Before any DDL (MariaDB commits DDL at once): a refusal leaves everything as it was.
    const key = await legacyKey(queryRunner, 're-chaining the existing audit entries');
    if (key) await checkLegacyChain(queryRunner, head, key);
    await queryRunner.createTable(
      new Table({
        name: 'audit_event_next',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer', isNullable: true },
          ...contentColumns,
          { name: 'prev_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'hash', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    let previous = head.base_hash;
    await eachSlice(queryRunner, 'seq', async (rows) => {
      for (const row of rows) {
        row.id = newTimeOrderedId(toDate(row.occurred_at).getTime());
        row.prev_hash = previous;
        row.hash = sha256Hash(row);
        previous = row.hash;
      }
      await insertSlice(queryRunner, 'audit_event_next', ['id', 'seq', ...CONTENT, 'prev_hash', 'hash'], rows);
    });
    await queryRunner.dropTable('audit_event');
    await queryRunner.renameTable('audit_event_next', 'audit_event');
    await queryRunner.createIndices('audit_event', [
      new TableIndex({ name: 'ix_audit_event_owner', columnNames: ['owner_member_id', 'occurred_at', 'id'] }),
      new TableIndex({ name: 'uq_audit_event_seq', columnNames: ['seq'], isUnique: true }),
      new TableIndex({ name: 'ix_audit_event_unsequenced', columnNames: ['seq', 'occurred_at', 'id'] }),
    ]);
    await queryRunner.query('UPDATE audit_chain_head SET last_hash = ? WHERE id = 1', [previous]);
    await queryRunner.dropColumn('audit_chain_head', 'mac');
    await queryRunner.createTable(
      new Table({
        name: 'audit_checkpoint',
        columns: [
          { name: 'size', type: 'integer', isPrimary: true },
          { name: 'base', type: 'integer', isPrimary: true },
          { name: 'head', type: 'varchar', length: '64' },
          { name: 'base_head', type: 'varchar', length: '64' },
          { name: 'issued_at', type: 'datetime', precision: 3 },
          { name: 'jws', type: 'text' },
          { name: 'verified_at', type: 'datetime', precision: 3, isNullable: true },
        ],
      }),
    );
  }

  /** Back to the HMAC chain: unsequenced entries are chained after the others, in (occurred_at, id) order. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const head = await readHead(queryRunner);
    const key = await legacyKey(queryRunner, 're-chaining the audit entries with the master key');
    await queryRunner.dropTable('audit_checkpoint');
    await queryRunner.createTable(
      new Table({
        name: 'audit_event_prev',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          ...contentColumns,
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    let previous = head.base_hash;
    let seq = head.base_seq;
    const chain = async (rows: Row[]) => {
      for (const row of rows) {
        seq += 1;
        row.seq = seq;
        row.prev_hash = previous;
        row.hash = hmacHash(row, key!);
        previous = row.hash;
      }
      await insertSlice(queryRunner, 'audit_event_prev', ['seq', ...CONTENT, 'prev_hash', 'hash'], rows);
    };
    await eachSlice(queryRunner, 'seq', chain);
    await eachSlice(queryRunner, 'unsequenced', chain);
    await queryRunner.dropTable('audit_event');
    await queryRunner.renameTable('audit_event_prev', 'audit_event');
    await queryRunner.createIndices('audit_event', [
      new TableIndex({ name: 'ix_audit_event_owner', columnNames: ['owner_member_id', 'seq'] }),
      new TableIndex({ name: 'ix_audit_event_occurred', columnNames: ['occurred_at'] }),
    ]);
    await queryRunner.addColumn('audit_chain_head', new TableColumn({ name: 'mac', type: 'varchar', length: '64', default: "''" }));
    await queryRunner.changeColumn('audit_chain_head', 'mac', new TableColumn({ name: 'mac', type: 'varchar', length: '64' }));
    const mac = seq === 0 || !key ? '' : headMac(key, seq, previous, head.base_seq, head.base_hash);
    await queryRunner.query('UPDATE audit_chain_head SET last_seq = ?, last_hash = ?, mac = ? WHERE id = 1', [seq, previous, mac]);
  }
}

async function readHead(queryRunner: QueryRunner): Promise<Head> {
  const [head] = (await queryRunner.query('SELECT * FROM audit_chain_head WHERE id = 1')) as Head[];
  if (!head) throw new Error('the audit chain head row is missing');
  return { ...head, last_seq: Number(head.last_seq), base_seq: Number(head.base_seq) };
}

/** The legacy HMAC key, when entries exist; refuses without the master key then (nothing changed yet). */
async function legacyKey(queryRunner: QueryRunner, purpose: string): Promise<Buffer | null> {
  const [{ n }] = (await queryRunner.query('SELECT COUNT(*) AS n FROM audit_event')) as Array<{ n: number | string }>;
  if (Number(n) === 0) return null;
  const secret = migrationKeys(queryRunner.connection);
  if (!secret) throw new Error(`${purpose} needs the master key: run migrations through the gateway or \`npm run migration:run\``);
  return new MasterKeys(secret).auditKey;
}

/** The entries as the HMAC chain left them must verify, head MAC included; else nothing is re-chained. */
async function checkLegacyChain(queryRunner: QueryRunner, head: Head, key: Buffer): Promise<void> {
  let previous = head.base_hash;
  let expected = head.base_seq + 1;
  await eachSlice(queryRunner, 'seq', async (rows) => {
    for (const row of rows) {
      if (row.seq !== expected || row.prev_hash !== previous || row.hash !== hmacHash(row, key)) {
        throw new Error(`the existing audit chain does not verify at entry ${expected}; nothing was changed (restore the audit entries first)`);
      }
      previous = row.hash;
      expected += 1;
    }
  });
  const lastSeq = expected - 1;
  if (
    head.last_seq !== lastSeq ||
    head.last_hash !== previous ||
    (lastSeq > 0 && head.mac !== headMac(key, lastSeq, previous, head.base_seq, head.base_hash))
  ) {
    throw new Error(`the existing audit chain head does not match its entries (entry ${lastSeq}); nothing was changed`);
  }
}

/** Entries in slices: sequenced ones by seq (keyset), or the unsequenced ones by (occurred_at, id). */
async function eachSlice(queryRunner: QueryRunner, which: 'seq' | 'unsequenced', work: (rows: Row[]) => Promise<void>): Promise<void> {
  let after = -1;
  for (let offset = 0; ; offset += SLICE) {
    const rows: Row[] =
      which === 'seq'
        ? await queryRunner.query(`SELECT * FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ${SLICE}`, [after])
        : await queryRunner.query(`SELECT * FROM audit_event WHERE seq IS NULL ORDER BY occurred_at, id LIMIT ${SLICE} OFFSET ${offset}`);
    const slice = rows.map((row) => ({ ...row, seq: row.seq === null ? null : Number(row.seq) }));
    after = slice.at(-1)?.seq ?? after;
    await work(slice);
    if (rows.length < SLICE) return;
  }
}

async function insertSlice(queryRunner: QueryRunner, table: string, columns: string[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
  await queryRunner.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`,
    rows.flatMap((row) => columns.map((column) => row[column as keyof Row] ?? null)),
  );
}

/** Raw datetime values: a Date from MariaDB, UTC text from SQLite. */
function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

function content(row: Row): unknown[] {
  return [
    toDate(row.occurred_at).toISOString(),
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
}

/** The chain hash as src/audit/audit-chain.ts computes it at this migration (copied: a migration must not change later). */
function sha256Hash(row: Row): string {
  return createHash('sha256')
    .update(JSON.stringify(['audit-chain/v2', row.prev_hash, row.seq, row.id, ...content(row)]))
    .digest('hex');
}

/** The chain hash before this migration: an HMAC under the master key's audit key. */
function hmacHash(row: Row, key: Buffer): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([row.prev_hash, row.seq, ...content(row)]))
    .digest('hex');
}

function headMac(key: Buffer, lastSeq: number, lastHash: string, baseSeq: number, baseHash: string): string {
  return createHmac('sha256', key).update(`head:${lastSeq}:${lastHash}:${baseSeq}:${baseHash}`).digest('hex');
}
