import { useGateway } from '../support/use-gateway';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ME, registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const MEMBER = `query Member($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { id memberName phone contactName contactAddress birthDate isMinor createdAt } }`;
const ACCESS_LOG = `query { me { accessLog(first: 50) { edges { cursor node { id at actorKind actorId field category outcome purpose } } pageInfo { hasNextPage endCursor } } } }`;
const TRAIL = `query Trail($id: ID!, $first: Int, $after: String) { auditTrail(memberId: $id, first: $first, after: $after) { edges { cursor node { id actorKind field outcome purpose } } pageInfo { hasNextPage endCursor } } }`;

describe('member data under the policy', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let alice: Awaited<ReturnType<typeof registerMember>>;
  const staff = (role: string, subject = `${role.toLowerCase()}-1`) => idp.sign({ roles: [role] }, { subject });

  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    alice = await registerMember(t.client, { phone: '13812345678', contactName: 'Zhang San', contactAddress: '广东省深圳市南山区科技园路1号' });
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  it('shows the member their own contact data in full, with nothing masked or audited', async () => {
    const before = await t.dataSource.getRepository(AuditEventEntity).count();
    const me = await t.client.request(ME, {}, { token: alice.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({ phone: '+8613812345678', contactName: 'Zhang San', contactAddress: '广东省深圳市南山区科技园路1号' });
    expect(me.extensions?.privacy).toBeUndefined();
    expect(await t.dataSource.getRepository(AuditEventEntity).count()).toBe(before);
  });

  it('shows SUPPORT masked contact data, lists each masked path, and records the stated purpose', async () => {
    const response = await t.client.request(
      MEMBER,
      { id: alice.member.id, purpose: 'TICKET-4711 delivery complaint' },
      { token: await staff('SUPPORT', 'agent-7') },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.member).toMatchObject({
      id: alice.member.id,
      memberName: alice.input.memberName,
      phone: '138****5678',
      contactName: 'Z**** S**',
      contactAddress: '广东省深圳市南山区***',
      birthDate: '1990-**-**',
      isMinor: false,
    });
    expect(response.extensions!.privacy.masked.sort()).toEqual(['member.birthDate', 'member.contactAddress', 'member.contactName', 'member.phone']);

    const requestId = response.headers.get('x-request-id');
    const rows = await t.dataSource.getRepository(AuditEventEntity).find({ where: { requestId: requestId! } });
    expect(rows.map((row) => `${row.field}:${row.outcome}`).sort()).toEqual(
      [
        'Member.birthDate:MASK',
        'Member.contactAddress:MASK',
        'Member.contactName:MASK',
        'Member.createdAt:ALLOW',
        'Member.isMinor:ALLOW',
        'Member.memberName:ALLOW',
        'Member.phone:MASK',
      ].sort(),
    );
    for (const row of rows)
      expect(row).toMatchObject({ actorKind: 'SUPPORT', actorId: 'agent-7', ownerMemberId: alice.member.id, purpose: 'TICKET-4711 delivery complaint' });
  });

  it('lets the member see who read their data and why, without their own reads', async () => {
    const log = await t.client.request(ACCESS_LOG, {}, { token: alice.accessToken });
    expect(log.errors).toBeUndefined();
    const nodes = log.data!.me.accessLog.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorKind: 'SUPPORT',
          actorId: 'agent-7',
          field: 'Member.phone',
          category: 'CONTACT',
          outcome: 'MASK',
          purpose: 'TICKET-4711 delivery complaint',
        }),
      ]),
    );
    expect(nodes.every((node: { actorKind: string }) => node.actorKind !== 'MEMBER')).toBe(true);
  });

  it('pages through the access log by cursor, rows of the same second included, without gaps or repeats', async () => {
    const all = (await t.client.request(ACCESS_LOG, {}, { token: alice.accessToken })).data!.me.accessLog.edges.map(
      (edge: { node: { id: string } }) => edge.node.id,
    );
    expect(all.length).toBeGreaterThan(3); // one support read wrote several rows in one second
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < all.length; page += 1) {
      const response: { data?: any } = await t.client.request(
        `query($after: String) { me { accessLog(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
        { after },
        { token: alice.accessToken },
      );
      const connection = response.data!.me.accessLog;
      paged.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  it('refuses member(id, purpose) to members, partners and anonymous callers, and a blank purpose', async () => {
    const asMember = await t.client.request(MEMBER, { id: alice.member.id, purpose: 'curious' }, { token: alice.accessToken });
    expect(asMember.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const asPartner = await t.client.request(
      MEMBER,
      { id: alice.member.id, purpose: 'delivery' },
      { token: await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'sf' }) },
    );
    expect(asPartner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const anonymous = await t.client.request(MEMBER, { id: alice.member.id, purpose: 'curious' });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const blank = await t.client.request(MEMBER, { id: alice.member.id, purpose: '   ' }, { token: await staff('SUPPORT') });
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'purpose' });
    const unknown = await t.client.request(MEMBER, { id: '00000000-0000-0000-0000-000000000000', purpose: 'TICKET-1' }, { token: await staff('SUPPORT') });
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('keeps the access log from SUPPORT but shows the audit trail to PRIVACY_OFFICER, page by page', async () => {
    const support = await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-9") { phone accessLog { edges { node { field } } } } }`,
      { id: alice.member.id },
      { token: await staff('SUPPORT') },
    );
    expect(support.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await t.client.request(TRAIL, { id: alice.member.id }, { token: await staff('SUPPORT') })).errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const officer = await staff('PRIVACY_OFFICER', 'dpo-1');
    const first = await t.client.request(TRAIL, { id: alice.member.id, first: 2 }, { token: officer });
    expect(first.errors).toBeUndefined();
    expect(first.data!.auditTrail.edges).toHaveLength(2);
    expect(first.data!.auditTrail.pageInfo.hasNextPage).toBe(true);
    const second = await t.client.request(TRAIL, { id: alice.member.id, first: 2, after: first.data!.auditTrail.pageInfo.endCursor }, { token: officer });
    const ids = (page: typeof first) => page.data!.auditTrail.edges.map((edge: { node: { id: string } }) => edge.node.id);
    // Newest first by (occurredAt, id), sequenced or not, the second page going on where the first ended
    // (reading the trail is audited too: its own entries are newer than both pages).
    const rows = await t.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { ownerMemberId: alice.member.id }, order: { occurredAt: 'DESC', id: 'DESC' } });
    const start = rows.findIndex((row) => row.id === ids(first)[0]);
    expect(rows.slice(start, start + 4).map((row) => row.id)).toEqual([...ids(first), ...ids(second)]);
    const bad = await t.client.request(TRAIL, { id: alice.member.id, after: 'not-a-cursor' }, { token: officer });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('writes one multi-row audit batch per request, deduplicated per field, with a plain insert and nothing else', async () => {
    const officer = await staff('PRIVACY_OFFICER', 'dpo-2');
    const audited: string[] = [];
    const logQuery = jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((query: string) => {
      if (/audit_(event|chain_head|checkpoint)/i.test(query)) audited.push(query);
    });
    let response;
    try {
      response = await t.client.request(
        `query($id: ID!) { auditTrail(memberId: $id, first: 20) { edges { node { field outcome actorId } } } }`,
        { id: alice.member.id },
        { token: officer },
      );
    } finally {
      logQuery.mockRestore();
    }
    expect(response.errors).toBeUndefined();
    const rows = await t.dataSource.getRepository(AuditEventEntity).find({ where: { requestId: response.headers.get('x-request-id')! } });
    expect(rows.map((row) => row.field).sort()).toEqual(['AuditEntry.actorId', 'AuditEntry.field', 'AuditEntry.outcome']);
    // Besides the trail's own page read: one INSERT, no read of the chain head, no lock, no position yet.
    const writes = audited.filter((query) => !/^\s*SELECT/i.test(query));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^INSERT INTO\W+audit_event\W/i);
    expect(audited.some((query) => /audit_chain_head|FOR UPDATE/i.test(query))).toBe(false);
    expect(rows.every((row) => row.seq === null && row.hash === null)).toBe(true);
  });

  it('records each stated purpose of one request separately', async () => {
    const response = await t.client.request(
      `query($id: ID!) { a: member(id: $id, purpose: "TICKET-1 legit") { phone } b: member(id: $id, purpose: "curiosity, no ticket") { phone } }`,
      { id: alice.member.id },
      { token: await staff('SUPPORT', 'agent-9') },
    );
    const rows = await t.dataSource.getRepository(AuditEventEntity).findBy({ requestId: response.headers.get('x-request-id')! });
    expect(rows.map((row) => row.purpose).sort()).toEqual(['TICKET-1 legit', 'curiosity, no ticket']);
  });
});

