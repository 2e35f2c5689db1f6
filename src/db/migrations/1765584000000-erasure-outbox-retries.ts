import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const COLUMNS = [
  new TableColumn({ name: 'next_attempt_at', type: 'datetime', precision: 3, isNullable: true }),
  new TableColumn({ name: 'last_attempt_at', type: 'datetime', precision: 3, isNullable: true }),
  new TableColumn({ name: 'last_error_code', type: 'varchar', length: '32', isNullable: true }),
  new TableColumn({ name: 'delivered_at', type: 'datetime', precision: 3, isNullable: true }),
];
const DUE = new TableIndex({ name: 'ix_erasure_notice_due', columnNames: ['next_attempt_at'] });

/**
 * The erasure outbox retries with backoff and never drops a notice: each undelivered notice gets a
 * due time (now, for those already waiting), and those given up on as FAILED become FAILING,
 * due at once and retried from now on.
 */
export class ErasureOutboxRetries1765584000000 implements MigrationInterface {
  name = 'ErasureOutboxRetries1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('erasure_notice', COLUMNS);
    await queryRunner.query(`UPDATE erasure_notice SET state = 'FAILING' WHERE state = 'FAILED'`);
    await queryRunner.query(`UPDATE erasure_notice SET next_attempt_at = created_at WHERE state <> 'DELIVERED'`);
    await queryRunner.createIndex('erasure_notice', DUE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('erasure_notice', DUE.name!);
    await queryRunner.query(`UPDATE erasure_notice SET state = 'FAILED' WHERE state = 'FAILING'`);
    await queryRunner.dropColumns('erasure_notice', COLUMNS);
  }
}
