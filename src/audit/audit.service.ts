import { Between, type DataSource, type EntityManager, Equal, IsNull, LessThan } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { newTimeOrderedId } from '../common/time-ordered-id';
import { EntityRows, sqlLimit } from '../db/entity-rows';
import type { DataCategory } from '../policy/data-category';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import type { AuditRecord } from '../policy/request-privacy';
import { AuditChainHeadEntity } from './audit-chain-head.entity';
import type { AuditCheckpoints } from './audit-checkpoints';
import { AuditEventEntity } from './audit-event.entity';
import { AuditGroupCommit } from './audit-group-commit';
import type { AuditEntry } from './audit.types';
import { ChainVerifier, type IntegrityReport } from './chain-verifier';

/** An incremental integrity check recomputes at most this many entries and checkpoints; the next check continues. */
const CHECK_MAX_ENTRIES = 20_000;
const CHECK_MAX_CHECKPOINTS = 500;
/** An entry's chain columns, set by the sequencer (NULL when written). */
const UNSEQUENCED = new Set<string>(['seq', 'prevHash', 'hash'] satisfies Array<keyof AuditEventEntity>);

export interface AuditSettings {
  /** An unsequenced entry older than this (ms) counts as the sequencer's backlog. */
  sequencedWithinMs: number;
  now?: () => number;
}

/**
 * The audit trail: appends a request's records with one plain multi-row INSERT, shared by the
 * requests that finish together (no lock, no read; audit-group-commit.ts; the chain is built later
 * by the sequencer, audit-sequencer.ts), reads a member's entries back, checks the chain against
 * its signed checkpoints, and expires old entries from the start of the chain. There is
 * deliberately no update or delete of single entries here.
 */
export class AuditService {
  private readonly verifier: ChainVerifier;
  private readonly eventRows: EntityRows<AuditEventEntity>;
  private readonly requestWrites: AuditGroupCommit<AuditRecord>;
  private insert?: { columns: ColumnMetadata[]; head: string; placeholders: string };

  constructor(
    private readonly dataSource: DataSource,
    private readonly checkpoints: AuditCheckpoints,
    private readonly settings: AuditSettings,
  ) {
    this.verifier = new ChainVerifier(checkpoints.verifier);
    this.eventRows = new EntityRows(dataSource, AuditEventEntity);
    this.requestWrites = new AuditGroupCommit((records) => this.write(this.dataSource.manager, records));
  }

  /**
   * Writes a request's records in one statement, shared with the requests that finish while the
   * previous one is in flight (audit-group-commit.ts); rejects (and writes none of them) if it
   * fails. Durable when it resolves.
   */
  append(records: AuditRecord[]): Promise<void> {
    return records.length === 0 ? Promise.resolve() : this.requestWrites.append(records);
  }

  /**
   * Writes records inside the caller's transaction (a mutation's), so that its change and its
   * audit records commit together or not at all.
   */
  appendWithin(manager: EntityManager, records: AuditRecord[]): Promise<void> {
    return this.write(manager, records);
  }

  /**
   * A member's entries, newest first by (occurredAt, id), sequenced or not: an entry shows as soon
   * as the request that wrote it has answered. `excludeActorId` leaves out the member's own reads.
   */
  async page(
    owner: OwnerRef,
    options: { first: number; before?: { at: Date; id: string }; excludeActorId?: string },
  ): Promise<{ entries: Owned<AuditEntry>[]; hasNextPage: boolean }> {
    // Hand-written SQL: a member's access log is read a page of hundreds at a time (see EntityRows).
    const events = this.eventRows;
    const parameters: unknown[] = [owner.memberId];
    let where = `${events.ref('e', 'ownerMemberId')} = ?`;
    if (options.before) {
      const older = events.olderThan('e', 'occurredAt', 'id', options.before);
      where += ` AND ${older.sql}`;
      parameters.push(...older.parameters);
    }
    if (options.excludeActorId) {
      where += ` AND (${events.ref('e', 'actorId')} IS NULL OR ${events.ref('e', 'actorId')} <> ?)`;
      parameters.push(options.excludeActorId);
    }
    const order = `ORDER BY ${events.ref('e', 'occurredAt')} DESC, ${events.ref('e', 'id')} DESC`;
    const rows = await events.select('e', `WHERE ${where} ${order} ${sqlLimit(options.first + 1)}`, parameters);
    return { entries: rows.slice(0, options.first).map((row) => owned(toEntry(row), owner)), hasNextPage: rows.length > options.first };
  }

  /** Entries not sequenced yet (the metrics' gateway_audit_unsequenced). */
  unsequenced(): Promise<number> {
    return this.dataSource.manager.count(AuditEventEntity, { where: { seq: IsNull() } });
  }

