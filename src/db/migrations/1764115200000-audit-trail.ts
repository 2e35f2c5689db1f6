import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export const GENESIS_HASH = '0'.repeat(64);

/** The append-only, hash-chained audit trail of reads of personal data. */
export class AuditTrail1764115200000 implements MigrationInterface {
  name = 'AuditTrail1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'occurred_at', type: 'datetime' },
          { name: 'request_id', type: 'varchar', length: '64' },
          { name: 'actor_kind', type: 'varchar', length: '24' },
          { name: 'actor_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'owner_member_id', type: 'varchar', length: '36' },
          { name: 'field', type: 'varchar', length: '96' },
          { name: 'category', type: 'varchar', length: '24' },
          { name: 'outcome', type: 'varchar', length: '8' },
          { name: 'code', type: 'varchar', length: '32', isNullable: true },
          { name: 'purpose', type: 'varchar', length: '200', isNullable: true },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        indices: [new TableIndex({ name: 'ix_audit_event_owner', columnNames: ['owner_member_id', 'seq'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_chain_head',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'last_seq', type: 'integer' },
          { name: 'last_hash', type: 'varchar', length: '64' },
          { name: 'mac', type: 'varchar', length: '64' },
          { name: 'base_seq', type: 'integer' },
          { name: 'base_hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    // The empty chain needs no MAC; the first append writes one (the migration has no key).
    await queryRunner.query('INSERT INTO audit_chain_head (id, last_seq, last_hash, mac, base_seq, base_hash) VALUES (?, ?, ?, ?, ?, ?)', [
      1,
      0,
      GENESIS_HASH,
      '',
      0,
      GENESIS_HASH,
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_chain_head');
    await queryRunner.dropTable('audit_event');
  }
}
