import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const uuid = (name: string, isPrimary = false) => ({ name, type: 'varchar', length: '36', isPrimary });
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', isNullable });

/** Members' privacy requests and the erasure-notice outbox. */
export class PrivacyRequests1764547200000 implements MigrationInterface {
  name = 'PrivacyRequests1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'privacy_request',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          { name: 'type', type: 'varchar', length: '24' },
          { name: 'details', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          at('received_at'),
          at('due_at'),
          at('resolved_at', true),
          { name: 'refusal_ground', type: 'varchar', length: '32', isNullable: true },
          { name: 'extension_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'handled_by', type: 'varchar', length: '128', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_privacy_request_status_due', columnNames: ['status', 'due_at'] }),
          new TableIndex({ name: 'ix_privacy_request_member', columnNames: ['member_id', 'received_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'erasure_notice',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          uuid('request_id'),
          { name: 'recipient', type: 'varchar', length: '100' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          at('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_erasure_notice_state', columnNames: ['state', 'created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('erasure_notice');
    await queryRunner.dropTable('privacy_request');
  }
}
