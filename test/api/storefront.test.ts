import { useGateway } from '../support/use-gateway';
import { IsNull } from 'typeorm';
import { AutomatedDecisionEntity } from '../../src/browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { DeviceEntity } from '../../src/browsing/device.entity';
import { DisclosureEntity } from '../../src/orders/disclosure.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { signedInAgo, WITHDRAW } from '../support/identity';
import { registerMember } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { browse, orderInput, PLACE, placeOrders, RECORD } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const STOREFRONT = `query Storefront($orders: Int, $history: Int) {
  me {
    orders(first: $orders) { edges { node { number total items { productId name quantity unitPrice } payment { method cardNumber } shipment { carrier trackingNumber } } } }
    browsingHistory(first: $history) { edges { node { kind url query productId occurredAt device { model } } } }
    devices { model osVersion ipAddress lastLocation }
  }
}`;

describe('storefront data under the policy', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  // Every statement's parameterised text, in order.
  const texts: string[] = [];
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway(idp.env(), {
      gateway: {
        onQuery: (sql) => texts.push(sql),
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    await idp.stop();
  });

  it('keeps the number of SQL statements of the storefront query constant in page sizes', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'LOCATION'] });
    await placeOrders(t.client, m.accessToken, 50);
    await browse(t.client, m.accessToken, 50);
    await browse(t.client, m.accessToken, 3, 'device-2');
    const counted = async (orders: number, history: number) => {
      const before = texts.length;
      const response = await t.client.request(STOREFRONT, { orders, history }, { token: m.accessToken });
      expect(response.errors).toBeUndefined();
      expect(response.data!.me.orders.edges).toHaveLength(orders);
      expect(response.data!.me.browsingHistory.edges).toHaveLength(history);
      expect(response.data!.me.orders.edges[0].node.items).toHaveLength(3);
      return texts.length - before;
    };
    const small = await counted(1, 1);
    const large = await counted(50, 50);
    expect({ small, large }).toEqual({ small, large: small });
    // Token check 2; orders, items, history, device loader, devices, ciphers, consents 7; one audit batch 5.
    expect(small).toBeLessThanOrEqual(14);
  });

  it('answers the items and devices of a page selected through fragments as when selected directly', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'LOCATION'] });
    await placeOrders(t.client, m.accessToken, 3);
    await browse(t.client, m.accessToken, 2, 'device-9');
    const direct = await t.client.request(
      `{ me { orders(first: 3) { edges { node { number items { productId quantity } } } } browsingHistory(first: 2) { edges { node { kind device { model } } } } } }`,
      {},
      { token: m.accessToken },
    );
    const fragmented = await t.client.request(
      `query { me { orders(first: 3) { ...Page } browsingHistory(first: 2) { edges { node { ... on BrowsingEvent { kind ...Device } } } } } }
       fragment Page on OrderConnection { edges { node { number ... { items { productId quantity } } } } }
       fragment Device on BrowsingEvent { device { model } }`,
      {},
      { token: m.accessToken },
    );
    expect(direct.errors).toBeUndefined();
    expect(direct.data!.me.orders.edges.map((edge: any) => edge.node.items.length)).toEqual([3, 3, 3]);
    expect(direct.data!.me.browsingHistory.edges[0].node.device).not.toBeNull();
    expect(fragmented.errors).toBeUndefined();
    expect(fragmented.data).toEqual(direct.data);
  });

  it('tells staff nothing of categories they are denied: not even ids, kinds or counts', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'PERSONALIZATION'] });
    await browse(t.client, m.accessToken, 4);
    await t.client.request(`{ recommendations { id } }`, {}, { token: m.accessToken });
    const response = await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-8") { browsingHistory { edges { node { id kind } } } devices { id } automatedDecisions { id kind } } }`,
      { id: m.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    expect(response.data!.member).toEqual({ browsingHistory: { edges: [] }, devices: [], automatedDecisions: [] });
  });

  it("keeps the statements of a partner's shipment list constant in its length", async () => {
    const partner = await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'yto' });
    const support = await idp.sign({ roles: ['SUPPORT'] });
    for (let i = 0; i < 3; i += 1) {
      const m = await registerMember(t.client);
      for (const id of await placeOrders(t.client, m.accessToken, 2)) {
        await t.client.request(`mutation($id: ID!) { shipOrder(orderId: $id, carrier: "yto", trackingNumber: "YT12345") { id } }`, { id }, { token: support });
      }
    }
    const counted = async (first: number) => {
      const before = texts.length;
      const response = await t.client.request(
        `query($first: Int) { shipments(first: $first) { edges { node { consigneeName } } } }`,
        { first },
        { token: partner },
      );
      expect(response.data!.shipments.edges).toHaveLength(first);
      return texts.length - before;
    };
    expect(await counted(6)).toBe(await counted(1));
  });

  it("answers a partner's shipments without reading the consignees' member rows (their age cannot change a partner's rule)", async () => {
    const partner = await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'zto' });
    const support = await idp.sign({ roles: ['SUPPORT'] });
    const m = await registerMember(t.client);
    for (const id of await placeOrders(t.client, m.accessToken, 2)) {
      await t.client.request(`mutation($id: ID!) { shipOrder(orderId: $id, carrier: "zto", trackingNumber: "ZT12345") { id } }`, { id }, { token: support });
    }
    const memberRows = /from [`"]member[`"]/i;
    const from = texts.length;
    const shipments = await t.client.request(`{ shipments(first: 5) { edges { node { consigneeName consigneePhone } } } }`, {}, { token: partner });
    expect(shipments.errors).toBeUndefined();
    expect(shipments.data!.shipments.edges).toHaveLength(2);
    expect(texts.slice(from).filter((sql) => memberRows.test(sql))).toEqual([]);
  });

  it('refuses events without their subject and bad positions, naming the field', async () => {
    const m = await registerMember(t.client);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'PAGE_VIEW' }, 'url'],
      [{ kind: 'SEARCH', url: '/x' }, 'query'],
      [{ kind: 'CART_ADD' }, 'productId'],
      [{ kind: 'PAGE_VIEW', url: '/x', device: { deviceIdentifier: 'd', location: { latitude: 91, longitude: 0 } } }, 'device.location.latitude'],
      [{ kind: 'PAGE_VIEW', url: '/x', occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt'],
    ];
    for (const [input, field] of cases) {
      const response = await t.client.request(RECORD, { input }, { token: m.accessToken });
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('drops a position before it reaches the database without LOCATION consent, and deletes stored ones on withdrawal', async () => {
    const without = await registerMember(t.client);
    await browse(t.client, without.accessToken, 1);
    expect((await t.dataSource.getRepository(DeviceEntity).findOneByOrFail({ memberId: without.member.id })).locationSealed).toBeNull();

    const withConsent = await registerMember(t.client, { consents: ['MEMBERSHIP', 'LOCATION'] });
    await browse(t.client, withConsent.accessToken, 1);
    const stored = await t.dataSource.getRepository(DeviceEntity).findOneByOrFail({ memberId: withConsent.member.id });
    expect(stored.locationSealed).toMatch(/^v1\./);
    expect(stored.locationSealed).not.toContain('22.54');
    const devices = await t.client.request(`{ me { devices { lastLocation ipAddress } } }`, {}, { token: withConsent.accessToken });
    expect(devices.data!.me.devices[0].lastLocation).toBe('22.543096,114.057865');

    await t.client.request(WITHDRAW, { purpose: 'LOCATION' }, { token: withConsent.accessToken });
    expect((await t.dataSource.getRepository(DeviceEntity).findOneByOrFail({ memberId: withConsent.member.id })).locationSealed).toBeNull();
    const after = await t.client.request(`{ me { devices { lastLocation } } }`, {}, { token: withConsent.accessToken });
    expect(after.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiredConsent: 'LOCATION' });
  });

  it('clears browsing history by deleting the rows, of one kind or all', async () => {
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 8);
    const searches = await t.client.request(`mutation { clearBrowsingHistory(kind: SEARCH) }`, {}, { token: m.accessToken });
    expect(searches.data!.clearBrowsingHistory).toBe(2);
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id, kind: 'SEARCH' })).toBe(0);
    const all = await t.client.request(`mutation { clearBrowsingHistory }`, {}, { token: m.accessToken });
    expect(all.data!.clearBrowsingHistory).toBe(6);
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('personalises recommendations only with PERSONALIZATION consent, and explains them', async () => {
    const plain = await registerMember(t.client);
    await t.client.request(RECORD, { input: { kind: 'CART_ADD', productId: 'rare-sku' } }, { token: plain.accessToken });
    const everyone = await t.client.request(`{ recommendations(first: 3) { id } }`);
    const unconsented = await t.client.request(`{ recommendations(first: 3) { id } }`, {}, { token: plain.accessToken });
    expect(unconsented.data!.recommendations).toEqual(everyone.data!.recommendations);
    expect(await t.dataSource.getRepository(AutomatedDecisionEntity).countBy({ memberId: plain.member.id })).toBe(0);

    const fan = await registerMember(t.client, { consents: ['MEMBERSHIP', 'PERSONALIZATION'] });
    for (const kind of ['CART_ADD', 'COLLECT']) await t.client.request(RECORD, { input: { kind, productId: 'rare-sku' } }, { token: fan.accessToken });
    const personal = await t.client.request(`{ recommendations(first: 3) { id score } }`, {}, { token: fan.accessToken });
    expect(personal.data!.recommendations[0]).toEqual({ id: 'rare-sku', score: 5 });
    const why = await t.client.request(`{ me { automatedDecisions { kind outcome factors { productId events weight } } } }`, {}, { token: fan.accessToken });
    expect(why.data!.me.automatedDecisions[0]).toEqual({
      kind: 'RECOMMENDATION',
      outcome: ['rare-sku'],
      factors: [{ productId: 'rare-sku', events: 2, weight: 5 }],
    });
  });

  it('refuses orders with bad input, naming the field, and writes nothing', async () => {
    const m = await registerMember(t.client);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ payment: { method: 'CARD', cardNumber: '4111111111111112' } }, 'payment.cardNumber'],
      [{ payment: { method: 'CARD' } }, 'payment.cardNumber'],
      [{ payment: { method: 'ALIPAY' } }, 'payment.accountName'],
      [{ items: [] }, 'items'],
      [{ items: [{ productId: 'a', name: 'A', quantity: 0, unitPrice: 1 }] }, 'items.0.quantity'],
      [{ consigneePhone: '12345' }, 'consigneePhone'],
    ];
    for (const [change, field] of cases) {
      const response = await t.client.request(PLACE, { input: orderInput(change) }, { token: m.accessToken });
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(response.errors)).not.toContain('411111111111111');
    }
    expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('records the disclosure to the payment provider with the order, all or nothing', async () => {
    const m = await registerMember(t.client);
    const [orderId] = await placeOrders(t.client, m.accessToken, 1);
    const { id } = await t.dataSource.getRepository(OrderEntity).findOneByOrFail({ publicId: orderId });
    const disclosures = await t.dataSource.getRepository(DisclosureEntity).findBy({ memberId: m.member.id });
    expect(disclosures.map((row) => [row.recipient, row.categories, row.purpose, row.legalBasis, row.orderId])).toEqual([
      ['payment:card', 'FINANCIAL,TRANSACTION', 'payment', 'contract', id],
    ]);
    const listed = await t.client.request(`{ me { disclosures { recipient categories purpose legalBasis } } }`, {}, { token: m.accessToken });
    expect(listed.data!.me.disclosures).toEqual([
      { recipient: 'payment:card', categories: ['FINANCIAL', 'TRANSACTION'], purpose: 'payment', legalBasis: 'contract' },
    ]);
  });

  it('shows the full card number only to the member after a recent sign-in; the last four otherwise', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 1);
    const query = `{ me { orders(first: 1) { edges { node { payment { cardNumber } } } } } }`;
    expect((await t.client.request(query, {}, { token: m.accessToken })).data!.me.orders.edges[0].node.payment.cardNumber).toBe('4111111111111111');
    const stale = await t.client.request(query, {}, { token: await signedInAgo(t, m.accessToken, 3600) });
    expect(stale.data!.me.orders.edges[0].node.payment.cardNumber).toBe('**** **** **** 1111');
    const support = await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-5") { orders(first: 1) { edges { node { consigneePhone payment { cardNumber } } } } } }`,
      { id: m.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    expect(support.data!.member.orders.edges[0].node).toEqual({ consigneePhone: '139****5678', payment: { cardNumber: '**** **** **** 1111' } });
  });

  it("ships an order to a partner, which sees only its own shipments' consignee, address and phone", async () => {
    const m = await registerMember(t.client);
    const [orderId] = await placeOrders(t.client, m.accessToken, 1);
    const ship = `mutation($id: ID!, $carrier: String!) { shipOrder(orderId: $id, carrier: $carrier, trackingNumber: "SF1234567890") { status shipment { carrier } } }`;
    const byMember = await t.client.request(ship, { id: orderId, carrier: 'sf-express' }, { token: m.accessToken });
    expect(byMember.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const shipped = await t.client.request(ship, { id: orderId, carrier: 'sf-express' }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.shipOrder.status).toBe('SHIPPED');
    expect(await t.dataSource.getRepository(DisclosureEntity).countBy({ memberId: m.member.id, recipient: 'sf-express', purpose: 'delivery' })).toBe(1);
    const again = await t.client.request(ship, { id: orderId, carrier: 'sf-express' }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');

    const shipments = `{ shipments(first: 10) { edges { node { orderNumber trackingNumber consigneeName deliveryAddress consigneePhone } } } }`;
    const own = await t.client.request(shipments, {}, { token: await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'sf-express' }) });
    expect(own.errors).toBeUndefined();
    expect(own.data!.shipments.edges.map((edge: { node: unknown }) => edge.node)).toContainEqual({
      orderNumber: expect.any(String),
      trackingNumber: 'SF1234567890',
      consigneeName: 'Wang Xiaoming',
      deliveryAddress: 'Room 1802, Tower B, Futian District, Shenzhen',
      consigneePhone: '+8613912345678',
    });
    const other = await t.client.request(shipments, {}, { token: await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'jd-logistics' }) });
    expect(other.data!.shipments.edges).toEqual([]);
    const partnerToken = await idp.sign({ roles: ['LOGISTICS_PARTNER'], partner_id: 'sf-express' });
    const lookup = await t.client.request(`query($id: ID!) { member(id: $id, purpose: "delivery") { phone } }`, { id: m.member.id }, { token: partnerToken });
    expect(lookup.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const shape = await t.client.request(`{ __type(name: "Shipment") { fields { name } } }`);
    expect(shape.data!.__type.fields.map((field: { name: string }) => field.name).sort()).toEqual([
      'consigneeName',
      'consigneePhone',
      'deliveryAddress',
      'id',
      'orderNumber',
      'trackingNumber',
    ]);
  });

  it("hides the member's own orders from their view, and answers NOT_FOUND for anyone else's without hiding anything", async () => {
    const a = await registerMember(t.client);
    const b = await registerMember(t.client);
    const [mine1, mine2] = await placeOrders(t.client, a.accessToken, 2);
    const [theirs] = await placeOrders(t.client, b.accessToken, 1);
    const hide = `mutation($ids: [ID!]!) { hideOrders(orderIds: $ids) }`;
    const mixed = await t.client.request(hide, { ids: [mine1, theirs] }, { token: a.accessToken });
    expect(mixed.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: a.member.id, hiddenAt: IsNull() })).toBe(2);
    const missing = await t.client.request(hide, { ids: ['999999999'] }, { token: a.accessToken });
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const ok = await t.client.request(hide, { ids: [mine1] }, { token: a.accessToken });
    expect(ok.data!.hideOrders).toBe(1);
    const list = await t.client.request(`{ me { orders { edges { node { id } } } } }`, {}, { token: a.accessToken });
    expect(list.data!.me.orders.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([mine2]);
    expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: a.member.id })).toBe(2);
  });

  it('pages orders with cursors: no gaps, no repeats, a clear end, and bad arguments refused', async () => {
    const m = await registerMember(t.client);
    const ids = await placeOrders(t.client, m.accessToken, 5);
    const page = `query($after: String, $first: Int) { me { orders(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: { data?: any } = await t.client.request(page, { after, first: 2 }, { token: m.accessToken });
      const connection: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = response.data!.me.orders;
      seen.push(...connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    expect((await t.client.request(page, { first: 0 }, { token: m.accessToken })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect((await t.client.request(page, { after: 'bogus' }, { token: m.accessToken })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});

describe('when the disclosure cannot be recorded', () => {
  const { t } = useGateway();

  it('places no order at all', async () => {
    const m = await registerMember(t.client);
    await t.dataSource.query('DROP TABLE disclosure');
    const response = await t.client.request(PLACE, { input: orderInput() }, { token: m.accessToken });
    expect(response.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM order_item')).toEqual([{ n: expect.anything() }]);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM order_item');
    expect(Number(n)).toBe(0);
  });
});
