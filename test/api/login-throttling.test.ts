import { LOGIN, registerMember } from '../support/members';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('login throttling', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // A short window so that "until the window passes" can be observed; the limits are the defaults.
    t = await startTestGateway({ LOGIN_FAILURE_WINDOW_SECONDS: '3' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const attempt = (identifier: string, password: string, address?: string) =>
    t.client.request(LOGIN, { identifier, password }, address ? { headers: { 'x-forwarded-for': address } } : {});

  it('refuses the 6th attempt after 5 failures even with the right password, until the window passes', async () => {
    const { input } = await registerMember(t.client);
    for (let i = 0; i < 5; i += 1) {
      const failure = await attempt(input.memberName, 'Wrong-Password-1');
      expect(failure.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    const sixth = await attempt(input.memberName, input.password);
    expect(sixth.data ?? null).toBeNull();
    expect(sixth.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });

    // Each identifier counts on its own: a blocked name says nothing about whose phone a number is.
    expect((await attempt(input.phone, 'Wrong-Password-1')).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    await new Promise((resolve) => setTimeout(resolve, 3200));
    const after = await attempt(input.memberName, input.password);
    expect(after.errors).toBeUndefined();
    expect(after.data!.login.member.memberName).toBe(input.memberName);
  });

  it('counts parallel attempts before checking them: a burst gets exactly five guesses', async () => {
    const { input } = await registerMember(t.client);
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(input.memberName, i === 19 ? input.password : `Wrong-Password-${i}`)));
    const codes = burst.map((response) => response.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((code) => code !== 'RATE_LIMITED').length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(15);
  });

  it('clears the count after a successful sign-in', async () => {
    const { input } = await registerMember(t.client);
    for (let i = 0; i < 4; i += 1) await attempt(input.memberName, 'Wrong-Password-1');
    expect((await attempt(input.memberName, input.password)).errors).toBeUndefined();
    for (let i = 0; i < 4; i += 1) await attempt(input.memberName, 'Wrong-Password-1');
    expect((await attempt(input.memberName, input.password)).errors).toBeUndefined();
  });

  it('throttles unknown identifiers exactly like known ones', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt('nobody_here', 'Wrong-Password-1')).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    expect((await attempt('nobody_here', 'Wrong-Password-1')).errors![0]!.extensions!.code).toBe('RATE_LIMITED');
  });

  it('gives an unknown member and a wrong password the same error in similar time', async () => {
    const { input } = await registerMember(t.client);
    const timed = async (identifier: string) => {
      const started = performance.now();
      const response = await attempt(identifier, 'Wrong-Password-1');
      return { ms: performance.now() - started, error: response.errors![0]! };
    };
    const known = await timed(input.memberName);
    const unknown = await timed('never_registered');
    expect(unknown.error.message).toBe(known.error.message);
    expect(unknown.error.extensions).toEqual(known.error.extensions);
    // Both pay for one scrypt hash; an unknown member must not answer much faster.
    expect(unknown.ms).toBeGreaterThan(known.ms * 0.3);
  });
});

describe('login throttling per client address', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ LOGIN_MAX_FAILURES_PER_ADDRESS: '8', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const attempt = (identifier: string, password: string, address: string) =>
    t.client.request(LOGIN, { identifier, password }, { headers: { 'x-forwarded-for': address } });

  it('limits failures from one address across many identifiers with its own, looser limit', async () => {
    const { input } = await registerMember(t.client);
    for (let i = 0; i < 8; i += 1) {
      expect((await attempt(`guess_${i}`, 'Wrong-Password-1', '203.0.113.7')).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    expect((await attempt(input.memberName, input.password, '203.0.113.7')).errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    // A member behind another address is not affected.
    expect((await attempt(input.memberName, input.password, '198.51.100.4')).errors).toBeUndefined();
  });
});
