import { randomBytes, randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In, IsNull, LessThan } from 'typeorm';
import type { MemberViewer } from '../auth/viewer';
import type { FieldCipher } from '../crypto';
import { isPublicId, newPublicId } from '../common/public-id';
import { badUserInput, conflict, notFound } from '../errors';
import type { MemberVault } from '../members/member-vault.service';
import { normalisePhone } from '../members/phone';
import { DataCategory } from '../policy/data-category';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { keysetPage } from '../common/keyset-page';
import { EntityRows, placeholders, sqlLimit } from '../db/entity-rows';
import { withLazyFields } from '../common/lazy-fields';
import type { ListPageArgs } from '../common/list-page.args';
import { DisclosureEntity } from './disclosure.entity';
import { openItem, type OrderItemContent, sealItem } from './order-item-content';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { CARRIER, type PlaceOrderInput } from './order.input';
import type { Disclosure, Order, OrderItem, Shipment } from './order.types';
import { PaymentMethod } from './order.types';

/**
 * Orders. Placing one records the disclosure to the payment provider in the same transaction;
 * shipping one assigns it to a logistics partner and records that disclosure too. Members can
 * hide orders from their view; the rows stay for legal retention.
 */
export class OrderService {
  private readonly orderRows: EntityRows<OrderEntity>;
  private readonly itemRows: EntityRows<OrderItemEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
  ) {
    this.orderRows = new EntityRows(dataSource, OrderEntity);
    this.itemRows = new EntityRows(dataSource, OrderItemEntity);
  }

  /** `beforeCommit` runs last inside the transaction (the resolver writes the audit records there). */
  async place(
    viewer: MemberViewer,
    input: PlaceOrderInput,
    beforeCommit: (manager: EntityManager, order: Owned<Order>) => Promise<void> = async () => undefined,
  ): Promise<Owned<Order>> {
    const { payment } = input;
    if (payment.method === PaymentMethod.CARD && !payment.cardNumber) throw badUserInput('payment.cardNumber', 'payment.cardNumber is required for CARD');
    if (payment.method !== PaymentMethod.CARD && payment.cardNumber) throw badUserInput('payment.cardNumber', 'payment.cardNumber is only for CARD');
    if (payment.method !== PaymentMethod.CARD && !payment.accountName)
      throw badUserInput('payment.accountName', `payment.accountName is required for ${payment.method}`);
    const total = input.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    if (total > 2_000_000_000) throw badUserInput('items', 'the order total is too large');
    return this.dataSource.transaction(async (manager) => {
      const cipher = await this.vault.cipherFor(viewer.memberId, manager);
      const now = new Date();
      const row = manager.create(OrderEntity, {
        publicId: newPublicId(),
        number: `O${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(6).toString('hex').toUpperCase()}`,
        memberId: viewer.memberId,
        status: 'PLACED',
        totalMinor: total,
        currency: 'CNY',
        consigneeNameSealed: cipher.seal('order_consignee_name', input.consignee.trim()),
        deliveryAddressSealed: cipher.seal('order_delivery_address', input.deliveryAddress.trim()),
        consigneePhoneSealed: cipher.seal('order_consignee_phone', normalisePhone(input.consigneePhone)!),
        paymentMethod: payment.method,
        paymentAccountNameSealed: cipher.seal('order_payment_account_name', payment.accountName),
        cardNumberSealed: cipher.seal('order_card_number', payment.cardNumber?.replace(/[\s-]/g, '')),
        placedAt: now,
        hiddenAt: null,
        partnerId: null,
        trackingNumber: null,
        shippedAt: null,
      });
      await manager.insert(OrderEntity, row);
      await manager.insert(
        OrderItemEntity,
        input.items.map((item) => ({
          orderId: row.id,
          contentSealed: sealItem(cipher, row.id, {
            productId: item.productId,
            name: item.name,
            spec: item.spec ?? null,
            quantity: item.quantity,
            unitPriceMinor: item.unitPrice,
          }),
        })),
      );
      await this.disclose(
        manager,
        viewer.memberId,
        row.id,
        `payment:${payment.method.toLowerCase()}`,
        [DataCategory.FINANCIAL, DataCategory.TRANSACTION],
        'payment',
      );
      const order = this.view(row, cipher, { memberId: viewer.memberId });
      await beforeCommit(manager, order);
      return order;
    });
  }

  /** SUPPORT assigns the order to a carrier (a LOGISTICS_PARTNER id) and discloses what delivery needs. */
  async ship(
    orderId: string,
    carrier: string,
    trackingNumber: string,
    purpose: string,
    beforeCommit: (manager: EntityManager, order: Owned<Order>) => Promise<void> = async () => undefined,
  ): Promise<Owned<Order>> {
    if (!CARRIER.test(carrier)) throw badUserInput('carrier', 'carrier must be a partner id: 2-64 lower-case letters, digits or hyphens');
    if (!/^[A-Za-z0-9-]{4,64}$/.test(trackingNumber)) throw badUserInput('trackingNumber', 'trackingNumber must be 4-64 letters, digits or hyphens');
    if (!isPublicId(orderId)) throw notFound('No such order.');
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOneBy(OrderEntity, { publicId: orderId });
      if (!row) throw notFound('No such order.');
      const id = row.id;
      const shippedAt = new Date();
      const updated = await manager.update(OrderEntity, { id, status: 'PLACED' }, { status: 'SHIPPED', partnerId: carrier, trackingNumber, shippedAt });
      if (updated.affected !== 1) throw conflict('orderId', 'This order has already been shipped.');
      await this.disclose(manager, row.memberId, id, carrier, [DataCategory.TRANSACTION], 'delivery');
      const cipher = await this.vault.cipherFor(row.memberId, manager);
      const order = this.view({ ...row, status: 'SHIPPED', partnerId: carrier, trackingNumber, shippedAt }, cipher, { memberId: row.memberId, purpose });
      await beforeCommit(manager, order);
      return order;
    });
  }

  /** Newest first, hidden ones left out, keyset-paginated on the order id. */
  async page(
    owner: OwnerRef,
    cipher: FieldCipher,
    options: { first: number; before?: number; withItems?: boolean },
  ): Promise<{ orders: Owned<Order>[]; hasNextPage: boolean }> {
    // Hand-written SQL on the storefront's hot path (see EntityRows).
    const table = this.orderRows;
    const id = table.ref('o', 'id');
    const rows = await table.select(
      'o',
      `WHERE ${table.ref('o', 'memberId')} = ? AND ${table.ref('o', 'hiddenAt')} IS NULL${options.before !== undefined ? ` AND ${id} < ?` : ''}` +
        ` ORDER BY ${id} DESC ${sqlLimit(options.first + 1)}`,
      options.before !== undefined ? [owner.memberId, options.before] : [owner.memberId],
    );
    const page = rows.slice(0, options.first);
    // The lines of the whole page in one statement, when the operation selects them.
    const lines = options.withItems ? await this.itemsOf(page.map((row) => row.id)) : undefined;
    const orders = page.map((row, index) => {
      const view = this.view(row, cipher, owner);
      if (lines) view.lines = this.openItems(lines[index]!, cipher);
      return view;
    });
    return { orders, hasNextPage: rows.length > options.first };
  }

  /** Hides the member's orders from their view. Any id that is not theirs is NOT_FOUND, and nothing is hidden. */
  async hide(memberId: string, orderIds: string[]): Promise<number> {
    const publicIds = [...new Set(orderIds)];
    if (publicIds.length === 0) return 0;
    if (!publicIds.every(isPublicId)) throw notFound('No such order.');
    return this.dataSource.transaction(async (manager) => {
      const mine = await manager.find(OrderEntity, { select: { id: true }, where: { publicId: In(publicIds), memberId } });
      if (mine.length !== publicIds.length) throw notFound('No such order.');
      const ids = mine.map((row) => row.id);
      const result = await manager.update(OrderEntity, { id: In(ids), memberId, hiddenAt: IsNull() }, { hiddenAt: new Date() });
      return result.affected ?? 0;
    });
  }

  /** Where a page cursor's order sits in the list it came from (cursors carry public ids only). */
  async positionOf(publicId: string | undefined, scope: { memberId: string } | { partnerId: string }): Promise<number | undefined> {
    if (publicId === undefined) return undefined;
    const row = await this.dataSource.manager.findOne(OrderEntity, { select: { id: true }, where: { publicId, ...scope } });
    if (!row) throw badUserInput('after', 'after is not a cursor from this API');
    return row.id;
  }

  /** A partner's own shipments, newest first. */
  async shipments(
    partnerId: string,
    options: { first: number; before?: number },
    ciphersOf: (memberIds: string[]) => Promise<Array<FieldCipher | null | Error>>,
  ): Promise<{ shipments: Owned<Shipment>[]; hasNextPage: boolean }> {
    const rows = await this.dataSource.manager.find(OrderEntity, {
      where: { partnerId, ...(options.before !== undefined ? { id: LessThan(options.before) } : {}) },
      order: { id: 'DESC' },
      take: options.first + 1,
    });
    const page = rows.slice(0, options.first);
    // Every owner's key in one statement, however many shipments the page holds.
    const memberIds = [...new Set(page.map((row) => row.memberId))];
    const loaded = await ciphersOf(memberIds);
    const cipherOf = new Map(memberIds.map((id, index) => [id, loaded[index]]));
    const shipments: Owned<Shipment>[] = [];
    for (const row of page) {
      const cipher = cipherOf.get(row.memberId);
      if (!cipher || cipher instanceof Error) continue;
      shipments.push(
        owned(
          withLazyFields(
            { id: row.publicId, orderNumber: row.number, trackingNumber: row.trackingNumber },
            {
              consigneeName: () => cipher.open('order_consignee_name', row.consigneeNameSealed),
              deliveryAddress: () => cipher.open('order_delivery_address', row.deliveryAddressSealed),
              consigneePhone: () => cipher.open('order_consignee_phone', row.consigneePhoneSealed),
            },
          ),
          { memberId: row.memberId, partnerId: row.partnerId ?? undefined, purpose: 'delivery' },
        ),
      );
    }
    return { shipments, hasNextPage: rows.length > options.first };
  }

  /** For the per-request items loader: one query for any number of orders. */
  async itemsOf(orderIds: readonly number[]): Promise<OrderItemEntity[][]> {
    if (orderIds.length === 0) return [];
    const items = this.itemRows;
    const rows = await items.select('i', `WHERE ${items.ref('i', 'orderId')} IN (${placeholders(orderIds)}) ORDER BY ${items.ref('i', 'id')} ASC`, [
      ...orderIds,
    ]);
    const byOrder = new Map<number, OrderItemEntity[]>(orderIds.map((id) => [id, []]));
    for (const row of rows) byOrder.get(row.orderId)?.push(row);
    return orderIds.map((id) => byOrder.get(id)!);
  }

  /** Opens the sealed lines of one order with its owner's cipher. */
  openItems(rows: OrderItemEntity[], cipher: FieldCipher): OrderItemContent[] {
    return rows.map((row) => openItem(cipher, row.orderId, row.contentSealed));
  }

  itemView(row: OrderItemContent, owner: OwnerRef): Owned<OrderItem> {
    return owned({ productId: row.productId, name: row.name, spec: row.spec, quantity: row.quantity, unitPrice: row.unitPriceMinor }, owner);
  }

  /** Newest first, one page at a time. */
  async disclosuresOf(owner: OwnerRef, page: ListPageArgs = {}): Promise<Owned<Disclosure>[]> {
    const rows = await keysetPage(this.dataSource.manager, DisclosureEntity, {
      where: { memberId: owner.memberId },
      orderBy: 'disclosedAt',
      direction: 'DESC',
      page,
    });
    return rows.map((row) =>
      owned(
        {
          id: row.id,
          recipient: row.recipient,
          categories: row.categories.split(',') as DataCategory[],
          purpose: row.purpose,
          legalBasis: row.legalBasis,
          disclosedAt: row.disclosedAt,
        },
        owner,
      ),
    );
  }

  private async disclose(
    manager: EntityManager,
    memberId: string,
    orderId: number,
    recipient: string,
    categories: DataCategory[],
    purpose: string,
  ): Promise<void> {
    await manager.insert(DisclosureEntity, {
      id: randomUUID(),
      memberId,
      recipient,
      categories: categories.join(','),
      purpose,
      legalBasis: 'contract',
      orderId,
      disclosedAt: new Date(),
    });
  }

  /** Sealed columns are opened when a field is read (once the policy allowed it), not here. */
  private view(row: OrderEntity, cipher: FieldCipher, owner: OwnerRef): Owned<Order> {
    const payment = withLazyFields(
      { method: row.paymentMethod as PaymentMethod },
      {
        accountName: () => cipher.open('order_payment_account_name', row.paymentAccountNameSealed),
        cardNumber: () => cipher.open('order_card_number', row.cardNumberSealed),
      },
    );
    return owned(
      withLazyFields(
        {
          id: row.publicId,
          orderId: row.id,
          number: row.number,
          status: row.status,
          placedAt: row.placedAt,
          total: row.totalMinor,
          currency: row.currency,
          payment: owned(payment, owner),
          shipment: row.partnerId ? owned({ carrier: row.partnerId, trackingNumber: row.trackingNumber, shippedAt: row.shippedAt }, owner) : null,
        },
        {
          consignee: () => cipher.open('order_consignee_name', row.consigneeNameSealed),
          deliveryAddress: () => cipher.open('order_delivery_address', row.deliveryAddressSealed),
          consigneePhone: () => cipher.open('order_consignee_phone', row.consigneePhoneSealed),
        },
      ),
      owner,
    );
  }
}
