// Storage wiring: the TypeORM DataSource for MySQL/MariaDB (mysql2) or embedded SQLite
// (better-sqlite3), and the one set of migrations both run. No synchronize: schema changes are
// migrations, and a test checks they match the entities on both databases.
export { createDataSource } from './data-source';
export { entities } from './entities';
export { migrations } from './migrations';
