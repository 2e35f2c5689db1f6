import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const at = (name: string) => ({ name, type: 'datetime' });

/** Breach incidents and members' notifications. */
export class Incidents1764633600000 implements MigrationInterface {
  name = 'Incidents1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'incident',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'description', type: 'text' },
          { name: 'categories', type: 'varchar', length: '200' },
          { name: 'actions_taken', type: 'text' },
          { name: 'member_advice', type: 'text' },
          at('occurred_at'),
          at('recorded_at'),
          at('regulator_deadline'),
          { name: 'affected_members', type: 'integer' },
          { name: 'recorded_by', type: 'varchar', length: '128' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'member_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'incident_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'body', type: 'text' },
          at('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_notification_member', columnNames: ['member_id', 'created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification');
    await queryRunner.dropTable('incident');
  }
}
