import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** A legal hold on a member's data, and an erasure waiting for the hold to be lifted. */
export class LegalHold1764720000000 implements MigrationInterface {
  name = 'LegalHold1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('member', [
      new TableColumn({ name: 'legal_hold_reason', type: 'varchar', length: '500', isNullable: true }),
      new TableColumn({ name: 'erasure_pending_request', type: 'varchar', length: '36', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('member', ['erasure_pending_request', 'legal_hold_reason']);
  }
}
