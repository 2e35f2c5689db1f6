import { useGateway } from '../support/use-gateway';
import { AuthSessionEntity } from '../../src/auth/auth-session.entity';
import { LOGIN, ME, registerMember } from '../support/members';

const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken expiresIn member { id } } }`;
const LOGOUT = `mutation Logout($token: String!) { logout(refreshToken: $token) }`;
const STEP_UP = `mutation StepUp($password: String!) { stepUp(password: $password) { accessToken refreshToken } }`;
const CHANGE_PASSWORD = `mutation Change($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }`;

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('member sessions', () => {
  // No grace period here: every second use of a refresh token is reuse (grace: refresh-grace.test.ts).
  const { t } = useGateway({ env: { REFRESH_REUSE_GRACE_SECONDS: '0' } });

  it('registers, signs in by member name and by phone, and reads itself with either token', async () => {
    const { input, member } = await registerMember(t.client);
    for (const identifier of [input.memberName, input.phone, `+86${input.phone}`]) {
      const login = await t.client.request(LOGIN, { identifier, password: input.password });
      expect(login.errors).toBeUndefined();
      expect(login.data!.login.member.id).toBe(member.id);
      const me = await t.client.request(ME, {}, { token: login.data!.login.accessToken });
      expect(me.data!.me).toMatchObject({
        id: member.id,
        memberName: input.memberName,
        phone: `+86${input.phone}`,
        contactName: input.contactName,
        contactAddress: input.contactAddress,
        birthDate: input.birthDate,
        isMinor: false,
      });
      expect(me.data!.me.consents.find((c: { purpose: string }) => c.purpose === 'MEMBERSHIP')).toMatchObject({ granted: true, method: 'EXPLICIT' });
      expect(me.data!.me.consents.find((c: { purpose: string }) => c.purpose === 'MARKETING')).toMatchObject({ granted: false, changedAt: null });
    }
  });

  it('issues ES256 access tokens with the standard claims and a 15-minute lifetime', async () => {
    const { accessToken } = await registerMember(t.client);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString('utf8'));
    const claims = claimsOf(accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(header.kid).toEqual(expect.any(String));
    expect(Object.keys(claims).sort()).toEqual(['amr', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('answers me with null when anonymous', async () => {
    const me = await t.client.request(ME);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toBeNull();
  });

  it('rotates the refresh token on every use and keeps the original auth_time', async () => {
    const { refreshToken, accessToken } = await registerMember(t.client);
    const first = await t.client.request(REFRESH, { token: refreshToken });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(refreshToken);
    expect(claimsOf(rotated.accessToken).auth_time).toBe(claimsOf(accessToken).auth_time);
    const second = await t.client.request(REFRESH, { token: rotated.refreshToken });
    expect(second.errors).toBeUndefined();
  });

  it('revokes the whole family when a rotated refresh token is reused', async () => {
    const { refreshToken } = await registerMember(t.client);
    const first = await t.client.request(REFRESH, { token: refreshToken });
    const live = first.data!.refreshToken;

    const reuse = await t.client.request(REFRESH, { token: refreshToken });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });

    // The thief's reuse ended the session: the legitimate latest token and its access token die too.
    const afterReuse = await t.client.request(REFRESH, { token: live.refreshToken });
    expect(afterReuse.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
    const me = await t.client.request(ME, {}, { token: live.accessToken });
    expect(me.status).toBe(401);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('treats two concurrent uses of one refresh token as reuse: at most one succeeds', async () => {
    const { refreshToken } = await registerMember(t.client);
    const results = await Promise.all([1, 2, 3].map(() => t.client.request(REFRESH, { token: refreshToken })));
    expect(results.filter((result) => result.data?.refreshToken).length).toBeLessThanOrEqual(1);
    const winner = results.find((result) => result.data?.refreshToken);
    if (winner) {
      const next = await t.client.request(REFRESH, { token: winner.data!.refreshToken.refreshToken });
      expect(next.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('rejects an unknown refresh token', async () => {
    const result = await t.client.request(REFRESH, { token: 'rt_not-a-real-token' });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logs out: the refresh token and the access tokens of that session stop working', async () => {
    const { refreshToken, accessToken } = await registerMember(t.client);
    const out = await t.client.request(LOGOUT, { token: refreshToken }, { token: accessToken });
    expect(out.data!.logout).toBe(true);
    expect((await t.client.request(REFRESH, { token: refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.client.request(ME, {}, { token: accessToken })).status).toBe(401);
  });

  it('refuses the access tokens of a session that has expired, and of a session of another member', async () => {
    const alice = await registerMember(t.client);
    const bob = await registerMember(t.client);
    expect((await t.client.request(ME, {}, { token: alice.accessToken })).status).toBe(200);
    await t.dataSource.manager.update(AuthSessionEntity, { id: claimsOf(alice.accessToken).sid }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.client.request(ME, {}, { token: alice.accessToken })).status).toBe(401);
    await t.dataSource.manager.update(AuthSessionEntity, { id: claimsOf(bob.accessToken).sid }, { memberId: alice.member.id });
    expect((await t.client.request(ME, {}, { token: bob.accessToken })).status).toBe(401);
  });

  it("does not let a member log out another member's session", async () => {
    const alice = await registerMember(t.client);
    const bob = await registerMember(t.client);
    const out = await t.client.request(LOGOUT, { token: bob.refreshToken }, { token: alice.accessToken });
    expect(out.data!.logout).toBe(false);
    expect((await t.client.request(REFRESH, { token: bob.refreshToken })).errors).toBeUndefined();
  });

  it('steps up with the password: a new token with a fresh auth_time, the old refresh token superseded', async () => {
    const { input, refreshToken } = await registerMember(t.client);
    const login = await t.client.request(LOGIN, { identifier: input.memberName, password: input.password });
    const before = claimsOf(login.data!.login.accessToken).auth_time;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stepped = await t.client.request(STEP_UP, { password: input.password }, { token: login.data!.login.accessToken });
    expect(stepped.errors).toBeUndefined();
    expect(claimsOf(stepped.data!.stepUp.accessToken).auth_time).toBeGreaterThan(before);
    const stale = await t.client.request(REFRESH, { token: login.data!.login.refreshToken });
    expect(stale.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Other sessions of the member are untouched.
    expect((await t.client.request(REFRESH, { token: refreshToken })).errors).toBeUndefined();
  });

  it('refuses step-up with a wrong password and without a member token', async () => {
    const { accessToken } = await registerMember(t.client);
    const wrong = await t.client.request(STEP_UP, { password: 'Wrong-Password-1' }, { token: accessToken });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const anonymous = await t.client.request(STEP_UP, { password: 'Whatever-123' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('changes the password: every session ends, the old password fails, the new one works', async () => {
    const { input, accessToken, refreshToken } = await registerMember(t.client);
    const other = await t.client.request(LOGIN, { identifier: input.memberName, password: input.password });
    const next = 'Brand-New-Secret-7';
    const changed = await t.client.request(CHANGE_PASSWORD, { current: input.password, next }, { token: accessToken });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.changePassword).toBe(true);

    expect((await t.client.request(ME, {}, { token: accessToken })).status).toBe(401);
    expect((await t.client.request(REFRESH, { token: refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.client.request(REFRESH, { token: other.data!.login.refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.client.request(LOGIN, { identifier: input.memberName, password: input.password })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fresh = await t.client.request(LOGIN, { identifier: input.memberName, password: next });
    expect(fresh.errors).toBeUndefined();
    expect((await t.client.request(ME, {}, { token: fresh.data!.login.accessToken })).data!.me.memberName).toBe(input.memberName);
  });

  it('refuses a new password that breaks the rules, naming newPassword, and keeps the old one', async () => {
    const { input, accessToken } = await registerMember(t.client);
    for (const next of ['short1A!', 'alllowercaseletters', `X1-${input.memberName}-x`]) {
      const result = await t.client.request(CHANGE_PASSWORD, { current: input.password, next }, { token: accessToken });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    }
    expect((await t.client.request(ME, {}, { token: accessToken })).data!.me).not.toBeNull();
  });

  it('refuses a password change with the wrong current password', async () => {
    const { accessToken } = await registerMember(t.client);
    const result = await t.client.request(CHANGE_PASSWORD, { current: 'Not-The-Password-1', next: 'Brand-New-Secret-7' }, { token: accessToken });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
