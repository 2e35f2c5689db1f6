import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { BiometricEnrollmentEntity } from '../biometrics/biometric-enrollment.entity';
import { AutomatedDecisionEntity } from '../browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../browsing/browsing-event.entity';
import { DeviceEntity } from '../browsing/device.entity';
import { badUserInput, conflict, notFound } from '../errors';
import { RealNameHistoryEntity } from '../identity/real-name-history.entity';
import { RealNameIdentityEntity } from '../identity/real-name-identity.entity';
import { VerificationEntity } from '../identity/verification.entity';
import type { MemberVault } from '../members/member-vault.service';
import { DisclosureEntity } from '../orders/disclosure.entity';
import { OrderEntity } from '../orders/order.entity';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import { PrivacyRequestEntity } from './privacy-request.entity';
import { type PrivacyRequest, PrivacyRequestOutcome, PrivacyRequestStatus, type PrivacyRequestType, type RefusalGround } from './privacy-request.types';

const ANSWER_WITHIN_MS = 15 * 24 * 3600 * 1000;
const OPEN = [PrivacyRequestStatus.RECEIVED, PrivacyRequestStatus.IN_PROGRESS];
const ERASED = '[erased]';

/**
 * Members' privacy requests: received with a due date 15 days out, moved on by a privacy officer,
 * refused only on one of the policy's grounds, extended once with a reason. Completing a DELETION
 * erases the member's optional data, anonymises what legal retention keeps (orders keep amounts
 * and dates only), and queues an erasure notice for every recipient of their data, in one transaction.
 */
