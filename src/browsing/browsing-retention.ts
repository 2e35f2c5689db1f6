import { type DataSource, LessThan, Not } from 'typeorm';
import { deleteInBatches } from '../db/delete-in-batches';
import { AutomatedDecisionEntity } from './automated-decision.entity';
import { BrowsingEventEntity } from './browsing-event.entity';
import { DeviceEntity } from './device.entity';

/** The browsing feature's part of retention: what has outlived its period goes, in bounded batches. */
export class BrowsingRetention {
  constructor(private readonly dataSource: DataSource) {}

  expireSearches(before: Date, batchSize: number): Promise<number> {
    return deleteInBatches(this.dataSource, BrowsingEventEntity, { kind: 'SEARCH', occurredAt: LessThan(before) }, batchSize);
  }

  expireEvents(before: Date, batchSize: number): Promise<number> {
    return deleteInBatches(this.dataSource, BrowsingEventEntity, { kind: Not('SEARCH'), occurredAt: LessThan(before) }, batchSize);
  }

  expireDevices(before: Date, batchSize: number): Promise<number> {
    return deleteInBatches(this.dataSource, DeviceEntity, { lastSeenAt: LessThan(before) }, batchSize);
  }

  expireDecisions(before: Date, batchSize: number): Promise<number> {
    return deleteInBatches(this.dataSource, AutomatedDecisionEntity, { decidedAt: LessThan(before) }, batchSize);
  }
}
