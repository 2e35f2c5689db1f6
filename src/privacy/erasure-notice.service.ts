import type { DataSource } from 'typeorm';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import type { ErasureNotice, ErasureNoticeStatus } from './erasure-notice.types';

/**
 * The erasure-notice outbox as the privacy officer sees it: notices by status, oldest first, a
 * keyset page at a time. Shows delivery state only: no member id, no order or tracking numbers.
 */
export class ErasureNoticeService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    status: ErasureNoticeStatus | null | undefined,
    page: { first: number; after?: { at: Date; id: string } },
  ): Promise<{ notices: ErasureNotice[]; hasNextPage: boolean }> {
    const query = this.dataSource
      .getRepository(ErasureNoticeEntity)
      .createQueryBuilder('notice')
      .orderBy('notice.createdAt', 'ASC')
      .addOrderBy('notice.id', 'ASC')
      .limit(page.first + 1);
    if (status) query.andWhere('notice.state = :status', { status });
    if (page.after) {
      query.andWhere('(notice.createdAt > :at OR (notice.createdAt = :at AND notice.id > :id))', { at: page.after.at, id: page.after.id });
    }
    const rows = await query.getMany();
    return { notices: rows.slice(0, page.first).map(view), hasNextPage: rows.length > page.first };
  }
}

function view(row: ErasureNoticeEntity): ErasureNotice {
  return {
    id: row.id,
    recipient: row.recipient,
    status: row.state as ErasureNoticeStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    lastErrorCode: row.lastErrorCode,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}
