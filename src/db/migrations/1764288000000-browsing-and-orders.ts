import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const uuid = (name: string, isPrimary = false) => ({ name, type: 'varchar', length: '36', isPrimary });
const serial = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', isNullable });
const sealed = (name: string, isNullable = false) => ({ name, type: 'text', isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
const index = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

/** Devices, browsing events, automated decisions, orders with items, and disclosures. */
export class BrowsingAndOrders1764288000000 implements MigrationInterface {
  name = 'BrowsingAndOrders1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'device',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          text('identifier_index', 64),
          sealed('identifier'),
          sealed('model', true),
          sealed('os_version', true),
          sealed('ip_address', true),
          sealed('location', true),
          at('last_seen_at'),
        ],
        indices: [index('uq_device_member_identifier', ['member_id', 'identifier_index'], true), index('ix_device_member_seen', ['member_id', 'last_seen_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'browsing_event',
        columns: [
          serial,
          uuid('member_id'),
          text('kind', 16),
          sealed('subject', true),
          text('product_id', 64, true),
          { ...uuid('device_id'), isNullable: true },
          at('occurred_at'),
        ],
        indices: [
          index('ix_browsing_event_member', ['member_id', 'id']),
          index('ix_browsing_event_member_kind', ['member_id', 'kind', 'id']),
          index('ix_browsing_event_product', ['product_id']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'automated_decision',
        columns: [uuid('id', true), uuid('member_id'), text('kind', 32), sealed('detail'), at('decided_at')],
        indices: [index('ix_automated_decision_member', ['member_id', 'decided_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'purchase_order',
        columns: [
          serial,
          text('number', 32),
          uuid('member_id'),
          text('status', 16),
          { name: 'total_minor', type: 'integer' },
          text('currency', 3),
          sealed('consignee_name'),
          sealed('delivery_address'),
          sealed('consignee_phone'),
          text('payment_method', 16),
          sealed('payment_account_name', true),
          sealed('card_number', true),
          at('placed_at'),
          at('hidden_at', true),
          text('partner_id', 64, true),
          text('tracking_number', 64, true),
          at('shipped_at', true),
        ],
        indices: [
          index('ix_purchase_order_member', ['member_id', 'id']),
          index('ix_purchase_order_partner', ['partner_id', 'id']),
          index('uq_purchase_order_number', ['number'], true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_item',
        columns: [
          serial,
          { name: 'order_id', type: 'integer' },
          text('product_id', 64),
          text('name', 200),
          text('spec', 200, true),
          { name: 'quantity', type: 'integer' },
          { name: 'unit_price_minor', type: 'integer' },
        ],
        indices: [index('ix_order_item_order', ['order_id', 'id'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disclosure',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          text('recipient', 100),
          text('categories', 200),
          text('purpose', 100),
          text('legal_basis', 32),
          { name: 'order_id', type: 'integer', isNullable: true },
          at('disclosed_at'),
        ],
        indices: [index('ix_disclosure_member', ['member_id', 'disclosed_at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['disclosure', 'order_item', 'purchase_order', 'automated_decision', 'browsing_event', 'device']) await queryRunner.dropTable(table);
  }
}