  /**
   * Checks the chain against its signed checkpoints over one consistent snapshot (a REPEATABLE
   * READ transaction on MariaDB; on SQLite between the sequencer's and retention's steps). By
   * default incrementally, from the newest checkpoint an earlier check found intact, at most
   * CHECK_MAX_ENTRIES entries and CHECK_MAX_CHECKPOINTS checkpoints (bounded time; the next check
   * continues, `verifiedThrough` says how far); the start and the end of the chain are checked
   * every time. `full` recomputes everything from the signed base (npm run audit:verify does the
   * same outside the request deadline).
   */
  async verify(options: { full?: boolean } = {}): Promise<IntegrityReport & { unsequencedBacklog: number }> {
    const now = new Date(this.now());
    const check = async (manager: EntityManager) => ({
      ...(await this.verifier.check(manager, {
        full: options.full ?? false,
        maxEntries: CHECK_MAX_ENTRIES,
        maxCheckpoints: CHECK_MAX_CHECKPOINTS,
        seen: (payload) => this.checkpoints.saw(payload),
        verifiedThrough: this.checkpoints.verifiedThrough,
      })),
      // Entries the sequencer should have taken by now: it is not running, or failing.
      unsequencedBacklog: await manager.count(AuditEventEntity, {
        where: { seq: IsNull(), occurredAt: LessThan(new Date(now.getTime() - this.settings.sequencedWithinMs)) },
      }),
    });
    const report = await this.checkpoints.exclusive(() =>
      this.dataSource.options.type === 'better-sqlite3' ? check(this.dataSource.manager) : this.dataSource.transaction('REPEATABLE READ', check),
    );
    if (report.intact && report.verifiedThrough) await this.checkpoints.markVerified(report.verifiedThrough, now);
    return report;
  }

  /**
   * Retention: removes the entries written before `before` from the start of the chain, in
   * batches of `batchSize`, each moving the base past what it removed and signing a checkpoint
   * with the new base in the same transaction, so the rest still verifies. Only sequenced entries
   * go (an older unsequenced one goes at a later run, once sequenced); the chain is in time
   * order, so the run stops at the first entry still within its period. Returns how many.
   */
  async expire(before: Date, batchSize = 1000): Promise<number> {
    let removed = 0;
    for (let more = true; more;) {
      const batch = await this.checkpoints.exclusive(() =>
        this.checkpoints.transaction(async (manager) => {
          const head = await this.checkpoints.lockHead(manager);
          const rows = await manager.find(AuditEventEntity, {
            select: { seq: true, occurredAt: true, hash: true },
            where: { seq: Between(head.baseSeq + 1, head.baseSeq + batchSize) },
            order: { seq: 'ASC' },
          });
          const expired = rows.findIndex((row) => row.occurredAt >= before);
          const gone = expired < 0 ? rows : rows.slice(0, expired);
          const last = gone.at(-1);
          if (!last) return { removed: 0, more: false };
          const deleted = await manager.delete(AuditEventEntity, { seq: Between(head.baseSeq + 1, last.seq!) });
          const moved = await manager.update(
            AuditChainHeadEntity,
            { id: 1, lastSeq: Equal(head.lastSeq), baseSeq: Equal(head.baseSeq) },
            { baseSeq: last.seq!, baseHash: last.hash! },
          );
          if (moved.affected !== 1) throw new Error('audit chain head moved concurrently');
          await this.checkpoints.record(manager, { ...head, baseSeq: last.seq!, baseHash: last.hash! }, new Date(this.now()), { prune: true });
          return { removed: deleted.affected ?? 0, more: gone.length === batchSize };
        }),
      );
      removed += batch.removed;
      more = batch.more;
    }
    return removed;
  }

  /**
   * One parameterised multi-row INSERT written directly: TypeORM's insert builder spends time
   * quadratic in the number of parameters, and a page of orders writes dozens of rows. Values go
   * through the driver's own conversion (dates as the entity maps them), so the rows are the
   * ones `manager.insert` would write. The chain's columns are left out: NULL until sequenced.
   */
  private async write(manager: EntityManager, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { driver } = manager.connection;
    const { columns, head, placeholders } = (this.insert ??= this.insertShape(manager));
    const parameters: unknown[] = [];
    for (const record of records) {
      const row: Partial<AuditEventEntity> = { id: newTimeOrderedId(), ...record };
      for (const column of columns) parameters.push(driver.preparePersistentValue(row[column.propertyName as keyof AuditEventEntity], column));
    }
    await manager.query(`${head} ${Array.from(records, () => placeholders).join(', ')}`, parameters);
  }

  /** The INSERT's columns (all but the chain's), its `INSERT INTO … VALUES` and one row's placeholders: the same for every write. */
  private insertShape(manager: EntityManager): NonNullable<AuditService['insert']> {
    const { driver } = manager.connection;
    const metadata = manager.connection.getMetadata(AuditEventEntity);
    const columns = metadata.columns.filter((column) => !UNSEQUENCED.has(column.propertyName));
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    return {
      columns,
      head: `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES`,
      placeholders: `(${columns.map(() => '?').join(', ')})`,
    };
  }

  private now(): number {
    return this.settings.now?.() ?? Date.now();
  }
}

function toEntry(row: AuditEventEntity): AuditEntry {
  return {
    id: row.id,
    at: row.occurredAt,
    actorKind: row.actorKind,
    actorId: row.actorId,
    field: row.field,
    category: row.category as DataCategory,
    outcome: row.outcome,
    purpose: row.purpose,
  };
}
