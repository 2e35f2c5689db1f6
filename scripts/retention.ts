import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config';
import { applyMigrations } from '../src/db/apply-migrations';
import { createDataSource } from '../src/db/data-source';
import { loadSecrets } from '../src/secrets';
import { createServices } from '../src/services';

/**
 * `npm run retention`: applies the retention periods once and prints what it deleted. For an
 * outside schedule (a CronJob) with RETENTION_INTERVAL_HOURS=0 on the gateways; a run that
 * overlaps a gateway's only repeats deletes of what is already past its date.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = loadSecrets(config);
  // As a gateway does: under the migrations' named lock, so a scheduled run and starting gateways never race.
  await applyMigrations(config.database, config.databaseTimeouts, secrets.masterSecret);
  const dataSource = await createDataSource(config.database, { timeouts: config.databaseTimeouts });
  await dataSource.initialize();
  try {
    const { retention } = await createServices(config, secrets, dataSource);
    const report = await retention.run(new Date());
    process.stdout.write(`${JSON.stringify({ retention: report, periodsInDays: config.retention })}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `retention failed: ${error.constructor.name}`}\n`);
  process.exit(1);
});
