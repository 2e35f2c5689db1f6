import { BiometricEnrollmentEntity } from '../../src/biometrics/biometric-enrollment.entity';
import { ENROL, REAL_NAME, residentId, signedInAgo, SUBMIT, vector, vectorAtCosine, WITHDRAW } from '../support/identity';
import { registerMember } from '../support/members';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { useGateway } from '../support/use-gateway';

const LOGIN = `mutation Login($identifier: String!, $kind: BiometricKind!, $sample: [Float!]!) {
  loginWithBiometric(identifier: $identifier, kind: $kind, sample: $sample) { accessToken member { id } }
}`;
const BIOMETRICS = `{ me { biometrics { kind enrolledAt } } }`;

describe('biometrics', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ LOGIN_FAILURE_WINDOW_SECONDS: '600' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const enrolled = async (template = vector(11)) => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'BIOMETRIC', 'REAL_NAME_AUTH'] });
    const response = await t.client.request(ENROL, { kind: 'VOICEPRINT', template }, { token: m.accessToken });
    expect(response.errors).toBeUndefined();
    return { ...m, template };
  };

  it('needs consent BIOMETRIC and a recent sign-in to enrol', async () => {
    const noConsent = await registerMember(t.client);
    expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(1) }, { token: noConsent.accessToken })).errors![0]!.extensions).toMatchObject(
      {
        code: 'CONSENT_REQUIRED',
        requiredConsent: 'BIOMETRIC',
      },
    );
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'BIOMETRIC'] });
    const stale = await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(1) }, { token: await signedInAgo(t, m.accessToken, 3600) });
    expect(stale.errors![0]!.extensions!.code).toBe('STEP_UP_REQUIRED');
    expect(await t.dataSource.getRepository(BiometricEnrollmentEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('refuses templates of the wrong size or all zeros, naming template', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'BIOMETRIC'] });
    for (const template of [vector(1, 63), vector(1, 1025), new Array(64).fill(0)]) {
      expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template }, { token: m.accessToken })).errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'template',
      });
    }
  });

  it("refuses a minor without a guardian's consent on file, and enrols once a guardian consented", async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 86400000).toISOString().slice(0, 10);
    const minor = await registerMember(t.client, { birthDate: tenYearsAgo, consents: ['MEMBERSHIP'] });
    const response = await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(1) }, { token: minor.accessToken });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiresGuardian: true });
    const granted = await t.client.request(
      `mutation { grantConsent(purpose: BIOMETRIC, guardian: { name: "Li Ma", contact: "13700000000", relationship: "mother" }) { granted method } }`,
      {},
      { token: minor.accessToken },
    );
    expect(granted.data!.grantConsent).toEqual({ granted: true, method: 'GUARDIAN' });
    expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(1) }, { token: minor.accessToken })).errors).toBeUndefined();
  });

  it('never returns the template: only kind and time, and the stored column is ciphertext', async () => {
    const m = await enrolled();
    const me = await t.client.request(BIOMETRICS, {}, { token: m.accessToken });
    expect(me.data!.me.biometrics).toEqual([{ kind: 'VOICEPRINT', enrolledAt: expect.any(String) }]);
    const introspected = await t.client.request(`{ __type(name: "BiometricEnrollment") { fields { name } } }`);
    expect(introspected.data!.__type.fields.map((field: { name: string }) => field.name)).toEqual(['kind', 'enrolledAt']);
    const row = await t.dataSource.getRepository(BiometricEnrollmentEntity).findOneByOrFail({ memberId: m.member.id });
    expect(row.templateSealed).toMatch(/^v1\./);
    const firstValue = Math.fround(m.template[0]! / Math.hypot(...m.template));
    expect(row.templateSealed).not.toContain(Buffer.from(Float32Array.of(firstValue).buffer).toString('base64').slice(0, 6));
  });

  it('signs in with a sample just above the threshold and refuses one just below', async () => {
    const m = await enrolled(vector(21));
    const above = await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: vectorAtCosine(m.template, 0.91) });
    expect(above.errors).toBeUndefined();
    const claims = JSON.parse(Buffer.from(above.data!.loginWithBiometric.accessToken.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.amr).toEqual(['voice']);
    const below = await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: vectorAtCosine(m.template, 0.89) });
    expect(below.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const otherKind = await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'FACE', sample: m.template });
    expect(otherKind.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(otherKind.errors![0]!.message).toBe(below.errors![0]!.message);
  });

  it('does not count a biometric sign-in as a step-up for government ID', async () => {
    const m = await enrolled(vector(31));
    await t.client.request(
      SUBMIT,
      { input: { legalName: 'Li Lei', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '777') } },
      { token: m.accessToken },
    );
    const login = await t.client.request(LOGIN, { identifier: m.input.phone, kind: 'VOICEPRINT', sample: m.template });
    const identity = await t.client.request(REAL_NAME, {}, { token: login.data!.loginWithBiometric.accessToken });
    expect(identity.data!.me.realName.documentNumber).toMatch(/^4403\*+/);
    const refused = await t.client.request(ENROL, { kind: 'VOICEPRINT', template: m.template }, { token: login.data!.loginWithBiometric.accessToken });
    expect(refused.errors![0]!.extensions!.code).toBe('STEP_UP_REQUIRED');
  });

  it('throttles biometric sign-in like password sign-in', async () => {
    const m = await enrolled(vector(41));
    for (let i = 0; i < 5; i += 1) {
      await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: vector(100 + i) });
    }
    const sixth = await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: m.template });
    expect(sixth.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
  });

  it('deletes one enrolment on request, and every template at once when BIOMETRIC is withdrawn', async () => {
    const m = await enrolled(vector(51));
    const deleted = await t.client.request(`mutation { deleteBiometric(kind: VOICEPRINT) }`, {}, { token: m.accessToken });
    expect(deleted.data!.deleteBiometric).toBe(true);
    expect((await t.client.request(`mutation { deleteBiometric(kind: VOICEPRINT) }`, {}, { token: m.accessToken })).data!.deleteBiometric).toBe(false);

    await t.client.request(ENROL, { kind: 'VOICEPRINT', template: m.template }, { token: m.accessToken });
    expect(await t.dataSource.getRepository(BiometricEnrollmentEntity).countBy({ memberId: m.member.id })).toBe(1);
    const withdrawn = await t.client.request(WITHDRAW, { purpose: 'BIOMETRIC' }, { token: m.accessToken });
    expect(withdrawn.data!.withdrawConsent.granted).toBe(false);
    expect(await t.dataSource.getRepository(BiometricEnrollmentEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect((await t.client.request(LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: m.template })).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses to withdraw MEMBERSHIP', async () => {
    const m = await registerMember(t.client);
    expect((await t.client.request(WITHDRAW, { purpose: 'MEMBERSHIP' }, { token: m.accessToken })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'purpose',
    });
  });
});

