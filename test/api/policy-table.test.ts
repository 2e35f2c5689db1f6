import { importJWK, SignJWT, type JWK } from 'jose';
import { mask } from '../../src/policy/mask';
import { residentId, SUBMIT } from '../support/identity';
import { registerMember } from '../support/members';
import { policyProbe, PROBE_VALUES } from '../support/policy-probe';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const FIELDS = ['account', 'contact', 'governmentId', 'biometric', 'financial', 'transaction', 'location', 'device', 'browsing'] as const;
type ProbeField = (typeof FIELDS)[number];
const MASKS: Record<ProbeField, Parameters<typeof mask>[0]> = {
  account: 'name',
  contact: 'phone',
  governmentId: 'idNumber',
  biometric: 'text',
  financial: 'card',
  transaction: 'name',
  location: 'coordinates',
  device: 'ip',
  browsing: 'text',
};
const PROBE = `query Probe($memberId: ID!, $purpose: String, $partner: String) {
  policyProbe(memberId: $memberId, purpose: $purpose, shipmentPartnerId: $partner) { ${FIELDS.join(' ')} }
}`;
const GRANT = `mutation Grant($purpose: ConsentPurpose!, $guardian: GuardianInput) { grantConsent(purpose: $purpose, guardian: $guardian) { granted } }`;
const GUARDIAN = { name: 'Li Mei', contact: '+8613900000000', relationship: 'mother' };
/** A birth date that makes a member 10 years old today. */
const TEN_YEARS_OLD = `${new Date().getUTCFullYear() - 10}-01-15`;

/** FULL: the value; MASKED: the masked value; otherwise the error code a denial carries. */
type Cell = 'FULL' | 'MASKED' | 'FORBIDDEN' | 'CONSENT_REQUIRED' | 'STEP_UP_REQUIRED';
type Row = Record<ProbeField, Cell>;
const row = (cells: Partial<Row>, rest: Cell = 'FORBIDDEN'): Row => Object.fromEntries(FIELDS.map((field) => [field, cells[field] ?? rest])) as Row;

const OWN_WITH_ALL = row({
  account: 'FULL',
  contact: 'FULL',
  governmentId: 'FULL',
  biometric: 'FULL',
  financial: 'FULL',
  transaction: 'FULL',
  location: 'FULL',
  device: 'FULL',
  browsing: 'FULL',
});
const STAFF = row({ account: 'FULL', contact: 'MASKED', governmentId: 'MASKED', financial: 'MASKED', transaction: 'MASKED' });
/** Staff reading a minor: masked at most, the account name too. */
const STAFF_OF_MINOR = { ...STAFF, account: 'MASKED' } as Row;

