import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHARSET = 'utf8mb4';
const COLLATION = 'utf8mb4_unicode_ci';

/**
 * Every table utf8mb4 on MySQL/MariaDB, whatever the server's or the database's default (upstream
 * MariaDB defaults to latin1, where Chinese names and emoji cannot be stored). The database default
 * changes first, so tables created by later migrations are utf8mb4 too; existing tables are
 * converted. CONVERT TO widens TEXT to MEDIUMTEXT to keep room for the same number of characters;
 * such columns are set back to their declared type, as the entities describe them (a value too long
 * for it stops the migration rather than being cut). SQLite always stores UTF-8: nothing to do.
 */
export class Utf8mb4Everywhere1765152000000 implements MigrationInterface {
  name = 'Utf8mb4Everywhere1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    if (type !== 'mysql' && type !== 'mariadb') return;
    await queryRunner.query(`ALTER DATABASE CHARACTER SET ${CHARSET} COLLATE ${COLLATION}`);
    const tables: Array<{ name: string }> = await queryRunner.query(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION <> ?`,
      [COLLATION],
    );
    if (tables.length === 0) return;
    // MariaDB refuses to change a column's character set while a foreign key uses it (even with
    // FOREIGN_KEY_CHECKS=0): the keys are dropped, the tables converted, and the keys put back.
    // Only this database's tables: TypeORM's getTables() without names reads every database on the server.
    const own: Array<{ name: string }> = await queryRunner.query(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`,
    );
    const all = await queryRunner.getTables(own.map(({ name }) => name));
    const keys = all.map((table) => ({ table: table.name, foreignKeys: table.foreignKeys.map((key) => key.clone()) }));
    for (const table of all) if (table.foreignKeys.length > 0) await queryRunner.dropForeignKeys(table, [...table.foreignKeys]);
    for (const { name } of tables) await convert(queryRunner, name);
    for (const { table, foreignKeys } of keys) if (foreignKeys.length > 0) await queryRunner.createForeignKeys(table, foreignKeys);
  }

  async down(): Promise<void> {
    // Converting back could not keep the characters the old character set lacks: nothing to undo.
  }
}

async function convert(queryRunner: QueryRunner, name: string): Promise<void> {
  const textColumns: Array<{ name: string; type: string; nullable: string }> = await queryRunner.query(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND DATA_TYPE IN ('tinytext', 'text', 'mediumtext')`,
    [name],
  );
  await queryRunner.query(`ALTER TABLE \`${name}\` CONVERT TO CHARACTER SET ${CHARSET} COLLATE ${COLLATION}`);
  if (textColumns.length === 0) return;
  const restore = textColumns.map(
    (column) => `MODIFY \`${column.name}\` ${column.type} CHARACTER SET ${CHARSET} COLLATE ${COLLATION} ${column.nullable === 'YES' ? 'NULL' : 'NOT NULL'}`,
  );
  await queryRunner.query(`ALTER TABLE \`${name}\` ${restore.join(', ')}`);
}
