import { randomBytes } from 'node:crypto';
import { OrderItemEntity } from '../../src/orders/order-item.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { registerMember } from '../support/members';
import { findInStorage } from '../support/raw-scan';
import { orderInput } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id items { productId name spec quantity unitPrice } } }`;
const CANCEL = `mutation($password: String!) { cancelAccount(password: $password) }`;
const MY_ORDERS = `{ me { orders { edges { node { id total currency placedAt consignee items { name spec } } } } } }`;
const REQUEST = `mutation($input: PrivacyRequestInput!) { requestPrivacy(input: $input) { id } }`;
const RESOLVE = `mutation($id: ID!) { resolvePrivacyRequest(id: $id, outcome: COMPLETED) { status } }`;

/** An order line no other test uses, so finding its text anywhere means it leaked. */
function uniqueItem() {
  const tag = randomBytes(8).toString('hex');
  return { productId: `sku-${tag}`, name: `Paper lantern ${tag}`, spec: `Indigo ${tag}`, quantity: 2, unitPrice: 12345 };
}

describe('order items at rest', () => {
  const { t, idp } = useGateway({ staff: true });

  it('stores what was bought only sealed, and leaves nothing recoverable of it after cancelAccount while amounts and dates stay', async () => {
    const m = await registerMember(t.client);
    const item = uniqueItem();
    const placed = await t.client.request(PLACE, { input: orderInput({ items: [item] }) }, { token: m.accessToken });
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.placeOrder.items).toEqual([item]);
    const { id: orderId } = await t.dataSource.getRepository(OrderEntity).findOneByOrFail({ publicId: placed.data!.placeOrder.id });
    const secrets = [item.name, item.spec, item.productId];

    expect(await findInStorage(t, secrets)).toEqual([]);
    if (t.database.kind === 'sqlite') {
      await t.dataSource.query('PRAGMA wal_checkpoint(PASSIVE)');
      expect(await findInStorage(t, secrets)).toEqual([]);
    }
    // The member still reads the line back: sealed, not lost.
    const mine = await t.client.request(MY_ORDERS, {}, { token: m.accessToken });
    expect(mine.data!.me.orders.edges[0].node.items).toEqual([{ name: item.name, spec: item.spec }]);

    // The scan does find what is stored: the member's wrapped data key, in its row (and on SQLite in the file or WAL).
    const [{ wrapped_key: wrappedKey }] = await t.dataSource.query(`SELECT wrapped_key FROM member_key WHERE member_id = '${m.member.id}'`);
    const before = await findInStorage(t, [wrappedKey]);
    expect(before).toContain(`row:member_key:${wrappedKey}`);
    if (t.database.kind === 'sqlite') expect(before.some((hit) => hit.startsWith('file:'))).toBe(true);

    expect((await t.client.request(CANCEL, { password: m.input.password }, { token: m.accessToken })).data!.cancelAccount).toBe(true);

    // Neither the line nor the key that sealed the order is left in any row, in the SQLite file or its WAL.
    expect(await findInStorage(t, [...secrets, wrappedKey])).toEqual([]);
    expect(await t.dataSource.getRepository(OrderItemEntity).countBy({ orderId })).toBe(0);
    const kept = await t.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
    expect({ total: kept.totalMinor, currency: kept.currency, placed: kept.placedAt instanceof Date }).toEqual({
      total: 2 * 12345,
      currency: 'CNY',
      placed: true,
    });
    expect([kept.cardNumberSealed, kept.paymentAccountNameSealed, kept.trackingNumber]).toEqual([null, null, null]);
  });

  it('keeps a deleted member only amounts, currency and dates of their orders, nothing of what they bought', async () => {
    const m = await registerMember(t.client);
    const item = uniqueItem();
    expect((await t.client.request(PLACE, { input: orderInput({ items: [item] }) }, { token: m.accessToken })).errors).toBeUndefined();
    const request = (await t.client.request(REQUEST, { input: { type: 'DELETION' } }, { token: m.accessToken })).data!.requestPrivacy;

    const done = await t.client.request(RESOLVE, { id: request.id }, { token: await idp.sign({ roles: ['PRIVACY_OFFICER'] }) });
    expect(done.data!.resolvePrivacyRequest.status).toBe('COMPLETED');

    const order = (await t.client.request(MY_ORDERS, {}, { token: m.accessToken })).data!.me.orders.edges[0].node;
    expect(order).toEqual({ id: expect.any(String), total: 2 * 12345, currency: 'CNY', placedAt: expect.any(String), consignee: '[erased]', items: [] });
    expect(await findInStorage(t, [item.name, item.spec, item.productId])).toEqual([]);
  });
});
