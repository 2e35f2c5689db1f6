import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { loadConfig } from '../src/config';
import type { GatewayContext } from '../src/context';
import { countingLogger } from '../src/db/counting-logger';
import { createDataSource } from '../src/db/data-source';
import { startGateway } from '../src/gateway';
import { RequestLoaders } from '../src/loaders';
import { createLogger } from '../src/logger';
import { resolverContainer } from '../src/resolvers';
import { resolvers } from '../src/schema';
import { loadSecrets } from '../src/secrets';
import { createHttpServer } from '../src/server';
import { createServices } from '../src/services';
import { validateInput } from '../src/validate-input';

/**
 * One benchmark server, started by bench/run.ts: `gateway` is the real gateway; `bare` serves the
 * same resolvers, services, database and HTTP stack through @apollo/server + type-graphql with
 * no policy at all (no field guards, no per-request policy state, no audit plugin). Prints
 * `READY <url>` when listening.
 */
async function main(): Promise<void> {
  const mode = process.argv[2];
  const config = loadConfig();
  const logger = createLogger('silent');
  // SQL statements executed so far; printed on SIGUSR2 so the benchmark can report statements per request.
  let statements = 0;
  const onQuery = () => {
    statements += 1;
  };
  process.on('SIGUSR2', () => process.stdout.write(`STATEMENTS ${statements}\n`));
  if (mode === 'gateway') {
    const gateway = await startGateway(config, logger, { onQuery });
    process.stdout.write(`READY ${gateway.url}\n`);
    return;
  }
  if (mode !== 'bare') throw new Error('usage: serve.js gateway|bare');
  const dataSource = await createDataSource(config.database, { logger: countingLogger(onQuery) });
  await dataSource.initialize();
  const services = await createServices(config, loadSecrets(config), dataSource);
  const schema = await buildSchema({
    resolvers,
    container: resolverContainer(services),
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: validateInput,
  });
  const { httpServer } = await createHttpServer({
    config,
    logger,
    schema,
    memberTokens: services.memberTokens,
    auditCheckpoints: services.auditCheckpoints,
    plugins: [],
    contextFor: async ({ authorization, requestId, clientAddress }) =>
      ({
        requestId,
        clientAddress,
        channel: 'api',
        viewer: await services.authenticator.authenticate(authorization),
        loaders: new RequestLoaders(services),
      }) as GatewayContext,
    databaseReady: async () => undefined,
  });
  httpServer.listen(config.port, '127.0.0.1', () => {
    const address = httpServer.address() as { port: number };
    process.stdout.write(`READY http://127.0.0.1:${address.port}/graphql\n`);
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
