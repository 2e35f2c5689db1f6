import type { DataSource } from 'typeorm';

const masterSecrets = new WeakMap<DataSource, Buffer>();

/**
 * Lends the master secret to migrations that must seal or open existing rows (they only get a
 * QueryRunner). Whoever runs migrations with keys (the gateway, ormconfig) provides it first; a
 * migration that needs it and finds none refuses rather than lose data.
 */
export function provideMigrationKeys(dataSource: DataSource, masterSecret: Buffer): void {
  masterSecrets.set(dataSource, masterSecret);
}

export function migrationKeys(dataSource: DataSource): Buffer | undefined {
  return masterSecrets.get(dataSource);
}
