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

/**
 * Verifies staff and partner tokens from the external identity provider (JWKS fetched and cached
 * by jose) and, outside production, from the local dev key. A token must carry exactly one
 * recognised role in its `roles` claim; LOGISTICS_PARTNER also needs `partner_id`.
 */
export class StaffTokens {
  constructor(private readonly issuers: StaffIssuer[]) {}

  static fromConfig(staff: { jwksUrl: string; issuer: string; audience: string } | undefined, devStaffKey: JWK | undefined): StaffTokens {
    const issuers: StaffIssuer[] = [];
    if (staff) issuers.push({ issuer: staff.issuer, audience: staff.audience, keys: createRemoteJWKSet(new URL(staff.jwksUrl)) });
    if (devStaffKey) {
      const { d: _private, ...publicKey } = devStaffKey;
      issuers.push({ issuer: DEV_STAFF_ISSUER, audience: DEV_STAFF_AUDIENCE, keys: createLocalJWKSet({ keys: [publicKey] }) });
    }
    return new StaffTokens(issuers);
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
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new InvalidTokenError((error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
    const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((role): role is StaffRole =>
      (STAFF_ROLES as readonly unknown[]).includes(role),
    );
    if (roles.length !== 1) throw new InvalidTokenError('TOKEN_INVALID');
    const kind = roles[0]!;
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
