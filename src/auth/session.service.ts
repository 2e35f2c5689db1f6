import { createHmac, hash, randomBytes, randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { EntityRows, type SqlFragment } from '../db/entity-rows';
import { rowLock } from '../db/row-lock';

export type RevokeReason = 'LOGOUT' | 'PASSWORD_CHANGED' | 'TOKEN_REUSE' | 'ACCOUNT_CANCELLED';

/** Why a refresh token was refused; the client's `extensions.reason`. */
export type RefreshRefusal = 'TOKEN_INVALID' | 'REFRESH_TOKEN_REUSED' | 'REFRESH_TOKEN_EXPIRED' | 'SESSION_ENDED';

export class RefreshRefusedError extends Error {
  constructor(readonly reason: RefreshRefusal) {
    super(reason);
  }
}

export interface SessionGrant {
  session: AuthSessionEntity;
  /** The opaque refresh token; only its hash is stored. */
  refreshToken: string;
}

/**
 * Sign-in sessions and their refresh tokens. A refresh token is opaque, stored as a SHA-256 hash
 * and rotated on every use; presenting an already-rotated token revokes the whole session
 * (family), since either the member or a thief holds a stale copy. Within a short grace period a
 * retry of the same token (a lost response, two tabs, app resume racing a background task) gets
 * the same successor instead: the successor of a rotated token is an HMAC of it, so it can be
 * handed out again without storing it.
 */
export class SessionService {
  private readonly sessionRows: EntityRows<AuthSessionEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: { refreshTtlSeconds: number; reuseGraceSeconds: number; successorKey: Buffer },
  ) {
    this.sessionRows = new EntityRows(dataSource, AuthSessionEntity);
  }

  async start(manager: EntityManager, memberId: string, amr: string): Promise<SessionGrant> {
    const now = new Date();
    const session = manager.create(AuthSessionEntity, {
      id: randomUUID(),
      memberId,
      authTime: now,
      amr,
      createdAt: now,
      expiresAt: this.expiry(now),
      revokedAt: null,
      revokedReason: null,
    });
    await manager.insert(AuthSessionEntity, session);
    return { session, refreshToken: await this.issueToken(manager, session.id, now) };
  }

  /**
   * Exchanges a live refresh token for its successor. A retry of a just-rotated token within the
   * grace period gets the same successor while that one is unused; any other reuse revokes the
   * session. Throws RefreshRefusedError with the reason.
   */
  async rotate(presented: string): Promise<SessionGrant> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<SessionGrant | RefreshRefusal> => {
      const token = await manager.findOneBy(RefreshTokenEntity, { tokenHash: hashToken(presented) });
      if (!token) return 'TOKEN_INVALID';
      const session = await manager.findOneBy(AuthSessionEntity, { id: token.sessionId });
      const now = new Date();
      if (!session) return 'TOKEN_INVALID';
      if (session.revokedAt) return 'SESSION_ENDED';
      if (session.expiresAt <= now) return 'REFRESH_TOKEN_EXPIRED';
      const successor = this.successorOf(presented);
      // The conditional update makes the first of two concurrent uses the one that rotates.
      const claimed = await manager.update(RefreshTokenEntity, { id: token.id, rotatedAt: IsNull() }, { rotatedAt: now });
      if (!token.rotatedAt && claimed.affected === 1) {
        await manager.update(AuthSessionEntity, { id: session.id }, { expiresAt: this.expiry(now) });
        await this.storeToken(manager, session.id, successor, now);
        return { session, refreshToken: successor };
      }
      if (await this.isRetry(manager, presented, successor, now)) return { session, refreshToken: successor };
      await this.revokeIn(manager, session.id, 'TOKEN_REUSE');
      return 'REFRESH_TOKEN_REUSED';
    });
    if (typeof outcome === 'string') throw new RefreshRefusedError(outcome);
    return outcome;
  }

  /** A second use of `presented` soon after its rotation, while its successor is still unused. */
  private async isRetry(manager: EntityManager, presented: string, successor: string, now: Date): Promise<boolean> {
    if (this.settings.reuseGraceSeconds === 0) return false;
    // A locking read sees the concurrent rotation that just committed (a plain read might not).
    const [rotated, next] = await Promise.all([
      manager.findOne(RefreshTokenEntity, { where: { tokenHash: hashToken(presented) }, ...rowLock(this.dataSource) }),
      manager.findOne(RefreshTokenEntity, { where: { tokenHash: hashToken(successor) }, ...rowLock(this.dataSource) }),
    ]);
    if (!rotated?.rotatedAt || !next || next.rotatedAt) return false;
    // Stored times have whole seconds on some databases: allow the second the rotation fell in.
    return now.getTime() - rotated.rotatedAt.getTime() <= (this.settings.reuseGraceSeconds + 1) * 1000;
  }

  private successorOf(presented: string): string {
    return `rt_${createHmac('sha256', this.settings.successorKey).update(presented, 'utf8').digest('base64url')}`;
  }

  /** Records a fresh authentication in the session and hands out a new refresh token for it. */
  async stepUp(sessionId: string): Promise<SessionGrant> {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      // A password step-up upgrades a biometric session: from now on it counts as a password sign-in.
      await manager.update(AuthSessionEntity, { id: sessionId }, { authTime: now, amr: 'pwd', expiresAt: this.expiry(now) });
      // The client replaces its refresh token; the one it held before now counts as rotated.
      await manager.update(RefreshTokenEntity, { sessionId, rotatedAt: IsNull() }, { rotatedAt: now });
      const session = await manager.findOneByOrFail(AuthSessionEntity, { id: sessionId });
      return { session, refreshToken: await this.issueToken(manager, sessionId, now) };
    });
  }

  /** The session a refresh token belongs to, if the token is known (used or not). */
  async sessionOf(presented: string): Promise<AuthSessionEntity | null> {
    const token = await this.dataSource.manager.findOneBy(RefreshTokenEntity, { tokenHash: hashToken(presented) });
    return token ? this.dataSource.manager.findOneBy(AuthSessionEntity, { id: token.sessionId }) : null;
  }

  /** A join that keeps a member row (its id column `memberId`) only while `sessionId` is one of theirs, neither revoked nor expired. */
  liveSessionJoin(memberId: string, sessionId: string, now = new Date()): SqlFragment {
    const sessions = this.sessionRows;
    return {
      sql:
        `INNER JOIN ${sessions.table} live_session ON ${sessions.ref('live_session', 'id')} = ? AND ${sessions.ref('live_session', 'memberId')} = ${memberId}` +
        ` AND ${sessions.ref('live_session', 'revokedAt')} IS NULL AND ${sessions.ref('live_session', 'expiresAt')} > ?`,
      parameters: [sessionId, sessions.parameter('expiresAt', now)],
    };
  }

  revoke(sessionId: string, reason: RevokeReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    return this.revokeIn(manager, sessionId, reason);
  }

  async revokeAllFor(memberId: string, reason: RevokeReason, manager: EntityManager): Promise<void> {
    await manager.update(AuthSessionEntity, { memberId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  private async revokeIn(manager: EntityManager, sessionId: string, reason: RevokeReason): Promise<void> {
    await manager.update(AuthSessionEntity, { id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  private async issueToken(manager: EntityManager, sessionId: string, now: Date): Promise<string> {
    return this.storeToken(manager, sessionId, `rt_${randomBytes(32).toString('base64url')}`, now);
  }

  private async storeToken(manager: EntityManager, sessionId: string, token: string, now: Date): Promise<string> {
    await manager.insert(RefreshTokenEntity, { id: randomUUID(), sessionId, tokenHash: hashToken(token), createdAt: now, rotatedAt: null });
    return token;
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.settings.refreshTtlSeconds * 1000);
  }
}

function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
