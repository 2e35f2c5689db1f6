import 'reflect-metadata';
import { DateTimeScalar } from '../src/common/date-time.scalar';
import { buildSchema } from 'type-graphql';
import { loadConfig } from '../src/config';
import type { Viewer } from '../src/auth/viewer';
import type { GatewayContext } from '../src/context';
import { countingLogger } from '../src/db/counting-logger';
import { createDataSource } from '../src/db/data-source';
import { startGateway } from '../src/gateway';
import { RequestLoaders } from '../src/loaders';
import { documentSizeGuard, operationLimitsPlugin } from '../src/limits';
import { createLogger } from '../src/logger';
import { GatewayMetrics, requestMetricsPlugin } from '../src/observability';
import { resolverContainer } from '../src/resolvers';
import { resolvers } from '../src/schema';
import type { Decision } from '../src/policy/decide';
import type { OwnerRef } from '../src/policy/owner';
import { loadSecrets } from '../src/secrets';
import { createHttpServer } from '../src/server';
import { createServices } from '../src/services';
import { TrustedDocuments } from '../src/trusted-documents';
import { validateInput } from '../src/validate-input';
import { reportStatsOnSignal } from './server-stats';

/**
 * One benchmark server, started by bench/run.ts: `gateway` is the real gateway; `bare` (T3) is the
 * gateway without its privacy policy: the same resolvers, services, database settings (the pool's
 * timeouts and statement watchdog), HTTP stack, request limits, trusted documents and metrics, but
 * no field guards, no audit plugin, no policy-acceptance check and a request's privacy state that
 * allows everything and records nothing. So gateway/T3 is the policy's cost alone. Prints `READY
 * <url>` when listening.
 */
async function main(): Promise<void> {
  const mode = process.argv[2];
  const config = loadConfig();
  const logger = createLogger('silent');
  // SQL statements executed so far, reported with CPU and memory on SIGUSR2 (bench/server-stats.ts).
  let statements = 0;
  const onQuery = () => {
    statements += 1;
  };
  reportStatsOnSignal(() => statements);
  // Stopped by the runner: exit normally, so a --cpu-prof profile (BENCH_CPU_PROF) is written.
  process.on('SIGTERM', () => process.exit(0));
  if (mode === 'gateway') {
    const gateway = await startGateway(config, logger, { onQuery });
    process.stdout.write(`READY ${gateway.url}\n`);
    return;
  }
  if (mode !== 'bare') throw new Error('usage: serve.js gateway|bare');
  const dataSource = await createDataSource(config.database, { timeouts: config.databaseTimeouts, logger: countingLogger(onQuery) });
  await dataSource.initialize();
  const services = await createServices(config, loadSecrets(config), dataSource);
  const schema = await buildSchema({
    resolvers,
    container: resolverContainer(services),
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
  });
  // The gateway's operational plugins and checks (src/gateway.ts), without the policy's.
  const metrics = new GatewayMetrics();
  const { httpServer } = await createHttpServer({
    config,
    logger,
    schema,
    memberTokens: services.memberTokens,
    auditCheckpoints: services.auditCheckpoints,
    plugins: [operationLimitsPlugin(config.operationLimits), requestMetricsPlugin(metrics)],
    metrics: config.metrics.enabled ? metrics : undefined,
    admitDocument: documentSizeGuard(config.operationLimits, logger),
    trustedDocuments: TrustedDocuments.load(config.trustedDocuments, logger),
    contextFor: async ({ authorization, requestId, clientAddress }) => {
      const viewer = await services.authenticator.authenticate(authorization);
      return {
        requestId,
        clientAddress,
        channel: 'api',
        viewer,
        loaders: new RequestLoaders(services, viewer.kind === 'MEMBER' ? viewer.member : undefined),
        privacy: noPolicy(viewer),
        beforeSend: {},
      } as GatewayContext;
    },
    databaseReady: async () => undefined,
  });
  httpServer.listen(config.port, '127.0.0.1', () => {
    const address = httpServer.address() as { port: number };
    process.stdout.write(`READY http://127.0.0.1:${address.port}/graphql\n`);
  });
}

/**
 * What resolvers ask of the request's privacy state, with no policy behind it: every decision
 * ALLOW, nothing recorded. Only the relationship is real (the access log is the member's own).
 */
function noPolicy(viewer: Viewer): GatewayContext['privacy'] {
  const allow: Decision = { outcome: 'ALLOW' };
  return {
    relationshipTo: (owner: OwnerRef) => (viewer.kind === 'MEMBER' && viewer.memberId === owner.memberId ? 'SELF' : 'UNRELATED'),
    decide: () => allow,
    record: () => undefined,
    knowOwner: () => undefined,
  } as unknown as GatewayContext['privacy'];
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
