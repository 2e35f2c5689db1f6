import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const INDEXES: Array<[table: string, index: TableIndex]> = [
  // Retention deletes by age, in batches: each needs its age column indexed.
  ['browsing_event', new TableIndex({ name: 'ix_browsing_event_occurred', columnNames: ['occurred_at'] })],
  ['device', new TableIndex({ name: 'ix_device_last_seen', columnNames: ['last_seen_at'] })],
  ['purchase_order', new TableIndex({ name: 'ix_purchase_order_hidden', columnNames: ['hidden_at'] })],
  ['automated_decision', new TableIndex({ name: 'ix_automated_decision_decided', columnNames: ['decided_at'] })],
  ['audit_event', new TableIndex({ name: 'ix_audit_event_occurred', columnNames: ['occurred_at'] })],
  // Consent checks read only the latest decision per purpose.
  ['consent_event', new TableIndex({ name: 'ix_consent_event_member_purpose', columnNames: ['member_id', 'purpose', 'seq'] })],
];

/** Indexes for batched retention and current-consent reads; what an erasure notice names for its recipient. */
export class BoundedWork1765065600000 implements MigrationInterface {
  name = 'BoundedWork1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of INDEXES) await queryRunner.createIndex(table, index);
    await queryRunner.addColumn('erasure_notice', new TableColumn({ name: 'subjects', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('erasure_notice', 'subjects');
    for (const [table, index] of [...INDEXES].reverse()) await queryRunner.dropIndex(table, index.name!);
  }
}
