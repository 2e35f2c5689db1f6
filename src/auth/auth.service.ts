import type { DataSource } from 'typeorm';
import { badUserInput, ErrorCode, GatewayError, unauthenticated } from '../errors';
import type { MemberRow } from '../members/member-row';
import type { MemberService } from '../members/member.service';
import type { Member } from '../members/member.types';
import type { AuthPayload } from './auth-payload.types';
import type { LoginThrottle } from './login-throttle';
import type { RegisterThrottle } from './register-throttle';
import type { MemberTokens } from './member-tokens';
import type { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { RefreshRefusedError, type RefreshRefusal, type SessionGrant, type SessionService } from './session.service';
import type { MemberViewer } from './viewer';

const BAD_CREDENTIALS = 'The member name, phone or password is not correct.';

/**
 * Member sign-in and the token lifecycle: login, refresh, step-up, logout, password change.
 * Unknown members and wrong passwords fail alike (same error, same hashing work), and every
 * failure counts towards the login throttle.
 */
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MemberService,
    private readonly sessions: SessionService,
    private readonly tokens: MemberTokens,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly registerThrottle: RegisterThrottle,
    private readonly settings: { stepUpMaxAgeSeconds: number },
  ) {}

  /** Counts a registration attempt from `clientAddress` (before any hashing); RATE_LIMITED when over the limit. */
  beginRegistration(clientAddress: string): Promise<void> {
    return this.registerThrottle.begin(clientAddress);
  }

  login(identifier: string, password: string, clientAddress: string): Promise<AuthPayload> {
    return this.signIn(identifier, clientAddress, 'pwd', (member) => this.hasher.verifyOrDummy(password, member?.passwordHash));
  }

  /**
   * Signs a member in with any proof (`prove` checks it; it must spend similar work whether or not
   * the member exists). Throttled per member and per client address; every failure looks the same.
   * `amr` records the method: `pwd`, `face`, `voice`.
   */
  async signIn(identifier: string, clientAddress: string, amr: string, prove: (member: MemberRow | null) => Promise<boolean>): Promise<AuthPayload> {
    const { member, throttleKey } = await this.members.findByIdentifier(identifier);
    await this.throttle.begin(throttleKey, clientAddress);
    const failed = () => unauthenticated(amr === 'pwd' ? BAD_CREDENTIALS : 'The member or the biometric sample was not recognised.');
    if (!(await prove(member)) || !member) throw failed();
    const grant = await this.dataSource.transaction(async (manager) => {
      // Locks the member row: a password change running now either finished first (and the hash
      // differs: refuse) or waits for this session to exist (and then revokes it).
      const current = await this.members.lockedRow(manager, member.id);
      if (!current || current.status !== 'ACTIVE' || current.passwordHash !== member.passwordHash) return null;
      return this.sessions.start(manager, member.id, amr);
    });
    if (!grant) throw failed();
    await this.throttle.succeeded(throttleKey, clientAddress);
    return this.issue(this.members.view(member), grant);
  }

  async refresh(refreshToken: string): Promise<AuthPayload> {
    // Only a token found wanting signs the client out; a database failure propagates and answers
    // SERVICE_UNAVAILABLE, so a client keeps its session through a database blip and retries.
    const grant = await this.sessions.rotate(refreshToken).catch((error: unknown) => {
      if (error instanceof RefreshRefusedError) throw refreshRefused(error.reason);
      throw error;
    });
    const member = await this.members.findActive(grant.session.memberId);
    if (!member) throw refreshRefused('SESSION_ENDED');
    return this.issue(this.members.view(member), grant);
  }

  /** Re-checks the password of the signed-in member and refreshes the session's auth_time. */
  async stepUp(viewer: MemberViewer, password: string, clientAddress: string): Promise<AuthPayload> {
    await this.confirmPassword(viewer, password, clientAddress);
    return this.issue(this.members.view(viewer.member), await this.sessions.stepUp(viewer.sessionId));
  }

  /** Ends the session the refresh token belongs to. Idempotent; a signed-in member may only end their own. */
  async logout(viewer: MemberViewer | undefined, refreshToken: string): Promise<boolean> {
    const session = await this.sessions.sessionOf(refreshToken);
    if (!session || (viewer && session.memberId !== viewer.memberId)) return false;
    await this.sessions.revoke(session.id, 'LOGOUT');
    return true;
  }

  /** Sets a new password and ends every session, including access tokens already issued. */
  async changePassword(viewer: MemberViewer, currentPassword: string, newPassword: string, clientAddress: string): Promise<boolean> {
    await this.confirmPassword(viewer, currentPassword, clientAddress);
    const memberName = this.members.view(viewer.member).memberName;
    const problem = await passwordProblem(newPassword, memberName);
    if (problem) throw badUserInput('newPassword', problem);
    if (newPassword === currentPassword) throw badUserInput('newPassword', 'newPassword must differ from the current password');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.members.lockedRow(manager, viewer.memberId);
      // Whole seconds, as in a token's iat: tokens from this second on stay valid.
      const tokensValidAfter = new Date(Math.floor(Date.now() / 1000) * 1000);
      await this.members.replacePassword(manager, viewer.member, passwordHash, tokensValidAfter);
      await this.sessions.revokeAllFor(viewer.memberId, 'PASSWORD_CHANGED', manager);
    });
    return true;
  }

  /** Re-checks the signed-in member's password (throttled like sign-in); UNAUTHENTICATED when wrong. */
  async confirmPassword(viewer: MemberViewer, password: string, clientAddress: string): Promise<void> {
    const throttleKey = `member:${viewer.memberId}`;
    await this.throttle.begin(throttleKey, clientAddress);
    if (!(await this.hasher.verify(password, viewer.member.passwordHash))) throw unauthenticated('The password is not correct.');
    await this.throttle.succeeded(throttleKey, clientAddress);
  }

  /** Tokens for a session just started or continued. */
  async issue(member: Member, grant: SessionGrant): Promise<AuthPayload> {
    const signedIn = { memberId: member.id, authTime: Math.floor(grant.session.authTime.getTime() / 1000), amr: [grant.session.amr] };
    const accessToken = await this.tokens.sign({ ...signedIn, sessionId: grant.session.id });
    // Only a password sign-in counts as recent authentication (a biometric one never does).
    const recentAuthUntil = signedIn.amr.includes('pwd') ? new Date((signedIn.authTime + this.settings.stepUpMaxAgeSeconds) * 1000) : null;
    return { accessToken, refreshToken: grant.refreshToken, expiresIn: this.tokens.ttlSeconds, recentAuthUntil, member, signedIn };
  }
}

const REFRESH_MESSAGES: Record<RefreshRefusal, string> = {
  TOKEN_INVALID: 'The refresh token is not valid; sign in again.',
  REFRESH_TOKEN_REUSED: 'The refresh token was already used; the session has ended, sign in again.',
  REFRESH_TOKEN_EXPIRED: 'The session has expired; sign in again.',
  SESSION_ENDED: 'The session has ended; sign in again.',
};

function refreshRefused(reason: RefreshRefusal): GatewayError {
  return new GatewayError(ErrorCode.UNAUTHENTICATED, REFRESH_MESSAGES[reason], { reason });
}
