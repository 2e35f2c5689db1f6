import { importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import type { Jwk } from '../../src/secrets';

export interface FloorClaims {
  memberId: string;
  sessionId: string;
  /** Epoch seconds. */
  issuedAt: number;
}

/**
 * Verifies the gateway's member access tokens with jose, pinned as the gateway pins them
 * (issuer, audience, algorithm, `typ`, required claims). Null for any token it refuses.
 */
export class FloorTokens {
  private constructor(
    private readonly key: CryptoKey,
    private readonly options: { issuer: string; audience: string },
  ) {}

  static async create(signingKey: Jwk, options: { issuer: string; audience: string }): Promise<FloorTokens> {
    const { kty, crv, x, y } = signingKey as JWK;
    return new FloorTokens((await importJWK({ kty, crv, x, y }, 'ES256')) as CryptoKey, options);
  }

  async verify(token: string): Promise<FloorClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        ...this.options,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'iat', 'exp', 'jti', 'auth_time', 'sid'],
      });
      return typeof payload.sid === 'string' ? { memberId: payload.sub!, sessionId: payload.sid, issuedAt: payload.iat! } : null;
    } catch {
      return null;
    }
  }
}
