import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { purgeErasedPages } from '../db/purge-erased-pages';
import { keysetPage } from '../common/keyset-page';
import type { ListPageArgs } from '../common/list-page.args';
import { badUserInput, conflict, notFound } from '../errors';
import type { MemberVault } from '../members/member-vault.service';
import type { LegalHoldState } from '../members/legal-hold-state';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import type { MemberErasure } from './member-erasure.service';
import { PrivacyRequestEntity } from './privacy-request.entity';
import { type PrivacyRequest, PrivacyRequestOutcome, PrivacyRequestStatus, type PrivacyRequestType, type RefusalGround } from './privacy-request.types';

const ANSWER_WITHIN_MS = 15 * 24 * 3600 * 1000;
const OPEN = [PrivacyRequestStatus.RECEIVED, PrivacyRequestStatus.IN_PROGRESS];

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
    private readonly erasure: MemberErasure,
    private readonly holds: LegalHoldState,
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

  async resolve(
    officer: string,
    id: string,
    outcome: PrivacyRequestOutcome,
    ground: RefusalGround | null | undefined,
    note: string | null | undefined,
  ): Promise<Owned<PrivacyRequest>> {
    if (outcome === PrivacyRequestOutcome.REFUSED && !ground) throw badUserInput('reason', 'a refusal must cite one of the policy grounds in reason');
    if (outcome === PrivacyRequestOutcome.EXTENDED && !(note ?? '').trim()) throw badUserInput('note', 'an extension needs a note saying why');
    const resolved = await this.dataSource.transaction(async (manager) => {
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
        if (outcome === PrivacyRequestOutcome.COMPLETED && request.type === 'DELETION') {
          const erased = await this.erasure.erase(manager, request.memberId, request.id, { destroyKey: false });
          // Under a legal hold the deletion waits for the hold to be lifted; the member was told.
          if (!erased) Object.assign(changes, { status: PrivacyRequestStatus.IN_PROGRESS, resolvedAt: null });
        }
      }
      const updated = await manager.update(PrivacyRequestEntity, { id, status: request.status }, changes);
      if (updated.affected !== 1) throw conflict('id', 'This request changed meanwhile; reload it.');
      const owner: OwnerRef = { memberId: request.memberId, purpose: `privacy request ${id}` };
      return this.view({ ...request, ...changes }, owner, null);
    });
    await purgeErasedPages(this.dataSource);
    return resolved;
  }

  /**
   * Cancels the account: every session ends at once, the member's data is erased as for a
   * completed DELETION, and the data key is destroyed so what remains (and every backup) is
   * unreadable. Recorded as a completed DELETION request; recipients get erasure notices.
   */
  async cancelAccount(memberId: string, revokeSessions: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const request: PrivacyRequestEntity = {
        id: randomUUID(),
        memberId,
        type: 'DELETION',
        detailsSealed: null,
        status: PrivacyRequestStatus.COMPLETED,
        receivedAt: now,
        dueAt: now,
        resolvedAt: now,
        refusalGround: null,
        extensionReason: 'account cancelled by the member',
        handledBy: 'member',
      };
      await manager.insert(PrivacyRequestEntity, request);
      await revokeSessions(manager);
      await this.erasure.erase(manager, memberId, request.id, { destroyKey: true });
    });
    await purgeErasedPages(this.dataSource);
  }

  /** PRIVACY_OFFICER: data is kept (no erasure) until the hold is lifted. */
  async setLegalHold(memberId: string, reason: string): Promise<void> {
    if (!reason.trim()) throw badUserInput('reason', 'a legal hold needs a reason');
    if (!(await this.holds.hold(this.dataSource.manager, memberId, reason.trim().slice(0, 500)))) throw notFound('No such member.');
  }

  /** Lifts the hold; a deletion or cancellation it postponed is carried out now, in the same transaction. */
  async liftLegalHold(memberId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.holds.lock(manager, memberId))) throw notFound('No such member.');
      await this.erasure.liftHold(manager, memberId);
      await manager.update(
        PrivacyRequestEntity,
        { memberId, type: 'DELETION', status: PrivacyRequestStatus.IN_PROGRESS },
        { status: PrivacyRequestStatus.COMPLETED, resolvedAt: new Date() },
      );
    });
    await purgeErasedPages(this.dataSource);
  }

  /** The staff queue: by status, and optionally only those past their due date; soonest due first, a page at a time. */
  async queue(status: PrivacyRequestStatus | null | undefined, overdue: boolean | null | undefined, page: ListPageArgs = {}): Promise<Owned<PrivacyRequest>[]> {
    const rows = await keysetPage(this.dataSource.manager, PrivacyRequestEntity, {
      where: {
        ...(status ? { status } : overdue ? { status: In(OPEN) } : {}),
        ...(overdue ? { dueAt: LessThan(new Date()) } : {}),
      },
      orderBy: 'dueAt',
      direction: 'ASC',
      page,
    });
    return rows.map((row) => this.view(row, { memberId: row.memberId, purpose: 'privacy request queue' }, null));
  }

  async of(owner: OwnerRef, page: ListPageArgs = {}): Promise<Owned<PrivacyRequest>[]> {
    const rows = await keysetPage(this.dataSource.manager, PrivacyRequestEntity, {
      where: { memberId: owner.memberId },
      orderBy: 'receivedAt',
      direction: 'DESC',
      page,
    });
    const cipher = rows.length > 0 ? await this.vault.cipherFor(owner.memberId) : null;
    return rows.map((row) => this.view(row, owner, cipher!.open('privacy_request_details', row.detailsSealed)));
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
