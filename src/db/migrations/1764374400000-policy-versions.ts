import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Published privacy-policy versions and members' acceptances of them. */
export class PolicyVersions1764374400000 implements MigrationInterface {
  name = 'PolicyVersions1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'privacy_policy',
        columns: [
          { name: 'version', type: 'varchar', length: '32', isPrimary: true },
          { name: 'seq', type: 'integer' },
          { name: 'material', type: 'boolean' },
          { name: 'summary', type: 'varchar', length: '500' },
          { name: 'text', type: 'text' },
          { name: 'published_at', type: 'datetime' },
          { name: 'published_by', type: 'varchar', length: '128' },
        ],
        indices: [new TableIndex({ name: 'uq_privacy_policy_seq', columnNames: ['seq'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'policy_acceptance',
        columns: [
          { name: 'member_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'version', type: 'varchar', length: '32', isPrimary: true },
          { name: 'accepted_at', type: 'datetime' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('policy_acceptance');
    await queryRunner.dropTable('privacy_policy');
  }
}
