import type { DataSource } from 'typeorm';
import { migrations } from '../../src/db/migrations';

/**
 * Limits a not yet initialised data source to the migrations up to and including `migration`,
 * so a test of one migration runs and reverts exactly it, however many come after it.
 */
export function migrationsThrough(dataSource: DataSource, migration: (typeof migrations)[number]): DataSource {
  const last = migrations.indexOf(migration);
  if (last < 0) throw new Error(`${migration.name} is not a registered migration`);
  dataSource.setOptions({ migrations: migrations.slice(0, last + 1) });
  return dataSource;
}
