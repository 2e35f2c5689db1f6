import { In } from 'typeorm';
import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { DisclosureEntity } from './disclosure.entity';
import { openItem } from './order-item-content';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

const ERASED = '[erased]';
const ACCOUNTING = 'retain: accounting record kept for legal retention; names no person';

/**
 * Orders in the export and at erasure. Orders are kept for legal retention, reduced to amounts,
 * currency and dates: what was bought is deleted, who and where is overwritten; disclosures stay
 * (they are how recipients are found and told).
 */
export const orderMemberData: MemberDataHook = {
  feature: 'orders',
  tables: [
    {
      table: 'purchase_order',
      owner: 'member_id',
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: 'retain: keys the retained order' },
        public_id: {
          export: "none: a random handle for the API; the order's number identifies it in the export",
          erasure: 'retain: keys the retained order for the API; random, names no person',
        },
        number: { export: 'orders', erasure: 'retain: the invoice reference; the payment provider and carrier already hold it' },
        member_id: { export: NOT_EXPORTED.owner, erasure: 'retain: pseudonymous once the key is destroyed; the member row keeps nothing readable' },
        status: { export: 'orders', erasure: ACCOUNTING },
        total_minor: { export: 'orders', erasure: ACCOUNTING },
        currency: { export: 'orders', erasure: ACCOUNTING },
        consignee_name: { export: 'orders', erasure: 'clear' },
        delivery_address: { export: 'orders', erasure: 'clear' },
        consignee_phone: { export: 'orders', erasure: 'clear' },
        payment_method: { export: 'orders', erasure: ACCOUNTING },
        payment_account_name: { export: 'orders', erasure: 'clear' },
        card_number: { export: 'orders', erasure: 'clear' },
        placed_at: { export: 'orders', erasure: ACCOUNTING },
        hidden_at: { export: 'orders', erasure: ACCOUNTING },
        partner_id: { export: 'orders', erasure: 'retain: which carrier delivered; names no person' },
        tracking_number: { export: 'orders', erasure: 'clear' },
        shipped_at: { export: 'orders', erasure: ACCOUNTING },
      },
    },
    {
      table: 'order_item',
      parent: { table: 'purchase_order', column: 'order_id' },
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: 'delete' },
        order_id: { export: 'none: the order it is listed under', erasure: 'delete' },
        content: { export: 'orders', erasure: 'delete' },
      },
    },
    {
      table: 'disclosure',
      owner: 'member_id',
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: 'retain: record of a disclosure (who got what, why)' },
        member_id: { export: NOT_EXPORTED.owner, erasure: 'retain: record of a disclosure (who got what, why)' },
        recipient: { export: 'disclosures', erasure: 'retain: recipients are told of the erasure and the record proves it' },
        categories: { export: 'disclosures', erasure: 'retain: record of a disclosure (who got what, why)' },
        purpose: { export: 'disclosures', erasure: 'retain: record of a disclosure (who got what, why)' },
        legal_basis: { export: 'disclosures', erasure: 'retain: record of a disclosure (who got what, why)' },
        order_id: { export: 'none: the order is exported itself', erasure: 'retain: record of a disclosure (who got what, why)' },
        disclosed_at: { export: 'disclosures', erasure: 'retain: record of a disclosure (who got what, why)' },
      },
    },
  ],

  async exportSections(manager, memberId, cipher, page) {
    const [orders, disclosures] = await Promise.all([
      // An order carries up to 50 items: a twentieth of the rows per window.
      page('orders', (w) => manager.find(OrderEntity, { where: { memberId }, order: { id: 'ASC' }, ...w }), 20),
      page('disclosures', (w) => manager.find(DisclosureEntity, { where: { memberId }, order: { disclosedAt: 'ASC', id: 'ASC' }, ...w })),
    ]);
    const items =
      orders.length === 0 ? [] : await manager.find(OrderItemEntity, { where: { orderId: In(orders.map((order) => order.id)) }, order: { id: 'ASC' } });
    const open = (column: string, sealed: string | null) => cipher.open(column, sealed);
    return {
      orders: orders.map((o) => ({
        number: o.number,
        status: o.status,
        placedAt: o.placedAt,
        total: o.totalMinor,
        currency: o.currency,
        consignee: open('order_consignee_name', o.consigneeNameSealed),
        deliveryAddress: open('order_delivery_address', o.deliveryAddressSealed),
        consigneePhone: open('order_consignee_phone', o.consigneePhoneSealed),
        payment: {
          method: o.paymentMethod,
          accountName: open('order_payment_account_name', o.paymentAccountNameSealed),
          cardNumber: open('order_card_number', o.cardNumberSealed),
        },
        hiddenFromView: o.hiddenAt !== null,
        shipment: o.partnerId ? { carrier: o.partnerId, trackingNumber: o.trackingNumber, shippedAt: o.shippedAt } : null,
        items: items
          .filter((item) => item.orderId === o.id)
          .map((item) => openItem(cipher, item.orderId, item.contentSealed))
          .map((item) => ({ productId: item.productId, name: item.name, spec: item.spec, quantity: item.quantity, unitPrice: item.unitPriceMinor })),
      })),
      disclosures: disclosures.map((d) => ({
        recipient: d.recipient,
        categories: d.categories.split(','),
        purpose: d.purpose,
        legalBasis: d.legalBasis,
        disclosedAt: d.disclosedAt,
      })),
    };
  },

  // Read before the orders are wiped: a notice names what its recipient knows the data by, the
  // tracking number only to the carrier that was given it.
  async recipients(manager, memberId) {
    const disclosed = await manager
      .createQueryBuilder(DisclosureEntity, 'disclosure')
      .leftJoin(OrderEntity, 'o', 'o.id = disclosure.orderId')
      .select('disclosure.recipient', 'recipient')
      .addSelect('o.number', 'orderNumber')
      .addSelect('o.trackingNumber', 'trackingNumber')
      .addSelect('o.partnerId', 'carrier')
      .where('disclosure.memberId = :memberId', { memberId })
      .orderBy('disclosure.disclosedAt', 'ASC')
      .getRawMany<{ recipient: string; orderNumber: string | null; trackingNumber: string | null; carrier: string | null }>();
    const subjects = new Map<string, Array<{ orderNumber: string; trackingNumber?: string }>>();
    for (const { recipient, orderNumber, trackingNumber, carrier } of disclosed) {
      const list = subjects.get(recipient) ?? [];
      if (orderNumber && !list.some((known) => known.orderNumber === orderNumber))
        list.push({ orderNumber, ...(trackingNumber && carrier === recipient ? { trackingNumber } : {}) });
      subjects.set(recipient, list);
    }
    return [...subjects].map(([recipient, orders]) => ({ recipient, subjects: { orders } }));
  },

  async erase(manager, memberId, { cipher }) {
    const orders = await manager.find(OrderEntity, { select: { id: true }, where: { memberId } });
    if (orders.length === 0) return;
    await manager.delete(OrderItemEntity, { orderId: In(orders.map((order) => order.id)) });
    await manager.update(
      OrderEntity,
      { memberId },
      {
        consigneeNameSealed: cipher.seal('order_consignee_name', ERASED),
        deliveryAddressSealed: cipher.seal('order_delivery_address', ERASED),
        consigneePhoneSealed: cipher.seal('order_consignee_phone', ERASED),
        paymentAccountNameSealed: null,
        cardNumberSealed: null,
        trackingNumber: null,
      },
    );
  },
};
