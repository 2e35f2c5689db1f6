import { useGateway } from '../support/use-gateway';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConsentEventEntity } from '../../src/consent/consent-event.entity';
import { MemberEntity } from '../../src/members/member.entity';
import { AuthSessionEntity } from '../../src/auth/auth-session.entity';
import { ME, newMemberInput, REGISTER, registerMember } from '../support/members';

describe('registration', () => {
  const { t } = useGateway();

  async function expectBadInput(overrides: Record<string, unknown>, field: string) {
    const input = newMemberInput(overrides);
    const before = await t.dataSource.getRepository(MemberEntity).count();
    const response = await t.client.request(REGISTER, { input });
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toContain(field);
    for (const value of Object.values(overrides)) {
      if (typeof value === 'string' && value.length > 3) expect(JSON.stringify(response.errors)).not.toContain(value);
    }
    expect(await t.dataSource.getRepository(MemberEntity).count()).toBe(before);
  }

  it('registers a member with tokens, normalised phone and its consents', async () => {
    const input = newMemberInput({ consents: ['MEMBERSHIP', 'MARKETING'] });
    const response = await t.client.request(REGISTER, { input });
    expect(response.errors).toBeUndefined();
    const { register } = response.data!;
    expect(register.expiresIn).toBe(900);
    expect(register.refreshToken).toMatch(/^rt_/);
    expect(register.member).toMatchObject({ memberName: input.memberName, phone: `+86${input.phone}`, contactName: input.contactName, isMinor: false });
    const me = await t.client.request(ME, {}, { token: register.accessToken });
    const granted = me.data!.me.consents.filter((consent: { granted: boolean }) => consent.granted).map((consent: { purpose: string }) => consent.purpose);
    expect(granted.sort()).toEqual(['MARKETING', 'MEMBERSHIP']);
  });

  it('implies MEMBERSHIP when consents are left out or do not list it', async () => {
    for (const consents of [undefined, ['MARKETING']]) {
      const input = newMemberInput({ consents });
      const response = await t.client.request(REGISTER, { input });
      expect(response.errors).toBeUndefined();
      const me = await t.client.request(ME, {}, { token: response.data!.register.accessToken });
      const granted = me.data!.me.consents.filter((consent: { granted: boolean }) => consent.granted).map((consent: { purpose: string }) => consent.purpose);
      expect(granted.sort()).toEqual(consents ? ['MARKETING', 'MEMBERSHIP'] : ['MEMBERSHIP']);
    }
  });

  it('names only the failing field: a short password lists password alone', async () => {
    const response = await t.client.request(REGISTER, { input: newMemberInput({ password: 'Sh0rt!', consents: undefined }) });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', fields: ['password'] });
  });

  it('accepts an international E.164 phone and no optional fields', async () => {
    const input = newMemberInput({ phone: '+14155552671', contactAddress: undefined, birthDate: undefined });
    const response = await t.client.request(REGISTER, { input });
    expect(response.errors).toBeUndefined();
    expect(response.data!.register.member).toMatchObject({ phone: '+14155552671', contactAddress: null, birthDate: null, isMinor: false });
  });

  it('marks a member under 14 as a minor', async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const { accessToken } = await registerMember(t.client, { birthDate: tenYearsAgo });
    expect((await t.client.request(ME, {}, { token: accessToken })).data!.me.isMinor).toBe(true);
  });

  it.each([
    ['too short', 'ab'],
    ['upper case', 'Alice_W'],
    ['a space', 'alice w'],
    ['a hyphen', 'alice-w'],
    ['too long', 'a'.repeat(33)],
    ['only digits', '13800138000'],
  ])('refuses a member name with %s, naming memberName', async (_case, memberName) => {
    await expectBadInput({ memberName }, 'memberName');
  });

  it.each([
    ['shorter than 10 characters', 'Ab1!short'],
    ['only two character classes', 'abcdefghij1234'],
    ['the member name inside', 'X9!pw_member_name_x'],
    ['that is a common password', 'Password123!'],
    ['that is a common password in l33t spelling', 'Passw0rd!!'],
  ])('refuses a password %s, naming password', async (_case, password) => {
    const overrides: Record<string, unknown> = { password };
    if (password.includes('member_name')) overrides.memberName = 'member_name';
    await expectBadInput(overrides, 'password');
  });

  it.each([
    ['a landline without +86', '01012345678'],
    ['too few digits', '12345'],
    ['letters', 'call-me-maybe'],
    ['an invalid international number', '+861380013800012'],
  ])('refuses a phone that is %s, naming phone', async (_case, phone) => {
    await expectBadInput({ phone }, 'phone');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['longer than 64 characters', 'x'.repeat(65)],
  ])('refuses a contact name that is %s, naming contactName', async (_case, contactName) => {
    await expectBadInput({ contactName }, 'contactName');
  });

  it('refuses a contact address longer than 256 characters, naming contactAddress', async () => {
    await expectBadInput({ contactAddress: 'y'.repeat(257) }, 'contactAddress');
  });

  it.each([
    ['in the future', '2999-01-01'],
    ['not a real date', '1990-02-30'],
    ['not ISO', '17/05/1990'],
    ['a timestamp', '1990-05-17T00:00:00Z'],
  ])('refuses a birth date %s, naming birthDate', async (_case, birthDate) => {
    await expectBadInput({ birthDate }, 'birthDate');
  });

  it('refuses consents that repeat a purpose, naming consents', async () => {
    await expectBadInput({ consents: ['MARKETING', 'MARKETING'] }, 'consents');
  });

  it('refuses an unknown consent purpose as bad input without echoing the value', async () => {
    const response = await t.client.request(REGISTER, { input: newMemberInput({ consents: ['MEMBERSHIP', 'SELL_MY_DATA'] }) });
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).not.toContain('SELL_MY_DATA');
  });

  it('refuses a taken member name or phone with CONFLICT naming the field, writing nothing', async () => {
    const { input } = await registerMember(t.client);
    const counts = async () => [
      await t.dataSource.getRepository(MemberEntity).count(),
      await t.dataSource.getRepository(ConsentEventEntity).count(),
      await t.dataSource.getRepository(AuthSessionEntity).count(),
    ];
    const before = await counts();

    const sameName = await t.client.request(REGISTER, { input: newMemberInput({ memberName: input.memberName }) });
    expect(sameName.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'memberName' });

    // The same phone written differently is the same phone.
    const samePhone = await t.client.request(REGISTER, { input: newMemberInput({ phone: `+86 ${input.phone}` }) });
    expect(samePhone.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'phone' });
    expect(JSON.stringify(samePhone.errors)).not.toContain(input.phone);

    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of two simultaneous registrations of one phone through', async () => {
    const phone = newMemberInput().phone;
    const results = await Promise.all([1, 2, 3].map(() => t.client.request(REGISTER, { input: newMemberInput({ phone }) })));
    expect(results.filter((result) => result.data?.register).length).toBe(1);
    for (const failed of results.filter((result) => !result.data?.register)) expect(failed.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('stores no personal value in plaintext: the database holds only ciphertexts and blind indexes', async () => {
    const input = newMemberInput({ contactName: 'Zhang Sanfeng', contactAddress: 'Room 1802, Tower B, Futian District, Shenzhen' });
    const response = await t.client.request(REGISTER, { input });
    const id = response.data!.register.member.id as string;
    const row = (await t.dataSource.query(`SELECT * FROM member WHERE id = '${id}'`))[0] as Record<string, unknown>;
    const stored = JSON.stringify(row);
    for (const value of [input.phone, `+86${input.phone}`, input.memberName, input.contactName, input.contactAddress, input.birthDate]) {
      expect(stored).not.toContain(value);
    }
    expect(String(row.phone)).toMatch(/^v1\./);
    expect(String(row.password_hash)).toMatch(/^scrypt\$/);

    if (t.database.kind === 'sqlite') {
      // Also the raw file, including the write-ahead log.
      await t.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
      const path = t.database.url.slice('sqlite:'.length);
      const bytes = readdirSync(dirname(path))
        .map((file) => readFileSync(`${dirname(path)}/${file}`).toString('latin1'))
        .join('');
      for (const value of [input.phone, input.contactName, input.contactAddress, input.memberName]) expect(bytes).not.toContain(value);
    }
  });
});
