import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { FieldCipher, KeyWrapper, MasterKeys } from '../../crypto';
import { migrationKeys } from '../migration-keys';

const PLAIN = ['product_id', 'name', 'spec', 'quantity', 'unit_price_minor'] as const;
const ERASED = '[erased]';

interface ItemRow {
  id: number;
  order_id: number;
  member_id: string;
  wrapped_key: string | null;
  consignee_name: string;
}

/**
 * Order lines become transaction data: product, name, spec, quantity and unit price move into one
 * column sealed under the member's key and bound to the order. Lines of members whose key is gone
 * (cancelled accounts) or whose orders were already anonymised (completed deletions) are deleted:
 * what they bought must not outlive the erasure. Existing rows need the master key (run through the
 * gateway or ormconfig, which provide it); an empty table does not.
 */
export class SealOrderItems1764892800000 implements MigrationInterface {
  name = 'SealOrderItems1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows: Array<ItemRow & Record<(typeof PLAIN)[number], unknown>> = await queryRunner.query(
      'SELECT i.id, i.order_id, o.member_id, k.wrapped_key, o.consignee_name, i.product_id, i.name, i.spec, i.quantity, i.unit_price_minor ' +
        'FROM order_item i JOIN purchase_order o ON o.id = i.order_id LEFT JOIN member_key k ON k.member_id = o.member_id',
    );
    // Before any DDL: MariaDB commits DDL at once, so a refusal must leave the table untouched.
    const ciphers = cipherSource(queryRunner, rows.length);
    if (!(await queryRunner.hasColumn('order_item', 'content')))
      await queryRunner.addColumn('order_item', new TableColumn({ name: 'content', type: 'text', isNullable: true }));
    for (const row of rows) {
      const cipher = row.wrapped_key ? ciphers(row.member_id, row.wrapped_key) : null;
      if (!cipher || cipher.open('order_consignee_name', row.consignee_name) === ERASED) {
        await queryRunner.query('DELETE FROM order_item WHERE id = ?', [row.id]);
        continue;
      }
      const content = {
        productId: row.product_id,
        name: row.name,
        spec: row.spec ?? null,
        quantity: Number(row.quantity),
        unitPriceMinor: Number(row.unit_price_minor),
      };
      await queryRunner.query('UPDATE order_item SET content = ? WHERE id = ?', [cipher.seal(`order_item:${row.order_id}`, JSON.stringify(content)), row.id]);
    }
    await queryRunner.dropColumns('order_item', [...PLAIN]);
    await queryRunner.changeColumn('order_item', 'content', new TableColumn({ name: 'content', type: 'text' }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('order_item', [
      new TableColumn({ name: 'product_id', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'name', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'spec', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'quantity', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'unit_price_minor', type: 'integer', isNullable: true }),
    ]);
    const rows: Array<ItemRow & { content: string }> = await queryRunner.query(
      'SELECT i.id, i.order_id, o.member_id, k.wrapped_key, i.content FROM order_item i JOIN purchase_order o ON o.id = i.order_id LEFT JOIN member_key k ON k.member_id = o.member_id',
    );
    const ciphers = cipherSource(queryRunner, rows.length);
    for (const row of rows) {
      if (!row.wrapped_key) {
        await queryRunner.query('DELETE FROM order_item WHERE id = ?', [row.id]);
        continue;
      }
      const item = JSON.parse(ciphers(row.member_id, row.wrapped_key).open(`order_item:${row.order_id}`, row.content)) as Record<string, unknown>;
      await queryRunner.query('UPDATE order_item SET product_id = ?, name = ?, spec = ?, quantity = ?, unit_price_minor = ? WHERE id = ?', [
        item.productId,
        item.name,
        item.spec,
        item.quantity,
        item.unitPriceMinor,
        row.id,
      ]);
    }
    await queryRunner.dropColumn('order_item', 'content');
    for (const [name, type, length] of [
      ['product_id', 'varchar', '64'],
      ['name', 'varchar', '200'],
      ['quantity', 'integer', ''],
      ['unit_price_minor', 'integer', ''],
    ] as const) {
      await queryRunner.changeColumn('order_item', name, new TableColumn({ name, type, length }));
    }
  }
}

/** Members' field ciphers from the lent master secret; refuses when rows exist and no key was lent. */
function cipherSource(queryRunner: QueryRunner, rowCount: number): (memberId: string, wrappedKey: string) => FieldCipher {
  const secret = migrationKeys(queryRunner.connection);
  if (!secret && rowCount > 0)
    throw new Error('sealing existing order items needs the master key: run migrations through the gateway or `npm run migration:run`');
  const wrapper = secret ? new KeyWrapper(new MasterKeys(secret)) : null;
  const cache = new Map<string, FieldCipher>();
  return (memberId, wrappedKey) => {
    let cipher = cache.get(memberId);
    if (!cipher) cache.set(memberId, (cipher = new FieldCipher(memberId, wrapper!.unwrap(memberId, wrappedKey))));
    return cipher;
  };
}
