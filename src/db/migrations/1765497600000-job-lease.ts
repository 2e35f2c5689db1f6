import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** Leases for background jobs, so the outbox, retention and the audit sequencer each run once across instances. */
export class JobLease1765497600000 implements MigrationInterface {
  name = 'JobLease1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_lease');
  }
}
