import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { signDevStaffToken } from '../../src/auth/dev-staff-token';
import { MemberEntity } from '../../src/members/member.entity';
import { LOGIN, ME, registerMember } from '../support/members';
import { createTestDatabase } from '../support/test-database';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const ISSUER = 'urn:member-privacy-gateway';
const AUDIENCE = 'member-privacy-gateway';

describe('bearer tokens', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let member: Awaited<ReturnType<typeof registerMember>>;

  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    member = await registerMember(t.client);
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  /** A token exactly like the gateway's own, with `changes` applied, signed with the gateway's key unless `key` says otherwise. */
  async function forge(changes: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: JWK; exp?: number } = {}) {
    const { signingKey } = t.keys();
    const key = await importJWK((changes.key ?? signingKey) as JWK, 'ES256');
    const real = JSON.parse(Buffer.from(member.accessToken.split('.')[1]!, 'base64url').toString('utf8'));
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...real, iat: now, exp: changes.exp ?? now + 600, ...changes.claims })
      .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid, typ: 'at+jwt', ...changes.header })
      .sign(key);
  }

  async function expectRejected(authorization: string, reason = 'TOKEN_INVALID') {
    const response = await t.client.request(ME, {}, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    // The request still runs (sign-in and public operations work); `me` needs the viewer and is refused.
    expect(response.data?.me ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  }

  it('accepts a token it forged exactly like its own (the forging helper is sound)', async () => {
    const response = await t.client.request(ME, {}, { token: await forge() });
    expect(response.data!.me.id).toBe(member.member.id);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const [, payload] = member.accessToken.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    await expectRejected(`Bearer ${header}.${payload}.`);
  });

  it('refuses an expired token, saying so', async () => {
    await expectRejected(`Bearer ${await forge({ exp: Math.floor(Date.now() / 1000) - 60 })}`, 'TOKEN_EXPIRED');
  });

  it('refuses a token for another audience', async () => {
    await expectRejected(`Bearer ${await forge({ claims: { aud: 'some-other-api' } })}`);
  });

  it('refuses a token from another issuer', async () => {
    await expectRejected(`Bearer ${await forge({ claims: { iss: 'urn:somebody-else' } })}`);
  });

  it('refuses a token signed with a key it does not know, even under its own kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await expectRejected(`Bearer ${await forge({ key: { ...(await exportJWK(privateKey)) } })}`);
  });

  it('refuses a token with a tampered payload', async () => {
    const [header, , signature] = member.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'someone-else', iss: ISSUER, aud: AUDIENCE })).toString('base64url');
    await expectRejected(`Bearer ${header}.${payload}.${signature}`);
  });

  it('refuses a token missing the session or auth_time claim', async () => {
    await expectRejected(`Bearer ${await forge({ claims: { sid: undefined } })}`);
    await expectRejected(`Bearer ${await forge({ claims: { auth_time: undefined } })}`);
  });

  it('refuses malformed Authorization headers', async () => {
    await expectRejected('Bearer not-a-jwt');
    await expectRejected(`Basic ${Buffer.from('a:b').toString('base64')}`);
  });

  it("refuses a cancelled member's token", async () => {
    const other = await registerMember(t.client);
    await t.dataSource.getRepository(MemberEntity).update({ id: other.member.id }, { status: 'CANCELLED' });
    await expectRejected(`Bearer ${other.accessToken}`);
  });

  it('publishes its public keys with kid at /.well-known/jwks.json, and no private part', async () => {
    const response = await fetch(`${t.origin}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: Array<Record<string, string>> };
    const kid = JSON.parse(Buffer.from(member.accessToken.split('.')[0]!, 'base64url').toString('utf8')).kid;
    expect(jwks.keys.map((key) => key.kid)).toContain(kid);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
  });

  it('accepts a staff token from the configured identity provider as that role, with no member data (me is null)', async () => {
    const token = await idp.sign({ roles: ['SUPPORT'] });
    const response = await t.client.request(ME, {}, { token });
    expect(response.status).toBe(200);
    expect(response.data!.me).toBeNull();
  });

  it('refuses staff tokens without exactly one known role, partners without partner_id, and other audiences', async () => {
    await expectRejected(`Bearer ${await idp.sign({ roles: [] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['ADMIN'] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT', 'PRIVACY_OFFICER'] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['LOGISTICS_PARTNER'] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { audience: 'elsewhere' })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { expiresIn: Math.floor(Date.now() / 1000) - 5 })}`, 'TOKEN_EXPIRED');
  });

  it('refuses a known role with an unknown extra role beside it instead of ignoring the extra', async () => {
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT', 'ADMIN'] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['ADMIN', 'PRIVACY_OFFICER'] })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: 'SUPPORT' })}`);
  });

  it('refuses staff tokens living longer than STAFF_TOKEN_MAX_LIFETIME_SECONDS (default 3600), and tokens without iat or exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: now, expiresIn: now + 3601 })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: now, expiresIn: now + 10 * 365 * 24 * 3600 })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: null })}`);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { expiresIn: null })}`);
    const longest = await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: now, expiresIn: now + 3600 });
    expect((await t.client.request(ME, {}, { token: longest })).status).toBe(200);
  });

  it('refuses a staff token issued in the future beyond a small clock skew, and accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(`Bearer ${await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: now + 120, expiresIn: now + 600 })}`);
    const skewed = await idp.sign({ roles: ['SUPPORT'] }, { issuedAt: now + 30, expiresIn: now + 600 });
    expect((await t.client.request(ME, {}, { token: skewed })).status).toBe(200);
  });

  it('trusts the local dev staff key (npm run token) outside production', async () => {
    const token = await signDevStaffToken(t.keys().devStaffKey, { role: 'LOGISTICS_PARTNER', partnerId: 'carrier-1' });
    const response = await t.client.request(ME, {}, { token });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
  });
});

describe('signing key rotation', () => {
  it('keeps accepting tokens of the previous key while publishing both, and signs new ones with the new key', async () => {
    const database = await createTestDatabase();
    const first = await startTestGateway({}, { database });
    const { input, accessToken } = await registerMember(first.client);
    const { signingKey: oldKey, dataEncryptionKey } = first.keys();
    await first.stop();

    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const newKey = { ...(await exportJWK(privateKey)), kid: 'rotated-key', alg: 'ES256' };
    const { d: _secret, ...oldPublic } = oldKey;
    const second = await startTestGateway(
      { DATA_ENCRYPTION_KEY: dataEncryptionKey, SIGNING_KEY: JSON.stringify(newKey), PREVIOUS_VERIFICATION_KEYS: JSON.stringify({ keys: [oldPublic] }) },
      { database },
    );
    try {
      const old = await second.client.request(ME, {}, { token: accessToken });
      expect(old.data!.me.memberName).toBe(input.memberName);
      const jwks = (await (await fetch(`${second.origin}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((key) => key.kid).sort()).toEqual([oldKey.kid, 'rotated-key'].sort());
      const login = await second.client.request(LOGIN, { identifier: input.memberName, password: input.password });
      const header = JSON.parse(Buffer.from(login.data!.login.accessToken.split('.')[0], 'base64url').toString('utf8'));
      expect(header.kid).toBe('rotated-key');
    } finally {
      await second.stop();
      await database.drop();
    }
  });
});
