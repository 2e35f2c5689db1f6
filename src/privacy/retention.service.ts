import { type DataSource, In, IsNull, LessThan, Not } from 'typeorm';
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
  ) {}

  async run(now: Date): Promise<RetentionReport> {
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const m = this.dataSource.manager;
    const searches = await m.delete(BrowsingEventEntity, { kind: 'SEARCH', occurredAt: LessThan(before(this.periods.searchDays)) });
    const events = await m.delete(BrowsingEventEntity, { kind: Not('SEARCH'), occurredAt: LessThan(before(this.periods.browsingDays)) });
    const devices = await m.delete(DeviceEntity, { lastSeenAt: LessThan(before(this.periods.deviceDays)) });
    const hiddenOrders = await this.dataSource.transaction(async (manager) => {
      const expired = await manager.find(OrderEntity, { select: { id: true }, where: { hiddenAt: Not(IsNull()), placedAt: LessThan(before(this.periods.hiddenOrderDays)) } });
      if (expired.length === 0) return 0;
      const ids = expired.map((order) => order.id);
      await manager.delete(OrderItemEntity, { orderId: In(ids) });
      return (await manager.delete(OrderEntity, { id: In(ids) })).affected ?? 0;
    });
    const audit = await this.audit.expire(before(this.periods.auditDays));
    const decisions = await m.delete(AutomatedDecisionEntity, { decidedAt: LessThan(before(this.periods.decisionDays)) });
    return {
      browsingEventsDeleted: events.affected ?? 0,
      searchesDeleted: searches.affected ?? 0,
      devicesDeleted: devices.affected ?? 0,
      hiddenOrdersDeleted: hiddenOrders,
      auditEntriesExpired: audit,
      automatedDecisionsExpired: decisions.affected ?? 0,
    };
  }
}
