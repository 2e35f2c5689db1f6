import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { registerMember } from '../support/members';
import { orderInput, placeOrders, RECORD } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

const HISTORY = `query($first: Int, $after: String) { me { browsingHistory(first: $first, after: $after) { edges { cursor node { id url occurredAt } } pageInfo { hasNextPage endCursor } } } }`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HIDE = `mutation($ids: [ID!]!) { hideOrders(orderIds: $ids) }`;
const SHIP = `mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF-7777") { id status } }`;

describe('data shape seen by clients', () => {
  const { t, idp } = useGateway({ staff: true });

  const record = async (token: string, url: string, occurredAt: string) => {
    const response = await t.client.request(RECORD, { input: { kind: 'PAGE_VIEW', url, occurredAt } }, { token });
    expect(response.errors).toBeUndefined();
  };

  it('lists browsing history newest first by occurredAt, not by when it was recorded, across pages with opaque cursors', async () => {
    const m = await registerMember(t.client);
    // Recorded out of order (a client syncing late); two share one millisecond.
    const times = ['2026-03-01T10:00:00.100Z', '2026-03-03T10:00:00.000Z', '2026-03-02T10:00:00.500Z', '2026-03-02T10:00:00.500Z', '2026-03-02T10:00:00.499Z'];
    for (const [i, at] of times.entries()) await record(m.accessToken, `/p/${i}`, at);

    const seen: Array<{ id: string; url: string; occurredAt: string }> = [];
    const cursors: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: { data?: any; errors?: unknown } = await t.client.request(HISTORY, { first: 2, after }, { token: m.accessToken });
      expect(response.errors).toBeUndefined();
      const connection = response.data.me.browsingHistory;
      seen.push(...connection.edges.map((edge: { node: (typeof seen)[number] }) => edge.node));
      cursors.push(...connection.edges.map((edge: { cursor: string }) => edge.cursor));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.map((event) => event.occurredAt)).toEqual([...times].sort().reverse());
    expect(new Set(seen.map((event) => event.id)).size).toBe(times.length);
    // The two events of the same millisecond come in id order (descending), on either side of a page break.
    const tied = seen.filter((event) => event.occurredAt === '2026-03-02T10:00:00.500Z').map((event) => event.id);
    expect(tied).toEqual([...tied].sort().reverse());

    // Cursors carry no row number.
    const rows = await t.dataSource.getRepository(BrowsingEventEntity).findBy({ memberId: m.member.id });
    for (const cursor of cursors) {
      const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
      for (const row of rows) expect(parts).not.toContain(String(row.id));
    }
    const bogus = await t.client.request(HISTORY, { after: Buffer.from('p:3').toString('base64url') }, { token: m.accessToken });
    expect(bogus.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('keeps the milliseconds of a timestamp, stored and read back exactly', async () => {
    const m = await registerMember(t.client);
    await record(m.accessToken, '/ms', '2026-04-05T06:07:08.789Z');
    const response = await t.client.request(HISTORY, { first: 1 }, { token: m.accessToken });
    expect(response.data!.me.browsingHistory.edges[0].node.occurredAt).toBe('2026-04-05T06:07:08.789Z');
    const row = await t.dataSource.getRepository(BrowsingEventEntity).findOneByOrFail({ memberId: m.member.id });
    expect(row.occurredAt.toISOString()).toBe('2026-04-05T06:07:08.789Z');
    // Set by the gateway's clock: what placeOrder answered from memory is what the database gives back.
    const placed = await t.client.request(
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { placedAt } }`,
      { input: orderInput() },
      { token: m.accessToken },
    );
    const orders = await t.client.request(`{ me { orders(first: 1) { edges { node { placedAt } } } } }`, {}, { token: m.accessToken });
    expect(orders.data!.me.orders.edges[0].node.placedAt).toBe(placed.data!.placeOrder.placedAt);
    if (t.database.kind === 'mariadb') {
      const columns: Array<{ name: string; digits: number }> = await t.dataSource.query(
        `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS name, DATETIME_PRECISION AS digits FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE = 'datetime'`,
      );
      expect(columns.length).toBeGreaterThan(20);
      expect(columns.filter((column) => Number(column.digits) !== 3).map((column) => column.name)).toEqual([]);
    }
  });

  it('gives orders and browsing events random public ids, and takes only those back', async () => {
    const m = await registerMember(t.client);
    const [first, second] = await placeOrders(t.client, m.accessToken, 2);
    await record(m.accessToken, '/a', '2026-05-01T00:00:00.000Z');
    await record(m.accessToken, '/b', '2026-05-01T00:00:01.000Z');
    const history = await t.client.request(HISTORY, { first: 10 }, { token: m.accessToken });
    const events: string[] = history.data!.me.browsingHistory.edges.map((edge: { node: { id: string } }) => edge.node.id);
    for (const ids of [[first!, second!], events]) {
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(ids[0]).not.toBe(ids[1]);
      // Not adjacent in any reading: no common prefix beyond chance.
      expect(ids[0]!.slice(0, 8)).not.toBe(ids[1]!.slice(0, 8));
    }

    const rows = await t.dataSource.getRepository(OrderEntity).find({ where: { memberId: m.member.id }, order: { id: 'ASC' } });
    const internal = rows.map((row) => String(row.id));
    expect(rows.map((row) => row.publicId)).toEqual([first, second]);
    const support = await idp.sign({ roles: ['SUPPORT'] });
    expect((await t.client.request(SHIP, { id: internal[0] }, { token: support })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await t.client.request(SHIP, { id: first!.toUpperCase() }, { token: support })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await t.client.request(HIDE, { ids: [internal[1]] }, { token: m.accessToken })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await t.client.request(HIDE, { ids: [second, internal[0]] }, { token: m.accessToken })).errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const shipped = await t.client.request(SHIP, { id: first }, { token: support });
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.shipOrder).toEqual({ id: first, status: 'SHIPPED' });
    const hidden = await t.client.request(HIDE, { ids: [second] }, { token: m.accessToken });
    expect(hidden.data!.hideOrders).toBe(1);
    const left = await t.client.request(`{ me { orders { edges { cursor node { id } } } } }`, {}, { token: m.accessToken });
    expect(left.data!.me.orders.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([first]);
    expect(Buffer.from(left.data!.me.orders.edges[0].cursor, 'base64url').toString('utf8').split(':')).not.toContain(internal[0]);
  });
});
