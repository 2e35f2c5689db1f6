import { ME, registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { WITHDRAW } from '../support/identity';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const PUBLISH = `mutation Publish($input: PrivacyPolicyInput!) { publishPrivacyPolicy(input: $input) { version material summary publishedAt } }`;
const MUST = `{ me { mustAcceptPolicyVersion } }`;
const UPDATE = `mutation { updateProfile(input: { contactName: "New Name" }) { contactName } }`;

describe('privacy policy versions', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let officer: string;
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-1' });
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  const publish = (version: string, material: boolean, token = officer) =>
    t.client.request(PUBLISH, { input: { version, material, summary: `Version ${version}`, text: `The full text of ${version}.` } }, { token });

  it('lets only a privacy officer publish, and never the same version twice', async () => {
    expect((await publish('1.0', false, await idp.sign({ roles: ['SUPPORT'] }))).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await publish('1.0', false)).data!.publishPrivacyPolicy).toMatchObject({ version: '1.0', material: false });
    expect((await publish('1.0', true)).errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'version' });
    expect((await publish('bad version!', true)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
  });

  it('asks members to accept a material version before most mutations, keeps their rights open, and lets them accept', async () => {
    const member = await registerMember(t.client);
    expect((await t.client.request(MUST, {}, { token: member.accessToken })).data!.me.mustAcceptPolicyVersion).toBeNull();

    await publish('1.1', false);
    expect((await t.client.request(UPDATE, {}, { token: member.accessToken })).errors).toBeUndefined();

    await publish('2.0', true);
    expect((await t.client.request(MUST, {}, { token: member.accessToken })).data!.me.mustAcceptPolicyVersion).toBe('2.0');
    const blocked = await t.client.request(UPDATE, {}, { token: member.accessToken });
    expect(blocked.errors![0]!.extensions).toMatchObject({ code: 'POLICY_ACCEPTANCE_REQUIRED', version: '2.0' });
    expect((await t.client.request(WITHDRAW, { purpose: 'MARKETING' }, { token: member.accessToken })).errors).toBeUndefined();
    // Reads still work.
    expect((await t.client.request(ME, {}, { token: member.accessToken })).data!.me.id).toBe(member.member.id);

    const accepted = await t.client.request(`mutation { acceptPrivacyPolicy(version: "2.0") { mustAcceptPolicyVersion } }`, {}, { token: member.accessToken });
    expect(accepted.data!.acceptPrivacyPolicy.mustAcceptPolicyVersion).toBeNull();
    expect((await t.client.request(UPDATE, {}, { token: member.accessToken })).errors).toBeUndefined();

    const unknown = await t.client.request(`mutation { acceptPrivacyPolicy(version: "9.9") { id } }`, {}, { token: member.accessToken });
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('has new members accept the version in force when they register, and records it with their consents', async () => {
    const member = await registerMember(t.client);
    expect((await t.client.request(MUST, {}, { token: member.accessToken })).data!.me.mustAcceptPolicyVersion).toBeNull();
    const rows = await t.dataSource.query(`SELECT policy_version FROM consent_event WHERE member_id = '${member.member.id}'`);
    expect(rows.map((row: { policy_version: string }) => row.policy_version)).toEqual(['2.0']);
  });

  it('keeps every old version readable, newest first', async () => {
    const all = await t.client.request(`{ privacyPolicies { version } latest: privacyPolicy { version } old: privacyPolicy(version: "1.0") { text } }`);
    expect(all.data!.privacyPolicies.map((policy: { version: string }) => policy.version)).toEqual(['2.0', '1.1', '1.0']);
    expect(all.data!.latest.version).toBe('2.0');
    expect(all.data!.old.text).toBe('The full text of 1.0.');
  });

  it('generates the records of processing from the classification, for privacy officers only', async () => {
    expect(
      (await t.client.request(`{ processingRecords { category } }`, {}, { token: await idp.sign({ roles: ['SUPPORT'] }) })).errors![0]!.extensions!.code,
    ).toBe('FORBIDDEN');
    const records = (await t.client.request(`{ processingRecords { category sensitive fields purposes legalBasis access } }`, {}, { token: officer })).data!
      .processingRecords;
    const byCategory = Object.fromEntries(records.map((record: { category: string }) => [record.category, record]));
    expect(byCategory.CONTACT.fields).toEqual(expect.arrayContaining(['Member.phone', 'Member.contactName', 'Member.contactAddress']));
    expect(byCategory.GOVERNMENT_ID).toMatchObject({ sensitive: true, purposes: ['REAL_NAME_AUTH'], legalBasis: 'consent' });
    expect(byCategory.GOVERNMENT_ID.fields).toEqual([
      'RealNameIdentity.documentNumber',
      'RealNameIdentity.documentType',
      'RealNameIdentity.legalName',
      'RealNameIdentity.rejectionReason',
      'Verification.reason',
    ]);
    expect(byCategory.BIOMETRIC).toMatchObject({ sensitive: true, purposes: ['BIOMETRIC'], legalBasis: 'consent', fields: ['BiometricEnrollment.kind'] });
    expect(byCategory.LOCATION).toMatchObject({ purposes: ['LOCATION'], fields: ['Device.lastLocation'] });
    expect(byCategory.TRANSACTION).toMatchObject({ purposes: ['MEMBERSHIP'], legalBasis: 'contract' });
    const schema = await t.client.request(`{ __schema { types { name fields { name } } } }`);
    expect(schema.errors).toBeUndefined();
  });
});
