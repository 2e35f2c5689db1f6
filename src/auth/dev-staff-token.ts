import { importJWK, SignJWT, type JWK } from 'jose';
import type { Jwk } from '../secrets';
import { DEV_STAFF_AUDIENCE, DEV_STAFF_ISSUER } from './staff-tokens';
import { STAFF_ROLES, type StaffRole } from './viewer';

/**
 * Signs a staff or partner token with the local dev key, as an identity provider would. The
 * gateway trusts this key outside production only.
 */
export async function signDevStaffToken(
  devStaffKey: Jwk,
  claims: { role: StaffRole; subject?: string; partnerId?: string; ttlSeconds?: number },
): Promise<string> {
  if (!STAFF_ROLES.includes(claims.role)) throw new Error(`role must be one of ${STAFF_ROLES.join(', ')}`);
  const key = await importJWK(devStaffKey as JWK, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    roles: [claims.role],
    auth_time: now,
    ...(claims.partnerId ? { partner_id: claims.partnerId } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: devStaffKey.kid })
    .setSubject(claims.subject ?? `dev-${claims.role.toLowerCase()}`)
    .setIssuer(DEV_STAFF_ISSUER)
    .setAudience(DEV_STAFF_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600))
    .sign(key);
}
