import { In } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ENROL, residentId, SUBMIT, vector } from '../support/identity';
import { registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { orderInput, PLACE, RECORD } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

/**
 * A minor's data is a minor's data through every GraphQL type that carries personal data: the
 * policy derives the owner's age from the owner's member row (owner-facts.ts), whichever path
 * produced the object. Two members with the same data, one 10 years old and one adult, are read
 * through each type; the minor's reads follow the table's MINOR cells and are always audited.
 */
const TEN_YEARS_OLD = `${new Date().getUTCFullYear() - 10}-03-09`;
const ADULT = '1990-05-17';
const GUARDIAN = { name: 'Li Mei', contact: '+8613900000000', relationship: 'mother' };
const OPTIONAL = ['PERSONALIZATION', 'LOCATION', 'REAL_NAME_AUTH', 'BIOMETRIC'];
const GRANT = `mutation Grant($purpose: ConsentPurpose!, $guardian: GuardianInput) { grantConsent(purpose: $purpose, guardian: $guardian) { granted } }`;
const SHIP = `mutation Ship($orderId: ID!) { shipOrder(orderId: $orderId, carrier: "sf-express", trackingNumber: "SF-0001") { id } }`;
const REQUEST = `mutation Request { requestPrivacy(input: { type: DECISION_EXPLANATION, details: "Why these shoes?" }) { id } }`;

type Member = Awaited<ReturnType<typeof registerMember>> & { orderId: string };
type Who = 'minor' | 'adult';

describe("a minor's data through every personal type", () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  const members = {} as Record<Who, Member>;
  const staff = (role: string, extra: Record<string, unknown> = {}) => idp.sign({ roles: [role], ...extra });

  async function ok(query: string, variables: Record<string, unknown>, token?: string) {
    const response = await t.client.request(query, variables, { token });
    expect(response.errors).toBeUndefined();
    return response;
  }

  /** The same data for both: an order (shipped), browsing with a device, a decision, a request, a voiceprint, a pending identity. */
  async function populate(who: Who, sequence: string): Promise<Member> {
    const birthDate = who === 'minor' ? TEN_YEARS_OLD : ADULT;
    const member = await registerMember(t.client, { birthDate, consents: who === 'minor' ? ['MEMBERSHIP'] : ['MEMBERSHIP', ...OPTIONAL] });
    const token = member.accessToken;
    if (who === 'minor') for (const purpose of OPTIONAL) await ok(GRANT, { purpose, guardian: GUARDIAN }, token);
    const order = await ok(PLACE, { input: orderInput({}, 1) }, token);
    const orderId = order.data!.placeOrder.id as string;
    await ok(SHIP, { orderId }, await staff('SUPPORT'));
    await ok(
      RECORD,
      { input: { kind: 'COLLECT', productId: 'sku-1', device: { deviceIdentifier: `dev-${sequence}`, model: 'Pixel 9', osVersion: 'Android 16' } } },
      token,
    );
    await ok(`{ recommendations(first: 3) { id } }`, {}, token);
    await ok(REQUEST, {}, token);
    await ok(ENROL, { kind: 'VOICEPRINT', template: vector(7) }, token);
    await ok(SUBMIT, { input: { legalName: '王小明', documentType: 'ID_CARD', documentNumber: residentId(birthDate, '440305', sequence) } }, token);
    return { ...member, orderId };
  }

  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    members.minor = await populate('minor', '201');
    members.adult = await populate('adult', '202');
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  /** Staff reads: [type, viewer, query, where the type's values are, what the adult gets, what the minor gets]. */
  type Outcome = 'FULL' | 'MASKED';
  const STAFF_READS: Array<
    [string, () => Promise<string>, (m: Member) => [string, Record<string, unknown>], (data: any, m: Member) => unknown, Outcome, Outcome]
  > = [
    [
      'Member',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "TICKET-1") { memberName createdAt } }`, { id: m.member.id }],
      (data) => data.member,
      'FULL',
      'MASKED',
    ],
    [
      'Consent',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "TICKET-1") { consents { method changedAt } } }`, { id: m.member.id }],
      (data) => data.member.consents[0],
      'FULL',
      'MASKED',
    ],
    [
      'Disclosure',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "TICKET-1") { disclosures { recipient purpose } } }`, { id: m.member.id }],
      (data) => data.member.disclosures[0],
      'FULL',
      'MASKED',
    ],
    [
      'BiometricEnrollment',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "TICKET-1") { biometrics { enrolledAt } } }`, { id: m.member.id }],
      (data) => data.member.biometrics[0],
      'FULL',
      'MASKED',
    ],
    [
      'PrivacyRequest',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "DSR-1") { privacyRequests { details } } }`, { id: m.member.id }],
      (data) => data.member.privacyRequests[0],
      'FULL',
      'MASKED',
    ],
    [
      'AuditEntry',
      () => staff('PRIVACY_OFFICER'),
      (m) => [`query($id: ID!) { auditTrail(memberId: $id, first: 1) { edges { node { field purpose } } } }`, { id: m.member.id }],
      (data) => data.auditTrail.edges[0].node,
      'FULL',
      'MASKED',
    ],
    // Transaction data is masked to support for everyone: the MINOR cell says so too.
    [
      'Order, OrderItem, PaymentSummary, ShipmentInfo',
      () => staff('SUPPORT'),
      (m) => [
        `query($id: ID!) { member(id: $id, purpose: "TICKET-1") { orders(first: 1) { edges { node { consignee items { name } payment { accountName } shipment { carrier } } } } } }`,
        { id: m.member.id },
      ],
      (data) => {
        const node = data.member.orders.edges[0].node;
        return { consignee: node.consignee, item: node.items[0].name, carrier: node.shipment.carrier };
      },
      'MASKED',
      'MASKED',
    ],
    // Delivery needs the real consignee, whatever the recipient's age.
    [
      'Shipment',
      () => staff('LOGISTICS_PARTNER', { partner_id: 'sf-express' }),
      () => [`{ shipments(first: 50) { edges { node { id consigneeName deliveryAddress consigneePhone } } } }`, {}],
      (data, m) => {
        const { id: _id, ...rest } = data.shipments.edges.find((edge: { node: { id: string } }) => edge.node.id === m.orderId).node;
        return rest;
      },
      'FULL',
      'FULL',
    ],
    [
      'RealNameIdentity (support)',
      () => staff('SUPPORT'),
      (m) => [`query($id: ID!) { member(id: $id, purpose: "TICKET-1") { realName { legalName documentNumber } } }`, { id: m.member.id }],
      (data) => ({ legalName: data.member.realName.legalName, numberMasked: data.member.realName.documentNumber.includes('*') }),
      'MASKED',
      'MASKED',
    ],
    // A verifier deciding the pending case needs the full document, for a minor as well.
    [
      'RealNameIdentity through Verification (verifier, pending case)',
      () => staff('VERIFIER'),
      () => [`{ verificationQueue(first: 100) { id identity { documentNumber } } }`, {}],
      (data, m) => {
        const expected = residentId(m === members.minor ? TEN_YEARS_OLD : ADULT, '440305', m === members.minor ? '201' : '202');
        return { found: data.verificationQueue.some((item: { identity: { documentNumber: string } }) => item.identity.documentNumber === expected) };
      },
      'FULL',
      'FULL',
    ],
  ];

  it.each(STAFF_READS)(
    "%s: staff read a minor's data by the MINOR cells and every read is audited",
    async (_type, token, build, pick, adultOutcome, minorOutcome) => {
      const results = {} as Record<Who, { value: unknown; masked: string[]; requestId: string }>;
      const viewerToken = await token();
      for (const who of ['adult', 'minor'] as const) {
        const [query, variables] = build(members[who]);
        const response = await t.client.request(query, variables, { token: viewerToken });
        expect(response.errors).toBeUndefined();
        results[who] = {
          value: pick(response.data, members[who]),
          masked: response.extensions?.privacy?.masked ?? [],
          requestId: response.headers.get('x-request-id')!,
        };
      }
      for (const [who, outcome] of [
        ['adult', adultOutcome],
        ['minor', minorOutcome],
      ] as const) {
        const { value, masked } = results[who];
        if (outcome === 'MASKED') expect({ who, masked: masked.length > 0 }).toEqual({ who, masked: true });
        else if (!_type.startsWith('RealNameIdentity through')) expect({ who, masked }).toEqual({ who, masked: [] });
        expect(value).toBeTruthy();
      }
      // Same data for both: where the cells agree the values agree, where they differ the minor's is masked.
      if (adultOutcome !== minorOutcome) expect(results.minor.value).not.toEqual(results.adult.value);
      else expect(results.minor.value).toEqual(results.adult.value);
      // Every staff read of the minor's data is in the audit trail, with the minor as owner.
      const rows = await t.dataSource
        .getRepository(AuditEventEntity)
        .find({ where: { requestId: results.minor.requestId, ownerMemberId: members.minor.member.id } });
      expect(rows.length).toBeGreaterThan(0);
    },
  );

  /** The minor's own reads of everyday (non-sensitive) data are audited; an adult's are not. */
  const OWN_READS: Array<[string, string]> = [
    ['Member', `{ me { memberName contactName } }`],
    ['Consent', `{ me { consents { purpose method changedAt } } }`],
    ['Disclosure', `{ me { disclosures { recipient purpose } } }`],
    ['BiometricEnrollment', `{ me { biometrics { kind enrolledAt } } }`],
    ['PrivacyRequest', `{ me { privacyRequests { details } } }`],
    ['BrowsingEvent', `{ me { browsingHistory(first: 5) { edges { node { kind url } } } } }`],
    ['Device', `{ me { devices { model osVersion } } }`],
    ['AutomatedDecision', `{ me { automatedDecisions { kind outcome } } }`],
    ['AuditEntry', `{ me { accessLog(first: 5) { edges { node { field purpose actorKind } } } } }`],
  ];

  it.each(OWN_READS)('%s: the minor reads it as an adult would, and the read is audited', async (type, query) => {
    const minor = await ok(query, {}, members.minor.accessToken);
    const adult = await ok(query, {}, members.adult.accessToken);
    // As an adult would: nothing masked, nothing withheld.
    expect(minor.extensions?.privacy).toBeUndefined();
    expect(adult.extensions?.privacy).toBeUndefined();
    const audited = async (response: typeof minor, who: Who) =>
      (
        await t.dataSource
          .getRepository(AuditEventEntity)
          .find({ where: { requestId: response.headers.get('x-request-id')!, ownerMemberId: members[who].member.id } })
      ).map((row) => row.field);
    const minorFields = await audited(minor, 'minor');
    expect(minorFields.some((field) => field.startsWith(`${type}.`))).toBe(true);
    // An adult's own reads are audited only for sensitive categories (enrolment kinds are BIOMETRIC).
    const sensitive = type === 'BiometricEnrollment';
    expect((await audited(adult, 'adult')).some((field) => field.startsWith(`${type}.`))).toBe(sensitive);
  });

  it("records the minor's reads with the minor as owner and the self-service purpose", async () => {
    const response = await ok(`{ me { memberName } }`, {}, members.minor.accessToken);
    const rows = await t.dataSource.getRepository(AuditEventEntity).find({ where: { requestId: In([response.headers.get('x-request-id')!]) } });
    expect(rows.map((row) => ({ field: row.field, owner: row.ownerMemberId, actor: row.actorKind, purpose: row.purpose }))).toEqual([
      { field: 'Member.memberName', owner: members.minor.member.id, actor: 'MEMBER', purpose: 'SELF_SERVICE' },
    ]);
  });
});
