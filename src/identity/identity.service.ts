import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In, Not, QueryFailedError } from 'typeorm';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberViewer } from '../auth/viewer';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { ConsentService } from '../consent/consent.service';
import type { FieldCipher } from '../crypto';
import { badUserInput, conflict, consentRequired, notFound } from '../errors';
import type { MemberService } from '../members/member.service';
import type { MemberVault } from '../members/member-vault.service';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { idCardBirthDate, normaliseDocumentNumber } from './document-rules';
import { RealNameHistoryEntity } from './real-name-history.entity';
import { RealNameIdentityEntity } from './real-name-identity.entity';
import type { RealNameInput } from './real-name.input';
import { type DocumentType, RealNameIdentity, type Verification, type VerificationCaseStatus, type VerificationStatus } from './identity.types';
import { VerificationEntity } from './verification.entity';

export type VerificationView = Verification & { memberId: string };

/**
 * Real-name identities and their verification. Every submission (first or edit) opens a new
 * verification; an edit of a VERIFIED identity voids it (status PENDING, verifiedAt null) and keeps
 * the earlier values only as a sealed history entry. One identity per document across members.
 */
export class IdentityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly members: MemberService,
    private readonly consents: ConsentService,
    private readonly settings: { stepUpMaxAgeSeconds: number },
  ) {
    // Withdrawing REAL_NAME_AUTH deletes the identity, its history and its cases at once.
    consents.onWithdrawal(ConsentPurpose.REAL_NAME_AUTH, 'identity', (manager, memberId) => this.erase(manager, memberId));
    // A verified resident ID proves a birth date: the one way a member may move a minor's birth date to an adult one.
    members.onBirthDateEvidence((manager, memberId) => this.verifiedBirthDate(manager, memberId));
  }

  /** For the policy's owner facts: whether each member's identity awaits a verifier's decision (one statement). */
  async pendingVerifications(memberIds: readonly string[]): Promise<boolean[]> {
    const pending = await this.dataSource.manager.find(RealNameIdentityEntity, {
      select: { memberId: true },
      where: { memberId: In([...memberIds]), status: 'PENDING' },
    });
    const ids = new Set(pending.map((row) => row.memberId));
    return memberIds.map((id) => ids.has(id));
  }

  /** The birth date in the member's VERIFIED resident ID, if they have one. */
  private async verifiedBirthDate(manager: EntityManager, memberId: string): Promise<string | null> {
    const identity = await manager.findOneBy(RealNameIdentityEntity, { memberId, status: 'VERIFIED', documentType: 'ID_CARD' });
    if (!identity) return null;
    const number = (await this.vault.cipherFor(memberId, manager)).open('document_number', identity.documentNumberSealed);
    return number ? idCardBirthDate(number) : null;
  }

  /** `beforeCommit` runs last inside the transaction (the resolver writes the audit records there). */
  async submit(
    viewer: MemberViewer,
    input: RealNameInput,
    beforeCommit: (manager: EntityManager, result: { identity: Owned<RealNameIdentity>; verification: VerificationView }) => Promise<void> = async () =>
      undefined,
  ): Promise<{ identity: Owned<RealNameIdentity>; verification: VerificationView }> {
    if (!(await this.consents.granted(viewer.memberId)).has(ConsentPurpose.REAL_NAME_AUTH)) throw consentRequired(ConsentPurpose.REAL_NAME_AUTH);
    requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    const number = normaliseDocumentNumber(input.documentNumber);
    const { birthDate: onFile, isMinor } = this.members.view(viewer.member);
    // A minor's birth date on file may be the wrong one: the verifier then judges the document, and
    // once it is verified its birth date is what lets the member correct the file (members/).
    if (input.documentType === 'ID_CARD' && onFile && !isMinor && idCardBirthDate(number) !== onFile) {
      throw badUserInput('documentNumber', 'documentNumber does not match the birth date on file');
    }
    const documentIndex = this.vault.index('document', `${input.documentType}:${number}`);
    try {
      return await this.consents.whileGranted(viewer.memberId, ConsentPurpose.REAL_NAME_AUTH, async (manager) => {
        const existing = await manager.findOneBy(RealNameIdentityEntity, { memberId: viewer.memberId });
        if (input.expectedVersion != null && input.expectedVersion !== (existing?.version ?? 0)) {
          throw conflict('expectedVersion', 'The identity was changed meanwhile; reload it and submit again.');
        }
        if (await manager.existsBy(RealNameIdentityEntity, { documentIndex, memberId: Not(viewer.memberId) })) {
          throw conflict('documentNumber', 'This document is already registered to another member.');
        }
        const cipher = await this.vault.cipherFor(viewer.memberId, manager);
        const now = new Date();
        const values = {
          legalNameSealed: cipher.seal('legal_name', input.legalName.trim()),
          documentType: input.documentType,
          documentNumberSealed: cipher.seal('document_number', number),
          documentIndex,
          status: 'PENDING' as const,
          verifiedAt: null,
          rejectionReason: null,
          updatedAt: now,
        };
        let saved: RealNameIdentityEntity;
        if (existing) {
          if (existing.status === 'VERIFIED') {
            // Same member key and column names: the sealed values move into history as they are.
            await manager.insert(RealNameHistoryEntity, {
              id: randomUUID(),
              memberId: viewer.memberId,
              legalNameSealed: existing.legalNameSealed,
              documentType: existing.documentType,
              documentNumberSealed: existing.documentNumberSealed,
              verifiedAt: existing.verifiedAt,
              replacedAt: now,
            });
          }
          const updated = await manager.update(
            RealNameIdentityEntity,
            { memberId: viewer.memberId, version: existing.version },
            { ...values, version: existing.version + 1 },
          );
          if (updated.affected !== 1) throw conflict('expectedVersion', 'The identity was changed meanwhile; reload it and submit again.');
          saved = { ...existing, ...values, version: existing.version + 1 };
        } else {
          saved = { memberId: viewer.memberId, ...values, version: 1 };
          await manager.insert(RealNameIdentityEntity, saved);
        }
        await manager.update(VerificationEntity, { memberId: viewer.memberId, status: 'PENDING' }, { status: 'SUPERSEDED', decidedAt: now });
        const verification: VerificationEntity = {
          id: randomUUID(),
          memberId: viewer.memberId,
          status: 'PENDING',
          openedAt: now,
          decidedAt: null,
          decidedBy: null,
          reason: null,
        };
        await manager.insert(VerificationEntity, verification);
        const owner = { memberId: viewer.memberId };
        const result = {
          identity: this.view(saved, cipher, owner),
          // The case is the member's government-ID data too (its reason is classified): same owner as the identity.
          verification: owned(toVerification(verification), owner),
        };
        await beforeCommit(manager, result);
        return result;
      });
    } catch (error) {
      // SQLite names the column (document_index), MariaDB the index (uq_real_name_identity_document) or PRIMARY.
      if (error instanceof QueryFailedError && /document_index|real_name_identity_document/.test(error.message)) {
        throw conflict('documentNumber', 'This document is already registered to another member.');
      }
      if (error instanceof QueryFailedError && /real_name_identity\.member_id|PRIMARY/.test(error.message)) {
        throw conflict('expectedVersion', 'The identity was changed meanwhile; reload it and submit again.');
      }
      throw error;
    }
  }

  /** A VERIFIER decides a pending case: approval verifies the identity, rejection records the reason for the member. */
  async review(reviewer: string, caseId: string, approve: boolean, reason: string | null | undefined): Promise<VerificationView> {
    if (!approve && !(reason ?? '').trim()) throw badUserInput('reason', 'reason is required when rejecting');
    if ((reason ?? '').length > 500) throw badUserInput('reason', 'reason must be at most 500 characters long');
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOneBy(VerificationEntity, { id: caseId });
      if (!found) throw notFound('No such verification.');
      const now = new Date();
      const decided = await manager.update(
        VerificationEntity,
        { id: caseId, status: 'PENDING' },
        { status: approve ? 'APPROVED' : 'REJECTED', decidedAt: now, decidedBy: reviewer, reason: approve ? null : reason!.trim() },
      );
      if (decided.affected !== 1) throw conflict('id', 'This verification was already decided or superseded.');
      const identity = await manager.findOneBy(RealNameIdentityEntity, { memberId: found.memberId });
      if (!identity) throw conflict('id', 'The identity of this verification no longer exists.');
      const applied = await manager.update(
        RealNameIdentityEntity,
        { memberId: found.memberId, version: identity.version },
        approve
          ? { status: 'VERIFIED', verifiedAt: now, rejectionReason: null, version: identity.version + 1 }
          : { status: 'REJECTED', rejectionReason: reason!.trim(), version: identity.version + 1 },
      );
      if (applied.affected !== 1) throw conflict('id', 'The identity changed while it was being reviewed; review again.');
      return toVerification({
        ...found,
        status: approve ? 'APPROVED' : 'REJECTED',
        decidedAt: now,
        decidedBy: reviewer,
        reason: approve ? null : reason!.trim(),
      });
    });
  }

  /** The owner's identity as a GraphQL object, or null when there is none. */
  async identityOf(owner: OwnerRef): Promise<Owned<RealNameIdentity> | null> {
    const identity = await this.dataSource.manager.findOneBy(RealNameIdentityEntity, { memberId: owner.memberId });
    return identity ? this.view(identity, await this.vault.cipherFor(owner.memberId), owner) : null;
  }

  /** Pending cases, oldest first. */
  async queue(first: number): Promise<VerificationView[]> {
    const cases = await this.dataSource.manager.find(VerificationEntity, { where: { status: 'PENDING' }, order: { openedAt: 'ASC' }, take: first });
    return cases.map(toVerification);
  }

  async statusOf(memberId: string, manager: EntityManager = this.dataSource.manager): Promise<VerificationStatus | null> {
    return ((await manager.findOneBy(RealNameIdentityEntity, { memberId }))?.status as VerificationStatus | undefined) ?? null;
  }

  private async erase(manager: EntityManager, memberId: string): Promise<void> {
    await manager.delete(RealNameIdentityEntity, { memberId });
    await manager.delete(RealNameHistoryEntity, { memberId });
    await manager.delete(VerificationEntity, { memberId });
  }

  private view(identity: RealNameIdentityEntity, cipher: FieldCipher, owner: OwnerRef): Owned<RealNameIdentity> {
    return owned(
      {
        legalName: cipher.open('legal_name', identity.legalNameSealed),
        documentType: identity.documentType as DocumentType,
        documentNumber: cipher.open('document_number', identity.documentNumberSealed),
        status: identity.status as VerificationStatus,
        verifiedAt: identity.verifiedAt,
        rejectionReason: identity.rejectionReason,
        version: identity.version,
      },
      owner,
    );
  }
}

function toVerification(entity: VerificationEntity): VerificationView {
  return {
    id: entity.id,
    memberId: entity.memberId,
    status: entity.status as VerificationCaseStatus,
    openedAt: entity.openedAt,
    decidedAt: entity.decidedAt,
    reason: entity.reason,
  };
}
