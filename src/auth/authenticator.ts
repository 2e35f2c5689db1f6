import { decodeJwt } from 'jose';
import type { MemberService } from '../members/member.service';
import { InvalidTokenError, type MemberTokens } from './member-tokens';
import type { SessionService } from './session.service';
import type { StaffTokens } from './staff-tokens';
import { ANONYMOUS, type TokenRejection, type Viewer } from './viewer';

/**
 * Turns the Authorization header into the request's viewer. No header: anonymous. A header that
 * is present but not a valid, live token gives an anonymous viewer that remembers why: sign-in,
 * refresh and public operations still run (a client with an expired token can recover), and
 * anything that needs the viewer answers UNAUTHENTICATED (401) with that reason.
 */
export class Authenticator {
  constructor(
    private readonly memberTokens: MemberTokens,
    private readonly staffTokens: StaffTokens,
    private readonly members: MemberService,
    private readonly sessions: SessionService,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Viewer> {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i.exec(authorization.trim());
    if (!match) return refused('TOKEN_INVALID');
    try {
      return await this.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) return refused(error.reason);
      throw error;
    }
  }

  private async verify(token: string): Promise<Viewer> {
    // A token the member verifier has checked before is a member token: no need to decode it to
    // find its issuer (a signed-in member's token comes with every request it lives for).
    const known = this.memberTokens.verifiedBefore(token);
    if (!known && this.isStaffToken(token)) return this.staffTokens.verify(token);
    const claims = known ?? (await this.memberTokens.verify(token));
    // One statement: the member and their key, found only with the token's session live.
    const member = await this.members.findActive(claims.memberId, (memberId) => this.sessions.liveSessionJoin(memberId, claims.sessionId));
    const validAfter = member?.tokensValidAfter ? member.tokensValidAfter.getTime() / 1000 : 0;
    if (!member || claims.issuedAt < validAfter) {
      throw new InvalidTokenError('TOKEN_INVALID');
    }
    return { kind: 'MEMBER', memberId: member.id, sessionId: claims.sessionId, authTime: claims.authTime, amr: claims.amr, member };
  }

  /** Whether the token's (unverified) issuer is the staff one; a token that does not decode is TOKEN_INVALID. */
  private isStaffToken(token: string): boolean {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new InvalidTokenError('TOKEN_INVALID');
    }
    return issuer !== undefined && this.staffTokens.handles(issuer);
  }
}

const REFUSED: Record<TokenRejection, Viewer> = {
  TOKEN_EXPIRED: Object.freeze({ kind: 'ANONYMOUS', rejectedToken: 'TOKEN_EXPIRED' }),
  TOKEN_INVALID: Object.freeze({ kind: 'ANONYMOUS', rejectedToken: 'TOKEN_INVALID' }),
};

function refused(reason: TokenRejection): Viewer {
  return REFUSED[reason];
}
