import { useGateway } from '../support/use-gateway';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { DeviceEntity } from '../../src/browsing/device.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { createLogger } from '../../src/logger';
import { ErasureDispatcher } from '../../src/privacy/erasure-dispatcher';
import { ErasureNoticeEntity } from '../../src/privacy/erasure-notice.entity';
import { webhookTransport } from '../../src/privacy/erasure-webhook.transport';
import { PrivacyRequestEntity } from '../../src/privacy/privacy-request.entity';
import { registerMember } from '../support/members';
import { NoticeRelay } from '../support/notice-relay';
import { StaffIdentityProvider } from '../support/staff-idp';
import { browse, placeOrders } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const REQUEST = `mutation($input: PrivacyRequestInput!) { requestPrivacy(input: $input) { id type status details receivedAt dueAt overdue } }`;
const RESOLVE = `mutation($id: ID!, $outcome: PrivacyRequestOutcome!, $reason: RefusalGround, $note: String) {
  resolvePrivacyRequest(id: $id, outcome: $outcome, reason: $reason, note: $note) { id status refusalGround extensionReason dueAt resolvedAt }
}`;
const MINE = `{ me { privacyRequests { id type status refusalGround details } } }`;

describe('privacy requests', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  let officer: string;
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env());
    officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-7' });
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  it('records a request with a due date 15 days out, sealed details, visible to the member', async () => {
    const m = await registerMember(t.client);
    const response = await t.client.request(
      REQUEST,
      { input: { type: 'DECISION_EXPLANATION', details: 'Why was I shown these shoes?' } },
      { token: m.accessToken },
    );
    const request = response.data!.requestPrivacy;
    expect(request).toMatchObject({ type: 'DECISION_EXPLANATION', status: 'RECEIVED', details: 'Why was I shown these shoes?', overdue: false });
    expect(Date.parse(request.dueAt) - Date.parse(request.receivedAt)).toBe(15 * 24 * 3600 * 1000);
    const row = await t.dataSource.getRepository(PrivacyRequestEntity).findOneByOrFail({ id: request.id });
    expect(row.detailsSealed).not.toContain('shoes');
    expect((await t.client.request(MINE, {}, { token: m.accessToken })).data!.me.privacyRequests).toHaveLength(1);
  });

  it('lets staff see the queue, and only open overdue ones when asked', async () => {
    const m = await registerMember(t.client);
    const { data } = await t.client.request(REQUEST, { input: { type: 'ACCESS' } }, { token: m.accessToken });
    await t.dataSource.getRepository(PrivacyRequestEntity).update({ id: data!.requestPrivacy.id }, { dueAt: new Date(Date.now() - 86400000) });
    const overdue = await t.client.request(`{ privacyRequests(overdue: true) { id overdue status } }`, {}, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(overdue.data!.privacyRequests).toContainEqual({ id: data!.requestPrivacy.id, overdue: true, status: 'RECEIVED' });
    expect(overdue.data!.privacyRequests.every((request: { overdue: boolean }) => request.overdue)).toBe(true);
    expect((await t.client.request(`{ privacyRequests { id } }`, {}, { token: m.accessToken })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('refuses only on a policy ground, which the member then sees; extends once with a note', async () => {
    const m = await registerMember(t.client);
    const first = (await t.client.request(REQUEST, { input: { type: 'CORRECTION' } }, { token: m.accessToken })).data!.requestPrivacy;
    expect((await t.client.request(RESOLVE, { id: first.id, outcome: 'EXTENDED' }, { token: officer })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'note',
    });
    const extended = await t.client.request(RESOLVE, { id: first.id, outcome: 'EXTENDED', note: 'Waiting for the warehouse records.' }, { token: officer });
    // MariaDB keeps whole seconds: the extension is 15 days to within a second.
    expect(Math.abs(Date.parse(extended.data!.resolvePrivacyRequest.dueAt) - Date.parse(first.dueAt) - 15 * 24 * 3600 * 1000)).toBeLessThan(1000);
    expect((await t.client.request(RESOLVE, { id: first.id, outcome: 'EXTENDED', note: 'again' }, { token: officer })).errors![0]!.extensions!.code).toBe(
      'CONFLICT',
    );
    expect((await t.client.request(RESOLVE, { id: first.id, outcome: 'REFUSED' }, { token: officer })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    const refused = await t.client.request(RESOLVE, { id: first.id, outcome: 'REFUSED', reason: 'MALICE_OR_ABUSE' }, { token: officer });
    expect(refused.data!.resolvePrivacyRequest).toMatchObject({ status: 'REFUSED', refusalGround: 'MALICE_OR_ABUSE' });
    expect((await t.client.request(MINE, {}, { token: m.accessToken })).data!.me.privacyRequests[0]).toMatchObject({
      status: 'REFUSED',
      refusalGround: 'MALICE_OR_ABUSE',
    });
    expect((await t.client.request(RESOLVE, { id: first.id, outcome: 'COMPLETED' }, { token: officer })).errors![0]!.extensions!.code).toBe('CONFLICT');
    expect(
      (await t.client.request(RESOLVE, { id: first.id, outcome: 'COMPLETED' }, { token: await idp.sign({ roles: ['SUPPORT'] }) })).errors![0]!.extensions!.code,
    ).toBe('FORBIDDEN');
  });

  it('completes a deletion: optional data gone, orders kept with amounts only, a notice queued for every recipient', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'LOCATION'] });
    const [orderId] = await placeOrders(t.client, m.accessToken, 2);
    await t.client.request(
      `mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF1111") { id } }`,
      { id: orderId },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    await browse(t.client, m.accessToken, 3);
    const request = (await t.client.request(REQUEST, { input: { type: 'DELETION' } }, { token: m.accessToken })).data!.requestPrivacy;
    const totals = (await t.dataSource.getRepository(OrderEntity).findBy({ memberId: m.member.id })).map((order) => order.totalMinor);

    const done = await t.client.request(RESOLVE, { id: request.id, outcome: 'COMPLETED' }, { token: officer });
    expect(done.data!.resolvePrivacyRequest.status).toBe('COMPLETED');
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(DeviceEntity).countBy({ memberId: m.member.id })).toBe(0);
    const orders = await t.dataSource.getRepository(OrderEntity).findBy({ memberId: m.member.id });
    expect(orders.map((order) => order.totalMinor)).toEqual(totals);
    for (const order of orders) expect([order.cardNumberSealed, order.paymentAccountNameSealed, order.trackingNumber]).toEqual([null, null, null]);
    const seen = await t.client.request(
      `{ me { orders { edges { node { consignee consigneePhone payment { cardNumber } } } } } }`,
      {},
      { token: m.accessToken },
    );
    expect(seen.data!.me.orders.edges[0].node).toEqual({ consignee: '[erased]', consigneePhone: '[erased]', payment: { cardNumber: null } });
    const notices = await t.dataSource.getRepository(ErasureNoticeEntity).findBy({ requestId: request.id });
    expect(notices.map((notice) => [notice.recipient, notice.state]).sort()).toEqual([
      ['payment:card', 'PENDING'],
      ['sf-express', 'PENDING'],
    ]);
    // Each recipient is told what it knows the data by: the carrier its order and tracking number.
    const numbers = (await t.dataSource.query(`SELECT public_id AS id, number FROM purchase_order WHERE member_id = ? ORDER BY id`, [m.member.id])) as Array<{
      id: number;
      number: string;
    }>;
    const shipped = numbers.find((order) => String(order.id) === String(orderId))!.number;
    const subjects = Object.fromEntries(notices.map((notice) => [notice.recipient, JSON.parse(notice.subjects!)]));
    expect(subjects['sf-express']).toEqual({ orders: [{ orderNumber: shipped, trackingNumber: 'SF1111' }] });
    expect(subjects['payment:card'].orders.map((order: { orderNumber: string }) => order.orderNumber).sort()).toEqual(
      numbers.map((order) => order.number).sort(),
    );
    expect(JSON.stringify(subjects)).not.toContain(m.member.id);
  });
});

describe('cancelAccount', () => {
  const { t } = useGateway({ staff: true });

  const CANCEL = `mutation($password: String!) { cancelAccount(password: $password) }`;

  it('needs the password', async () => {
    const m = await registerMember(t.client);
    expect((await t.client.request(CANCEL, { password: 'Wrong-Password-1' }, { token: m.accessToken })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.client.request(`{ me { id } }`, {}, { token: m.accessToken })).data!.me.id).toBe(m.member.id);
  });

  it('stops sign-in at once, destroys the data key so ciphertexts cannot be read, keeps order amounts, notifies recipients, frees the phone', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 1);
    const sealedPhone = (await t.dataSource.query(`SELECT phone FROM member WHERE id = '${m.member.id}'`))[0].phone as string;

    const cancelled = await t.client.request(CANCEL, { password: m.input.password }, { token: m.accessToken });
    expect(cancelled.data!.cancelAccount).toBe(true);
    expect((await t.client.request(`{ me { id } }`, {}, { token: m.accessToken })).status).toBe(401);
    const refresh = await t.client.request(`mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }`, { r: m.refreshToken });
    expect(refresh.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(
      (
        await t.client.request(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }`, {
          i: m.input.memberName,
          p: m.input.password,
        })
      ).errors![0]!.extensions!.code,
    ).toBe('UNAUTHENTICATED');

    // Crypto-shredding: the key row is gone, so the stored ciphertext (and any backup of it) cannot be opened.
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM member_key WHERE member_id = '${m.member.id}'`))[0].n)).toBe(0);
    expect((await t.dataSource.query(`SELECT phone FROM member WHERE id = '${m.member.id}'`))[0].phone).toBe(sealedPhone);
    // With the master key in hand, no other key opens it either (here: another member's real data key).
    const { MasterKeys, KeyWrapper, FieldCipher } = await import('../../src/crypto');
    const wrapper = new KeyWrapper(new MasterKeys(Buffer.from(t.keys().dataEncryptionKey, 'base64')));
    const other = await registerMember(t.client);
    const [{ wrapped_key: otherWrapped }] = await t.dataSource.query(`SELECT wrapped_key FROM member_key WHERE member_id = '${other.member.id}'`);
    const otherKey = wrapper.unwrap(other.member.id, otherWrapped);
    expect(() => new FieldCipher(m.member.id, otherKey).open('phone', sealedPhone)).toThrow();
    expect(
      new FieldCipher(other.member.id, otherKey).open('phone', (await t.dataSource.query(`SELECT phone FROM member WHERE id = '${other.member.id}'`))[0].phone),
    ).toBe(`+86${other.input.phone}`);

    const orders = await t.dataSource.getRepository(OrderEntity).findBy({ memberId: m.member.id });
    expect(orders.map((order) => order.totalMinor)).toEqual([29900 * 6]);
    expect(await t.dataSource.getRepository(ErasureNoticeEntity).countBy({ memberId: m.member.id, recipient: 'payment:card' })).toBe(1);

    const again = await registerMember(t.client, { phone: m.input.phone, memberName: m.input.memberName });
    expect(again.member.id).not.toBe(m.member.id);
  });
});

