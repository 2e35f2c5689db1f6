import { type DataSource, IsNull, LessThanOrEqual, Not } from 'typeorm';
import type { Logger } from '../logger';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import { retryDelayMs } from './erasure-retry-schedule';
import { DeliveryFailure, type NoticeTransport, type OutgoingNotice } from './erasure-webhook.transport';

/** What one round did: notices delivered, attempts that failed, due notices another worker claimed first. */
export interface OutboxRound {
  delivered: number;
  failed: number;
  skipped: number;
}

export interface DispatcherSettings {
  /** Failed attempts after which a notice is FAILING (and retried on the slow schedule). */
  maxAttempts: number;
  /** Epoch milliseconds; tests move it past a backoff. */
  now?: () => number;
  batchSize?: number;
}

/** How long a claim keeps other workers off a notice: well past the transport's timeout. */
const CLAIM_MS = 5 * 60_000;
/** Bounds one round (batches × batchSize notices); the rest wait for the next round. */
const MAX_BATCHES = 50;

/**
 * Works the erasure-notice outbox: each due notice (PENDING or FAILING, `next_attempt_at` passed)
 * is handed to the transport; a success marks it DELIVERED, a failure schedules the next attempt
 * (exponential backoff with jitter, see erasure-retry-schedule.ts; after `maxAttempts` the notice
 * is FAILING and retried every few hours, never dropped) and logs one warn line: notice id,
 * recipient (a partner, not a person), attempt, error class, next attempt. Never the payload.
 * Without a transport (no ERASURE_WEBHOOK_URL) nothing is sent and the notices wait.
 *
 * Once across instances: the gateway runs rounds under the job lease 'erasure-outbox', but a
 * holder can stall past its lease, so each notice is also claimed on its own before it is sent:
 * one conditional UPDATE (`attempts` as it was read, still due) counts the attempt and moves the
 * due time past the send's timeout, and only the worker whose UPDATE changed the row sends. Two
 * overlapping rounds never send one notice twice; a worker that dies mid-send leaves the claim to
 * expire, and the retry carries the same Idempotency-Key (the notice id). `SELECT … FOR UPDATE
 * SKIP LOCKED` would hold a row lock, a transaction and a pooled connection across an HTTP call of
 * up to the timeout, needs MariaDB 10.6 and has no SQLite form; the claim is one short statement
 * on both engines and leaves its state visible to the privacy officer.
 */
export class ErasureDispatcher {
  private readonly now: () => number;
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: NoticeTransport | null,
    private readonly logger: Logger,
    private readonly settings: DispatcherSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.batchSize = settings.batchSize ?? 100;
  }

  /** One round: every due notice, one attempt each. `signal` ends the round early, between notices (the gateway stopping). */
  async dispatch(signal?: AbortSignal): Promise<OutboxRound> {
    const round: OutboxRound = { delivered: 0, failed: 0, skipped: 0 };
    if (!this.transport) return round;
    const notices = this.dataSource.getRepository(ErasureNoticeEntity);
    for (let batch = 0; batch < MAX_BATCHES && !signal?.aborted; batch += 1) {
      // Every notice handled leaves the due set (delivered, rescheduled or claimed), so the next batch is new ones.
      const due = await notices.find({
        where: { nextAttemptAt: LessThanOrEqual(new Date(this.now())) },
        order: { nextAttemptAt: 'ASC', id: 'ASC' },
        take: this.batchSize,
      });
      for (const notice of due) {
        if (signal?.aborted) break;
        round[await this.attempt(notice, this.transport)] += 1;
      }
      if (due.length < this.batchSize) break;
    }
    return round;
  }

  private async attempt(notice: ErasureNoticeEntity, transport: NoticeTransport): Promise<keyof OutboxRound> {
    const notices = this.dataSource.getRepository(ErasureNoticeEntity);
    const claimedAt = this.now();
    const claim = await notices
      .createQueryBuilder()
      .update()
      .set({ attempts: () => 'attempts + 1', lastAttemptAt: new Date(claimedAt), nextAttemptAt: new Date(claimedAt + CLAIM_MS) })
      .where('id = :id AND attempts = :attempts AND next_attempt_at <= :now', { id: notice.id, attempts: notice.attempts, now: new Date(claimedAt) })
      .execute();
    if (claim.affected !== 1) return 'skipped';
    const attempt = notice.attempts + 1;
    try {
      await transport(outgoing(notice));
    } catch (error) {
      await this.failed(notice, attempt, error instanceof DeliveryFailure ? error.code : 'UNKNOWN');
      return 'failed';
    }
    // Whichever attempt got through, the notice is delivered (a stalled earlier one included).
    await notices.update({ id: notice.id, nextAttemptAt: Not(IsNull()) }, { state: 'DELIVERED', deliveredAt: new Date(this.now()), nextAttemptAt: null });
    return 'delivered';
  }

  private async failed(notice: ErasureNoticeEntity, attempt: number, code: string): Promise<void> {
    const { maxAttempts } = this.settings;
    const state = attempt >= maxAttempts ? 'FAILING' : 'PENDING';
    const nextAttemptAt = new Date(this.now() + retryDelayMs(attempt, maxAttempts));
    // Only while this attempt is the latest: a newer claim (ours stalled past CLAIM_MS) owns the row now.
    await this.dataSource
      .getRepository(ErasureNoticeEntity)
      .update({ id: notice.id, attempts: attempt, nextAttemptAt: Not(IsNull()) }, { state, nextAttemptAt, lastErrorCode: code });
    this.logger.warn({ notice: notice.id, recipient: notice.recipient, attempt, error: code, state, nextAttemptAt }, 'erasure notice not delivered');
  }
}

function outgoing(notice: ErasureNoticeEntity): OutgoingNotice {
  const { orders = [] } = notice.subjects ? (JSON.parse(notice.subjects) as { orders?: OutgoingNotice['orders'] }) : {};
  return { id: notice.id, recipient: notice.recipient, orders };
}
