import { Between, type EntityManager, MoreThan } from 'typeorm';
import { AuditChainHeadEntity } from './audit-chain-head.entity';
import { type ChainPoint, chainHash } from './audit-chain';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';
import { AuditEventEntity } from './audit-event.entity';
import { latestRow } from './audit-checkpoints';
import type { CheckpointPayload } from './signing/checkpoint-payload';
import type { CheckpointVerifier } from './signing/checkpoint-verifier';

const ROWS_PER_READ = 1000;

/**
 * What a check found. DELETED: an entry is missing (a gap in seq, or the first kept entry is not
 * the one after the signed base); EDITED: an entry's hash does not recompute from its content;
 * REORDERED: an entry does not link to the one before it (prev_hash); TRUNCATED: entries the
 * latest checkpoint counts are gone from the end; CHECKPOINT_MISMATCH: the entries recompute, but
 * not to a checkpoint's signed head (rewritten and re-hashed); BAD_CHECKPOINT: a checkpoint's
 * signature or payload does not verify; ROLLED_BACK: the latest checkpoint is older than one this
 * process has seen (newer checkpoints were removed).
 */
export type AuditProblem = 'DELETED' | 'EDITED' | 'REORDERED' | 'TRUNCATED' | 'CHECKPOINT_MISMATCH' | 'BAD_CHECKPOINT' | 'ROLLED_BACK';

export interface IntegrityReport {
  intact: boolean;
  /** Entries whose hash this check recomputed. */
  checkedEntries: number;
  /** The first entry (seq) the chain or the checkpoints no longer vouch for. */
  firstBrokenEntry: number | null;
  problem: AuditProblem | null;
  /** `size` of the latest checkpoint (null before the first). */
  checkpointSize: number | null;
  /** The newest checkpoint up to which the chain is now known to verify (this check or earlier ones). */
  verifiedThrough: { size: number; base: number } | null;
}

export interface CheckOptions {
  /** From the signed base rather than from the newest checkpoint an earlier check verified. */
  full: boolean;
  /** An incremental check recomputes at most this many entries, up to at most this many checkpoints; the next continues. */
  maxEntries?: number;
  maxCheckpoints?: number;
  /** False when the latest checkpoint is older than one already seen (see AuditCheckpoints.saw). */
  seen?: (payload: CheckpointPayload) => boolean;
  /**
   * The newest checkpoint this process's own earlier checks verified: an incremental check starts
   * there. Never a mark read from the database, which is as writable as the entries it vouches for.
   */
  verifiedThrough?: { size: number; base: number } | null;
}

class Broken extends Error {
  constructor(
    readonly problem: AuditProblem,
    readonly entry: number | null,
  ) {
    super(problem);
  }
}

/**
 * Recomputes the audit chain against its signed checkpoints, reading through `manager` (the caller
 * gives it one consistent snapshot). Needs only the public audit keys: used by auditIntegrity and
 * by `npm run audit:verify`. Unsigned values (the head row, checkpoint columns) are never trusted.
 */
export class ChainVerifier {
  constructor(private readonly verifier: CheckpointVerifier) {}

  async check(manager: EntityManager, options: CheckOptions): Promise<IntegrityReport> {
    let latest: CheckpointPayload | null = null;
    const progress = { checked: 0, through: null as { size: number; base: number } | null };
    try {
      const latestStored = await latestRow(manager);
      if (!latestStored) {
        if (options.seen && !options.seen({ size: 0, base: 0, head: '', baseHead: '', iat: 0 })) throw new Broken('ROLLED_BACK', null);
        // Before the first checkpoint: the entries link up from the head row's base (nothing signed to compare with yet).
        const head = await manager.findOneByOrFail(AuditChainHeadEntity, { id: 1 });
        await this.walk(manager, { seq: head.baseSeq, hash: head.baseHash }, head.lastSeq, progress);
        return { intact: true, checkedEntries: progress.checked, firstBrokenEntry: null, problem: null, checkpointSize: null, verifiedThrough: null };
      }
      latest = await this.signed(latestStored);
      if (options.seen && !options.seen(latest)) throw new Broken('ROLLED_BACK', null);
      await this.checkStart(manager, latest);
      const anchor = options.full ? null : await this.anchor(manager, latest, options.verifiedThrough ?? null);
      progress.through = anchor ? { size: anchor.size, base: anchor.base } : null;
      const from: ChainPoint = anchor ? { seq: anchor.size, hash: anchor.head } : { seq: latest.base, hash: latest.baseHead };
      const to = options.full ? latest.size : await this.incrementEnd(manager, from.seq, latest.size, options);
      await this.walk(manager, from, to, progress);
      // Cheap, and whatever the walk reached: the chain still ends where the latest checkpoint says.
      await this.checkTail(manager, latest);
      return {
        intact: true,
        checkedEntries: progress.checked,
        firstBrokenEntry: null,
        problem: null,
        checkpointSize: latest.size,
        verifiedThrough: progress.through,
      };
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      return {
        intact: false,
        checkedEntries: progress.checked,
        firstBrokenEntry: error.entry,
        problem: error.problem,
        checkpointSize: latest?.size ?? null,
        verifiedThrough: null,
      };
    }
  }