describe('breach notification', () => {
  const { t, idp } = useGateway({ staff: true });

  const RECORD_INCIDENT = `mutation($input: IncidentInput!) { recordIncident(input: $input) { id occurredAt regulatorDeadline affectedMembers categories } }`;

  it('records an incident with its 72-hour deadline and tells each affected member what happened, what was done and what they can do', async () => {
    const hit = await registerMember(t.client);
    const spared = await registerMember(t.client);
    const input = {
      description: 'A misconfigured export job copied delivery addresses to a partner bucket.',
      categories: ['CONTACT', 'TRANSACTION'],
      occurredAt: new Date(Date.now() - 3600000).toISOString(),
      affectedMemberIds: [hit.member.id],
      actionsTaken: 'The bucket was deleted and the job fixed.',
      memberAdvice: 'Be wary of calls claiming to be about your deliveries.',
    };
    expect((await t.client.request(RECORD_INCIDENT, { input }, { token: await idp.sign({ roles: ['SUPPORT'] }) })).errors![0]!.extensions!.code).toBe(
      'FORBIDDEN',
    );
    const recorded = await t.client.request(RECORD_INCIDENT, { input }, { token: await idp.sign({ roles: ['PRIVACY_OFFICER'] }) });
    const incident = recorded.data!.recordIncident;
    expect(Date.parse(incident.regulatorDeadline) - Date.parse(incident.occurredAt)).toBeGreaterThan(72 * 3600000 - 1000);
    expect(incident.affectedMembers).toBe(1);
    const notices = (await t.client.request(`{ me { notifications { kind title body } } }`, {}, { token: hit.accessToken })).data!.me.notifications;
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toContain('What happened: A misconfigured export job');
    expect(notices[0].body).toContain('What we did: The bucket was deleted');
    expect(notices[0].body).toContain('What you can do: Be wary');
    expect((await t.client.request(`{ me { notifications { id } } }`, {}, { token: spared.accessToken })).data!.me.notifications).toEqual([]);
    const unknown = await t.client.request(
      RECORD_INCIDENT,
      { input: { ...input, affectedMemberIds: ['00000000-0000-0000-0000-000000000000'] } },
      { token: await idp.sign({ roles: ['PRIVACY_OFFICER'] }) },
    );
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'affectedMemberIds' });
  });
});

