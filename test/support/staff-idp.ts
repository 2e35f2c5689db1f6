import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A stand-in external identity provider for staff and partner tokens: serves a JWKS over HTTP
 * on a free port and signs tokens with its key, exactly as the gateway would see a real one.
 */
export class StaffIdentityProvider {
  readonly issuer = 'https://idp.test.example/';
  readonly audience = 'member-privacy-gateway-staff';
  private constructor(
    private readonly server: Server,
    private readonly key: CryptoKey,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<StaffIdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new StaffIdentityProvider(server, privateKey, `http://127.0.0.1:${port}/jwks.json`);
  }

  /** Configuration that makes a gateway trust this provider. */
  env(): Record<string, string> {
    return { STAFF_JWKS_URL: this.jwksUrl, STAFF_ISSUER: this.issuer, STAFF_AUDIENCE: this.audience };
  }

  /** `issuedAt` (epoch seconds) and `expiresIn` (as jose takes it); null leaves the claim out. */
  sign(
    claims: Record<string, unknown>,
    options: { subject?: string; audience?: string; expiresIn?: string | number | null; issuedAt?: number | null } = {},
  ): Promise<string> {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1' })
      .setSubject(options.subject ?? 'staff-1')
      .setIssuer(this.issuer)
      .setAudience(options.audience ?? this.audience);
    if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
    if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '10m');
    return jwt.sign(this.key);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
