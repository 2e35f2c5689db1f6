import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, consentRequired } from '../errors';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentPurpose } from './consent-purpose';
import type { Consent } from './consent.types';

/** Deletes what only `purpose` needed, inside the withdrawal's transaction. */
export type WithdrawalHandler = (manager: EntityManager, memberId: string) => Promise<void>;

/**
 * The consent ledger: appends decisions and derives each purpose's current state from them.
 * Withdrawing runs the handlers other features registered for that purpose in the same
 * transaction, so processing stops and the data only that purpose needed is gone at once.
 */
export class ConsentService {
  private readonly handlers = new Map<ConsentPurpose, WithdrawalHandler[]>();

  constructor(private readonly dataSource: DataSource) {}

  onWithdrawal(purpose: ConsentPurpose, handler: WithdrawalHandler): void {
    this.handlers.set(purpose, [...(this.handlers.get(purpose) ?? []), handler]);
  }

  /** Grants an optional purpose. Members under the minor age need a guardian (not yet supported here). */
  async grantOne(memberId: string, purpose: ConsentPurpose, isMinor: boolean): Promise<Consent> {
    if (isMinor && purpose !== ConsentPurpose.MEMBERSHIP) throw consentRequired(purpose, { requiresGuardian: true });
    const current = await this.currentOf(memberId, purpose);
    if (current.granted) return current;
    await this.grant(this.dataSource.manager, memberId, [purpose]);
    return this.currentOf(memberId, purpose);
  }

  /** Withdraws a purpose and deletes what only it needed, all or nothing. Earlier processing stays recorded. */
  async withdraw(memberId: string, purpose: ConsentPurpose): Promise<Consent> {
    if (purpose === ConsentPurpose.MEMBERSHIP) throw badUserInput('purpose', 'MEMBERSHIP cannot be withdrawn; cancel the account instead');
    await this.dataSource.transaction(async (manager) => {
      await this.append(manager, memberId, [{ purpose, granted: false, method: 'EXPLICIT' }]);
      for (const handler of this.handlers.get(purpose) ?? []) await handler(manager, memberId);
    });
    return this.currentOf(memberId, purpose);
  }

  private async currentOf(memberId: string, purpose: ConsentPurpose): Promise<Consent> {
    return (await this.current(memberId)).find((consent) => consent.purpose === purpose)!;
  }

  async grant(manager: EntityManager, memberId: string, purposes: ConsentPurpose[], method = 'EXPLICIT'): Promise<void> {
    await this.append(manager, memberId, [...new Set(purposes)].map((purpose) => ({ purpose, granted: true, method })));
  }

  /** Appends decisions at the end of the member's ledger; a concurrent append fails on the unique (member, seq). */
  private async append(manager: EntityManager, memberId: string, decisions: Array<{ purpose: ConsentPurpose; granted: boolean; method: string }>): Promise<void> {
    if (decisions.length === 0) return;
    const last = await manager.maximum(ConsentEventEntity, 'seq', { memberId });
    const createdAt = new Date();
    await manager.insert(
      ConsentEventEntity,
      decisions.map((decision, index) => ({ id: randomUUID(), memberId, policyVersion: null, createdAt, seq: (last ?? 0) + index + 1, ...decision })),
    );
  }

  /** The purposes currently granted. */
  async granted(memberId: string): Promise<ReadonlySet<ConsentPurpose>> {
    return new Set((await this.current(memberId)).filter((consent) => consent.granted).map((consent) => consent.purpose));
  }

  /** One entry per purpose, in the enum's order; purposes never decided are not granted. */
  async current(memberId: string): Promise<Consent[]> {
    const events = await this.dataSource.manager.find(ConsentEventEntity, { where: { memberId }, order: { seq: 'ASC' } });
    const latest = new Map(events.map((event) => [event.purpose, event]));
    return Object.values(ConsentPurpose).map((purpose) => {
      const event = latest.get(purpose);
      return { purpose, granted: event?.granted ?? false, method: event?.method ?? null, changedAt: event?.createdAt ?? null };
    });
  }
}
