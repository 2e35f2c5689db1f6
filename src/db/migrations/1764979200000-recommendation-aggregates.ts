import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Automated decisions at most once per member, model version and day (a unique key), and
 * browsing_event.product_id kept only for members who consent to PERSONALIZATION: it is what
 * recommendations are computed from, so rows of members without that consent lose it now.
 */
export class RecommendationAggregates1764979200000 implements MigrationInterface {
  name = 'RecommendationAggregates1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('automated_decision', [
      new TableColumn({ name: 'model_version', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'decided_on', type: 'varchar', length: '10', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'automated_decision',
      new TableIndex({ name: 'uq_automated_decision_day', columnNames: ['member_id', 'model_version', 'decided_on'], isUnique: true }),
    );
    // The latest ledger entry per member decides; the same SQL runs on MariaDB and SQLite.
    await queryRunner.query(
      `UPDATE browsing_event SET product_id = NULL WHERE product_id IS NOT NULL AND member_id NOT IN (
         SELECT c.member_id FROM consent_event c
         WHERE c.purpose = 'PERSONALIZATION' AND c.granted = 1
           AND c.seq = (SELECT MAX(c2.seq) FROM consent_event c2 WHERE c2.member_id = c.member_id AND c2.purpose = 'PERSONALIZATION'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('automated_decision', 'uq_automated_decision_day');
    await queryRunner.dropColumns('automated_decision', ['decided_on', 'model_version']);
  }
}
