import { importJWK, SignJWT, type JWK } from 'jose';
import { AuthSessionEntity } from '../../src/auth/auth-session.entity';
import { LOGIN, ME, registerMember } from '../support/members';
import { useGateway } from '../support/use-gateway';

const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken member { id } } }`;
const LOGOUT = `mutation Logout($token: String!) { logout(refreshToken: $token) }`;
const POLICIES = `{ privacyPolicies { version } }`;
const GRANT = `mutation { grantConsent(purpose: MARKETING) { granted } }`;

describe('the client contract for tokens (default refresh grace of 10 s)', () => {
  const { t } = useGateway();

  /** The member's own access token, re-signed with the gateway's key to have expired a minute ago. */
  async function expired(accessToken: string): Promise<string> {
    const { signingKey } = t.keys();
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8'));
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iat: now - 1000, exp: now - 60 })
      .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(await importJWK(signingKey as JWK, 'ES256'));
  }

  it('lets a client whose access token expired still refresh, sign in and read public data', async () => {
    const m = await registerMember(t.client);
    const stale = await expired(m.accessToken);
    const refreshed = await t.client.request(REFRESH, { token: m.refreshToken }, { token: stale });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data!.refreshToken.member.id).toBe(m.member.id);
    const login = await t.client.request(LOGIN, { identifier: m.input.memberName, password: m.input.password }, { token: stale });
    expect(login.errors).toBeUndefined();
    const policies = await t.client.request(POLICIES, {}, { token: stale });
    expect(policies.errors).toBeUndefined();
    expect(policies.data!.privacyPolicies).toEqual(expect.any(Array));
  });

  it('refuses what needs the viewer with UNAUTHENTICATED and the reason, for expired and invalid tokens', async () => {
    const m = await registerMember(t.client);
    for (const [authorization, reason] of [
      [`Bearer ${await expired(m.accessToken)}`, 'TOKEN_EXPIRED'],
      ['Bearer not.a.token', 'TOKEN_INVALID'],
    ] as const) {
      const me = await t.client.request(ME, {}, { authorization });
      expect(me.status).toBe(401);
      expect(me.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
      const grant = await t.client.request(GRANT, {}, { authorization });
      expect(grant.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
    }
  });

  it('answers a retry of the same refresh token within the grace period with the same successor', async () => {
    const m = await registerMember(t.client);
    const first = await t.client.request(REFRESH, { token: m.refreshToken });
    const retry = await t.client.request(REFRESH, { token: m.refreshToken });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.refreshToken.refreshToken).toBe(first.data!.refreshToken.refreshToken);
    // The session lives on: both access tokens work and the successor rotates as usual.
    for (const token of [first.data!.refreshToken.accessToken, retry.data!.refreshToken.accessToken]) {
      expect((await t.client.request(ME, {}, { token })).data!.me.id).toBe(m.member.id);
    }
    const next = await t.client.request(REFRESH, { token: first.data!.refreshToken.refreshToken });
    expect(next.errors).toBeUndefined();
  });

  it('gives concurrent uses of one refresh token (app resume and a background task) the same successor', async () => {
    const m = await registerMember(t.client);
    const results = await Promise.all([1, 2, 3].map(() => t.client.request(REFRESH, { token: m.refreshToken })));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(new Set(results.map((result) => result.data!.refreshToken.refreshToken)).size).toBe(1);
    const next = await t.client.request(REFRESH, { token: results[0]!.data!.refreshToken.refreshToken });
    expect(next.errors).toBeUndefined();
  });

  it('still revokes the family when a token is reused after its successor was used, with the reason', async () => {
    const m = await registerMember(t.client);
    const first = (await t.client.request(REFRESH, { token: m.refreshToken })).data!.refreshToken;
    const second = (await t.client.request(REFRESH, { token: first.refreshToken })).data!.refreshToken;
    const reuse = await t.client.request(REFRESH, { token: m.refreshToken });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
    const after = await t.client.request(REFRESH, { token: second.refreshToken });
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  });

  it('says why a refresh is refused: unknown, ended session, expired session', async () => {
    const unknown = await t.client.request(REFRESH, { token: 'rt_not-a-real-token' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });

    const out = await registerMember(t.client);
    await t.client.request(LOGOUT, { token: out.refreshToken }, { token: out.accessToken });
    expect((await t.client.request(REFRESH, { token: out.refreshToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_ENDED' });

    const old = await registerMember(t.client);
    // The session's lifetime ran out (set in the database: the test does not wait 30 days).
    const sessionId = JSON.parse(Buffer.from(old.accessToken.split('.')[1]!, 'base64url').toString('utf8')).sid;
    await t.dataSource.getRepository(AuthSessionEntity).update({ id: sessionId }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.client.request(REFRESH, { token: old.refreshToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'REFRESH_TOKEN_EXPIRED' });
  });
});
