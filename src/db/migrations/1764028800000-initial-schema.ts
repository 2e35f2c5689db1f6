import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', isNullable });

/**
 * Members, their wrapped data keys, sign-in sessions with refresh tokens, and the consent ledger.
 * Written with TypeORM's driver-neutral Table API so one migration serves MySQL and SQLite.
 */
export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'member',
        columns: [
          id(),
          { name: 'member_name_index', type: 'varchar', length: '64' },
          { name: 'member_name', type: 'text' },
          { name: 'phone_index', type: 'varchar', length: '64' },
          { name: 'phone', type: 'text' },
          { name: 'contact_name', type: 'text' },
          { name: 'contact_address', type: 'text', isNullable: true },
          { name: 'birth_date', type: 'text', isNullable: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'status', type: 'varchar', length: '16' },
          at('tokens_valid_after', true),
          at('created_at'),
          at('updated_at'),
          { name: 'version', type: 'integer' },
        ],
        indices: [
          new TableIndex({ name: 'uq_member_member_name_index', columnNames: ['member_name_index'], isUnique: true }),
          new TableIndex({ name: 'uq_member_phone_index', columnNames: ['phone_index'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'member_key',
        columns: [
          id('member_id'),
          { name: 'wrapped_key', type: 'varchar', length: '255' },
          { name: 'kek_id', type: 'varchar', length: '32' },
          at('created_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_member_key_member',
            columnNames: ['member_id'],
            referencedTableName: 'member',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_session',
        columns: [
          id(),
          ref('member_id'),
          at('auth_time'),
          { name: 'amr', type: 'varchar', length: '32' },
          at('created_at'),
          at('expires_at'),
          at('revoked_at', true),
          { name: 'revoked_reason', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_auth_session_member', columnNames: ['member_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_token',
        columns: [id(), ref('session_id'), { name: 'token_hash', type: 'varchar', length: '64' }, at('created_at'), at('rotated_at', true)],
        indices: [
          new TableIndex({ name: 'ix_refresh_token_session', columnNames: ['session_id'] }),
          new TableIndex({ name: 'uq_refresh_token_hash', columnNames: ['token_hash'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consent_event',
        columns: [
          id(),
          ref('member_id'),
          { name: 'purpose', type: 'varchar', length: '32' },
          { name: 'granted', type: 'boolean' },
          { name: 'method', type: 'varchar', length: '32' },
          { name: 'policy_version', type: 'varchar', length: '32', isNullable: true },
          at('created_at'),
          { name: 'seq', type: 'integer' },
        ],
        indices: [new TableIndex({ name: 'uq_consent_event_member_seq', columnNames: ['member_id', 'seq'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['consent_event', 'refresh_token', 'auth_session', 'member_key', 'member']) {
      await queryRunner.dropTable(table);
    }
  }
}
