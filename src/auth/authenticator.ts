import { decodeJwt } from 'jose';
import { GatewayError, ErrorCode } from '../errors';
import type { MemberService } from '../members/member.service';
import { InvalidTokenError, type MemberTokens } from './member-tokens';
import type { SessionService } from './session.service';
import type { StaffTokens } from './staff-tokens';
import { ANONYMOUS, type Viewer } from './viewer';

/**
 * Turns the Authorization header into the request's viewer. No header: anonymous. A header that
 * is present but not a valid, live token fails the whole request (401): a client with a broken
 * token must not be served silently as anonymous.
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
    if (!match) throw rejected('TOKEN_INVALID');
    try {
      return await this.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw rejected(error.reason);
      throw error;
    }
  }

  private async verify(token: string): Promise<Viewer> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new InvalidTokenError('TOKEN_INVALID');
    }
    if (issuer !== undefined && this.staffTokens.handles(issuer)) return this.staffTokens.verify(token);
    const claims = await this.memberTokens.verify(token);
    const [member, session] = await Promise.all([this.members.findActive(claims.memberId), this.sessions.findLive(claims.sessionId)]);
    const validAfter = member?.tokensValidAfter ? member.tokensValidAfter.getTime() / 1000 : 0;
    if (!member || !session || session.memberId !== member.id || claims.issuedAt < validAfter) {
      throw new InvalidTokenError('TOKEN_INVALID');
    }
    return { kind: 'MEMBER', memberId: member.id, sessionId: session.id, authTime: claims.authTime, amr: claims.amr, member };
  }
}

function rejected(reason: 'TOKEN_EXPIRED' | 'TOKEN_INVALID'): GatewayError {
  const message = reason === 'TOKEN_EXPIRED' ? 'The access token has expired; refresh it.' : 'The access token is not valid.';
  return new GatewayError(ErrorCode.UNAUTHENTICATED, message, {
    reason,
    http: { status: 401, headers: new Map([['www-authenticate', `Bearer error="invalid_token"`]]) },
  });
}
