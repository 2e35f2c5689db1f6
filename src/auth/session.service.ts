import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { InvalidTokenError } from './member-tokens';

export type RevokeReason = 'LOGOUT' | 'PASSWORD_CHANGED' | 'TOKEN_REUSE' | 'ACCOUNT_CANCELLED';

export interface SessionGrant {
  session: AuthSessionEntity;
  /** The opaque refresh token; only its hash is stored. */
  refreshToken: string;
}

/**
 * Sign-in sessions and their refresh tokens. A refresh token is opaque, stored as a SHA-256 hash
 * and rotated on every use; presenting an already-rotated token revokes the whole session
 * (family), since either the member or a thief holds a stale copy.
 */
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshTtlSeconds: number,
  ) {}

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

  /** Exchanges a live refresh token for a new one; detects reuse of a rotated one. */
  async rotate(presented: string): Promise<SessionGrant> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOneBy(RefreshTokenEntity, { tokenHash: hashToken(presented) });
      if (!token) return 'invalid' as const;
      const session = await manager.findOneBy(AuthSessionEntity, { id: token.sessionId });
      const now = new Date();
      if (!session || session.revokedAt || session.expiresAt <= now) return 'invalid' as const;
      // The conditional update makes two concurrent uses of one token count as reuse.
      const claimed = await manager.update(RefreshTokenEntity, { id: token.id, rotatedAt: IsNull() }, { rotatedAt: now });
      if (!token.rotatedAt && claimed.affected === 1) {
        await manager.update(AuthSessionEntity, { id: session.id }, { expiresAt: this.expiry(now) });
        return { session, refreshToken: await this.issueToken(manager, session.id, now) };
      }
      await this.revokeIn(manager, session.id, 'TOKEN_REUSE');
      return 'reused' as const;
    });
    if (typeof outcome === 'string') throw new InvalidTokenError('TOKEN_INVALID');
    return outcome;
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

  /** The session if it exists, is not revoked and has not expired. */
  async findLive(sessionId: string): Promise<AuthSessionEntity | null> {
    const session = await this.dataSource.manager.findOneBy(AuthSessionEntity, { id: sessionId, revokedAt: IsNull() });
    return session && session.expiresAt > new Date() ? session : null;
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
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    await manager.insert(RefreshTokenEntity, { id: randomUUID(), sessionId, tokenHash: hashToken(token), createdAt: now, rotatedAt: null });
    return token;
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.refreshTtlSeconds * 1000);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
