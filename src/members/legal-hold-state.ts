import type { EntityManager } from 'typeorm';
import { rowLock } from '../db/row-lock';
import { MemberEntity } from './member.entity';

/** What erasure needs to know of a member, read under the member-row lock. */
export interface ErasureState {
  status: string;
  legalHoldReason: string | null;
  erasurePendingRequest: string | null;
}

/**
 * The legal hold and the erasure it postponed live on the member's row; privacy/ reads and sets
 * them through this, inside its own transaction, under the member-row lock erasure serialises on.
 */
export class LegalHoldState {
  /** The row's erasure state under its lock (SELECT … FOR UPDATE), so a hold set meanwhile is seen; null when no such member. */
  async lock(manager: EntityManager, memberId: string): Promise<ErasureState | null> {
    return manager.findOne(MemberEntity, {
      select: { id: true, status: true, legalHoldReason: true, erasurePendingRequest: true },
      where: { id: memberId },
      ...rowLock(manager.dataSource),
    });
  }

  /** Sets a hold; false when there is no such member. */
  async hold(manager: EntityManager, memberId: string, reason: string): Promise<boolean> {
    return (await manager.update(MemberEntity, { id: memberId }, { legalHoldReason: reason })).affected === 1;
  }

  /** Remembers an erasure the hold postpones; a cancellation also ends the account's tokens now. */
  async postpone(manager: EntityManager, memberId: string, requestId: string, cancelAccount: boolean): Promise<void> {
    await manager.update(
      MemberEntity,
      { id: memberId },
      { erasurePendingRequest: requestId, ...(cancelAccount ? { status: 'CANCELLED', tokensValidAfter: new Date() } : {}) },
    );
  }

  async lift(manager: EntityManager, memberId: string): Promise<void> {
    await manager.update(MemberEntity, { id: memberId }, { legalHoldReason: null, erasurePendingRequest: null });
  }
}
