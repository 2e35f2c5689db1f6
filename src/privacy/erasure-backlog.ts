import type { DataSource } from 'typeorm';

/**
 * The erasure-notice outbox by state (PENDING, DELIVERED, FAILED…), for the operator's backlog
 * gauge: read when metrics are scraped, one grouped count on the state index. PENDING, the
 * backlog proper, is always reported (0 when empty), so an alert on it never sees a missing series.
 */
export async function erasureNoticeBacklog(dataSource: DataSource): Promise<Record<string, number>> {
  const rows: Array<{ state: unknown; notices: unknown }> = await dataSource.query('SELECT state, COUNT(*) AS notices FROM erasure_notice GROUP BY state');
  return { PENDING: 0, ...Object.fromEntries(rows.map((row) => [String(row.state), Number(row.notices)])) };
}
