import { randomUUID } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Every timestamp column at the time of this migration. */
const TIMESTAMPS: Array<[string, string[]]> = [
  ['real_name_history', ['verified_at', 'replaced_at']],
  ['verification', ['opened_at', 'decided_at']],
  ['real_name_identity', ['verified_at', 'updated_at']],
  ['refresh_token', ['created_at', 'rotated_at']],
  ['auth_session', ['auth_time', 'created_at', 'expires_at', 'revoked_at']],
  ['purchase_order', ['placed_at', 'hidden_at', 'shipped_at']],
  ['disclosure', ['disclosed_at']],
  ['audit_event', ['occurred_at']],
  ['browsing_event', ['occurred_at']],
  ['device', ['last_seen_at']],
  ['automated_decision', ['decided_at']],
  ['member_key', ['created_at']],
  ['member', ['tokens_valid_after', 'created_at', 'updated_at']],
  ['consent_event', ['created_at']],
  ['privacy_request', ['received_at', 'due_at', 'resolved_at']],
  ['policy_acceptance', ['accepted_at']],
  ['notification', ['created_at']],
  ['erasure_notice', ['created_at']],
  ['incident', ['occurred_at', 'recorded_at', 'regulator_deadline']],
  ['privacy_policy', ['published_at']],
  ['biometric_enrollment', ['enrolled_at']],
];

const PUBLIC_IDS = [
  ['purchase_order', 'uq_purchase_order_public_id'],
  ['browsing_event', 'uq_browsing_event_public_id'],
] as const;

/**
 * Data shape for clients: timestamps keep milliseconds on MariaDB too (`datetime(3)`; SQLite
 * already stored them, as text), orders and browsing events get a random public id (backfilled
 * here) so ids leaving the gateway are not sequential, and browsing history is indexed by time.
 */
export class DataShape1765411200000 implements MigrationInterface {
  name = 'DataShape1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of PUBLIC_IDS) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'public_id', type: 'varchar', length: '36', isNullable: true }));
      const rows: Array<{ id: number }> = await queryRunner.query(`SELECT id FROM ${table} WHERE public_id IS NULL`);
      for (const row of rows) await queryRunner.query(`UPDATE ${table} SET public_id = ? WHERE id = ?`, [randomUUID(), row.id]);
      await queryRunner.changeColumn(table, 'public_id', new TableColumn({ name: 'public_id', type: 'varchar', length: '36' }));
      await queryRunner.createIndex(table, new TableIndex({ name: index, columnNames: ['public_id'], isUnique: true }));
    }
    await this.setPrecision(queryRunner, 3);
    await queryRunner.dropIndex('browsing_event', 'ix_browsing_event_member');
    await queryRunner.dropIndex('browsing_event', 'ix_browsing_event_member_kind');
    await queryRunner.createIndices('browsing_event', [
      new TableIndex({ name: 'ix_browsing_event_member_time', columnNames: ['member_id', 'occurred_at', 'public_id'] }),
      new TableIndex({ name: 'ix_browsing_event_member_kind_time', columnNames: ['member_id', 'kind', 'occurred_at', 'public_id'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('browsing_event', 'ix_browsing_event_member_kind_time');
    await queryRunner.dropIndex('browsing_event', 'ix_browsing_event_member_time');
    await queryRunner.createIndices('browsing_event', [
      new TableIndex({ name: 'ix_browsing_event_member', columnNames: ['member_id', 'id'] }),
      new TableIndex({ name: 'ix_browsing_event_member_kind', columnNames: ['member_id', 'kind', 'id'] }),
    ]);
    await this.setPrecision(queryRunner, undefined);
    for (const [table, index] of PUBLIC_IDS) {
      await queryRunner.dropIndex(table, index);
      await queryRunner.dropColumn(table, 'public_id');
    }
  }

  /** One change per table: SQLite rebuilds the table for it, MariaDB alters the columns in place. */
  private async setPrecision(queryRunner: QueryRunner, precision: number | undefined): Promise<void> {
    for (const [name, columns] of TIMESTAMPS) {
      const table = (await queryRunner.getTable(name))!;
      const changes = columns.map((column) => {
        const oldColumn = table.findColumnByName(column)!;
        const newColumn = oldColumn.clone();
        newColumn.precision = precision;
        return { oldColumn, newColumn };
      });
      await queryRunner.changeColumns(table, changes);
    }
  }
}
