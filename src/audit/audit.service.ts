import { createHmac } from 'node:crypto';
import { type DataSource, type EntityManager, LessThan, LessThanOrEqual, MoreThan } from 'typeorm';
import type { DataCategory } from '../policy/data-category';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import type { AuditRecord } from '../policy/request-privacy';
import { rowLock } from '../db/row-lock';
import { AuditChainHeadEntity } from './audit-chain-head.entity';
import { AuditEventEntity } from './audit-event.entity';
import type { AuditEntry } from './audit.types';

const BATCH = 1000;

/**
 * The audit trail: appends a request's records as one multi-row write, chained by hash under a
 * lock on the chain head, and reads them back. There is deliberately no update or delete here.
 */
export class AuditService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: Buffer,
  ) {}

  /** Appends records in one transaction; rejects (and writes nothing) if any part fails. */
  append(records: AuditRecord[]): Promise<void> {
    // One writer at a time in this process; the row lock orders writers across processes.
    const run = this.queue.then(() => this.appendNow(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Appends records inside the caller's transaction (a mutation's), so that its change and its
   * audit records commit together or not at all. Still one writer at a time in this process.
   */
  appendWithin(manager: EntityManager, records: AuditRecord[]): Promise<void> {
    const run = this.queue.then(() => this.write(manager, records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A member's entries, newest first; `excludeActorId` leaves out the member's own reads. */
  async page(
    owner: OwnerRef,
    options: { first: number; before?: number; excludeActorId?: string },
  ): Promise<{ entries: Owned<AuditEntry>[]; hasNextPage: boolean }> {
    const query = this.dataSource.manager
      .createQueryBuilder(AuditEventEntity, 'event')
      .where('event.ownerMemberId = :owner', { owner: owner.memberId })
      .orderBy('event.seq', 'DESC')
      .take(options.first + 1);
    if (options.before !== undefined) query.andWhere('event.seq < :before', { before: options.before });
    if (options.excludeActorId) query.andWhere('(event.actorId IS NULL OR event.actorId <> :self)', { self: options.excludeActorId });
    const rows = await query.getMany();
    return { entries: rows.slice(0, options.first).map((row) => owned(toEntry(row), owner)), hasNextPage: rows.length > options.first };
  }

  /** Recomputes the chain from the start; reports the first entry that does not match. */
  async verify(): Promise<{ intact: boolean; checkedEntries: number; firstBrokenEntry: number | null }> {
    // One consistent snapshot: the head and every row as of one moment, whatever writers do meanwhile.
    // MariaDB: a REPEATABLE READ transaction (its snapshot starts at the first read). SQLite has one
    // connection shared by every request, so there the check runs between appends, in their queue.
    if (this.dataSource.options.type === 'better-sqlite3') {
      const run = this.queue.then(() => this.verifyWith(this.dataSource.manager));
      this.queue = run.catch(() => undefined);
      return run;
    }
    return this.dataSource.transaction('REPEATABLE READ', (manager) => this.verifyWith(manager));
  }

  private async verifyWith(manager: EntityManager): Promise<{ intact: boolean; checkedEntries: number; firstBrokenEntry: number | null }> {
    const start = await manager.findOneByOrFail(AuditChainHeadEntity, { id: 1 });
    let previous = start.baseHash;
    let expectedSeq = start.baseSeq + 1;
    let checked = 0;
    for (;;) {
      const rows = await manager.find(AuditEventEntity, { where: { seq: MoreThan(expectedSeq - 1) }, order: { seq: 'ASC' }, take: BATCH });
      for (const row of rows) {
        checked += 1;
        if (row.seq !== expectedSeq || row.prevHash !== previous || row.hash !== chainHash(row, this.key)) {
          return { intact: false, checkedEntries: checked, firstBrokenEntry: expectedSeq };
        }
        previous = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < BATCH) break;
    }
    const head = await manager.findOneByOrFail(AuditChainHeadEntity, { id: 1 });
    const lastSeq = expectedSeq - 1;
    const intact =
      head.lastSeq === lastSeq &&
      head.lastHash === previous &&
      (lastSeq === 0 || head.mac === headMac(this.key, lastSeq, previous, head.baseSeq, head.baseHash));
    return { intact, checkedEntries: checked, firstBrokenEntry: intact ? null : expectedSeq };
  }

  /**
   * Retention: removes entries older than `before` from the start of the chain and moves the
   * verification base past them, under the head lock, so the rest still verifies. Returns how many.
   */
  async expire(before: Date, batchSize = 1000): Promise<number> {
    const run = this.queue.then(async () => {
      const last = (await this.dataSource.manager.find(AuditEventEntity, { where: { occurredAt: LessThan(before) }, order: { seq: 'DESC' }, take: 1 }))[0];
      let removed = 0;
      // In batches from the start of the chain, each moving the base past what it removed.
      for (let done = false; last && !done;) {
        done = await this.dataSource.transaction(async (manager) => {
          const head = await manager.findOneOrFail(AuditChainHeadEntity, { where: { id: 1 }, ...rowLock(this.dataSource) });
          const upTo = Math.min(head.baseSeq + batchSize, last.seq);
          if (upTo <= head.baseSeq) return true;
          const newBase = await manager.findOneByOrFail(AuditEventEntity, { seq: upTo });
          removed += (await manager.delete(AuditEventEntity, { seq: LessThanOrEqual(upTo) })).affected ?? 0;
          const mac = head.lastSeq === 0 ? '' : headMac(this.key, head.lastSeq, head.lastHash, newBase.seq, newBase.hash);
          await manager.update(AuditChainHeadEntity, { id: 1 }, { baseSeq: newBase.seq, baseHash: newBase.hash, mac });
          return upTo === last.seq;
        });
      }
      return removed;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.dataSource.transaction((manager) => this.write(manager, records));
  }

  private async write(manager: EntityManager, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const head = await manager.findOneOrFail(AuditChainHeadEntity, {
      where: { id: 1 },
      ...rowLock(this.dataSource),
    });
    let { lastSeq: seq, lastHash: previous } = head;
    const rows = records.map((record) => {
      seq += 1;
      const row: AuditEventEntity = { seq, ...record, prevHash: previous, hash: '' };
      row.hash = chainHash(row, this.key);
      previous = row.hash;
      return row;
    });
    await manager.insert(AuditEventEntity, rows);
    const moved = await manager.update(
      AuditChainHeadEntity,
      { id: 1, lastSeq: head.lastSeq },
      { lastSeq: seq, lastHash: previous, mac: headMac(this.key, seq, previous, head.baseSeq, head.baseHash) },
    );
    if (moved.affected !== 1) throw new Error('audit chain head moved concurrently');
  }
}

/** The keyed hash of a row: its content and its predecessor's hash. */
export function chainHash(row: Omit<AuditEventEntity, 'hash'>, key: Buffer): string {
  const content = [
    row.prevHash,
    row.seq,
    row.occurredAt.toISOString(),
    row.requestId,
    row.actorKind,
    row.actorId,
    row.ownerMemberId,
    row.field,
    row.category,
    row.outcome,
    row.code,
    row.purpose,
  ];
  return createHmac('sha256', key).update(JSON.stringify(content)).digest('hex');
}

function headMac(key: Buffer, lastSeq: number, lastHash: string, baseSeq: number, baseHash: string): string {
  return createHmac('sha256', key).update(`head:${lastSeq}:${lastHash}:${baseSeq}:${baseHash}`).digest('hex');
}

function toEntry(row: AuditEventEntity): AuditEntry {
  return {
    id: String(row.seq),
    at: row.occurredAt,
    actorKind: row.actorKind,
    actorId: row.actorId,
    field: row.field,
    category: row.category as DataCategory,
    outcome: row.outcome,
    purpose: row.purpose,
  };
}
