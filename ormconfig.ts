import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';
import { provideMigrationKeys } from './src/db/migration-keys';
import { loadSecrets } from './src/secrets';

const config = loadConfig();

/** The TypeORM CLI's DataSource (`npm run migration:run`), configured exactly as the gateway is (keys too: some migrations seal rows). */
export default createDataSource(config.database).then((dataSource) => {
  provideMigrationKeys(dataSource, loadSecrets(config).masterSecret);
  return dataSource;
});
