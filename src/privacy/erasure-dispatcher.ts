import { type DataSource, LessThan } from 'typeorm';
import { ErasureNoticeEntity } from './erasure-notice.entity';

/**
 * Delivers one notice; throws when the recipient did not take it. The notice names the data by
 * what the recipient already holds (order and tracking numbers), never by our internal member id.
 */
export type NoticeTransport = (notice: { id: string; recipient: string; orders: Array<{ orderNumber: string; trackingNumber?: string }> }) => Promise<void>;

const MAX_ATTEMPTS = 20;

/**
 * Works the erasure-notice outbox: each PENDING notice is handed to the transport; a success marks
 * it DELIVERED, a failure counts an attempt and leaves it PENDING for the next round (after
 * MAX_ATTEMPTS it becomes FAILED for a person to look at). Nothing is marked delivered without a
 * transport: with no ERASURE_WEBHOOK_URL configured the notices simply wait.
 */
export class ErasureDispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: NoticeTransport | null,
  ) {}

  async dispatch(batch = 100): Promise<{ delivered: number; failed: number }> {
    if (!this.transport) return { delivered: 0, failed: 0 };
    const pending = await this.dataSource.manager.find(ErasureNoticeEntity, {
      where: { state: 'PENDING', attempts: LessThan(MAX_ATTEMPTS) },
      order: { createdAt: 'ASC' },
      take: batch,
    });
    let delivered = 0;
    let failed = 0;
    for (const notice of pending) {
      try {
        const { orders = [] } = notice.subjects ? (JSON.parse(notice.subjects) as { orders?: Array<{ orderNumber: string; trackingNumber?: string }> }) : {};
        await this.transport({ id: notice.id, recipient: notice.recipient, orders });
        await this.dataSource.manager.update(ErasureNoticeEntity, { id: notice.id, state: 'PENDING' }, { state: 'DELIVERED', attempts: notice.attempts + 1 });
        delivered += 1;
      } catch {
        const attempts = notice.attempts + 1;
        await this.dataSource.manager.update(
          ErasureNoticeEntity,
          { id: notice.id, state: 'PENDING' },
          { attempts, ...(attempts >= MAX_ATTEMPTS ? { state: 'FAILED' } : {}) },
        );
        failed += 1;
      }
    }
    return { delivered, failed };
  }
}

/** A transport that POSTs each notice as JSON to one webhook (the recipients' relay); 2xx means delivered. */
export function webhookTransport(url: string): NoticeTransport {
  return async (notice) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'erasure', ...notice }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  };
}
