import { type DataSource, type EntityTarget, type FindOptionsSelect, type FindOptionsWhere, In, IsNull, LessThan, Not } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { AutomatedDecisionEntity } from '../browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../browsing/browsing-event.entity';
import { DeviceEntity } from '../browsing/device.entity';
import type { Config } from '../config';
import { OrderItemEntity } from '../orders/order-item.entity';
import { OrderEntity } from '../orders/order.entity';

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
 * tests and backfills can run it for any date. Run by `npm run retention` and on a schedule.
 */
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly periods: Config['retention'],
    /** Rows per DELETE statement: bounded statements and lock times however much has expired. */
    private readonly batchSize = 1000,
  ) {}

  async run(now: Date): Promise<RetentionReport> {
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const searches = await this.inBatches(BrowsingEventEntity, { kind: 'SEARCH', occurredAt: LessThan(before(this.periods.searchDays)) });
    const events = await this.inBatches(BrowsingEventEntity, { kind: Not('SEARCH'), occurredAt: LessThan(before(this.periods.browsingDays)) });
    const devices = await this.inBatches(DeviceEntity, { lastSeenAt: LessThan(before(this.periods.deviceDays)) });
    let hiddenOrders = 0;
    for (;;) {
      // Each batch in its own transaction: an order and its items go together.
      const removed = await this.dataSource.transaction(async (manager) => {
        const expired = await manager.find(OrderEntity, { select: { id: true }, where: { hiddenAt: Not(IsNull()), placedAt: LessThan(before(this.periods.hiddenOrderDays)) }, take: this.batchSize });
        if (expired.length === 0) return 0;
        const ids = expired.map((order) => order.id);
        await manager.delete(OrderItemEntity, { orderId: In(ids) });
        await manager.delete(OrderEntity, { id: In(ids) });
        return ids.length;
      });
      hiddenOrders += removed;
      if (removed < this.batchSize) break;
    }
    const audit = await this.audit.expire(before(this.periods.auditDays), this.batchSize);
    const decisions = await this.inBatches(AutomatedDecisionEntity, { decidedAt: LessThan(before(this.periods.decisionDays)) });
    return {
      browsingEventsDeleted: events,
      searchesDeleted: searches,
      devicesDeleted: devices,
      hiddenOrdersDeleted: hiddenOrders,
      auditEntriesExpired: audit,
      automatedDecisionsExpired: decisions,
    };
  }

  /** Deletes the matching rows `batchSize` at a time (select ids by the indexed age column, delete those). */
  private async inBatches<T extends { id: string | number }>(entity: EntityTarget<T>, where: FindOptionsWhere<T>): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.dataSource.manager.find(entity, { select: { id: true } as FindOptionsSelect<T>, where, take: this.batchSize });
      if (rows.length === 0) return deleted;
      await this.dataSource.manager.delete(entity, { id: In(rows.map((row) => row.id)) } as FindOptionsWhere<T>);
      deleted += rows.length;
      if (rows.length < this.batchSize) return deleted;
    }
  }
}
