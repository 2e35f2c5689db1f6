import { DELETED_KEY as KEY, DELETED_OWNER as OWNER, type MemberDataHook } from '../privacy/member-data-hook';
import { RealNameHistoryEntity } from './real-name-history.entity';
import { RealNameIdentityEntity } from './real-name-identity.entity';
import { VerificationEntity } from './verification.entity';

const BOOKKEEPING = { export: 'none: row bookkeeping, says nothing about the member', erasure: 'delete' } as const;

/** Real-name identity, its history and verification cases: exported (opened), deleted at erasure. */
export const identityMemberData: MemberDataHook = {
  feature: 'identity',
  tables: [
    {
      table: 'real_name_identity',
      owner: 'member_id',
      columns: {
        member_id: OWNER,
        legal_name: { export: 'realName', erasure: 'delete' },
        document_type: { export: 'realName', erasure: 'delete' },
        document_number: { export: 'realName', erasure: 'delete' },
        document_index: { export: 'none: a keyed digest of the number, exported in clear as documentNumber', erasure: 'delete' },
        status: { export: 'realName', erasure: 'delete' },
        verified_at: { export: 'realName', erasure: 'delete' },
        rejection_reason: { export: 'realName', erasure: 'delete' },
        updated_at: BOOKKEEPING,
        version: BOOKKEEPING,
      },
    },
    {
      table: 'real_name_history',
      owner: 'member_id',
      columns: {
        id: KEY,
        member_id: OWNER,
        legal_name: { export: 'realNameHistory', erasure: 'delete' },
        document_type: { export: 'realNameHistory', erasure: 'delete' },
        document_number: { export: 'realNameHistory', erasure: 'delete' },
        verified_at: { export: 'realNameHistory', erasure: 'delete' },
        replaced_at: { export: 'realNameHistory', erasure: 'delete' },
      },
    },
    {
      table: 'verification',
      owner: 'member_id',
      columns: {
        id: { export: 'verifications', erasure: 'delete' },
        member_id: OWNER,
        status: { export: 'verifications', erasure: 'delete' },
        opened_at: { export: 'verifications', erasure: 'delete' },
        decided_at: { export: 'verifications', erasure: 'delete' },
        decided_by: { export: "none: the verifier's staff id, staff data rather than the member's", erasure: 'delete' },
        reason: { export: 'verifications', erasure: 'delete' },
      },
    },
  ],

  async exportSections(manager, memberId, cipher, page) {
    const [identity, history, verifications] = await Promise.all([
      manager.findOneBy(RealNameIdentityEntity, { memberId }),
      page('realNameHistory', (w) => manager.find(RealNameHistoryEntity, { where: { memberId }, order: { replacedAt: 'ASC', id: 'ASC' }, ...w })),
      page('verifications', (w) => manager.find(VerificationEntity, { where: { memberId }, order: { openedAt: 'ASC', id: 'ASC' }, ...w })),
    ]);
    const open = (column: string, sealed: string | null) => cipher.open(column, sealed);
    return {
      realName: identity && {
        legalName: open('legal_name', identity.legalNameSealed),
        documentType: identity.documentType,
        documentNumber: open('document_number', identity.documentNumberSealed),
        status: identity.status,
        verifiedAt: identity.verifiedAt,
        rejectionReason: identity.rejectionReason,
      },
      realNameHistory: history.map((h) => ({
        legalName: open('legal_name', h.legalNameSealed),
        documentType: h.documentType,
        documentNumber: open('document_number', h.documentNumberSealed),
        verifiedAt: h.verifiedAt,
        replacedAt: h.replacedAt,
      })),
      verifications: verifications.map((v) => ({ id: v.id, status: v.status, openedAt: v.openedAt, decidedAt: v.decidedAt, reason: v.reason })),
    };
  },

  async erase(manager, memberId) {
    for (const entity of [RealNameIdentityEntity, RealNameHistoryEntity, VerificationEntity]) await manager.delete(entity, { memberId });
  },
};
