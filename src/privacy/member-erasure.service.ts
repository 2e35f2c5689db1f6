import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LegalHoldState } from '../members/legal-hold-state';
import type { MemberVault } from '../members/member-vault.service';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import type { MemberDataRegistry } from './member-data-hook';
import { NotificationEntity } from './notification.entity';

/**
 * Erases a member's data inside the caller's transaction, through the hooks features registered
 * (each says per column what happens): deletes what only optional purposes needed, reduces orders
 * kept for legal retention to amounts, currency and dates, and queues an erasure notice for every
 * recipient the data was disclosed to. `destroyKey` also deletes the member's data key
 * (crypto-shredding: every remaining ciphertext of the member, in this database and in every
 * backup, becomes unreadable) and frees the name and phone.
 */
export class MemberErasure {
  constructor(
    private readonly vault: MemberVault,
    private readonly memberData: MemberDataRegistry,
    private readonly holds: LegalHoldState,
  ) {}

  /**
   * Erases now, or, under a legal hold, keeps everything, remembers the pending erasure and tells
   * the member (returns false). A cancelled account is signed out either way.
   */
  async erase(manager: EntityManager, memberId: string, requestId: string, options: { destroyKey: boolean }): Promise<boolean> {
    // Under the member-row lock: a legal hold set meanwhile is either seen here or waits for the erasure.
    const member = await this.lockedMember(manager, memberId);
    if (member.legalHoldReason) {
      await this.holds.postpone(manager, memberId, requestId, options.destroyKey);
      await manager.insert(NotificationEntity, {
        id: randomUUID(),
        memberId,
        kind: 'LEGAL_HOLD',
        incidentId: null,
        title: 'Your data is kept under a legal hold',
        body: 'Your request was received. The law requires us to keep your data for now; it will be deleted as soon as the legal hold is lifted.',
        createdAt: new Date(),
      });
      return false;
    }
    await this.eraseNow(manager, memberId, requestId, options.destroyKey || member.status === 'CANCELLED');
    return true;
  }

  /** Lifts a hold; an erasure it postponed happens now (with the key, if the account was cancelled). */
  async liftHold(manager: EntityManager, memberId: string): Promise<void> {
    const member = await this.lockedMember(manager, memberId);
    await this.holds.lift(manager, memberId);
    if (member.erasurePendingRequest) await this.eraseNow(manager, memberId, member.erasurePendingRequest, member.status === 'CANCELLED');
  }

  /**
   * Recipients are read before any hook runs (so none can erase what tells us who they are); then
   * every feature erases its part with the cipher loaded here, in reverse registration order, so
   * the members hook (registered first) destroys the key last.
   */
  private async eraseNow(manager: EntityManager, memberId: string, requestId: string, destroyKey: boolean): Promise<void> {
    const hooks = this.memberData.hooks;
    const recipients = new Map<string, Record<string, unknown[]>>();
    for (const hook of hooks) {
      for (const { recipient, subjects } of (await hook.recipients?.(manager, memberId)) ?? []) {
        const known = recipients.get(recipient) ?? {};
        for (const [key, list] of Object.entries(subjects)) known[key] = [...(known[key] ?? []), ...list];
        recipients.set(recipient, known);
      }
    }
    const cipher = await this.vault.cipherFor(memberId, manager);
    for (const hook of [...hooks].reverse()) await hook.erase?.(manager, memberId, { cipher, destroyKey });
    if (recipients.size > 0) {
      const now = new Date();
      await manager.insert(
        ErasureNoticeEntity,
        [...recipients].map(([recipient, subjects]) => ({
          id: randomUUID(),
          memberId,
          requestId,
          recipient,
          subjects: JSON.stringify(subjects),
          state: 'PENDING',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        })),
      );
    }
  }

  /** The member's erasure state under the row lock, so the legal hold read is the current one. */
  private async lockedMember(manager: EntityManager, memberId: string) {
    const member = await this.holds.lock(manager, memberId);
    if (!member) throw new Error('erasure of a member that does not exist');
    return member;
  }
}