describe('the decision table, cell by cell over HTTP', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let consenting: Awaited<ReturnType<typeof registerMember>>;
  let basic: Awaited<ReturnType<typeof registerMember>>;
  let pending: Awaited<ReturnType<typeof registerMember>>;
  let minor: Awaited<ReturnType<typeof registerMember>>;
  let pendingMinor: Awaited<ReturnType<typeof registerMember>>;
  let staleToken: string;

  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env(), { gateway: { extraResolvers: [policyProbe] } });
    consenting = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'LOCATION', 'BIOMETRIC'] });
    basic = await registerMember(t.client, { consents: ['MEMBERSHIP'] });
    // Pending verification is the policy's own fact: these members really have a case open.
    pending = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH'] });
    await submitRealName(pending, '1990-05-17');
    minor = await registerMember(t.client, { consents: ['MEMBERSHIP'], birthDate: TEN_YEARS_OLD });
    pendingMinor = await registerMember(t.client, { consents: ['MEMBERSHIP'], birthDate: TEN_YEARS_OLD });
    const granted = await t.client.request(GRANT, { purpose: 'REAL_NAME_AUTH', guardian: GUARDIAN }, { token: pendingMinor.accessToken });
    expect(granted.errors).toBeUndefined();
    await submitRealName(pendingMinor, TEN_YEARS_OLD);
    // The same member and session, signed in an hour ago: a real token signed with the gateway's key.
    const claims = JSON.parse(Buffer.from(consenting.accessToken.split('.')[1]!, 'base64url').toString('utf8'));
    const { signingKey } = t.keys();
    staleToken = await new SignJWT({ ...claims, auth_time: claims.auth_time - 3600 })
      .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(await importJWK(signingKey as JWK, 'ES256'));
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  const staff = (role: string, extra: Record<string, unknown> = {}) => idp.sign({ roles: [role], ...extra });
  async function submitRealName(member: Awaited<ReturnType<typeof registerMember>>, birthDate: string) {
    const response = await t.client.request(
      SUBMIT,
      { input: { legalName: '王小明', documentType: 'ID_CARD', documentNumber: residentId(birthDate) } },
      { token: member.accessToken },
    );
    expect(response.errors).toBeUndefined();
  }

  const cases: Array<[string, () => Promise<{ token?: string; variables: Record<string, unknown> }>, Row]> = [
    ['anonymous', async () => ({ variables: { memberId: consenting.member.id } }), row({})],
    [
      'the member, with every consent and a fresh sign-in',
      async () => ({ token: consenting.accessToken, variables: { memberId: consenting.member.id } }),
      OWN_WITH_ALL,
    ],
    [
      'the member, with every consent and a stale sign-in',
      async () => ({ token: staleToken, variables: { memberId: consenting.member.id } }),
      // Biometric enrolment data is an enum in real types: it cannot be masked, so it is withheld.
      { ...OWN_WITH_ALL, governmentId: 'MASKED', financial: 'MASKED', biometric: 'STEP_UP_REQUIRED' },
    ],
    [
      'the member, with MEMBERSHIP only',
      async () => ({ token: basic.accessToken, variables: { memberId: basic.member.id } }),
      { ...OWN_WITH_ALL, governmentId: 'MASKED', location: 'CONSENT_REQUIRED', biometric: 'CONSENT_REQUIRED' },
    ],
    ['another member', async () => ({ token: basic.accessToken, variables: { memberId: consenting.member.id } }), row({})],
    ['SUPPORT with a purpose', async () => ({ token: await staff('SUPPORT'), variables: { memberId: basic.member.id, purpose: 'TICKET-1' } }), STAFF],
    ['SUPPORT without a purpose', async () => ({ token: await staff('SUPPORT'), variables: { memberId: basic.member.id } }), row({})],
    [
      'VERIFIER with a purpose, verification pending',
      async () => ({ token: await staff('VERIFIER'), variables: { memberId: pending.member.id, purpose: 'CASE-7' } }),
      { ...STAFF, governmentId: 'FULL' },
    ],
    ['VERIFIER without a purpose, verification pending', async () => ({ token: await staff('VERIFIER'), variables: { memberId: pending.member.id } }), row({})],
    [
      'VERIFIER with a purpose, nothing pending',
      async () => ({ token: await staff('VERIFIER'), variables: { memberId: basic.member.id, purpose: 'CASE-7' } }),
      STAFF,
    ],
    [
      'PRIVACY_OFFICER with a purpose',
      async () => ({ token: await staff('PRIVACY_OFFICER'), variables: { memberId: basic.member.id, purpose: 'DSR-3' } }),
      STAFF,
    ],
    [
      'LOGISTICS_PARTNER, its own shipment',
      async () => ({ token: await staff('LOGISTICS_PARTNER', { partner_id: 'sf-express' }), variables: { memberId: basic.member.id, partner: 'sf-express' } }),
      row({ transaction: 'FULL' }),
    ],
    [
      "LOGISTICS_PARTNER, another partner's shipment",
      async () => ({
        token: await staff('LOGISTICS_PARTNER', { partner_id: 'sf-express' }),
        variables: { memberId: basic.member.id, partner: 'jd-logistics' },
      }),
      row({}),
    ],
    // A minor's data (10 years old by the birth date on file): the MINOR cells of the table.
    [
      'a minor, their own data',
      async () => ({ token: minor.accessToken, variables: { memberId: minor.member.id } }),
      { ...OWN_WITH_ALL, governmentId: 'MASKED', location: 'CONSENT_REQUIRED', biometric: 'CONSENT_REQUIRED' },
    ],
    ["another member, a minor's data", async () => ({ token: basic.accessToken, variables: { memberId: minor.member.id } }), row({})],
    ["anonymous, a minor's data", async () => ({ variables: { memberId: minor.member.id } }), row({})],
    [
      "SUPPORT with a purpose, a minor's data",
      async () => ({ token: await staff('SUPPORT'), variables: { memberId: minor.member.id, purpose: 'TICKET-2' } }),
      STAFF_OF_MINOR,
    ],
    [
      "PRIVACY_OFFICER with a purpose, a minor's data",
      async () => ({ token: await staff('PRIVACY_OFFICER'), variables: { memberId: minor.member.id, purpose: 'DSR-4' } }),
      STAFF_OF_MINOR,
    ],
    [
      "VERIFIER with a purpose, a minor's data, nothing pending",
      async () => ({ token: await staff('VERIFIER'), variables: { memberId: minor.member.id, purpose: 'CASE-8' } }),
      STAFF_OF_MINOR,
    ],
    [
      "VERIFIER with a purpose, a minor's data, verification pending",
      async () => ({ token: await staff('VERIFIER'), variables: { memberId: pendingMinor.member.id, purpose: 'CASE-9' } }),
      { ...STAFF_OF_MINOR, governmentId: 'FULL' },
    ],
    [
      'LOGISTICS_PARTNER, its own shipment to a minor',
      async () => ({ token: await staff('LOGISTICS_PARTNER', { partner_id: 'sf-express' }), variables: { memberId: minor.member.id, partner: 'sf-express' } }),
      row({ transaction: 'FULL' }),
    ],
  ];

  it.each(cases)('%s: every category as the table says', async (_viewer, setup, expected) => {
    const { token, variables } = await setup();
    const response = await t.client.request(PROBE, variables, { token });
    expect(response.status).toBe(200);
    const masked: string[] = response.extensions?.privacy?.masked ?? [];
    const errorsByField = new Map((response.errors ?? []).map((error) => [String(error.path?.[1]), error]));
    for (const field of FIELDS) {
      const value = response.data!.policyProbe[field];
      const cell = expected[field];
      const error = errorsByField.get(field);
      if (cell === 'FULL') {
        expect({ field, value, error }).toEqual({ field, value: PROBE_VALUES[field], error: undefined });
      } else if (cell === 'MASKED') {
        expect({ field, value, error }).toEqual({ field, value: mask(MASKS[field], PROBE_VALUES[field]), error: undefined });
        expect(masked).toContain(`policyProbe.${field}`);
        expect(value).not.toBe(PROBE_VALUES[field]);
      } else {
        expect({ field, value, code: error?.extensions?.code }).toEqual({ field, value: null, code: cell });
        expect(error!.message).not.toContain(PROBE_VALUES[field]);
      }
    }
    // One error per denied field, nothing else.
    expect(response.errors?.length ?? 0).toBe(FIELDS.filter((field) => !['FULL', 'MASKED'].includes(expected[field])).length);
  });

  it('says what unlocks a denied or masked value', async () => {
    const response = await t.client.request(PROBE, { memberId: basic.member.id }, { token: basic.accessToken });
    const location = response.errors!.find((error) => error.path?.[1] === 'location')!;
    expect(location.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiredConsent: 'LOCATION', category: 'LOCATION' });

    // A consenting member with a stale sign-in is told the step-up window, through the masked value.
    const stale = await t.client.request(PROBE, { memberId: consenting.member.id }, { token: staleToken });
    expect(stale.data!.policyProbe.governmentId).toBe('4403**********123X');
    expect(stale.data!.policyProbe.financial).toBe('**** **** **** 0123');
    expect(stale.extensions!.privacy.masked).toEqual(expect.arrayContaining(['policyProbe.governmentId', 'policyProbe.financial']));
  });
});
