import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { BrowsingRetention } from '../browsing/browsing-retention';
import type { Config } from '../config';
import { OrderRetention } from '../orders/order-retention';

export interface RetentionReport {
  browsingEventsDeleted: number;
  searchesDeleted: number;
  devicesDeleted: number;
  hiddenOrdersDeleted: number;
  auditEntriesExpired: number;
  automatedDecisionsExpired: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Keeps data only as long as its purpose needs (periods from configuration). `now` is injected so
 * tests and backfills can run it for any date. Run by `npm run retention` and on a schedule. Each
 * feature deletes its own rows (in bounded batches); this decides only the dates.
 */
export class RetentionService {
  private readonly browsing: BrowsingRetention;
  private readonly orders: OrderRetention;

  constructor(
    dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly periods: Config['retention'],
    /** Rows per DELETE statement: bounded statements and lock times however much has expired. */
    private readonly batchSize = 1000,
  ) {
    this.browsing = new BrowsingRetention(dataSource);
    this.orders = new OrderRetention(dataSource);
  }

  async run(now: Date): Promise<RetentionReport> {
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const { audit, browsing, orders } = this;
    return {
      searchesDeleted: await browsing.expireSearches(before(this.periods.searchDays), this.batchSize),
      browsingEventsDeleted: await browsing.expireEvents(before(this.periods.browsingDays), this.batchSize),
      devicesDeleted: await browsing.expireDevices(before(this.periods.deviceDays), this.batchSize),
      hiddenOrdersDeleted: await orders.expireHiddenOrders(before(this.periods.hiddenOrderDays), this.batchSize),
      auditEntriesExpired: await audit.expire(before(this.periods.auditDays), this.batchSize),
      automatedDecisionsExpired: await browsing.expireDecisions(before(this.periods.decisionDays), this.batchSize),
    };
  }
}