describe('when the audit trail cannot be written', () => {
  const { t, idp } = useGateway({ staff: true });

  it('fails closed: no personal value leaves, SERVICE_UNAVAILABLE instead', async () => {
    const alice = await registerMember(t.client, { phone: '13912345670' });
    await t.dataSource.query('DROP TABLE audit_event');
    const response = await t.client.request(MEMBER, { id: alice.member.id, purpose: 'TICKET-1' }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(response.status).toBe(503);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
    expect(JSON.stringify(response)).not.toContain('5670');
    // Reads that need no audit still work.
    const me = await t.client.request(ME, {}, { token: alice.accessToken });
    expect(me.data!.me.phone).toBe('+8613912345670');
  });
});

describe("a minor's data", () => {
  const { t, idp } = useGateway({ staff: true });

  it('is treated as sensitive: staff see even account data masked, and every read is audited', async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 86400000).toISOString().slice(0, 10);
    const minor = await registerMember(t.client, { birthDate: tenYearsAgo, memberName: 'xiao_ming' });
    const own = await t.client.request(ME, {}, { token: minor.accessToken });
    expect(own.data!.me.memberName).toBe('xiao_ming');
    const own_rows = await t.dataSource.getRepository(AuditEventEntity).countBy({ requestId: own.headers.get('x-request-id')! });
    expect(own_rows).toBeGreaterThan(0);
    const staff = await t.client.request(MEMBER, { id: minor.member.id, purpose: 'TICKET-M' }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(staff.data!.member.memberName).toBe('x********');
    expect(staff.extensions!.privacy.masked).toContain('member.memberName');
  });
});
