import { Between, type EntityManager, Equal } from 'typeorm';
import { EntityRows, sqlLimit } from '../db/entity-rows';
import { transactionTurns } from '../db/transaction-turns';
import { chainHash } from './audit-chain';
import { AuditChainHeadEntity } from './audit-chain-head.entity';
import { AuditChainMismatchError, type AuditCheckpoints, latestRow } from './audit-checkpoints';
import { AuditEventEntity } from './audit-event.entity';
import type { CheckpointPayload } from './signing/checkpoint-payload';

/** Entries per batch: one transaction, one checkpoint. */
const BATCH = 1000;
/** A round stops after this many batches (the next round goes on), so one round stays short. */
const MAX_BATCHES_PER_ROUND = 100;
/** Entries per UPDATE statement. */
const ROWS_PER_UPDATE = 200;
/**
 * Entries read or hashed between two turns of the event loop: the round runs in an instance that
 * also answers requests, and a batch converted and hashed at once held them up for 20–30 ms (no
 * turns on SQLite: see transaction-turns.ts).
 */
const ROWS_PER_TURN = 100;

export interface SequencerSettings {
  /** How often a round runs (across all instances: the job's lease lets one run per period). */
  intervalMs: number;
  /**
   * How long a written entry is left alone before it is chained: longer than any transaction
   * that writes one can stay open (see README, "Audit trail"), so no entry commits into the
   * past of the chain.
   */
  settleMs: number;
}

export interface SequencerRound {
  sequenced: number;
  /** The last checkpoint the round signed, if it sequenced anything. */
  checkpoint: CheckpointPayload | null;
}

/**
 * Orders written audit entries into the hash chain. Run as one leased job across all instances
 * ('audit-sequencer' in src/background-jobs.ts, every AUDIT_SEQUENCE_INTERVAL_SECONDS). A round
 * takes the unsequenced entries written more than `settleMs` ago in (occurredAt, id) order, in
 * batches: each batch, in one transaction under the chain-head lock, gives its entries seq,
 * prev_hash and hash, moves the head and signs a checkpoint. Selection is by `seq IS NULL`, so no
 * entry is ever skipped whatever its timestamp; the margin keeps the chain in time order (a
 * transaction may commit after a later one: an entry committing late with an earlier occurredAt
 * would otherwise be chained after newer ones), which retention's removal of a prefix of the chain
 * relies on. Reads of audit_event take no locks, so request-path inserts never wait for a round;
 * two rounds at once (a lease holder stalled past its lease) serialise on the head lock, and the
 * head's compare-and-set and `seq IS NULL` make the later one roll back rather than chain twice.
 */
export class AuditSequencer {
  static readonly JOB = 'audit-sequencer';

