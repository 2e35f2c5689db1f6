import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { loadSecrets } from '../src/secrets';
import { createServices } from '../src/services';

/** `npm run retention`: applies the retention periods once and prints what it deleted. */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await createDataSource(config.database);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const { retention } = await createServices(config, loadSecrets(config), dataSource);
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
