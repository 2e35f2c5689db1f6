import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

/** The TypeORM CLI's DataSource (`npm run migration:run`), configured exactly as the gateway is. */
export default createDataSource(loadConfig().database);
