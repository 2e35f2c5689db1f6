import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Shared throttle counters (sign-in, register) for instances on one MySQL/MariaDB database without
 * Redis: the table rate-limiter-flexible's MySQL store expects (key, points, expire in that order),
 * made here so the library never creates it at request time. Harmless and unused on SQLite.
 */
export class ThrottleCounter1765591200000 implements MigrationInterface {
  name = 'ThrottleCounter1765591200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'throttle_counter',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'points', type: 'integer' },
          { name: 'expire', type: 'bigint', isNullable: true },
        ],
        indices: [{ name: 'ix_throttle_counter_expire', columnNames: ['expire'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('throttle_counter');
  }
}
