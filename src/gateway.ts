import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { backgroundJobs } from './background-jobs';
import type { Config } from './config';
import type { GatewayContext } from './context';
import { countingLogger } from './db/counting-logger';
import { applyMigrations } from './db/apply-migrations';
import { createDataSource } from './db/data-source';
import type { LeasedJobs } from './db/leased-jobs';
import { documentSizeGuard, operationLimitsPlugin } from './limits';
import { RequestLoaders } from './loaders';
import type { Logger } from './logger';
import { auditFlushPlugin } from './audit/audit-flush.plugin';
import { ThrottleStore } from './auth/throttle-store';
import { poolUsage } from './db/pool-usage';
import { GatewayMetrics, requestMetricsPlugin } from './observability';
import { erasureNoticeBacklog } from './privacy/erasure-backlog';
import { policyAcceptancePlugin } from './privacy/policy-acceptance.plugin';
import { RequestPrivacy } from './policy/request-privacy';
import { resolverContainer } from './resolvers';
import { buildGatewaySchema } from './schema';
import { loadSecrets } from './secrets';
import { createHttpServer } from './server';
import { createServices, type Services } from './services';
import { TrustedDocuments } from './trusted-documents';

export interface Gateway {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
  dataSource: DataSource;
  /** This instance's background jobs; `jobs.tick()` runs one round now (tests, instead of waiting). */
  jobs: LeasedJobs;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Extra resolver classes and factories for their instances (tests probing the policy). */
  extraResolvers?: Array<{ resolver: Function; create: (services: Services) => unknown }>;
  /** Called for every SQL statement with its parameterised text (tests count statements per request). */
  onQuery?: (sql: string) => void;
  /** The clock in epoch milliseconds of the policy and the background jobs (tests move it past a step-up window or a backoff instead of waiting). */
  clock?: () => number;
}

/**
 * Boots one gateway: key material, database (migrations applied), services, guarded schema,
 * HTTP. Used by main.ts and by the tests, which start the real thing on a free port.
 */
export async function startGateway(config: Config, logger: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const secrets = loadSecrets(config);
  const applied = await applyMigrations(config.database, config.databaseTimeouts, secrets.masterSecret);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  const dataSource = await createDataSource(config.database, {
    timeouts: config.databaseTimeouts,
    ...(options.onQuery ? { logger: countingLogger(options.onQuery) } : {}),
  });
  await dataSource.initialize();
  let throttles: ThrottleStore | undefined;
  try {
    throttles = await ThrottleStore.open(config, dataSource, secrets.masterSecret, logger);
    const services = await createServices(config, secrets, dataSource, throttles);
    const schema = await buildGatewaySchema({
      container: resolverContainer(services, options.extraResolvers),
      stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
      extraResolvers: options.extraResolvers?.map(({ resolver }) => resolver),
    });
    // Scrape-time gauges read from their owners.
    const metrics = new GatewayMetrics({
      dbPool: () => poolUsage(dataSource),
      outboxNotices: () => erasureNoticeBacklog(dataSource),
      auditUnsequenced: () => services.audit.unsequenced(),
    });
    const privacySettings = {
      stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
      onDecision: (category: string, outcome: string) => metrics.policyDecision(category, outcome),
      consentsOf: (memberId: string) => services.consents.granted(memberId),
      now: options.clock,
      // Owner facts come from the owners' rows: birth dates from members/, pending cases from identity/.
      owners: {
        records: (memberIds: readonly string[]) => services.members.ownerRecords(memberIds),
        pendingVerifications: (memberIds: readonly string[]) => services.identities.pendingVerifications(memberIds),
        minorAge: config.minorAge,
      },
    };
    const { httpServer, apollo } = await createHttpServer({
      config,
      logger,
      schema,
      memberTokens: services.memberTokens,
      auditCheckpoints: services.auditCheckpoints,
      plugins: [
        operationLimitsPlugin(config.operationLimits),
        auditFlushPlugin(services.audit, logger, metrics),
        policyAcceptancePlugin(services.policies),
        requestMetricsPlugin(metrics),
      ],
      metrics: config.metrics.enabled ? metrics : undefined,
      contextFor: async ({ authorization, requestId, clientAddress, headers }): Promise<GatewayContext> => {
        const viewer = await services.authenticator.authenticate(authorization);
        const channel = channelOf(headers['x-client-channel']);
        // Global Privacy Control: the browser's signal withdraws sharing and marketing, recorded as such.
        if (headers['sec-gpc'] === '1' && viewer.kind === 'MEMBER') await services.consents.applyGlobalPrivacyControl(viewer.memberId, channel);
        const privacy = new RequestPrivacy(viewer, requestId, privacySettings);
        const loaders = new RequestLoaders(services, viewer.kind === 'MEMBER' ? viewer.member : undefined);
        // The signed-in member's row came with the token check: their own reads load nothing more.
        if (viewer.kind === 'MEMBER') privacy.knowOwner(viewer.memberId, () => services.members.ownerRecordOf(loaders.signedInMember!));
        return { requestId, viewer, clientAddress, channel, privacy, loaders, beforeSend: {} };
      },
      admitDocument: documentSizeGuard(config.operationLimits, logger),
      databaseReady: async () => {
        await dataSource.query('SELECT 1');
      },
      trustedDocuments: TrustedDocuments.load(config.trustedDocuments, logger),
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    // The outbox and retention run as leased work, once across instances (src/background-jobs.ts).
    const jobs = backgroundJobs(config, services, dataSource, logger, options.clock);
    jobs.start();
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return {
      url: `http://${host}:${port}/graphql`,
      port,
      dataSource,
      jobs,
      async stop() {
        await jobs.stop();
        await apollo.stop(); // drains the HTTP server first
        await throttles?.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await throttles?.close();
    await dataSource.destroy();
    throw error;
  }
}

const CHANNELS = new Set(['storefront', 'mobile', 'graphiql', 'api']);

function channelOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && CHANNELS.has(header.toLowerCase()) ? header.toLowerCase() : 'api';
}
