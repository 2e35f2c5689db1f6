import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/gateway';
import { createLogger, type Logger } from '../../src/logger';
import type { Jwk } from '../../src/secrets';
import { GraphQLClient } from './graphql-client';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestGateway {
  gateway: Gateway;
  database: TestDatabase;
  dataSource: DataSource;
  client: GraphQLClient;
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** The keys the gateway generated into its DATA_DIR (signing key, dev staff key, audit signing key). */
  keys(): { signingKey: Jwk; devStaffKey: Jwk; dataEncryptionKey: string; auditSigningKey: Jwk };
  stop(): Promise<void>;
}

/**
 * Starts the real gateway on a free port against a fresh database of the project's kind, with
 * its own DATA_DIR. `env` overrides configuration (as the environment would).
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: { database?: TestDatabase; gateway?: GatewayOptions; logger?: Logger; logDestination?: { write(line: string): void } } = {},
): Promise<TestGateway> {
  // A database handed in belongs to the caller, who drops it.
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PASSWORD_HASH_COST: '14',
    // Tests send free-form operations, also in production mode; test/api/trusted-documents sets enforce.
    TRUSTED_DOCUMENTS: 'allow',
    // Every test registers from 127.0.0.1; tests of the register throttle set their own limit.
    REGISTER_MAX_PER_ADDRESS: '100000',
    ...env,
  });
  const gateway = await startGateway(config, options.logger ?? createLogger(config.logLevel, options.logDestination), options.gateway);
  const origin = gateway.url.replace(/\/graphql$/, '');
  return {
    gateway,
    database,
    dataSource: gateway.dataSource,
    client: new GraphQLClient(gateway.url),
    origin,
    keys: () => JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8')),
    async stop() {
      await gateway.stop();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
