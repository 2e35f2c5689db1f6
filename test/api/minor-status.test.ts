import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ConsentEventEntity } from '../../src/consent/consent-event.entity';
import { residentId, REVIEW, signedInAgo, SUBMIT } from '../support/identity';
import { newMemberInput, REGISTER, registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

/** Minor status comes from the birth date on file, and a member cannot declare it away. */
const TEN_YEARS_OLD = `${new Date().getUTCFullYear() - 10}-03-09`;
const GUARDIAN = { name: 'Li Mei', contact: '+8613900000000', relationship: 'mother' };
const GRANT = `mutation Grant($purpose: ConsentPurpose!, $guardian: GuardianInput) { grantConsent(purpose: $purpose, guardian: $guardian) { purpose granted method } }`;
const UPDATE = `mutation Update($input: ProfileInput!) { updateProfile(input: $input) { birthDate isMinor } }`;
const CORRECT = `mutation Correct($id: ID!, $birthDate: String!, $reason: String!) { correctBirthDate(memberId: $id, birthDate: $birthDate, reason: $reason) { id isMinor } }`;
const CONSENTS = `{ me { birthDate isMinor consents { purpose granted method } realName { status } } }`;

describe('minor status from the birth date on file', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;

  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  const granted = async (token: string) =>
    Object.fromEntries(
      ((await t.client.request(CONSENTS, {}, { token })).data!.me.consents as Array<{ purpose: string; granted: boolean }>).map((c) => [c.purpose, c.granted]),
    );

  it('keeps refusing a 10-year-old BIOMETRIC without a guardian after they try to edit birthDate to 1990', async () => {
    const child = await registerMember(t.client, { birthDate: TEN_YEARS_OLD });
    const refused = await t.client.request(GRANT, { purpose: 'BIOMETRIC' }, { token: child.accessToken });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiresGuardian: true });

    const edit = await t.client.request(UPDATE, { input: { birthDate: '1990-01-01' } }, { token: child.accessToken });
    expect(edit.data).toBeNull();
    expect(edit.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'birthDate', reason: 'BIRTH_DATE_EVIDENCE_REQUIRED' });
    expect(edit.errors![0]!.message).not.toContain('1990');
    // Clearing it is no way out either.
    const cleared = await t.client.request(UPDATE, { input: { birthDate: null } }, { token: child.accessToken });
    expect(cleared.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'birthDate' });

    const me = await t.client.request(CONSENTS, {}, { token: child.accessToken });
    expect(me.data!.me).toMatchObject({ birthDate: TEN_YEARS_OLD, isMinor: true });
    const again = await t.client.request(GRANT, { purpose: 'BIOMETRIC' }, { token: child.accessToken });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiresGuardian: true });
    expect((await granted(child.accessToken)).BIOMETRIC).toBe(false);
  });

  it('needs a recent password sign-in to change the birth date, and changes nothing without one', async () => {
    const member = await registerMember(t.client);
    const stale = await signedInAgo(t, member.accessToken, 3600);
    const refused = await t.client.request(UPDATE, { input: { birthDate: '1991-02-03' } }, { token: stale });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    const biometricOnly = await signedInAgo(t, member.accessToken, 0, ['bio']);
    expect((await t.client.request(UPDATE, { input: { birthDate: '1991-02-03' } }, { token: biometricOnly })).errors![0]!.extensions!.code).toBe(
      'STEP_UP_REQUIRED',
    );
    expect((await t.client.request(CONSENTS, {}, { token: member.accessToken })).data!.me.birthDate).toBe('1990-05-17');

    const fresh = await t.client.request(UPDATE, { input: { birthDate: '1991-02-03' } }, { token: member.accessToken });
    expect(fresh.data!.updateProfile).toEqual({ birthDate: '1991-02-03', isMinor: false });
  });

  it('answers BAD_USER_INPUT on birthDate to register with optional consents but no birth date, writing nothing', async () => {
    const input = newMemberInput({ birthDate: undefined, consents: ['MEMBERSHIP', 'MARKETING'] });
    delete (input as Record<string, unknown>).birthDate;
    const response = await t.client.request(REGISTER, { input });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });
    // Nothing half-written: the same name registers fine with MEMBERSHIP only.
    const retry = await t.client.request(REGISTER, { input: { ...input, consents: ['MEMBERSHIP'] } });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.register.member).toMatchObject({ birthDate: null, isMinor: false });
  });

  it('answers BAD_USER_INPUT on birthDate to grant an optional purpose with no birth date on file, until one is added', async () => {
    const input = newMemberInput({ consents: ['MEMBERSHIP'] });
    delete (input as Record<string, unknown>).birthDate;
    const registered = await t.client.request(REGISTER, { input });
    const token = registered.data!.register.accessToken as string;
    const refused = await t.client.request(GRANT, { purpose: 'MARKETING' }, { token });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });
    // MEMBERSHIP itself needs no age.
    expect((await t.client.request(GRANT, { purpose: 'MEMBERSHIP' }, { token })).errors).toBeUndefined();

    expect((await t.client.request(UPDATE, { input: { birthDate: '1988-08-08' } }, { token })).errors).toBeUndefined();
    const granted = await t.client.request(GRANT, { purpose: 'MARKETING' }, { token });
    expect(granted.data!.grantConsent).toEqual({ purpose: 'MARKETING', granted: true, method: 'EXPLICIT' });
  });

  it('withdraws, in the same change, the consents a new minor birth date puts under a guardian, with their effects', async () => {
    const member = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'MARKETING'] });
    const submitted = await t.client.request(
      SUBMIT,
      { input: { legalName: '李雷', documentType: 'PASSPORT', documentNumber: 'E12345678' } },
      { token: member.accessToken },
    );
    expect(submitted.errors).toBeUndefined();

    const changed = await t.client.request(UPDATE, { input: { birthDate: TEN_YEARS_OLD } }, { token: member.accessToken });
    expect(changed.data!.updateProfile).toEqual({ birthDate: TEN_YEARS_OLD, isMinor: true });

    const me = (await t.client.request(CONSENTS, {}, { token: member.accessToken })).data!.me;
    const byPurpose = Object.fromEntries(me.consents.map((c: { purpose: string }) => [c.purpose, c]));
    expect(byPurpose.MARKETING).toMatchObject({ granted: false, method: 'GUARDIAN_REQUIRED' });
    expect(byPurpose.REAL_NAME_AUTH).toMatchObject({ granted: false, method: 'GUARDIAN_REQUIRED' });
    expect(byPurpose.MEMBERSHIP).toMatchObject({ granted: true });
    // REAL_NAME_AUTH's withdrawal effect ran: the identity is gone.
    expect(me.realName).toBeNull();
    const ledger = await t.dataSource.getRepository(ConsentEventEntity).findBy({ memberId: member.member.id, method: 'GUARDIAN_REQUIRED' });
    expect(ledger.map((event) => event.purpose).sort()).toEqual(['MARKETING', 'REAL_NAME_AUTH']);
  });

  it('keeps the consents a guardian gave when a birth date change keeps the member a minor', async () => {
    const child = await registerMember(t.client, { birthDate: TEN_YEARS_OLD });
    expect((await t.client.request(GRANT, { purpose: 'MARKETING', guardian: GUARDIAN }, { token: child.accessToken })).errors).toBeUndefined();
    const younger = `${new Date().getUTCFullYear() - 9}-03-09`;
    expect((await t.client.request(UPDATE, { input: { birthDate: younger } }, { token: child.accessToken })).data!.updateProfile).toEqual({
      birthDate: younger,
      isMinor: true,
    });
    expect((await granted(child.accessToken)).MARKETING).toBe(true);
  });

  it("lets only a PRIVACY_OFFICER correct a minor's birth date, audited with the reason", async () => {
    const child = await registerMember(t.client, { birthDate: TEN_YEARS_OLD });
    const variables = { id: child.member.id, birthDate: '1995-04-04', reason: 'Guardian sent a birth certificate, case DSR-88' };
    const support = await t.client.request(CORRECT, variables, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(support.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const asMember = await t.client.request(CORRECT, variables, { token: child.accessToken });
    expect(asMember.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-1' });
    const invalid = await t.client.request(CORRECT, { ...variables, birthDate: '1995-02-30' }, { token: officer });
    expect(invalid.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });

    const corrected = await t.client.request(CORRECT, variables, { token: officer });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.correctBirthDate).toEqual({ id: child.member.id, isMinor: false });
    const rows = await t.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ requestId: corrected.headers.get('x-request-id')!, field: 'Mutation.correctBirthDate' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorKind: 'PRIVACY_OFFICER', actorId: 'dpo-1', ownerMemberId: child.member.id, outcome: 'ALLOW' });
    expect(rows[0]!.purpose).toContain('DSR-88');

    // Now an adult on file: optional purposes without a guardian.
    const grant = await t.client.request(GRANT, { purpose: 'BIOMETRIC' }, { token: child.accessToken });
    expect(grant.data!.grantConsent).toMatchObject({ granted: true, method: 'EXPLICIT' });
  });

  it('lets a minor move the birth date to the one in their verified resident ID, and only that one', async () => {
    const child = await registerMember(t.client, { birthDate: TEN_YEARS_OLD });
    expect((await t.client.request(GRANT, { purpose: 'REAL_NAME_AUTH', guardian: GUARDIAN }, { token: child.accessToken })).errors).toBeUndefined();
    const documentDate = '2000-02-02';
    const submitted = await t.client.request(
      SUBMIT,
      { input: { legalName: '韩梅梅', documentType: 'ID_CARD', documentNumber: residentId(documentDate, '440305', '311') } },
      { token: child.accessToken },
    );
    expect(submitted.errors).toBeUndefined();

    // Pending is not verified: still refused.
    const early = await t.client.request(UPDATE, { input: { birthDate: documentDate } }, { token: child.accessToken });
    expect(early.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'birthDate' });

    const verifier = await idp.sign({ roles: ['VERIFIER'] });
    expect((await t.client.request(REVIEW, { id: submitted.data!.submitRealName.verification.id, approve: true }, { token: verifier })).errors).toBeUndefined();

    const other = await t.client.request(UPDATE, { input: { birthDate: '1999-01-01' } }, { token: child.accessToken });
    expect(other.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'birthDate' });
    const moved = await t.client.request(UPDATE, { input: { birthDate: documentDate } }, { token: child.accessToken });
    expect(moved.data!.updateProfile).toEqual({ birthDate: documentDate, isMinor: false });
  });
});
