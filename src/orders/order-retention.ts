import { type DataSource, In, IsNull, LessThan, Not } from 'typeorm';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

/** The orders feature's part of retention: orders the member hid, once their period is over. */
export class OrderRetention {
  constructor(private readonly dataSource: DataSource) {}

  /** Hidden orders placed before `before`; each batch in its own transaction, an order with its items. */
  async expireHiddenOrders(before: Date, batchSize: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const removed = await this.dataSource.transaction(async (manager) => {
        const expired = await manager.find(OrderEntity, {
          select: { id: true },
          where: { hiddenAt: Not(IsNull()), placedAt: LessThan(before) },
          take: batchSize,
        });
        if (expired.length === 0) return 0;
        const ids = expired.map((order) => order.id);
        await manager.delete(OrderItemEntity, { orderId: In(ids) });
        await manager.delete(OrderEntity, { id: In(ids) });
        return ids.length;
      });
      deleted += removed;
      if (removed < batchSize) return deleted;
    }
  }
}
