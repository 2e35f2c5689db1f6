import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { STAFF_ROLES, type StaffRole, type Viewer } from './viewer';
import { InvalidTokenError } from './member-tokens';

export interface StaffIssuer {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

/** Issuer and audience of staff tokens minted by `npm run token` (trusted outside production only). */
export const DEV_STAFF_ISSUER = 'urn:member-privacy-gateway:dev-staff';
export const DEV_STAFF_AUDIENCE = 'member-privacy-gateway';

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
/** How far a staff token's `iat` may lie ahead of our clock (the provider's clock may run fast). */
export const STAFF_CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies staff and partner tokens from the external identity provider (JWKS fetched and cached
 * by jose) and, outside production, from the local dev key. A token's `roles` claim must be
 * exactly one recognised role (an unknown extra is refused, not ignored: it means the provider
 * and we disagree about what the token grants); LOGISTICS_PARTNER also needs `partner_id`.
 * Lifetime (`exp - iat`) is capped, so a leaked long-lived token is refused however it was
 * minted, and `iat` may not lie in the future beyond a small clock skew.
 */
export class StaffTokens {
  constructor(
    private readonly issuers: StaffIssuer[],
    private readonly maxLifetimeSeconds = 3600,
    private readonly now: () => number = Date.now,
  ) {}

  static fromConfig(
    staff: { jwksUrl: string; issuer: string; audience: string } | undefined,
    devStaffKey: JWK | undefined,
    maxLifetimeSeconds = 3600,
  ): StaffTokens {
    const issuers: StaffIssuer[] = [];
    if (staff) issuers.push({ issuer: staff.issuer, audience: staff.audience, keys: createRemoteJWKSet(new URL(staff.jwksUrl)) });
    if (devStaffKey) {
      const { d: _private, ...publicKey } = devStaffKey;
      issuers.push({ issuer: DEV_STAFF_ISSUER, audience: DEV_STAFF_AUDIENCE, keys: createLocalJWKSet({ keys: [publicKey] }) });
    }
    return new StaffTokens(issuers, maxLifetimeSeconds);
  }

  /** The issuer's configuration if `issuer` is a trusted staff issuer. */
  handles(issuer: string): boolean {
    return this.issuers.some((entry) => entry.issuer === issuer);
  }

  async verify(token: string): Promise<Viewer> {
    const issuer = this.issuers.find((entry) => entry.issuer === decodeJwt(token).iss);
    if (!issuer) throw new InvalidTokenError('TOKEN_INVALID');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw new InvalidTokenError((error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
    const { iat, exp } = payload as { iat: number; exp: number };
    if (exp - iat > this.maxLifetimeSeconds || exp <= iat) throw new InvalidTokenError('TOKEN_INVALID');
    if (iat > Math.floor(this.now() / 1000) + STAFF_CLOCK_SKEW_SECONDS) throw new InvalidTokenError('TOKEN_INVALID');
    const roles: unknown[] = Array.isArray(payload.roles) ? payload.roles : [];
    if (roles.length !== 1 || !(STAFF_ROLES as readonly unknown[]).includes(roles[0])) throw new InvalidTokenError('TOKEN_INVALID');
    const kind = roles[0] as StaffRole;
    const partnerId = typeof payload.partner_id === 'string' && payload.partner_id !== '' ? payload.partner_id : undefined;
    if (kind === 'LOGISTICS_PARTNER' && !partnerId) throw new InvalidTokenError('TOKEN_INVALID');
    return {
      kind,
      subject: payload.sub!,
      ...(kind === 'LOGISTICS_PARTNER' ? { partnerId } : {}),
      ...(typeof payload.auth_time === 'number' ? { authTime: payload.auth_time } : {}),
    };
  }
}