export class PrivacyRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
  ) {}

  async submit(owner: OwnerRef, type: PrivacyRequestType, details: string | null | undefined): Promise<Owned<PrivacyRequest>> {
    const cipher = await this.vault.cipherFor(owner.memberId);
    const receivedAt = new Date();
    const row: PrivacyRequestEntity = {
      id: randomUUID(),
      memberId: owner.memberId,
      type,
      detailsSealed: cipher.seal('privacy_request_details', details?.trim() || null),
      status: PrivacyRequestStatus.RECEIVED,
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + ANSWER_WITHIN_MS),
      resolvedAt: null,
      refusalGround: null,
      extensionReason: null,
      handledBy: null,
    };
    await this.dataSource.manager.insert(PrivacyRequestEntity, row);
    return this.view(row, owner, details?.trim() || null);
  }

  async resolve(officer: string, id: string, outcome: PrivacyRequestOutcome, ground: RefusalGround | null | undefined, note: string | null | undefined): Promise<Owned<PrivacyRequest>> {
    if (outcome === PrivacyRequestOutcome.REFUSED && !ground) throw badUserInput('reason', 'a refusal must cite one of the policy grounds in reason');
    if (outcome === PrivacyRequestOutcome.EXTENDED && !(note ?? '').trim()) throw badUserInput('note', 'an extension needs a note saying why');
    return this.dataSource.transaction(async (manager) => {
      const request = await manager.findOneBy(PrivacyRequestEntity, { id });
      if (!request) throw notFound('No such privacy request.');
      if (!OPEN.includes(request.status as PrivacyRequestStatus)) throw conflict('id', 'This request was already answered.');
      const now = new Date();
      const changes: Partial<PrivacyRequestEntity> = { handledBy: officer };
      if (outcome === PrivacyRequestOutcome.EXTENDED) {
        if (request.extensionReason) throw conflict('outcome', 'This request was already extended once.');
        Object.assign(changes, { extensionReason: note!.trim().slice(0, 500), dueAt: new Date(request.dueAt.getTime() + ANSWER_WITHIN_MS) });
      } else if (outcome === PrivacyRequestOutcome.IN_PROGRESS) {
        changes.status = PrivacyRequestStatus.IN_PROGRESS;
      } else {
        Object.assign(changes, { status: outcome, resolvedAt: now, refusalGround: outcome === PrivacyRequestOutcome.REFUSED ? ground : null });
        if (outcome === PrivacyRequestOutcome.COMPLETED && request.type === 'DELETION') await this.erase(manager, request);
      }
      const updated = await manager.update(PrivacyRequestEntity, { id, status: request.status }, changes);
      if (updated.affected !== 1) throw conflict('id', 'This request changed meanwhile; reload it.');
      const owner: OwnerRef = { memberId: request.memberId, relationship: 'STAFF_WITH_PURPOSE', purpose: `privacy request ${id}`, isMinor: false };
      return this.view({ ...request, ...changes }, owner, null);
    });
  }

  /** The staff queue: by status, and optionally only those past their due date. */
  async queue(status: PrivacyRequestStatus | null | undefined, overdue: boolean | null | undefined): Promise<Owned<PrivacyRequest>[]> {
    const rows = await this.dataSource.manager.find(PrivacyRequestEntity, {
      where: {
        ...(status ? { status } : overdue ? { status: In(OPEN) } : {}),
        ...(overdue ? { dueAt: LessThan(new Date()) } : {}),
      },
      order: { dueAt: 'ASC' },
      take: 500,
    });
    return rows.map((row) => this.view(row, { memberId: row.memberId, relationship: 'STAFF_WITH_PURPOSE', purpose: 'privacy request queue', isMinor: false }, null));
  }

  async of(owner: OwnerRef): Promise<Owned<PrivacyRequest>[]> {
    const rows = await this.dataSource.manager.find(PrivacyRequestEntity, { where: { memberId: owner.memberId }, order: { receivedAt: 'DESC' } });
    const cipher = rows.length > 0 ? await this.vault.cipherFor(owner.memberId) : null;
    return rows.map((row) => this.view(row, owner, cipher!.open('privacy_request_details', row.detailsSealed)));
  }

  private async erase(manager: EntityManager, request: PrivacyRequestEntity): Promise<void> {
    const memberId = request.memberId;
    for (const entity of [BrowsingEventEntity, DeviceEntity, AutomatedDecisionEntity, BiometricEnrollmentEntity, RealNameIdentityEntity, RealNameHistoryEntity, VerificationEntity]) {
      await manager.delete(entity, { memberId });
    }
    // Orders stay for legal retention with amounts and dates only: the personal parts are overwritten.
    const cipher = await this.vault.cipherFor(memberId, manager);
    await manager.update(OrderEntity, { memberId }, {
      consigneeNameSealed: cipher.seal('order_consignee_name', ERASED),
      deliveryAddressSealed: cipher.seal('order_delivery_address', ERASED),
      consigneePhoneSealed: cipher.seal('order_consignee_phone', ERASED),
      paymentAccountNameSealed: null,
      cardNumberSealed: null,
      trackingNumber: null,
    });
    const recipients = await manager.createQueryBuilder(DisclosureEntity, 'disclosure').select('DISTINCT disclosure.recipient', 'recipient').where('disclosure.memberId = :memberId', { memberId }).getRawMany<{ recipient: string }>();
    if (recipients.length > 0) {
      await manager.insert(
        ErasureNoticeEntity,
        recipients.map(({ recipient }) => ({ id: randomUUID(), memberId, requestId: request.id, recipient, state: 'PENDING', attempts: 0, createdAt: new Date() })),
      );
    }
  }

  private view(row: PrivacyRequestEntity, owner: OwnerRef, details: string | null): Owned<PrivacyRequest> {
    const open = OPEN.includes(row.status as PrivacyRequestStatus);
    return owned(
      {
        id: row.id,
        type: row.type as PrivacyRequestType,
        details,
        status: row.status as PrivacyRequestStatus,
        receivedAt: row.receivedAt,
        dueAt: row.dueAt,
        resolvedAt: row.resolvedAt,
        refusalGround: row.refusalGround as RefusalGround | null,
        extensionReason: row.extensionReason,
        overdue: open && row.dueAt.getTime() < Date.now(),
      },
      owner,
    );
  }
}
