import { MemberEntity } from '../../src/members/member.entity';
import { newMemberInput, REGISTER } from '../support/members';
import { useGateway } from '../support/use-gateway';

describe('sign-up abuse', () => {
  const { t } = useGateway({ env: { REGISTER_MAX_PER_ADDRESS: '3', TRUST_PROXY: 'loopback' } });

  const register = (address: string, overrides: Record<string, unknown> = {}) =>
    t.client.request(REGISTER, { input: newMemberInput(overrides) }, { headers: { 'x-forwarded-for': address } });

  it('refuses registrations from one address over REGISTER_MAX_PER_ADDRESS with RATE_LIMITED, writing nothing, while other addresses still register', async () => {
    for (let i = 0; i < 3; i += 1) expect((await register('198.51.100.7')).errors).toBeUndefined();
    const before = await t.dataSource.getRepository(MemberEntity).count();
    const fourth = await register('198.51.100.7');
    expect(fourth.data ?? null).toBeNull();
    expect(fourth.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(fourth.errors![0]!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(await t.dataSource.getRepository(MemberEntity).count()).toBe(before);
    expect((await register('198.51.100.8')).errors).toBeUndefined();
  });

  it('counts a parallel burst before any password is hashed: exactly the limit gets through', async () => {
    const burst = await Promise.all(Array.from({ length: 10 }, () => register('198.51.100.9')));
    const codes = burst.map((response) => response.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(3);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(7);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one: rotating the host part gains nothing', async () => {
    // One host is normally given a whole /64: every address in it is the same client.
    const sameNetwork = ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:aaaa:bbbb:cccc:dddd', '2001:DB8:7:1::ffff'];
    const codes = [];
    for (const address of sameNetwork) codes.push((await register(address)).errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED']);
    expect((await register('2001:db8:7:2::1')).errors).toBeUndefined();

    for (let i = 0; i < 3; i += 1) expect((await register('198.51.100.11')).errors).toBeUndefined();
    expect((await register('::ffff:198.51.100.11')).errors![0]!.extensions!.code).toBe('RATE_LIMITED');
  });

  it('refuses a password with control characters as BAD_USER_INPUT on password alone', async () => {
    for (const password of ['Correct-Horse-9\u0000', 'Correct\tHorse-9', 'Correct-Horse-9\u007f', 'Correct\u0085Horse-9']) {
      const response = await register('198.51.100.10', { password });
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', fields: ['password'] });
      expect(response.errors![0]!.message).toBe('password must not contain control characters');
    }
  });
});
