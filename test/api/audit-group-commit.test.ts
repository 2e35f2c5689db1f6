import { registerMember } from '../support/members';
import { placeOrders } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

const ORDERS = `{ me { orders(first: 3) { edges { node { number total consignee } } } } }`;
const PAGES = 30;

describe('audit writes of requests answered together', () => {
  let auditInserts = 0;
  const { t } = useGateway({ gateway: { onQuery: (sql) => (auditInserts += /^INSERT INTO \W?audit_event\W/.test(sql) ? 1 : 0) } });

  it('writes the reads of 30 order pages answered at once in fewer INSERTs than pages on MariaDB, and every page is in the trail', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 3);
    const before = auditInserts;
    const responses = await Promise.all(Array.from({ length: PAGES }, () => t.client.request(ORDERS, {}, { token: m.accessToken })));

    for (const response of responses) {
      expect(response.errors).toBeUndefined();
      expect(response.data!.me.orders.edges).toHaveLength(3);
    }
    expect(auditInserts - before).toBeGreaterThan(0);
    // better-sqlite3 runs a statement synchronously: no page can finish while one is being written.
    if (t.database.kind === 'mariadb') expect(auditInserts - before).toBeLessThan(PAGES);
    else expect(auditInserts - before).toBe(PAGES);
    const ids = responses.map((response) => response.headers.get('x-request-id')!);
    const rows: Array<{ request_id: string; field: string }> = await t.dataSource.query(
      `SELECT request_id, field FROM audit_event WHERE request_id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    // One record per page and field read, whichever statement carried it.
    for (const id of ids)
      expect(
        rows
          .filter((row) => row.request_id === id)
          .map((row) => row.field)
          .sort(),
      ).toEqual(['Order.consignee', 'Order.number', 'Order.total']);
  });

  it('withholds every page whose audit statement failed, and writes none of their reads', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 1);
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    let responses;
    try {
      responses = await Promise.all(Array.from({ length: 10 }, () => t.client.request(ORDERS, {}, { token: m.accessToken })));
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(response.data ?? null).toBeNull();
      expect(response.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    }
    const ids = responses.map((response) => response.headers.get('x-request-id')!);
    const [{ count }] = await t.dataSource.query(`SELECT COUNT(*) AS count FROM audit_event WHERE request_id IN (${ids.map(() => '?').join(', ')})`, ids);
    expect(Number(count)).toBe(0);

    // With the trail back, the same pages are answered and audited.
    const again = await Promise.all(Array.from({ length: 10 }, () => t.client.request(ORDERS, {}, { token: m.accessToken })));
    for (const response of again) expect(response.errors).toBeUndefined();
  });
});
