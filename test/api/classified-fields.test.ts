import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { VerificationEntity } from '../../src/identity/verification.entity';
import { mask } from '../../src/policy/mask';
import { ENROL, REVIEW, signedInAgo, SUBMIT, vector } from '../support/identity';
import { ME, registerMember } from '../support/members';
import { placeOrders } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

// Fields the schema walk found unclassified, now classified: documentType, Verification.reason,
// BiometricEnrollment.kind, isMinor, PaymentSummary.method. Enums and booleans cannot be masked: a
// MASK outcome gives null with the path listed in extensions.privacy.masked.
const STAFF_READ = `query Staff($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) {
  isMinor realName { documentType status } biometrics { kind enrolledAt }
  orders(first: 5) { edges { node { status payment { method } } } }
} }`;
const OWN_READ = `{ me { isMinor realName { documentType status } biometrics { kind enrolledAt } } }`;
const QUEUE = `{ verificationQueue(first: 100) { id reason identity { documentType } } }`;

describe('fields classified by the schema walk', () => {
  const { t, idp } = useGateway({ staff: true });

  let passports = 0;
  const adultWithIdentityAndVoiceprint = async () => {
    passports += 1;
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'BIOMETRIC'] });
    expect(
      (
        await t.client.request(
          SUBMIT,
          { input: { legalName: '周八', documentType: 'PASSPORT', documentNumber: `E${String(Date.now()).slice(-6)}${passports}0` } },
          { token: m.accessToken },
        )
      ).errors,
    ).toBeUndefined();
    expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(11) }, { token: m.accessToken })).errors).toBeUndefined();
    return m;
  };
  const auditOf = async (requestId: string | null) =>
    (await t.dataSource.getRepository(AuditEventEntity).find({ where: { requestId: requestId! } })).map((row) => ({
      field: row.field,
      outcome: row.outcome,
      purpose: row.purpose,
      actorKind: row.actorKind,
    }));

  it('audits a SUPPORT read of isMinor, documentType, BiometricEnrollment.kind and payment method, and gives each as the table says', async () => {
    const m = await adultWithIdentityAndVoiceprint();
    await placeOrders(t.client, m.accessToken, 1);
    const response = await t.client.request(
      STAFF_READ,
      { id: m.member.id, purpose: 'TICKET-9' },
      { token: await idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-9' }) },
    );

    const member = response.data!.member;
    expect(member.isMinor).toBe(false); // ACCOUNT: full for staff with a purpose
    expect(member.realName).toEqual({ documentType: null, status: 'PENDING' }); // GOVERNMENT_ID: masked, and an enum masks to null
    expect(member.biometrics).toEqual([{ kind: null, enrolledAt: expect.any(String) }]); // BIOMETRIC: denied to staff
    expect(member.orders.edges[0].node).toEqual({ status: 'PLACED', payment: { method: null } }); // TRANSACTION: masked
    expect(response.extensions!.privacy.masked).toEqual(expect.arrayContaining(['member.realName.documentType', 'member.orders.edges.0.node.payment.method']));
    expect(response.errors!.map((error) => [error.path!.join('.'), error.extensions!.code])).toEqual([['member.biometrics.0.kind', 'FORBIDDEN']]);

    const audited = await auditOf(response.headers.get('x-request-id'));
    for (const [field, outcome] of [
      ['Member.isMinor', 'ALLOW'],
      ['RealNameIdentity.documentType', 'MASK'],
      ['BiometricEnrollment.kind', 'DENY'],
      ['PaymentSummary.method', 'MASK'],
    ]) {
      expect(audited).toContainEqual({ field, outcome, purpose: 'TICKET-9', actorKind: 'SUPPORT' });
    }
  });

  it('shows the member documentType and enrolment kinds after a recent sign-in; otherwise documentType is masked to null and kind withheld with STEP_UP_REQUIRED', async () => {
    const m = await adultWithIdentityAndVoiceprint();
    const fresh = await t.client.request(OWN_READ, {}, { token: m.accessToken });
    expect(fresh.errors).toBeUndefined();
    expect(fresh.data!.me).toEqual({
      isMinor: false,
      realName: { documentType: 'PASSPORT', status: 'PENDING' },
      biometrics: [{ kind: 'VOICEPRINT', enrolledAt: expect.any(String) }],
    });
    expect(fresh.extensions?.privacy).toBeUndefined();
    // Sensitive categories are audited even when the member reads their own.
    expect(await auditOf(fresh.headers.get('x-request-id'))).toEqual(
      expect.arrayContaining([
        { field: 'RealNameIdentity.documentType', outcome: 'ALLOW', purpose: 'SELF_SERVICE', actorKind: 'MEMBER' },
        { field: 'BiometricEnrollment.kind', outcome: 'ALLOW', purpose: 'SELF_SERVICE', actorKind: 'MEMBER' },
      ]),
    );

    const stale = await t.client.request(OWN_READ, {}, { token: await signedInAgo(t, m.accessToken, 3600) });
    expect(stale.data!.me).toEqual({
      isMinor: false,
      realName: { documentType: null, status: 'PENDING' },
      biometrics: [{ kind: null, enrolledAt: expect.any(String) }],
    });
    expect(stale.extensions!.privacy.masked).toEqual(['me.realName.documentType']);
    expect(stale.errors!.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'STEP_UP_REQUIRED', maxAuthAgeSeconds: 300, category: 'BIOMETRIC' }),
    ]);
    expect(stale.errors![0]!.path).toEqual(['me', 'biometrics', 0, 'kind']);
  });

  it("masks a minor's isMinor to null for staff (a boolean cannot be masked) and audits it; the minor sees true", async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 86400000).toISOString().slice(0, 10);
    const minor = await registerMember(t.client, { birthDate: tenYearsAgo });
    expect((await t.client.request(ME, {}, { token: minor.accessToken })).data!.me.isMinor).toBe(true);

    const response = await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-M2") { isMinor } }`,
      { id: minor.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.member.isMinor).toBeNull();
    expect(response.extensions!.privacy.masked).toEqual(['member.isMinor']);
    expect(await auditOf(response.headers.get('x-request-id'))).toEqual([
      { field: 'Member.isMinor', outcome: 'MASK', purpose: 'TICKET-M2', actorKind: 'SUPPORT' },
    ]);
  });

  it('audits a VERIFIER reading documentType and Verification.reason: full while the case is pending, masked once decided', async () => {
    const m = await adultWithIdentityAndVoiceprint();
    const caseId = (await t.dataSource.getRepository(VerificationEntity).findOneByOrFail({ memberId: m.member.id, status: 'PENDING' })).id;
    const verifier = await idp.sign({ roles: ['VERIFIER'] }, { subject: 'verifier-9' });

    const queue = await t.client.request(QUEUE, {}, { token: verifier });
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.verificationQueue.find((entry: { id: string }) => entry.id === caseId)).toEqual({
      id: caseId,
      reason: null,
      identity: { documentType: 'PASSPORT' },
    });
    const queueAudit = await auditOf(queue.headers.get('x-request-id'));
    expect(queueAudit).toContainEqual({ field: 'RealNameIdentity.documentType', outcome: 'ALLOW', purpose: `verification ${caseId}`, actorKind: 'VERIFIER' });
    expect(queueAudit).toContainEqual({ field: 'Verification.reason', outcome: 'ALLOW', purpose: `verification ${caseId}`, actorKind: 'VERIFIER' });

    const rejected = await t.client.request(REVIEW, { id: caseId, approve: false, reason: 'Passport E1234 expired.' }, { token: verifier });
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data!.reviewVerification).toEqual({ id: caseId, status: 'REJECTED', reason: mask('text', 'Passport E1234 expired.') });
    expect(JSON.stringify(rejected.data)).not.toContain('E1234');
    expect(await auditOf(rejected.headers.get('x-request-id'))).toEqual([
      { field: 'Verification.reason', outcome: 'MASK', purpose: `verification ${caseId}`, actorKind: 'VERIFIER' },
    ]);
  });
});