describe('biometric sign-in for unknown members', () => {
  let statements = 0;
  const { t } = useGateway({
    env: { LOGIN_MAX_FAILURES_PER_IDENTIFIER: '1000', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' },
    gateway: { onQuery: () => (statements += 1) },
  });

  // Chosen check: the same work (the same SQL statements, one key unwrapped and one template
  // decrypted either way, by construction) plus a loose timing guard that cannot flake on a busy
  // machine: the median of each back-to-back pair's ratio (unknown ÷ known) is at least 0.7, so a
  // burst of load from other tests hits both sides of a pair alike.
  it('does the same work for an unknown member as for a known one with a wrong sample', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'BIOMETRIC'] });
    expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(51) }, { token: m.accessToken })).errors).toBeUndefined();
    const attempt = async (identifier: string) => {
      const before = statements;
      const started = process.hrtime.bigint();
      const response = await t.client.request(LOGIN, { identifier, kind: 'VOICEPRINT', sample: vector(52) });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(response.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      return { ms, statements: statements - before };
    };
    const ratios: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Alternate which goes first, so warm-up and collection pauses fall on both sides alike.
      const b = i % 2 === 0 ? await attempt(`nobody-${i}`) : undefined;
      const a = await attempt(m.input.memberName);
      const c = b ?? (await attempt(`nobody-${i}`));
      expect(c.statements).toBe(a.statements);
      ratios.push(c.ms / a.ms);
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    expect(median(ratios)).toBeGreaterThanOrEqual(0.7);
  });
});
