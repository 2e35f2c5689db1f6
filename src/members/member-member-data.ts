import { randomBytes } from 'node:crypto';
import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { MemberKeyEntity } from './member-key.entity';
import { MemberEntity } from './member.entity';

const ACCOUNT = 'shred' as const;
const STATE = {
  export: 'none: account state kept by the gateway, not about the person',
  erasure: 'retain: the account row stays (status CANCELLED) so nothing can sign in as it',
} as const;

/**
 * The profile. At cancellation the key goes (every ciphertext of the member, here and in every
 * backup, becomes unreadable), and the name and phone lookups become random tombstones so both
 * can be registered again.
 */
export const memberMemberData: MemberDataHook = {
  feature: 'members',
  tables: [
    {
      table: 'member',
      owner: 'id',
      columns: {
        id: { export: 'profile', erasure: 'retain: pseudonymous key of the cancelled account; other retained rows point at it' },
        member_name_index: { export: 'none: a keyed digest of the name, exported in clear as memberName', erasure: 'tombstone' },
        member_name: { export: 'profile', erasure: ACCOUNT },
        phone_index: { export: 'none: a keyed digest of the phone, exported in clear as phone', erasure: 'tombstone' },
        phone: { export: 'profile', erasure: ACCOUNT },
        contact_name: { export: 'profile', erasure: ACCOUNT },
        contact_address: { export: 'profile', erasure: ACCOUNT },
        birth_date: { export: 'profile', erasure: ACCOUNT },
        password_hash: { export: 'none: a hash of a secret, nothing to read', erasure: 'tombstone' },
        status: STATE,
        tokens_valid_after: STATE,
        legal_hold_reason: {
          export: "none: the privacy officer's note; the member is told of a hold by notification",
          erasure: 'retain: a hold blocks erasure until lifted',
        },
        erasure_pending_request: { export: 'none: the pending request is exported under privacyRequests', erasure: 'retain: cleared when the hold is lifted' },
        created_at: { export: 'profile', erasure: 'retain: when the account existed (no content)' },
        updated_at: STATE,
        version: STATE,
      },
    },
    {
      table: 'member_key',
      owner: 'member_id',
      columns: {
        member_id: { export: NOT_EXPORTED.owner, erasure: 'destroy' },
        wrapped_key: { export: 'none: the data key itself (wrapped), nothing to read', erasure: 'destroy' },
        kek_id: { export: 'none: which master key wraps it', erasure: 'destroy' },
        created_at: { export: 'none: key bookkeeping', erasure: 'destroy' },
      },
    },
  ],

  async exportSections(manager, memberId, cipher) {
    const member = await manager.findOneByOrFail(MemberEntity, { id: memberId });
    return {
      profile: {
        id: member.id,
        memberName: cipher.open('member_name', member.memberNameSealed),
        phone: cipher.open('phone', member.phoneSealed),
        contactName: cipher.open('contact_name', member.contactNameSealed),
        contactAddress: cipher.open('contact_address', member.contactAddressSealed),
        birthDate: cipher.open('birth_date', member.birthDateSealed),
        createdAt: member.createdAt,
      },
    };
  },

  async erase(manager, memberId, { destroyKey }) {
    if (!destroyKey) return;
    await manager.delete(MemberKeyEntity, { memberId });
    // Random tombstones: the blind indexes no longer link to the name or phone, which can be used again.
    const tombstone = () => `erased:${randomBytes(24).toString('base64url')}`.slice(0, 64);
    await manager.update(
      MemberEntity,
      { id: memberId },
      {
        status: 'CANCELLED',
        memberNameIndex: tombstone(),
        phoneIndex: tombstone(),
        passwordHash: tombstone(),
        tokensValidAfter: new Date(),
        updatedAt: new Date(),
      },
    );
  },
};
