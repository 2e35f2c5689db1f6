import { registerMember } from '../support/members';
import { useGateway } from '../support/use-gateway';

/** Root fields whose description marks them as staff-only (e.g. "PRIVACY_OFFICER only: …", "Staff (…)"). */
const STAFF_MARK = /^(SUPPORT|VERIFIER|PRIVACY_OFFICER|LOGISTICS_PARTNER) only:|^Staff\b/;

/**
 * Every staff-only operation, called with input its validation would refuse. The caller must be
 * checked first: a member gets FORBIDDEN and an anonymous visitor UNAUTHENTICATED, never
 * BAD_USER_INPUT (which would tell them what input the operation takes).
 */
const CASES: Record<string, { document: string; variables?: Record<string, unknown> }> = {
  member: { document: `{ member(id: "nope", purpose: "x") { id } }` },
  privacyRequests: { document: `{ privacyRequests(overdue: true) { id } }` },
  auditTrail: { document: `{ auditTrail(memberId: "nope", first: -1) { edges { cursor } } }` },
  auditIntegrity: { document: `{ auditIntegrity { intact } }` },
  erasureNotices: { document: `{ erasureNotices(first: -1, after: "not-a-cursor") { edges { cursor } } }` },
  processingRecords: { document: `{ processingRecords { category } }` },
  shipments: { document: `{ shipments(first: -1) { edges { cursor } } }` },
  verificationQueue: { document: `{ verificationQueue(first: -1) { id } }` },
  reviewVerification: { document: `mutation { reviewVerification(id: "nope", approve: false) { id } }` },
  shipOrder: { document: `mutation { shipOrder(orderId: "nope", carrier: "", trackingNumber: "") { id } }` },
  resolvePrivacyRequest: { document: `mutation { resolvePrivacyRequest(id: "nope", outcome: REFUSED) { id } }` },
  setLegalHold: { document: `mutation { setLegalHold(memberId: "nope", reason: "") }` },
  liftLegalHold: { document: `mutation { liftLegalHold(memberId: "nope") }` },
  correctBirthDate: { document: `mutation { correctBirthDate(memberId: "nope", birthDate: "tomorrow", reason: "") { id } }` },
  publishPrivacyPolicy: {
    document: `mutation($input: PrivacyPolicyInput!) { publishPrivacyPolicy(input: $input) { version } }`,
    variables: { input: { version: '<bad version>', material: true, summary: ' ', text: '' } },
  },
  recordIncident: {
    document: `mutation($input: IncidentInput!) { recordIncident(input: $input) { id } }`,
    variables: { input: { description: 'x', categories: [], occurredAt: 'yesterday', affectedMemberIds: [], actionsTaken: '', memberAdvice: '' } },
  },
};

describe('staff-only operations', () => {
  const { t, idp } = useGateway({ staff: true });

  it('covers every root field marked staff-only in the schema', async () => {
    const response = await t.client.request(`{ __schema { queryType { fields { name description } } mutationType { fields { name description } } } }`);
    const roots = [...response.data!.__schema.queryType.fields, ...response.data!.__schema.mutationType.fields] as Array<{
      name: string;
      description: string | null;
    }>;
    const staffOnly = roots
      .filter((field) => STAFF_MARK.test(field.description ?? ''))
      .map((field) => field.name)
      .sort();
    expect(staffOnly).toEqual(Object.keys(CASES).sort());
  });

  it('answers FORBIDDEN to a member sending invalid input, before the input is validated or any resolver runs', async () => {
    const m = await registerMember(t.client);
    for (const [name, { document, variables }] of Object.entries(CASES)) {
      const response = await t.client.request(document, variables ?? {}, { token: m.accessToken });
      expect({ name, data: response.data?.[name] ?? null, codes: response.errors?.map((error) => error.extensions?.code) }).toEqual({
        name,
        data: null,
        codes: ['FORBIDDEN'],
      });
    }
  });

  it('answers UNAUTHENTICATED to an anonymous visitor sending invalid input', async () => {
    for (const [name, { document, variables }] of Object.entries(CASES)) {
      const response = await t.client.request(document, variables ?? {});
      expect({ name, codes: response.errors?.map((error) => error.extensions?.code) }).toEqual({ name, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('answers FORBIDDEN to staff of another role sending invalid input', async () => {
    const verifier = await idp.sign({ roles: ['VERIFIER'] });
    const response = await t.client.request(CASES.recordIncident!.document, CASES.recordIncident!.variables, { token: verifier });
    expect(response.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('still validates the input of the right role, naming the field', async () => {
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] });
    const response = await t.client.request(CASES.recordIncident!.document, CASES.recordIncident!.variables, { token: officer });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'description' });
  });
});
