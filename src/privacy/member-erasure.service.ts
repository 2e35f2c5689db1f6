import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { rowLock } from '../db/row-lock';
import { BiometricEnrollmentEntity } from '../biometrics/biometric-enrollment.entity';
import { AutomatedDecisionEntity } from '../browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../browsing/browsing-event.entity';
import { DeviceEntity } from '../browsing/device.entity';
import { RealNameHistoryEntity } from '../identity/real-name-history.entity';
import { RealNameIdentityEntity } from '../identity/real-name-identity.entity';
import { VerificationEntity } from '../identity/verification.entity';
import { MemberKeyEntity } from '../members/member-key.entity';
import { MemberEntity } from '../members/member.entity';
import type { MemberVault } from '../members/member-vault.service';
import { DisclosureEntity } from '../orders/disclosure.entity';
import { OrderEntity } from '../orders/order.entity';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import { NotificationEntity } from './notification.entity';

const ERASED = '[erased]';

/**
 * Erases a member's data inside the caller's transaction: deletes what only optional purposes
 * needed, overwrites the personal parts of orders kept for legal retention (amounts and dates stay),
 * and queues an erasure notice for every recipient the data was disclosed to. `destroyKey` also
 * deletes the member's data key (crypto-shredding: every remaining ciphertext of the member, in
 * this database and in every backup, becomes unreadable) and frees the name and phone.
 */
export class MemberErasure {
  constructor(private readonly vault: MemberVault) {}

  /**
   * Erases now, or, under a legal hold, keeps everything, remembers the pending erasure and tells
   * the member (returns false). A cancelled account is signed out either way.
   */
  async erase(manager: EntityManager, memberId: string, requestId: string, options: { destroyKey: boolean }): Promise<boolean> {
    // Under the member-row lock: a legal hold set meanwhile is either seen here or waits for the erasure.
    const member = await lockedMember(manager, memberId);
    if (member.legalHoldReason) {
      await manager.update(MemberEntity, { id: memberId }, { erasurePendingRequest: requestId, ...(options.destroyKey ? { status: 'CANCELLED', tokensValidAfter: new Date() } : {}) });
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
    const member = await lockedMember(manager, memberId);
    await manager.update(MemberEntity, { id: memberId }, { legalHoldReason: null, erasurePendingRequest: null });
    if (member.erasurePendingRequest) await this.eraseNow(manager, memberId, member.erasurePendingRequest, member.status === 'CANCELLED');
  }

  private async eraseNow(manager: EntityManager, memberId: string, requestId: string, destroyKey: boolean): Promise<void> {
    for (const entity of [BrowsingEventEntity, DeviceEntity, AutomatedDecisionEntity, BiometricEnrollmentEntity, RealNameIdentityEntity, RealNameHistoryEntity, VerificationEntity]) {
      await manager.delete(entity, { memberId });
    }
    // Read before the orders are wiped: a notice names what its recipient knows the data by.
    const disclosed = await manager
      .createQueryBuilder(DisclosureEntity, 'disclosure')
      .leftJoin(OrderEntity, 'o', 'o.id = disclosure.orderId')
      .select('disclosure.recipient', 'recipient')
      .addSelect('o.number', 'orderNumber')
      .addSelect('o.trackingNumber', 'trackingNumber')
      .addSelect('o.partnerId', 'carrier')
      .where('disclosure.memberId = :memberId', { memberId })
      .orderBy('disclosure.disclosedAt', 'ASC')
      .getRawMany<{ recipient: string; orderNumber: string | null; trackingNumber: string | null; carrier: string | null }>();
    const subjects = new Map<string, Array<{ orderNumber: string; trackingNumber?: string }>>();
    for (const { recipient, orderNumber, trackingNumber, carrier } of disclosed) {
      const list = subjects.get(recipient) ?? [];
      // The tracking number only to the carrier that was given it.
      if (orderNumber && !list.some((known) => known.orderNumber === orderNumber)) list.push({ orderNumber, ...(trackingNumber && carrier === recipient ? { trackingNumber } : {}) });
      subjects.set(recipient, list);
    }
    const cipher = await this.vault.cipherFor(memberId, manager);
    await manager.update(OrderEntity, { memberId }, {
      consigneeNameSealed: cipher.seal('order_consignee_name', ERASED),
      deliveryAddressSealed: cipher.seal('order_delivery_address', ERASED),
      consigneePhoneSealed: cipher.seal('order_consignee_phone', ERASED),
      paymentAccountNameSealed: null,
      cardNumberSealed: null,
      trackingNumber: null,
    });
    if (subjects.size > 0) {
      await manager.insert(
        ErasureNoticeEntity,
        [...subjects].map(([recipient, orders]) => ({ id: randomUUID(), memberId, requestId, recipient, subjects: JSON.stringify({ orders }), state: 'PENDING', attempts: 0, createdAt: new Date() })),
      );
    }
    if (destroyKey) {
      await manager.delete(MemberKeyEntity, { memberId });
      // Random tombstones: the blind indexes no longer link to the name or phone, which can be used again.
      const tombstone = () => `erased:${randomBytes(24).toString('base64url')}`.slice(0, 64);
      await manager.update(MemberEntity, { id: memberId }, { status: 'CANCELLED', memberNameIndex: tombstone(), phoneIndex: tombstone(), tokensValidAfter: new Date(), updatedAt: new Date() });
    }
  }
}

/** The member row read under its lock (SELECT … FOR UPDATE), so the legal hold read is the current one. */
function lockedMember(manager: EntityManager, memberId: string): Promise<MemberEntity> {
  return manager.findOneOrFail(MemberEntity, { where: { id: memberId }, ...rowLock(manager.dataSource) });
}
