import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayOptions } from '../../src/gateway';
import { StaffIdentityProvider } from './staff-idp';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestGateway, type TestGateway } from './test-gateway';

export interface Instances {
  /** The started gateways, in start order. */
  all: TestGateway[];
  database: TestDatabase;
  idp: StaffIdentityProvider;
}

/**
 * Starts `count` gateways as an operator runs them behind a load balancer: one fresh MariaDB
 * database, one key directory (the same master secret and signing keys), each its own process
 * state and port. The first starts alone (it applies migrations and generates the keys), the
 * rest together — or, with `together`, all at once. `env` is every instance's configuration;
 * `gateway` adds options per index.
 */
export function useInstances(
  count: number,
  options: { env?: Record<string, string>; gateway?: (index: number) => GatewayOptions; together?: boolean } = {},
): Instances {
  const state: Partial<Instances> & { all: TestGateway[] } = { all: [] };
  let dataDir = '';
  beforeAll(async () => {
    process.env.TEST_DATABASE = 'mariadb';
    state.idp = await StaffIdentityProvider.start();
    state.database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-shared-keys-'));
    const start = (index: number) =>
      startTestGateway({ ...state.idp!.env(), ...options.env, DATA_DIR: dataDir }, { database: state.database, gateway: options.gateway?.(index) });
    // `together`: all at once on the empty database (migrations under their lock). The keys are
    // still generated once: loadSecrets runs synchronously at the start of the first start.
    if (!options.together) state.all.push(await start(0));
    const first = state.all.length;
    state.all.push(...(await Promise.all(Array.from({ length: count - first }, (_, index) => start(first + index)))));
  });
  afterAll(async () => {
    await Promise.all(state.all.map((gateway) => gateway.stop()));
    await state.idp?.stop();
    await state.database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return state as Instances;
}
