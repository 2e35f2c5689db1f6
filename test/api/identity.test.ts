import { RealNameHistoryEntity } from '../../src/identity/real-name-history.entity';
import { RealNameIdentityEntity } from '../../src/identity/real-name-identity.entity';
import { VerificationEntity } from '../../src/identity/verification.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { BiometricEnrollmentEntity } from '../../src/biometrics/biometric-enrollment.entity';
import { ENROL, REAL_NAME, residentId, REVIEW, signedInAgo, SUBMIT, vector, WITHDRAW } from '../support/identity';
import { registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const QUEUE = `{ verificationQueue { id status identity { legalName documentNumber status } } }`;
const CASE = `query { verificationQueue(first: 100) { id identity { documentNumber } } }`;

describe('real-name identity', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let verifier: string;
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    verifier = await idp.sign({ roles: ['VERIFIER'] }, { subject: 'verifier-1' });
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  const member = (birthDate = '1990-05-17', consents = ['MEMBERSHIP', 'REAL_NAME_AUTH', 'BIOMETRIC']) => registerMember(t.client, { birthDate, consents });
  const submit = (token: string, input: Record<string, unknown>) => t.client.request(SUBMIT, { input }, { token });
  const pendingCaseOf = async (memberId: string) => (await t.dataSource.getRepository(VerificationEntity).findOneByOrFail({ memberId, status: 'PENDING' })).id;

  it('needs consent REAL_NAME_AUTH, then a recent sign-in', async () => {
    const noConsent = await registerMember(t.client, { consents: ['MEMBERSHIP'] });
    const refused = await submit(noConsent.accessToken, { legalName: '李雷', documentType: 'ID_CARD', documentNumber: residentId('19900517') });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiredConsent: 'REAL_NAME_AUTH' });

    const m = await member();
    const stale = await signedInAgo(t, m.accessToken, 3600);
    const old = await submit(stale, { legalName: '李雷', documentType: 'ID_CARD', documentNumber: residentId('19900517') });
    expect(old.errors![0]!.extensions).toMatchObject({ code: 'STEP_UP_REQUIRED', maxAuthAgeSeconds: 300 });
    expect(await t.dataSource.getRepository(RealNameIdentityEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it.each([
    ['a wrong check character', { documentNumber: residentId('19900517').slice(0, 17) + (residentId('19900517').endsWith('0') ? '1' : '0') }, 'documentNumber'],
    ['an impossible birth date', { documentNumber: '44030519900230123' + '0' }, 'documentNumber'],
    ['17 characters', { documentNumber: residentId('19900517').slice(0, 17) }, 'documentNumber'],
    ['a birth date other than the one on file', { documentNumber: residentId('19910517') }, 'documentNumber'],
    ['a 4-character passport', { documentType: 'PASSPORT', documentNumber: 'E123' }, 'documentNumber'],
    ['a 5-character household register', { documentType: 'HOUSEHOLD_REGISTER', documentNumber: 'H1234' }, 'documentNumber'],
    ['a one-character legal name', { legalName: '李' }, 'legalName'],
  ])('refuses %s, naming the field and storing nothing', async (_case, change, field) => {
    const m = await member();
    const response = await submit(m.accessToken, { legalName: '李雷', documentType: 'ID_CARD', documentNumber: residentId('19900517'), ...change });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(JSON.stringify(response.errors)).not.toContain(String((change as Record<string, string>).documentNumber ?? '李雷-not-there'));
    expect(await t.dataSource.getRepository(RealNameIdentityEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(VerificationEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('accepts a passport and a resident ID with an X check character', async () => {
    const m = await member('1949-12-31');
    const id = await submit(m.accessToken, { legalName: 'Li Lei', documentType: 'ID_CARD', documentNumber: '11010519491231002x' });
    expect(id.errors).toBeUndefined();
    expect(id.data!.submitRealName.identity).toMatchObject({ documentNumber: '11010519491231002X', status: 'PENDING', verifiedAt: null });
    const passport = await member();
    expect((await submit(passport.accessToken, { legalName: 'Han Meimei', documentType: 'PASSPORT', documentNumber: 'E12345678' })).errors).toBeUndefined();
  });

  it('shows the member the full ID only with a recent sign-in, masked otherwise', async () => {
    const m = await member();
    const number = residentId('19900517', '440305', '451');
    await submit(m.accessToken, { legalName: '韩梅梅', documentType: 'ID_CARD', documentNumber: number });
    const fresh = await t.client.request(REAL_NAME, {}, { token: m.accessToken });
    expect(fresh.data!.me.realName).toMatchObject({ legalName: '韩梅梅', documentNumber: number });
    const stale = await t.client.request(REAL_NAME, {}, { token: await signedInAgo(t, m.accessToken, 3600) });
    expect(stale.data!.me.realName).toMatchObject({ legalName: '韩**', documentNumber: `4403**********${number.slice(-4)}`, status: 'PENDING' });
    expect(stale.extensions!.privacy.masked).toEqual(expect.arrayContaining(['me.realName.legalName', 'me.realName.documentNumber']));
  });

  it('lets a VERIFIER see the full ID of a pending case only, audited, then approve it', async () => {
    const m = await member();
    const number = residentId('19900517', '440305', '672');
    await submit(m.accessToken, { legalName: '王小明', documentType: 'ID_CARD', documentNumber: number });
    const caseId = await pendingCaseOf(m.member.id);

    const queue = await t.client.request(CASE, {}, { token: verifier });
    const mine = queue.data!.verificationQueue.find((entry: { id: string }) => entry.id === caseId);
    expect(mine.identity.documentNumber).toBe(number);
    const audit = await t.dataSource.getRepository(AuditEventEntity).findBy({ requestId: queue.headers.get('x-request-id')!, ownerMemberId: m.member.id });
    expect(audit.map((row) => [row.field, row.category, row.outcome, row.actorKind, row.actorId, row.purpose])).toEqual([
      ['RealNameIdentity.documentNumber', 'GOVERNMENT_ID', 'ALLOW', 'VERIFIER', 'verifier-1', `verification ${caseId}`],
    ]);

    const approved = await t.client.request(REVIEW, { id: caseId, approve: true }, { token: verifier });
    expect(approved.data!.reviewVerification).toMatchObject({ id: caseId, status: 'APPROVED' });
    const identity = (await t.client.request(REAL_NAME, {}, { token: m.accessToken })).data!.me.realName;
    expect(identity.status).toBe('VERIFIED');
    expect(identity.verifiedAt).toEqual(expect.any(String));

    // Once decided, the case no longer unlocks the full number.
    const support = await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-2") { realName { documentNumber } } }`,
      { id: m.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    expect(support.data!.member.realName.documentNumber).toBe(`4403**********${number.slice(-4)}`);
    const again = await t.client.request(REVIEW, { id: caseId, approve: true }, { token: verifier });
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    const notVerifier = await t.client.request(REVIEW, { id: caseId, approve: true }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(notVerifier.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('voids the verification on any edit: pending again, history kept sealed, face enrolment refused until re-approved', async () => {
    const m = await member();
    const first = residentId('19900517', '440305', '881');
    await submit(m.accessToken, { legalName: '张三', documentType: 'ID_CARD', documentNumber: first });
    await t.client.request(REVIEW, { id: await pendingCaseOf(m.member.id), approve: true }, { token: verifier });
    expect((await t.client.request(ENROL, { kind: 'FACE', template: vector(1) }, { token: m.accessToken })).errors).toBeUndefined();

    const edited = await submit(m.accessToken, { legalName: '张三丰', documentType: 'ID_CARD', documentNumber: first });
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.submitRealName.identity).toMatchObject({ legalName: '张三丰', status: 'PENDING', verifiedAt: null });
    expect(edited.data!.submitRealName.verification.status).toBe('PENDING');
    const history = await t.dataSource.getRepository(RealNameHistoryEntity).findBy({ memberId: m.member.id });
    expect(history).toHaveLength(1);
    expect(JSON.stringify(history)).not.toContain('张三');
    expect(JSON.stringify(history)).not.toContain(first);

    const refused = await t.client.request(ENROL, { kind: 'FACE', template: vector(2) }, { token: m.accessToken });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REVERIFICATION_REQUIRED' });
    const faceLogin = `mutation($id: String!, $s: [Float!]!) { loginWithBiometric(identifier: $id, kind: FACE, sample: $s) { accessToken } }`;
    expect((await t.client.request(faceLogin, { id: m.input.memberName, s: vector(1) })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    await t.client.request(REVIEW, { id: await pendingCaseOf(m.member.id), approve: true }, { token: verifier });
    expect((await t.client.request(ENROL, { kind: 'FACE', template: vector(2) }, { token: m.accessToken })).errors).toBeUndefined();
  });

  it('refuses face enrolment without any verified identity', async () => {
    const m = await member();
    const refused = await t.client.request(ENROL, { kind: 'FACE', template: vector(3) }, { token: m.accessToken });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'VERIFIED_IDENTITY_REQUIRED' });
  });

  it('shows the member why a verification was rejected; a rejection needs a reason', async () => {
    const m = await member();
    await submit(m.accessToken, { legalName: '赵六', documentType: 'PASSPORT', documentNumber: 'G99887766' });
    const caseId = await pendingCaseOf(m.member.id);
    const noReason = await t.client.request(REVIEW, { id: caseId, approve: false }, { token: verifier });
    expect(noReason.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const rejected = await t.client.request(REVIEW, { id: caseId, approve: false, reason: 'The photo page is unreadable.' }, { token: verifier });
    // The reason is government-ID data (it may quote the document): once decided, the verifier sees it masked.
    expect(rejected.data!.reviewVerification).toMatchObject({ status: 'REJECTED', reason: 'T****************************' });
    expect(rejected.extensions!.privacy.masked).toEqual(['reviewVerification.reason']);
    const identity = (await t.client.request(REAL_NAME, {}, { token: m.accessToken })).data!.me.realName;
    expect(identity).toMatchObject({ status: 'REJECTED', rejectionReason: 'The photo page is unreadable.' });
  });

  it('lets one of two concurrent edits of the same version win whole; the other gets CONFLICT', async () => {
    const m = await member();
    const created = await submit(m.accessToken, { legalName: '钱七', documentType: 'PASSPORT', documentNumber: 'P1234567' });
    const version = created.data!.submitRealName.identity.version;
    const results = await Promise.all([
      submit(m.accessToken, { legalName: '钱七甲', documentType: 'PASSPORT', documentNumber: 'P7654321', expectedVersion: version }),
      submit(m.accessToken, { legalName: '钱七乙', documentType: 'HOUSEHOLD_REGISTER', documentNumber: 'HR998877', expectedVersion: version }),
    ]);
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.find((result) => result.errors)!.errors![0]!.extensions!.code).toBe('CONFLICT');
    const winner = results.find((result) => !result.errors)!.data!.submitRealName.identity;
    const stored = (await t.client.request(REAL_NAME, {}, { token: m.accessToken })).data!.me.realName;
    expect([stored.legalName, stored.documentType, stored.documentNumber]).toEqual([winner.legalName, winner.documentType, winner.documentNumber]);
    expect(await t.dataSource.getRepository(VerificationEntity).countBy({ memberId: m.member.id, status: 'PENDING' })).toBe(1);
  });

  it('allows one identity per document across members', async () => {
    const a = await member();
    const b = await member();
    const number = residentId('19900517', '440305', '999');
    expect((await submit(a.accessToken, { legalName: '周八', documentType: 'ID_CARD', documentNumber: number })).errors).toBeUndefined();
    const second = await submit(b.accessToken, { legalName: '周八', documentType: 'ID_CARD', documentNumber: number });
    expect(second.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'documentNumber' });
  });

  it('wipes identity, history, cases and face enrolment when REAL_NAME_AUTH is withdrawn', async () => {
    const m = await member();
    await submit(m.accessToken, { legalName: '吴九', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '314') });
    await t.client.request(REVIEW, { id: await pendingCaseOf(m.member.id), approve: true }, { token: verifier });
    await t.client.request(ENROL, { kind: 'FACE', template: vector(5) }, { token: m.accessToken });
    await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(6) }, { token: m.accessToken });
    await submit(m.accessToken, { legalName: '吴九九', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '314') });

    const withdrawn = await t.client.request(WITHDRAW, { purpose: 'REAL_NAME_AUTH' }, { token: m.accessToken });
    expect(withdrawn.data!.withdrawConsent).toEqual({ purpose: 'REAL_NAME_AUTH', granted: false });
    for (const entity of [RealNameIdentityEntity, RealNameHistoryEntity, VerificationEntity]) {
      expect(await t.dataSource.getRepository(entity).countBy({ memberId: m.member.id })).toBe(0);
    }
    const enrolments = await t.dataSource.getRepository(BiometricEnrollmentEntity).findBy({ memberId: m.member.id });
    expect(enrolments.map((row) => row.kind)).toEqual(['VOICEPRINT']);
    expect((await t.client.request(REAL_NAME, {}, { token: m.accessToken })).data!.me.realName).toBeNull();
  });

  it('never leaves identity data behind when REAL_NAME_AUTH is withdrawn while a submission runs', async () => {
    for (let i = 0; i < 8; i += 1) {
      const m = await member();
      await Promise.all([
        submit(m.accessToken, { legalName: '郑十', documentType: 'PASSPORT', documentNumber: `R${String(1000000 + i)}` }),
        t.client.request(WITHDRAW, { purpose: 'REAL_NAME_AUTH' }, { token: m.accessToken }),
      ]);
      expect(await t.dataSource.getRepository(RealNameIdentityEntity).countBy({ memberId: m.member.id })).toBe(0);
      expect(await t.dataSource.getRepository(VerificationEntity).countBy({ memberId: m.member.id })).toBe(0);
    }
  });

  it('keeps concurrent consent decisions of one member in order, without server errors', async () => {
    const m = await member();
    const purposes = ['MARKETING', 'PERSONALIZATION', 'ANALYTICS_COOKIES', 'PARTNER_SHARING'];
    const results = await Promise.all(
      purposes.map((purpose) =>
        t.client.request(`mutation($p: ConsentPurpose!) { grantConsent(purpose: $p) { granted } }`, { p: purpose }, { token: m.accessToken }),
      ),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
  });

  it('keeps the queue and reviews to verifiers', async () => {
    expect((await t.client.request(QUEUE, {}, { token: await idp.sign({ roles: ['SUPPORT'] }) })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const m = await member();
    expect((await t.client.request(QUEUE, {}, { token: m.accessToken })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});