  /** The row's signed payload, which its lookup columns must repeat (an edited column could hide a newer checkpoint). */
  private async signed(row: AuditCheckpointEntity): Promise<CheckpointPayload> {
    const payload = await this.verifier.verify(row.jws).catch(() => {
      throw new Broken('BAD_CHECKPOINT', null);
    });
    if (payload.size !== row.size || payload.base !== row.base || payload.head !== row.head || payload.baseHead !== row.baseHead) {
      throw new Broken('BAD_CHECKPOINT', null);
    }
    return payload;
  }

  /** The first kept entry is the one after the signed base, and links to it. */
  private async checkStart(manager: EntityManager, latest: CheckpointPayload): Promise<void> {
    if (latest.size === latest.base) return;
    const first = await manager.findOneBy(AuditEventEntity, { seq: latest.base + 1 });
    if (!first) throw await this.missing(manager, latest.base + 1, latest.size);
    this.checkEntry(first, latest.base + 1, latest.baseHead);
  }

  /** The entries the latest checkpoint counts end where it says, at its head. */
  private async checkTail(manager: EntityManager, latest: CheckpointPayload): Promise<void> {
    if (latest.size === latest.base) return;
    const last = await manager.findOneBy(AuditEventEntity, { seq: latest.size });
    if (!last) throw new Broken('TRUNCATED', latest.size);
    if (last.hash !== latest.head) throw new Broken('CHECKPOINT_MISMATCH', latest.size);
    if (chainHash({ ...last, seq: latest.size }) !== last.hash) throw new Broken('EDITED', latest.size);
  }

  /** Where an incremental check starts: the checkpoint an earlier check of this process verified, if its entries are still kept. */
  private async anchor(manager: EntityManager, latest: CheckpointPayload, point: { size: number; base: number } | null): Promise<CheckpointPayload | null> {
    if (!point || point.size <= latest.base || point.size > latest.size) return null;
    const marked = await manager.findOneBy(AuditCheckpointEntity, { size: point.size, base: point.base });
    return marked ? this.signed(marked) : null;
  }

  /**
   * An incremental check's end: the last of the next `maxCheckpoints` checkpoints within
   * `maxEntries` entries, or the next checkpoint however far (segments hold at most one sequencer
   * batch, so this is only a backstop).
   */
  private async incrementEnd(manager: EntityManager, from: number, size: number, options: CheckOptions): Promise<number> {
    const limit = Math.min(size, from + (options.maxEntries ?? size));
    const within = await manager.find(AuditCheckpointEntity, {
      select: { size: true, base: true },
      where: { size: Between(from + 1, limit) },
      order: { size: 'ASC', base: 'ASC' },
      take: options.maxCheckpoints,
    });
    if (within.length > 0) return within.at(-1)!.size;
    const [next] = await manager.find(AuditCheckpointEntity, { select: { size: true }, where: { size: MoreThan(from) }, order: { size: 'ASC' }, take: 1 });
    return next?.size ?? size;
  }

  /**
   * Recomputes entries from.seq + 1 … to in order, verifying each checkpoint on the way (read a
   * slice at a time, so a full check of any length holds one slice in memory).
   */
  private async walk(
    manager: EntityManager,
    from: ChainPoint,
    to: number,
    progress: { checked: number; through: { size: number; base: number } | null },
  ): Promise<void> {
    let previous = from.hash;
    let expected = from.seq + 1;
    let lastMatched = from.seq;
    while (expected <= to) {
      const slice = { seq: Between(expected, Math.min(to, expected + ROWS_PER_READ - 1)) };
      const rows = await manager.find(AuditEventEntity, { where: slice, order: { seq: 'ASC' } });
      const checkpoints = await manager.find(AuditCheckpointEntity, { where: { size: slice.seq }, order: { size: 'ASC', base: 'ASC' } });
      let next = 0;
      if (rows.length === 0) throw await this.missing(manager, expected, to);
      for (const row of rows) {
        if (row.seq! > expected) throw new Broken('DELETED', expected);
        this.checkEntry(row, expected, previous);
        previous = row.hash!;
        progress.checked += 1;
        for (; next < checkpoints.length && checkpoints[next]!.size === expected; next += 1) {
          const checkpoint = await this.signed(checkpoints[next]!);
          if (checkpoint.head !== previous) throw new Broken('CHECKPOINT_MISMATCH', lastMatched + 1);
          lastMatched = expected;
          progress.through = { size: checkpoint.size, base: checkpoint.base };
        }
        expected += 1;
      }
    }
  }

  /** Entry `seq` is missing: deleted when later ones remain, the tail truncated when none does. */
  private async missing(manager: EntityManager, seq: number, to: number): Promise<Broken> {
    const later = await manager.count(AuditEventEntity, { where: { seq: Between(seq + 1, Math.max(seq + 1, to)) } });
    return new Broken(later > 0 ? 'DELETED' : 'TRUNCATED', seq);
  }

  private checkEntry(row: AuditEventEntity, seq: number, previous: string): void {
    if (row.prevHash !== previous) throw new Broken('REORDERED', seq);
    if (row.hash !== chainHash({ ...row, seq })) throw new Broken('EDITED', seq);
  }
}
