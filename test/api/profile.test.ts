import { MemberEntity } from '../../src/members/member.entity';
import { LOGIN, ME, registerMember } from '../support/members';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const UPDATE = `mutation Update($input: ProfileInput!) { updateProfile(input: $input) { id phone contactName contactAddress birthDate isMinor } }`;
const STEP_UP = `mutation StepUp($password: String!) { stepUp(password: $password) { accessToken } }`;

describe('profile corrections', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // A 2-second step-up window lets the test see a sign-in go stale.
    t = await startTestGateway({ STEP_UP_MAX_AGE_SECONDS: '2' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('corrects contact details and clears the optional ones', async () => {
    const { accessToken } = await registerMember(t.client);
    const changed = await t.client.request(UPDATE, { input: { contactName: 'Han Meimei', contactAddress: null, birthDate: null } }, { token: accessToken });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateProfile).toMatchObject({ contactName: 'Han Meimei', contactAddress: null, birthDate: null });
    const me = await t.client.request(ME, {}, { token: accessToken });
    expect(me.data!.me).toMatchObject({ contactName: 'Han Meimei', contactAddress: null, birthDate: null });
  });

  it('needs a recent sign-in to change the phone, then signs in with the new one only', async () => {
    const { input, accessToken } = await registerMember(t.client);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const stale = await t.client.request(UPDATE, { input: { phone: '13912345678' } }, { token: accessToken });
    expect(stale.data ?? null).toBeNull();
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'STEP_UP_REQUIRED', maxAuthAgeSeconds: 2 });

    const stepped = await t.client.request(STEP_UP, { password: input.password }, { token: accessToken });
    const fresh = stepped.data!.stepUp.accessToken;
    const changed = await t.client.request(UPDATE, { input: { phone: '13912345678' } }, { token: fresh });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateProfile.phone).toBe('+8613912345678');
    expect((await t.client.request(LOGIN, { identifier: '13912345678', password: input.password })).errors).toBeUndefined();
    expect((await t.client.request(LOGIN, { identifier: input.phone, password: input.password })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it("refuses another member's phone with CONFLICT and leaves the profile as it was", async () => {
    const alice = await registerMember(t.client);
    const bob = await registerMember(t.client);
    const result = await t.client.request(UPDATE, { input: { phone: alice.input.phone, contactName: 'Changed' } }, { token: bob.accessToken });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'phone' });
    expect((await t.client.request(ME, {}, { token: bob.accessToken })).data!.me.contactName).toBe(bob.input.contactName);
  });

  it('refuses invalid corrections naming the field, and clearing a required one', async () => {
    const { accessToken } = await registerMember(t.client);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ contactName: '' }, 'contactName'],
      [{ contactName: null }, 'contactName'],
      [{ phone: null }, 'phone'],
      [{ phone: '12345' }, 'phone'],
      [{ contactAddress: 'z'.repeat(257) }, 'contactAddress'],
      [{ birthDate: '2999-12-31' }, 'birthDate'],
    ];
    for (const [input, field] of cases) {
      const result = await t.client.request(UPDATE, { input }, { token: accessToken });
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('needs a signed-in member', async () => {
    const result = await t.client.request(UPDATE, { input: { contactName: 'Nobody' } });
    expect(result.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('lets one of two simultaneous corrections win whole, never a mix', async () => {
    const { accessToken, member } = await registerMember(t.client);
    const results = await Promise.all([
      t.client.request(UPDATE, { input: { contactName: 'First Writer', contactAddress: 'First address' } }, { token: accessToken }),
      t.client.request(UPDATE, { input: { contactName: 'Second Writer', contactAddress: 'Second address' } }, { token: accessToken }),
    ]);
    for (const result of results) if (result.errors) expect(result.errors[0]!.extensions!.code).toBe('CONFLICT');
    const me = (await t.client.request(ME, {}, { token: accessToken })).data!.me;
    expect([
      ['First Writer', 'First address'],
      ['Second Writer', 'Second address'],
    ]).toContainEqual([me.contactName, me.contactAddress]);
    expect((await t.dataSource.getRepository(MemberEntity).findOneByOrFail({ id: member.id })).version).toBeGreaterThan(1);
  });
});
