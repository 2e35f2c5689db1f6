import type { DataSource, EntityManager } from 'typeorm';
import { rowLock } from '../db/row-lock';
import type { Jwk } from '../secrets';
import { AuditChainHeadEntity } from './audit-chain-head.entity';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';
import type { CheckpointPayload } from './signing/checkpoint-payload';
import { CheckpointSigner } from './signing/checkpoint-signer';
import { CheckpointVerifier } from './signing/checkpoint-verifier';

/** SQLite's one connection per data source: the background steps on it take turns (see `exclusive`). */
const turns = new WeakMap<DataSource, Promise<unknown>>();

/** The chain head disagrees with the latest signed checkpoint: someone changed one of them. */
export class AuditChainMismatchError extends Error {
  override name = 'AuditChainMismatchError';
}

/**
 * The audit chain's signed checkpoints and the head row they vouch for. The sequencer and retention
 * change the chain only through `lockHead` (which refuses a head the latest checkpoint does not
 * match, so neither ever signs over a rewound or forged head) and `record` (which signs the new
 * state in the same transaction). On SQLite, whose one connection every transaction shares, those
 * background steps and the integrity check also take turns in this process (`exclusive`); the
 * request path uses none of this.
 */
export class AuditCheckpoints {
  /**
   * The newest checkpoint this process's integrity checks have seen: an older "latest" later means
   * checkpoints were removed. (Not what it signed: on SQLite a batch can still be rolled back with a
   * transaction interleaved on the shared connection, and would then be sequenced again.)
   */
  private newest: { size: number; base: number } | null = null;
  /** The newest checkpoint this process's integrity checks found intact: where the next incremental check starts. */
  private verified: { size: number; base: number } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signer: CheckpointSigner,
    readonly verifier: CheckpointVerifier,
  ) {}

  static async create(dataSource: DataSource, keys: { signingKey: Jwk; previous?: Jwk[] }): Promise<AuditCheckpoints> {
    const signer = await CheckpointSigner.create(keys.signingKey, keys.previous);
    return new AuditCheckpoints(dataSource, signer, await CheckpointVerifier.fromJwks(signer.jwks()));
  }

  /** The public audit keys (/.well-known/audit-keys.json). */
  jwks(): ReturnType<CheckpointSigner['jwks']> {
    return this.signer.jwks();
  }

  /** The latest checkpoint's compact JWS, or null before the first (/.well-known/audit-checkpoint). */
  async latestJws(): Promise<string | null> {
    return (await latestRow(this.dataSource.manager))?.jws ?? null;
  }

  /** The head row, locked until the transaction ends, after checking it against the latest checkpoint. */
  async lockHead(manager: EntityManager): Promise<AuditChainHeadEntity> {
    const head = await manager.findOneOrFail(AuditChainHeadEntity, { where: { id: 1 }, ...rowLock(this.dataSource) });
    const latest = await latestRow(manager);
    // Before the first checkpoint (a new database, or rows chained before checkpoints existed) the head is taken as found.
    if (!latest) return head;
    const signed = await this.verifier.verify(latest.jws);
    if (signed.size !== head.lastSeq || signed.head !== head.lastHash || signed.base !== head.baseSeq || signed.baseHead !== head.baseHash) {
      throw new AuditChainMismatchError('the audit chain head does not match the latest signed checkpoint');
    }
    return head;
  }

  /**
   * Signs the state `head` now describes and stores it, in the caller's transaction (the one that
   * moved the head). With `prune`, drops checkpoints the new one makes redundant: those covering
   * only removed entries, and those of the same size with an older base.
   */
  async record(manager: EntityManager, head: AuditChainHeadEntity, now: Date, options: { prune?: boolean } = {}): Promise<CheckpointPayload> {
    const payload: CheckpointPayload = {
      size: head.lastSeq,
      head: head.lastHash,
      base: head.baseSeq,
      baseHead: head.baseHash,
      iat: Math.floor(now.getTime() / 1000),
    };
    const jws = await this.signer.sign(payload);
    await manager.insert(AuditCheckpointEntity, {
      size: payload.size,
      base: payload.base,
      head: payload.head,
      baseHead: payload.baseHead,
      issuedAt: now,
      jws,
      verifiedAt: null,
    });
    if (options.prune) {
      await manager
        .createQueryBuilder()
        .delete()
        .from(AuditCheckpointEntity)
        .where('(size <= :base OR (size = :size AND base < :base)) AND NOT (size = :size AND base = :base)', { size: payload.size, base: payload.base })
        .execute();
    }
    return payload;
  }

  /** Remembers a checkpoint as seen; false when an older one than already seen is presented as the latest. */
  saw(payload: { size: number; base: number }): boolean {
    const newest = this.newest;
    if (newest && (payload.size < newest.size || (payload.size === newest.size && payload.base < newest.base))) return false;
    this.newest = { size: payload.size, base: payload.base };
    return true;
  }

  /** Where this process's checks have verified the chain to (null: from the signed base). */
  get verifiedThrough(): { size: number; base: number } | null {
    return this.verified;
  }

  /**
   * Marks the checkpoint at (size, base) as verified: this process's next incremental check starts
   * there. The table's `verified_at` is for operators only; no check starts from it.
   */
  async markVerified(point: { size: number; base: number }, at: Date): Promise<void> {
    this.verified = { size: point.size, base: point.base };
    await this.dataSource.manager.update(AuditCheckpointEntity, { size: point.size, base: point.base }, { verifiedAt: at });
  }

  /** Runs `work` after the previous background step on this SQLite data source; at once elsewhere. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return work();
    const run = (turns.get(this.dataSource) ?? Promise.resolve()).then(work);
    turns.set(
      this.dataSource,
      run.catch(() => undefined),
    );
    return run;
  }

  /** A transaction for the head's movers: READ COMMITTED on MySQL/MariaDB, so no gap locks meet the request path's inserts. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.options.type === 'better-sqlite3' ? this.dataSource.transaction(work) : this.dataSource.transaction('READ COMMITTED', work);
  }
}

/** The latest stored checkpoint row (its columns unverified); (size, base) only grows. */
export function latestRow(manager: EntityManager): Promise<AuditCheckpointEntity | null> {
  return manager.findOne(AuditCheckpointEntity, { where: {}, order: { size: 'DESC', base: 'DESC' } });
}
