import { randomUUID } from 'node:crypto';
import { errors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Jwk } from '../secrets';

export interface MemberClaims {
  memberId: string;
  sessionId: string;
  /** Epoch seconds. */
  issuedAt: number;
  authTime: number;
  amr: string[];
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'TOKEN_EXPIRED' | 'TOKEN_INVALID') {
    super(reason);
  }
}

/** Verified tokens kept per instance (a few MB at most); beyond it the oldest is verified again when next seen. */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface MemberTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Epoch ms; Date.now unless a test moves time. */
  now?: () => number;
}

interface KeyEntry {
  key: CryptoKey;
  alg: string;
}

/**
 * Signs and verifies the gateway's own member access tokens (ES256 or EdDSA). Keys are imported
 * once at start-up; verification pins issuer, audience, algorithm and key id, so `alg: none`,
 * foreign keys and other audiences fail. Earlier keys stay accepted and published for rotation.
 */
export class MemberTokens {
  /**
   * Tokens already verified (signature, issuer, audience, type, claims) until they expire. A
   * member's token comes with every request of its lifetime, and checking its ECDSA signature each
   * time cost more than the rest of a small query. Only the signature check is skipped: expiry is
   * checked on every use, and the session behind the token is looked up in the database on every
   * request (authenticator.ts), so sign-out and revocation take effect at once.
   */
  private readonly verified = new Map<string, { claims: MemberClaims; expiresAt: number }>();

  private constructor(
    private readonly signing: KeyEntry & { kid: string },
    private readonly verifying: Map<string, KeyEntry>,
    private readonly publicJwks: { keys: JWK[] },
    private readonly options: MemberTokenOptions,
  ) {}

  static async create(signingKey: Jwk, previous: Jwk[], options: MemberTokenOptions) {
    const alg = algorithmOf(signingKey);
    const signing = { key: (await importJWK(signingKey as JWK, alg)) as CryptoKey, alg, kid: signingKey.kid };
    const current = publicPart(signingKey, alg);
    const verifying = new Map<string, KeyEntry>();
    const published: JWK[] = [];
    for (const jwk of [current, ...previous.map((key) => publicPart(key, algorithmOf(key)))]) {
      verifying.set(jwk.kid!, { key: (await importJWK(jwk, jwk.alg)) as CryptoKey, alg: jwk.alg! });
      published.push(jwk);
    }
    return new MemberTokens(signing, verifying, { keys: published }, options);
  }

  get issuer(): string {
    return this.options.issuer;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /** The JWKS document served at /.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return this.publicJwks;
  }

  sign(claims: { memberId: string; sessionId: string; authTime: number; amr: string[] }): Promise<string> {
    return new SignJWT({ auth_time: claims.authTime, sid: claims.sessionId, amr: claims.amr })
      .setProtectedHeader({ alg: this.signing.alg, kid: this.signing.kid, typ: 'at+jwt' })
      .setSubject(claims.memberId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.options.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(this.signing.key);
  }

  /**
   * The claims of a token this instance has verified already, checked for expiry (throws
   * TOKEN_EXPIRED); undefined for a token it has not seen, which `verify` must check in full.
   */
  verifiedBefore(token: string): MemberClaims | undefined {
    const known = this.verified.get(token);
    if (!known) return undefined;
    // jose's own rule: expired once `exp` is not after the current second.
    if (known.expiresAt > Math.floor(this.now() / 1000)) return known.claims;
    this.verified.delete(token);
    throw new InvalidTokenError('TOKEN_EXPIRED');
  }

  async verify(token: string): Promise<MemberClaims> {
    const known = this.verifiedBefore(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header.kid, header.alg), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...new Set([...this.verifying.values()].map((entry) => entry.alg))],
        typ: 'at+jwt',
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'iat', 'exp', 'jti', 'auth_time', 'sid'],
      }));
    } catch (error) {
      throw new InvalidTokenError(error instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
    const { sub, sid, iat, exp, auth_time: authTime, amr } = payload;
    if (typeof sid !== 'string' || typeof authTime !== 'number' || !Array.isArray(amr)) throw new InvalidTokenError('TOKEN_INVALID');
    // Frozen: the same claims answer every later request with this token.
    const claims: MemberClaims = Object.freeze({ memberId: sub!, sessionId: sid, issuedAt: iat!, authTime, amr: Object.freeze(amr.map(String)) as string[] });
    // The oldest entry makes room: a bounded map in insertion order, no timers.
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { claims, expiresAt: exp! });
    return claims;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private keyFor(kid: string | undefined, alg: string | undefined): CryptoKey {
    const entry = kid === undefined ? undefined : this.verifying.get(kid);
    if (!entry || entry.alg !== alg) throw new InvalidTokenError('TOKEN_INVALID');
    return entry.key;
  }
}

function algorithmOf(jwk: Jwk): string {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new Error(`unsupported signing key type for kid ${jwk.kid}`);
}

function publicPart(jwk: Jwk, alg: string): JWK {
  const { kty, crv, x, y, kid } = jwk as JWK & { kid: string };
  return { kty, crv, x, ...(y ? { y } : {}), kid, alg, use: 'sig' };
}
