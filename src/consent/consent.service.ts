import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, consentRequired } from '../errors';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentPurpose } from './consent-purpose';
import type { MemberVault } from '../members/member-vault.service';
import type { Consent } from './consent.types';
import { WITHDRAWAL_EFFECTS, type WithdrawalFeature } from './withdrawal-effects';

export interface Guardian {
  name: string;
  contact: string;
  relationship: string;
}

/** Deletes what only `purpose` needed, inside the withdrawal's transaction. */
export type WithdrawalHandler = (manager: EntityManager, memberId: string) => Promise<void>;

/**
 * The consent ledger: appends decisions and derives each purpose's current state from them.
 * Withdrawing runs the handlers other features registered for that purpose in the same
 * transaction, so processing stops and the data only that purpose needed is gone at once.
 * Which feature deletes what on which withdrawal is listed in WITHDRAWAL_EFFECTS.
 */
export class ConsentService {
  private readonly handlers = new Map<ConsentPurpose, Array<{ by: WithdrawalFeature; handler: WithdrawalHandler }>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    /** The privacy-policy version in force (privacy/ owns the versions), read in the caller's transaction. */
    private readonly policyVersionInForce: (manager: EntityManager) => Promise<string | null>,
  ) {}

  /** Registers `by`'s part of a withdrawal effect; only effects listed in WITHDRAWAL_EFFECTS may be registered. */
  onWithdrawal(purpose: ConsentPurpose, by: WithdrawalFeature, handler: WithdrawalHandler): void {
    const listed = purpose !== ConsentPurpose.MEMBERSHIP && WITHDRAWAL_EFFECTS[purpose].deletes.some((effect) => effect.by === by);
    if (!listed) throw new Error(`${by} registered a withdrawal effect for ${purpose} that WITHDRAWAL_EFFECTS does not list`);
    this.handlers.set(purpose, [...(this.handlers.get(purpose) ?? []), { by, handler }]);
  }

  /** Start-up check: every effect WITHDRAWAL_EFFECTS lists has its handler. */
  assertWithdrawalEffectsWired(): void {
    for (const [purpose, effect] of Object.entries(WITHDRAWAL_EFFECTS) as Array<
      [ConsentPurpose, (typeof WITHDRAWAL_EFFECTS)[keyof typeof WITHDRAWAL_EFFECTS]]
    >) {
      for (const { by } of effect.deletes) {
        if (!(this.handlers.get(purpose) ?? []).some((entry) => entry.by === by)) throw new Error(`No ${by} handler for withdrawing ${purpose}`);
      }
    }
  }

  /**
   * Grants a purpose. A member under the minor age needs a guardian's consent for every optional
   * purpose (recorded with method GUARDIAN, the guardian's details sealed); adults give their own.
   */
  async grantOne(
    memberId: string,
    purpose: ConsentPurpose,
    options: { isMinor: boolean | null; channel: string; guardian?: Guardian | null },
  ): Promise<Consent> {
    // Unknown age (no birth date on file): whether a guardian is needed cannot be told.
    if (options.isMinor === null && purpose !== ConsentPurpose.MEMBERSHIP) {
      throw badUserInput('birthDate', 'optional purposes need a birth date on file; add it with updateProfile first');
    }
    if (options.isMinor && purpose !== ConsentPurpose.MEMBERSHIP && !options.guardian) throw consentRequired(purpose, { requiresGuardian: true });
    if (!options.isMinor && options.guardian) throw badUserInput('guardian', 'guardian is only for members under the minor age');
    const current = await this.currentOf(memberId, purpose);
    if (current.granted && !options.guardian) return current;
    await this.dataSource.transaction(async (manager) => {
      await this.lockMember(manager, memberId);
      const guardianSealed = options.guardian
        ? (await this.vault.cipherFor(memberId, manager)).seal('consent_guardian', JSON.stringify(options.guardian))
        : null;
      await this.append(manager, memberId, [
        { purpose, granted: true, method: options.guardian ? 'GUARDIAN' : 'EXPLICIT', channel: options.channel, guardianSealed },
      ]);
    });
    return this.currentOf(memberId, purpose);
  }

  /** Withdraws a purpose and deletes what only it needed, all or nothing. Earlier processing stays recorded. */
  async withdraw(memberId: string, purpose: ConsentPurpose, options: { channel: string; method?: string }): Promise<Consent> {
    if (purpose === ConsentPurpose.MEMBERSHIP) throw badUserInput('purpose', 'MEMBERSHIP cannot be withdrawn; cancel the account instead');
    await this.dataSource.transaction(async (manager) => {
      await this.lockMember(manager, memberId);
      await this.append(manager, memberId, [{ purpose, granted: false, method: options.method ?? 'EXPLICIT', channel: options.channel }]);
      for (const { handler } of this.handlers.get(purpose) ?? []) await handler(manager, memberId);
    });
    return this.currentOf(memberId, purpose);
  }

  /**
   * The member has just become a minor (a birth date change, inside the caller's transaction and
   * consent lock): every optional purpose they granted themselves is withdrawn, with its
   * withdrawal effects; purposes a guardian agreed to stay.
   */
  async withdrawNeedingGuardian(manager: EntityManager, memberId: string, channel: string): Promise<ConsentPurpose[]> {
    const events = await manager.find(ConsentEventEntity, { where: { memberId }, order: { seq: 'ASC' } });
    const latest = new Map(events.map((event) => [event.purpose, event]));
    const purposes = [...latest.values()]
      .filter((event) => event.granted && event.purpose !== ConsentPurpose.MEMBERSHIP && event.method !== 'GUARDIAN')
      .map((event) => event.purpose as ConsentPurpose);
    await this.append(
      manager,
      memberId,
      purposes.map((purpose) => ({ purpose, granted: false, method: 'GUARDIAN_REQUIRED', channel })),
    );
    for (const purpose of purposes) for (const { handler } of this.handlers.get(purpose) ?? []) await handler(manager, memberId);
    return purposes;
  }

  /** A request with Sec-GPC: 1 withdraws PARTNER_SHARING and MARKETING, recorded as a global privacy control. */
  async applyGlobalPrivacyControl(memberId: string, channel: string): Promise<void> {
    const granted = await this.granted(memberId);
    for (const purpose of [ConsentPurpose.PARTNER_SHARING, ConsentPurpose.MARKETING]) {
      if (granted.has(purpose)) await this.withdraw(memberId, purpose, { channel, method: 'GLOBAL_PRIVACY_CONTROL' });
    }
  }

  /**
   * Runs `work` in a transaction that holds the member's consent lock and in which `purpose` is
   * granted (checked inside the lock): a withdrawal cannot slip between the check and the write,
   * so its erasure never misses data written on the strength of the old consent.
   */
  async whileGranted<T>(memberId: string, purpose: ConsentPurpose, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockMember(manager, memberId);
      if (!(await this.isGranted(manager, memberId, purpose))) throw consentRequired(purpose);
      return work(manager);
    });
  }

  /** Whether `purpose` is granted, read through `manager` (inside a caller's transaction and lock). */
  async isGranted(manager: EntityManager, memberId: string, purpose: ConsentPurpose): Promise<boolean> {
    const latest = await manager.findOne(ConsentEventEntity, { where: { memberId, purpose }, order: { seq: 'DESC' } });
    return latest?.granted === true;
  }

  /** The member row is the lock every consent change and every consent-dependent write takes. */
  lockMember(manager: EntityManager, memberId: string): Promise<void> {
    return this.vault.lockMember(manager, memberId);
  }

  /** Whether the purpose is granted now through a guardian (what minors' sensitive features need). */
  async grantedByGuardian(memberId: string, purpose: ConsentPurpose): Promise<boolean> {
    const latest = await this.dataSource.manager.findOne(ConsentEventEntity, { where: { memberId, purpose }, order: { seq: 'DESC' } });
    return latest?.granted === true && latest.method === 'GUARDIAN';
  }

  private async currentOf(memberId: string, purpose: ConsentPurpose): Promise<Consent> {
    return (await this.current(memberId)).find((consent) => consent.purpose === purpose)!;
  }

  async grant(manager: EntityManager, memberId: string, purposes: ConsentPurpose[], channel: string): Promise<void> {
    await this.append(
      manager,
      memberId,
      [...new Set(purposes)].map((purpose) => ({ purpose, granted: true, method: 'EXPLICIT', channel })),
    );
  }

  /** Appends decisions at the end of the member's ledger; a concurrent append fails on the unique (member, seq). */
  private async append(
    manager: EntityManager,
    memberId: string,
    decisions: Array<{ purpose: ConsentPurpose; granted: boolean; method: string; channel: string; guardianSealed?: string | null }>,
  ): Promise<void> {
    if (decisions.length === 0) return;
    const last = await manager.maximum(ConsentEventEntity, 'seq', { memberId });
    // The policy version in force when the decision was made, so it can be read against that text.
    const policyVersion = await this.policyVersionInForce(manager);
    const createdAt = new Date();
    await manager.insert(
      ConsentEventEntity,
      decisions.map((decision, index) => ({
        id: randomUUID(),
        memberId,
        policyVersion,
        createdAt,
        seq: (last ?? 0) + index + 1,
        guardianSealed: null,
        ...decision,
      })),
    );
  }

  /** The purposes currently granted. */
  async granted(memberId: string): Promise<ReadonlySet<ConsentPurpose>> {
    return new Set((await this.current(memberId)).filter((consent) => consent.granted).map((consent) => consent.purpose));
  }

  /** One entry per purpose, in the enum's order; purposes never decided are not granted. */
  async current(memberId: string): Promise<Consent[]> {
    // Only the newest decision per purpose (at most one row each, through the (member, purpose, seq)
    // index), never the whole ledger, which grows with every grant and withdrawal.
    const events = await this.dataSource.manager
      .createQueryBuilder(ConsentEventEntity, 'event')
      .innerJoin(
        (newest) =>
          newest
            .select('decision.purpose', 'purpose')
            .addSelect('MAX(decision.seq)', 'seq')
            .from(ConsentEventEntity, 'decision')
            .where('decision.memberId = :memberId')
            .groupBy('decision.purpose'),
        'newest',
        'newest.purpose = event.purpose AND newest.seq = event.seq',
      )
      .where('event.memberId = :memberId', { memberId })
      .getMany();
    const latest = new Map(events.map((event) => [event.purpose, event]));
    return Object.values(ConsentPurpose).map((purpose) => {
      const event = latest.get(purpose);
      return { purpose, granted: event?.granted ?? false, method: event?.method ?? null, channel: event?.channel ?? null, changedAt: event?.createdAt ?? null };
    });
  }
}
