import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { AuthSessionEntity } from './auth-session.entity';

const SIGN_INS = 'retain: security record of sign-ins (no content); every session ends at cancellation';
const TOKENS = 'retain: hashes of rotated or revoked tokens, kept to detect reuse; useless once the session ended';

/** Sessions are exported (when, how, why ended); refresh tokens are hashes, nothing to read. Both stay at erasure. */
export const authMemberData: MemberDataHook = {
  feature: 'auth',
  tables: [
    {
      table: 'auth_session',
      owner: 'member_id',
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: SIGN_INS },
        member_id: { export: NOT_EXPORTED.owner, erasure: SIGN_INS },
        auth_time: { export: 'sessions', erasure: SIGN_INS },
        amr: { export: 'sessions', erasure: SIGN_INS },
        created_at: { export: 'sessions', erasure: SIGN_INS },
        expires_at: { export: 'none: a setting of the session, not about the member', erasure: SIGN_INS },
        revoked_at: { export: 'sessions', erasure: SIGN_INS },
        revoked_reason: { export: 'sessions', erasure: SIGN_INS },
      },
    },
    {
      table: 'refresh_token',
      parent: { table: 'auth_session', column: 'session_id' },
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: TOKENS },
        session_id: { export: 'none: the session, exported under sessions', erasure: TOKENS },
        token_hash: { export: 'none: a hash of a secret, nothing to read', erasure: TOKENS },
        created_at: { export: 'none: rotation bookkeeping, covered by the session', erasure: TOKENS },
        rotated_at: { export: 'none: rotation bookkeeping, covered by the session', erasure: TOKENS },
      },
    },
  ],

  async exportSections(manager, memberId, _cipher, page) {
    const sessions = await page('sessions', (w) => manager.find(AuthSessionEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w }));
    return {
      sessions: sessions.map((s) => ({
        createdAt: s.createdAt,
        lastAuthenticatedAt: s.authTime,
        method: s.amr,
        endedAt: s.revokedAt,
        endedBecause: s.revokedReason,
      })),
    };
  },
};
