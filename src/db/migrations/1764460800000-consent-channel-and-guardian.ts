import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** The consent ledger records the channel a decision came through and, for minors, the guardian (sealed). */
export class ConsentChannelAndGuardian1764460800000 implements MigrationInterface {
  name = 'ConsentChannelAndGuardian1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('consent_event', [
      new TableColumn({ name: 'channel', type: 'varchar', length: '24', isNullable: true }),
      new TableColumn({ name: 'guardian', type: 'text', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('consent_event', ['guardian', 'channel']);
  }
}
