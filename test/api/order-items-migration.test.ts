import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { FieldCipher, KeyWrapper, MasterKeys } from '../../src/crypto';
import { createDataSource } from '../../src/db/data-source';
import { provideMigrationKeys } from '../../src/db/migration-keys';
import { SealOrderItems1764892800000 } from '../../src/db/migrations/1764892800000-seal-order-items';
import { migrationsThrough } from '../support/migrations-through';
import { MemberKeyEntity } from '../../src/members/member-key.entity';
import { MemberEntity } from '../../src/members/member.entity';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LINE = { productId: 'sku-old-1', name: 'Bamboo steamer', spec: '26 cm', quantity: 3, unitPriceMinor: 4500 };

describe('the order-item sealing migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const secret = randomBytes(32);
  const wrapper = new KeyWrapper(new MasterKeys(secret));

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = database.url;
    dataSource = migrationsThrough(
      await createDataSource(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'mysql', url, poolSize: 2 }),
      SealOrderItems1764892800000,
    );
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' }); // back to plaintext order lines
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** A member (with a key unless cancelled) and one order of theirs with one plaintext line. */
  async function memberWithOrder(options: { keyed: boolean; consignee: string }): Promise<{ memberId: string; orderId: number; cipher: FieldCipher }> {
    const memberId = randomUUID();
    const { key, wrapped, kekId } = wrapper.create(memberId);
    const cipher = new FieldCipher(memberId, key);
    const now = new Date();
    await dataSource.getRepository(MemberEntity).insert({
      id: memberId,
      memberNameIndex: randomUUID(),
      memberNameSealed: 'x',
      phoneIndex: randomUUID(),
      phoneSealed: 'x',
      contactNameSealed: 'x',
      contactAddressSealed: null,
      birthDateSealed: null,
      passwordHash: 'x',
      status: options.keyed ? 'ACTIVE' : 'CANCELLED',
      tokensValidAfter: null,
      legalHoldReason: null,
      erasurePendingRequest: null,
      createdAt: now,
      updatedAt: now,
    });
    if (options.keyed) await dataSource.getRepository(MemberKeyEntity).insert({ memberId, wrappedKey: wrapped, kekId, createdAt: now });
    // In SQL, not through the entity: it has columns later migrations add.
    const number = `O${randomBytes(6).toString('hex')}`;
    await dataSource.query(
      `INSERT INTO purchase_order (number, member_id, status, total_minor, currency, consignee_name, delivery_address, consignee_phone, payment_method, placed_at)
       VALUES (?, ?, 'PLACED', 13500, 'CNY', ?, 'x', 'x', 'ALIPAY', '2026-01-01 10:00:00')`,
      [number, memberId, cipher.seal('order_consignee_name', options.consignee)],
    );
    const orderId = Number(((await dataSource.query('SELECT id FROM purchase_order WHERE number = ?', [number])) as Array<{ id: number }>)[0]!.id);
    await dataSource.query('INSERT INTO order_item (order_id, product_id, name, spec, quantity, unit_price_minor) VALUES (?, ?, ?, ?, ?, ?)', [
      orderId,
      LINE.productId,
      LINE.name,
      LINE.spec,
      LINE.quantity,
      LINE.unitPriceMinor,
    ]);
    return { memberId, orderId, cipher };
  }

  it('refuses to run over plaintext lines without the master key, seals them with it, deletes the lines of erased members, and reverts to plaintext', async () => {
    const live = await memberWithOrder({ keyed: true, consignee: 'Li Lei' });
    const cancelled = await memberWithOrder({ keyed: false, consignee: 'Han Meimei' });
    const deleted = await memberWithOrder({ keyed: true, consignee: '[erased]' });

    await expect(dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(/master key/);
    expect((await dataSource.query('SELECT name FROM order_item ORDER BY id')).map((row: { name: string }) => row.name)).toEqual([
      LINE.name,
      LINE.name,
      LINE.name,
    ]);

    provideMigrationKeys(dataSource, secret);
    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(1);
    const rows: Array<{ order_id: number; content: string }> = await dataSource.query('SELECT * FROM order_item');
    expect(rows.map((row) => Number(row.order_id))).toEqual([live.orderId]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['content', 'id', 'order_id']);
    expect(rows[0]!.content).not.toContain(LINE.name);
    expect(JSON.parse(live.cipher.open(`order_item:${live.orderId}`, rows[0]!.content))).toEqual(LINE);
    expect([cancelled.orderId, deleted.orderId]).not.toContain(Number(rows[0]!.order_id));

    await dataSource.undoLastMigration({ transaction: 'each' });
    const reverted = await dataSource.query('SELECT order_id, product_id, name, spec, quantity, unit_price_minor FROM order_item');
    expect(
      reverted.map((row: Record<string, unknown>) => ({
        ...row,
        order_id: Number(row.order_id),
        quantity: Number(row.quantity),
        unit_price_minor: Number(row.unit_price_minor),
      })),
    ).toEqual([
      { order_id: live.orderId, product_id: LINE.productId, name: LINE.name, spec: LINE.spec, quantity: LINE.quantity, unit_price_minor: LINE.unitPriceMinor },
    ]);
  });
});