describe('legal hold', () => {
  const { t, idp } = useGateway({ staff: true });

  it('keeps the data of a cancelled account until the hold is lifted, tells the member, then erases and destroys the key', async () => {
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] });
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 2);
    expect(
      (
        await t.client.request(
          `mutation($id: ID!) { setLegalHold(memberId: $id, reason: "Court order 2026-77") }`,
          { id: m.member.id },
          { token: await idp.sign({ roles: ['SUPPORT'] }) },
        )
      ).errors![0]!.extensions!.code,
    ).toBe('FORBIDDEN');
    await t.client.request(`mutation($id: ID!) { setLegalHold(memberId: $id, reason: "Court order 2026-77") }`, { id: m.member.id }, { token: officer });

    const cancelled = await t.client.request(`mutation($p: String!) { cancelAccount(password: $p) }`, { p: m.input.password }, { token: m.accessToken });
    expect(cancelled.data!.cancelAccount).toBe(true);
    expect((await t.client.request(`{ me { id } }`, {}, { token: m.accessToken })).status).toBe(401);
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(2);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM member_key WHERE member_id = '${m.member.id}'`))[0].n)).toBe(1);
    const told = await t.dataSource.query(`SELECT kind FROM notification WHERE member_id = '${m.member.id}'`);
    expect(told.map((row: { kind: string }) => row.kind)).toEqual(['LEGAL_HOLD']);

    await t.client.request(`mutation($id: ID!) { liftLegalHold(memberId: $id) }`, { id: m.member.id }, { token: officer });
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM member_key WHERE member_id = '${m.member.id}'`))[0].n)).toBe(0);
  });

  it('reads the legal hold under the member-row lock: a hold committed while the erasure waits is honoured', async () => {
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 2);
    const cancel = () => t.client.request(`mutation($p: String!) { cancelAccount(password: $p) }`, { p: m.input.password }, { token: m.accessToken });
    if (t.dataSource.options.type === 'better-sqlite3') {
      // One connection, one writer: the hold and the erasure cannot interleave; the erasure sees the hold.
      await t.dataSource.query(`UPDATE member SET legal_hold_reason = 'Court order 2026-78' WHERE id = ?`, [m.member.id]);
      expect((await cancel()).data!.cancelAccount).toBe(true);
    } else {
      // An officer's hold in flight: its transaction holds the member row when the cancellation arrives.
      const officerTx = t.dataSource.createQueryRunner();
      await officerTx.connect();
      await officerTx.startTransaction();
      await officerTx.query(`UPDATE member SET legal_hold_reason = 'Court order 2026-78' WHERE id = ?`, [m.member.id]);
      const cancelled = cancel();
      // Wait (by polling, not sleeping a fixed time) until the erasure waits for the member row.
      for (let i = 0; i < 500; i += 1) {
        const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'`);
        if (Number(row.n) > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await officerTx.commitTransaction();
      await officerTx.release();
      expect((await cancelled).data!.cancelAccount).toBe(true);
    }
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(2);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM member_key WHERE member_id = '${m.member.id}'`))[0].n)).toBe(1);
    const told = await t.dataSource.query(`SELECT kind FROM notification WHERE member_id = '${m.member.id}'`);
    expect(told.map((row: { kind: string }) => row.kind)).toEqual(['LEGAL_HOLD']);
  });
});

describe('the erasure-notice outbox', () => {
  const { t } = useGateway();
  let relay: NoticeRelay;
  beforeAll(async () => (relay = await NoticeRelay.start()));
  afterAll(() => relay.stop());

  it('retries a failed delivery after its backoff with the same Idempotency-Key, logs the failure without personal data, and marks it delivered once taken', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 1);
    await t.client.request(`mutation($p: String!) { cancelAccount(password: $p) }`, { p: m.input.password }, { token: m.accessToken });
    const notices = t.dataSource.getRepository(ErasureNoticeEntity);
    const { id } = await notices.findOneByOrFail({ memberId: m.member.id });
    const lines: string[] = [];
    let clock = Date.now();
    const dispatcher = new ErasureDispatcher(t.dataSource, webhookTransport(relay.url), createLogger('info', { write: (line) => lines.push(line) }), {
      maxAttempts: 10,
      now: () => clock,
    });
    relay.answer = (notice) => (notice.body.id === id && relay.deliveriesOf([id])[id]!.length === 1 ? 503 : 200);

    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 1, skipped: 0 });
    const failed = await notices.findOneByOrFail({ id });
    expect(failed).toMatchObject({ state: 'PENDING', attempts: 1, lastErrorCode: 'HTTP_503', deliveredAt: null });
    // The first retry waits 15-30 s (30 s with equal jitter); nothing is sent before then.
    expect(failed.nextAttemptAt!.getTime() - clock).toBeGreaterThanOrEqual(15_000);
    expect(failed.nextAttemptAt!.getTime() - clock).toBeLessThanOrEqual(30_000);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 0, skipped: 0 });
    const [warning] = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'erasure notice not delivered');
    expect(warning).toMatchObject({ level: 40, notice: id, recipient: 'payment:card', attempt: 1, error: 'HTTP_503', state: 'PENDING' });
    expect(new Date(warning!.nextAttemptAt as string).getTime()).toBe(failed.nextAttemptAt!.getTime());
    const orderNumber = (await t.dataSource.getRepository(OrderEntity).findOneByOrFail({ memberId: m.member.id })).number;
    expect(lines.join('')).not.toContain(orderNumber);
    expect(lines.join('')).not.toContain(m.member.id);

    clock += 30_000;
    expect(await dispatcher.dispatch()).toEqual({ delivered: 1, failed: 0, skipped: 0 });
    expect(await notices.findOneByOrFail({ id })).toMatchObject({ state: 'DELIVERED', attempts: 2, nextAttemptAt: null, deliveredAt: new Date(clock) });
    expect(relay.deliveriesOf([id])).toEqual({ [id]: [id, id] });
    const [first, second] = relay.received.filter((notice) => notice.body.id === id);
    expect(second!.body).toEqual({ type: 'erasure', id, recipient: 'payment:card', orders: [{ orderNumber }] });
    expect(first!.body).toEqual(second!.body);
    expect(JSON.stringify(relay.received)).not.toContain(m.member.id);
    clock += 24 * 3600_000;
    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 0, skipped: 0 });
  });

  it('keeps notices waiting when no webhook is configured', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 1);
    await t.client.request(`mutation($p: String!) { cancelAccount(password: $p) }`, { p: m.input.password }, { token: m.accessToken });
    const dispatcher = new ErasureDispatcher(t.dataSource, null, createLogger('silent'), { maxAttempts: 10 });
    expect(await dispatcher.dispatch()).toEqual({ delivered: 0, failed: 0, skipped: 0 });
    expect(await t.dataSource.getRepository(ErasureNoticeEntity).findOneByOrFail({ memberId: m.member.id })).toMatchObject({ state: 'PENDING', attempts: 0 });
  });
});