  private eventRows?: EntityRows<AuditEventEntity>;

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    private readonly settings: SequencerSettings,
  ) {}

  /**
   * The longest an entry stays unsequenced while the gateway runs: the margin, plus a lost lease
   * holder's period running out and the next tick, plus time for the round itself. Older
   * unsequenced entries are a backlog.
   */
  get sequencedWithinMs(): number {
    return this.settings.settleMs + 3 * this.settings.intervalMs + 30_000;
  }

  /** One round: batches until nothing older than the margin is left (or a round's worth is done). `now` is the job's clock. */
  async round(now: Date = new Date()): Promise<SequencerRound> {
    const cutoff = new Date(now.getTime() - this.settings.settleMs);
    let sequenced = 0;
    let checkpoint: CheckpointPayload | null = null;
    for (let batch = 0; batch < MAX_BATCHES_PER_ROUND; batch += 1) {
      const result = await this.checkpoints.exclusive(() => this.checkpoints.transaction((manager) => this.batch(manager, cutoff, now)));
      if (!result) break;
      sequenced += result.count;
      checkpoint = result.checkpoint;
      if (result.count < BATCH) break;
    }
    return { sequenced, checkpoint };
  }

  private async batch(manager: EntityManager, cutoff: Date, now: Date): Promise<{ count: number; checkpoint: CheckpointPayload } | null> {
    const head = await this.checkpoints.lockHead(manager);
    if (head.lastSeq > head.baseSeq && !(await latestRow(manager))) await this.adopt(manager, head, now);
    const events = this.events(manager);
    const turn = transactionTurns(manager, ROWS_PER_TURN);
    const rows = await events.selectInTurns(
      manager,
      'e',
      `WHERE ${events.ref('e', 'seq')} IS NULL AND ${events.ref('e', 'occurredAt')} < ? ORDER BY ${events.ref('e', 'occurredAt')}, ${events.ref('e', 'id')} ${sqlLimit(BATCH)}`,
      [events.parameter('occurredAt', cutoff)],
      turn,
    );
    if (rows.length === 0) return null;
    let seq = head.lastSeq;
    let previous = head.lastHash;
    for (const [index, row] of rows.entries()) {
      const wait = turn(index);
      if (wait) await wait; // not `await undefined`: a microtask per entry adds up over a thousand
      seq += 1;
      row.seq = seq;
      row.prevHash = previous;
      row.hash = chainHash(row as AuditEventEntity & { seq: number });
      previous = row.hash;
    }
    for (let at = 0; at < rows.length; at += ROWS_PER_UPDATE) await assignPositions(manager, rows.slice(at, at + ROWS_PER_UPDATE));
    const moved = await manager.update(AuditChainHeadEntity, { id: 1, lastSeq: Equal(head.lastSeq) }, { lastSeq: seq, lastHash: previous });
    if (moved.affected !== 1) throw new Error('audit chain head moved concurrently');
    const checkpoint = await this.checkpoints.record(manager, { ...head, lastSeq: seq, lastHash: previous }, now);
    return { count: rows.length, checkpoint };
  }

  /** audit_event for hand-written SQL, made on first use (the DataSource comes with the first transaction). */
  private events(manager: EntityManager): EntityRows<AuditEventEntity> {
    return (this.eventRows ??= new EntityRows(manager.connection, AuditEventEntity));
  }

  /**
   * Entries chained before checkpoints existed (re-chained by the upgrade's migration) are signed
   * in segments of one batch, once they are seen to chain from the base to the head, so that later
   * checks recompute bounded segments from the start. Runs once: in the first batch after the upgrade.
   */
  private async adopt(manager: EntityManager, head: AuditChainHeadEntity, now: Date): Promise<void> {
    let previous = head.baseHash;
    for (let from = head.baseSeq + 1; from <= head.lastSeq; from += BATCH) {
      const to = Math.min(head.lastSeq, from + BATCH - 1);
      const rows = await manager.find(AuditEventEntity, { where: { seq: Between(from, to) }, order: { seq: 'ASC' } });
      rows.forEach((row, i) => {
        if (row.seq !== from + i || row.prevHash !== previous || row.hash !== chainHash({ ...row, seq: from + i })) {
          throw new AuditChainMismatchError(`the existing audit entries do not chain at entry ${from + i}`);
        }
        previous = row.hash;
      });
      if (rows.length !== to - from + 1) throw new AuditChainMismatchError(`the existing audit entries end before entry ${to}`);
      await this.checkpoints.record(manager, { ...head, lastSeq: to, lastHash: previous }, now);
    }
    if (previous !== head.lastHash) throw new AuditChainMismatchError('the audit chain head does not match its entries');
  }
}

/**
 * One UPDATE for a slice of entries, joined by id to the slice's positions, only where still
 * unsequenced: an entry another sequencer took meanwhile makes the count come short and the whole
 * batch roll back. A join finds each row by its primary key; the CASE on id written before it
 * compared every row with every id of the slice: chaining 20,000 entries took MariaDB 33–35 µs of
 * CPU per entry with the CASE and 22–23 µs with the join.
 */
async function assignPositions(manager: EntityManager, rows: AuditEventEntity[]): Promise<void> {
  const parameters: unknown[] = [];
  for (const row of rows) parameters.push(row.id, row.seq, row.prevHash, row.hash);
  const sqlite = manager.connection.options.type === 'better-sqlite3';
  const result = await manager.queryRunner!.query(assignmentStatement(rows.length, sqlite), parameters, true);
  if (result.affected !== rows.length) throw new Error('audit entries were sequenced concurrently');
}

/**
 * The UPDATE for `count` entries (MariaDB/MySQL's UPDATE … JOIN, SQLite's UPDATE … FROM); every
 * slice but a batch's last has ROWS_PER_UPDATE, so it is made once per engine.
 */
const assignmentStatement = (() => {
  const made = new Map<boolean, string>();
  return (count: number, sqlite: boolean): string => {
    if (count === ROWS_PER_UPDATE && made.has(sqlite)) return made.get(sqlite)!;
    const positions = Array.from({ length: count }, (_, i) => (i === 0 ? 'SELECT ? AS id, ? AS seq, ? AS prev_hash, ? AS hash' : 'SELECT ?, ?, ?, ?')).join(
      ' UNION ALL ',
    );
    const sql = sqlite
      ? `UPDATE audit_event SET seq = p.seq, prev_hash = p.prev_hash, hash = p.hash FROM (${positions}) AS p WHERE audit_event.id = p.id AND audit_event.seq IS NULL`
      : `UPDATE audit_event e INNER JOIN (${positions}) p ON e.id = p.id SET e.seq = p.seq, e.prev_hash = p.prev_hash, e.hash = p.hash WHERE e.seq IS NULL`;
    if (count === ROWS_PER_UPDATE) made.set(sqlite, sql);
    return sql;
  };
})();
