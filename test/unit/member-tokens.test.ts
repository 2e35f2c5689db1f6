import { exportJWK, generateKeyPair } from 'jose';
import { InvalidTokenError, MemberTokens } from '../../src/auth/member-tokens';
import type { Jwk } from '../../src/secrets';

describe('member token verification', () => {
  let clock = Date.now();
  let tokens: MemberTokens;
  let otherKeyTokens: MemberTokens;

  async function tokensWithNewKey(): Promise<MemberTokens> {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: `k-${Math.random()}` } as Jwk;
    return MemberTokens.create(jwk, [], { issuer: 'urn:test', audience: 'test', ttlSeconds: 60, now: () => clock });
  }

  beforeAll(async () => {
    tokens = await tokensWithNewKey();
    otherKeyTokens = await tokensWithNewKey();
  });
  beforeEach(() => {
    clock = Date.now();
  });

  const claims = { memberId: 'm-1', sessionId: 's-1', authTime: Math.floor(Date.now() / 1000), amr: ['pwd'] };
  const reason = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof InvalidTokenError ? error.reason : String(error)),
    );

  it('refuses a token it verified before, as expired, once its expiry has passed', async () => {
    const token = await tokens.sign(claims);
    expect((await tokens.verify(token)).memberId).toBe('m-1');
    expect((await tokens.verify(token)).memberId).toBe('m-1');
    clock += 61_000;
    expect(await reason(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('never accepts a token signed with another key, however often it is sent', async () => {
    const foreign = await otherKeyTokens.sign(claims);
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await reason(tokens.verify(foreign))).toBe('TOKEN_INVALID');
  });

  it('hands out claims that a caller cannot change for the next request with the same token', async () => {
    const token = await tokens.sign(claims);
    const first = await tokens.verify(token);
    expect(() => (first.amr as string[]).push('bio')).toThrow(TypeError);
    expect((await tokens.verify(token)).amr).toEqual(['pwd']);
  });
});
