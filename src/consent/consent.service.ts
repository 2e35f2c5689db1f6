import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentPurpose } from './consent-purpose';
import type { Consent } from './consent.types';

/** The consent ledger: appends decisions and derives each purpose's current state from them. */
export class ConsentService {
  constructor(private readonly dataSource: DataSource) {}

  async grant(manager: EntityManager, memberId: string, purposes: ConsentPurpose[], method = 'EXPLICIT'): Promise<void> {
    const createdAt = new Date();
    const rows = [...new Set(purposes)].map((purpose) => ({ id: randomUUID(), memberId, purpose, granted: true, method, policyVersion: null, createdAt }));
    if (rows.length > 0) await manager.insert(ConsentEventEntity, rows);
  }

  /** The purposes currently granted. */
  async granted(memberId: string): Promise<ReadonlySet<ConsentPurpose>> {
    return new Set((await this.current(memberId)).filter((consent) => consent.granted).map((consent) => consent.purpose));
  }

  /** One entry per purpose, in the enum's order; purposes never decided are not granted. */
  async current(memberId: string): Promise<Consent[]> {
    const events = await this.dataSource.manager.find(ConsentEventEntity, { where: { memberId }, order: { createdAt: 'ASC' } });
    const latest = new Map(events.map((event) => [event.purpose, event]));
    return Object.values(ConsentPurpose).map((purpose) => {
      const event = latest.get(purpose);
      return { purpose, granted: event?.granted ?? false, method: event?.method ?? null, changedAt: event?.createdAt ?? null };
    });
  }
}
