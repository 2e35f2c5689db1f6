import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import proxyaddr from 'proxy-addr';
import type { AuditCheckpoints } from './audit/audit-checkpoints';
import type { MemberTokens } from './auth/member-tokens';
import type { Config } from './config';
import type { GatewayContext } from './context';
import { isDatabaseUnavailable } from './db/database-unavailable';
import { formatError, serviceUnavailable, withoutSuggestions } from './errors';
import { requestPlugins, type RequestPlugin } from './common/request-plugins';
import { graphqlRoute, httpErrorBody, type GraphqlExchange } from './http';
import { graphiqlAssets, graphiqlLandingPagePlugin } from './graphiql';
import { describeError, type Logger } from './logger';
import type { GatewayMetrics } from './observability';
import { logDatabaseUnavailable, requestLogPlugin } from './request-log.plugin';
import { TrustedDocuments } from './trusted-documents';

/** Readiness must answer well inside an orchestrator's probe timeout, even on a frozen database. */
const READY_TIMEOUT_MS = 1000;

export interface ServerDeps {
  config: Config;
  logger: Logger;
  schema: GraphQLSchema;
  /** Builds one request's context from its Authorization header (throws UNAUTHENTICATED for a bad token). */
  contextFor: (request: {
    authorization: string | undefined;
    requestId: string;
    clientAddress: string;
    headers: Record<string, string | string[] | undefined>;
  }) => Promise<GatewayContext>;
  plugins: RequestPlugin<GatewayContext>[];
  /** Checks the raw document text (undefined for a persisted one) before Apollo parses it; throws to refuse. */
  admitDocument?: (context: GatewayContext, document: string | undefined) => void;
  memberTokens: MemberTokens;
  /** The audit trail's public keys and latest signed checkpoint. */
  auditCheckpoints: Pick<AuditCheckpoints, 'jwks' | 'latestJws'>;
  /** Resolves when the database answers; rejects otherwise. */
  databaseReady: () => Promise<void>;
  /** Which operations clients may send; without it (bench) every operation is accepted, as with TRUSTED_DOCUMENTS=off. */
  trustedDocuments?: TrustedDocuments;
  /** Times GraphQL requests and serves `GET /metrics`; without it (bench, METRICS_ENABLED=false), neither. */
  metrics?: GatewayMetrics;
}

/**
 * The HTTP server: Apollo Server 5 on /graphql (src/http, plain node:http), and on Express the
 * health and readiness probes, the member-token JWKS, the audit keys and checkpoint, metrics and
 * GraphiQL's assets; a request id on every response.
 */
export async function createHttpServer(deps: ServerDeps): Promise<{ httpServer: Server; apollo: ApolloServer<GatewayContext> }> {
  const { config } = deps;
  const trustedDocuments = deps.trustedDocuments ?? TrustedDocuments.off(deps.logger);
  const app = express();
  // Requests are taken once Apollo has started (below): /graphql on plain node:http (src/http), the rest on Express.
  const httpServer = createServer();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // The client's address as Express derives it, honouring TRUST_PROXY (Express compiles the setting once).
  const trusted = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const clientAddressOf = (req: IncomingMessage): string => proxyaddr(req, trusted) ?? 'unknown';

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await withinMs(deps.databaseReady(), READY_TIMEOUT_MS);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  if (!config.production) app.use('/graphiql/assets', graphiqlAssets());
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.memberTokens.jwks());
  });
  // Audit keys verify checkpoints only: a JWKS of their own, never mixed with the member-token one.
  app.get('/.well-known/audit-keys.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.auditCheckpoints.jwks());
  });
  // The latest signed checkpoint ({ checkpoint: null } before the first): monitors keep copies to catch a rolled-back trail.
  app.get('/.well-known/audit-checkpoint', async (_req, res) => {
    try {
      res.set('cache-control', 'no-store').json({ checkpoint: await deps.auditCheckpoints.latestJws() });
    } catch (error) {
      deps.logger.warn({ error: describeError(error) }, 'audit checkpoint unavailable');
      res.status(503).json({ checkpoint: null, reason: 'database unavailable' });
    }
  });
  if (deps.metrics) app.get('/metrics', metricsEndpoint(deps.metrics, config.metrics.token, deps.logger));
  app.use(routeErrors(deps.logger));

  const apollo = new ApolloServer<GatewayContext>({
    schema: deps.schema,
    csrfPrevention: true,
    // main.ts stops the gateway on SIGTERM/SIGINT (database closed, spans sent); Apollo's own handler would re-raise the signal first.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // Production reveals no schema names through suggestions, variable coercion errors included.
    hideSchemaDetailsFromClientErrors: config.production,
    formatError: config.production ? (formatted, error) => withoutSuggestions(formatError(formatted, error)) : formatError,
    // Backstop of the per-viewer token budget (src/limits), which is checked before parsing.
    parseOptions: { maxTokens: Math.max(...Object.values(config.operationLimits.budgets).map((budget) => budget.tokens)) },
    // Under enforce nothing may be registered through APQ; ids are resolved before Apollo (src/http).
    ...(trustedDocuments.mode === 'enforce' ? { persistedQueries: false as const } : {}),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's defaults the gateway does not use. Cache control would wrap every resolver and run
      // a hook on every field of every response; reporting and tracing go to Apollo's cloud, which
      // the gateway never talks to (APOLLO_KEY in the environment must not turn them on).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      config.production ? ApolloServerPluginLandingPageDisabled() : graphiqlLandingPagePlugin(),
      requestPlugins([requestLogPlugin(deps.logger), ...deps.plugins]),
    ],
  });
  await apollo.start();

  const graphql = graphqlRoute({
    apollo,
    logger: deps.logger,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    requestTimeoutMs: config.requestTimeoutMs,
    admission: config.admission,
    trustedDocuments,
    metrics: deps.metrics,
    contextFor: async (exchange) => {
      const { req, requestId } = exchange;
      const context = await deps
        .contextFor({ authorization: req.headers.authorization, requestId, clientAddress: clientAddressOf(req), headers: req.headers })
        .catch((error: unknown) => {
          throw contextFailure(error, requestId, deps.logger);
        });
      deps.metrics?.attach(context, exchange.observation);
      // Before anything parses: only trusted documents (per TRUSTED_DOCUMENTS), within the viewer's token budget.
      trustedDocuments.admit(exchange.document, context.viewer, context.requestId);
      deps.admitDocument?.(context, documentText(exchange));
      return context;
    },
  });
  const trustIncomingId = config.trustProxy !== false;
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const id = requestIdOf(req, trustIncomingId);
    res.setHeader('x-request-id', id);
    if (isGraphqlPath(req.url!)) graphql(req, res, id);
    else app(req, res);
  });
  return { httpServer, apollo };
}

/** Express mounted Apollo on /graphql and below; the route keeps that (case-insensitively, as Express matched). */
function isGraphqlPath(url: string): boolean {
  const end = url.indexOf('?');
  const path = (end === -1 ? url : url.slice(0, end)).toLowerCase();
  return path === '/graphql' || path.startsWith('/graphql/');
}

/** The GraphQL document as sent (POST body or GET search parameter), before anything parses it. */
function documentText(exchange: GraphqlExchange): string | undefined {
  const text = (exchange.body as { query?: unknown } | undefined)?.query;
  if (typeof text === 'string') return text;
  return exchange.search === '' ? undefined : (new URLSearchParams(exchange.search).get('query') ?? undefined);
}

/** A failure while building the context (token check, GPC): SERVICE_UNAVAILABLE when the database is the cause. */
function contextFailure(error: unknown, requestId: string, logger: Logger): unknown {
  if (error instanceof GraphQLError) return error;
  if (isDatabaseUnavailable(error)) {
    logDatabaseUnavailable(logger, requestId, error);
    return serviceUnavailable({ http: { status: 503 } });
  }
  logger.error({ requestId, error: describeError(error) }, 'unexpected error');
  return error;
}

function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * Every request's id. A well-formed incoming x-request-id is kept only behind a trusted proxy
 * (TRUST_PROXY): the id goes into audit records, so clients must not choose it.
 */
function requestIdOf(req: IncomingMessage, trustIncoming: boolean): string {
  const incoming = trustIncoming ? req.headers['x-request-id'] : undefined;
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Prometheus text of the gateway's metrics; with a token configured, only for `Authorization: Bearer <token>`. */
function metricsEndpoint(metrics: GatewayMetrics, token: string | undefined, logger: Logger): RequestHandler {
  const expected = token === undefined ? undefined : createHash('sha256').update(token).digest();
  return async (req, res) => {
    if (expected) {
      const presented = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
      // Digests of equal length, so the comparison takes the same time whatever was presented.
      if (!timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
        res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('A bearer token is required.\n');
        return;
      }
    }
    try {
      res
        .set('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.scrape());
    } catch (error) {
      logger.error({ error: describeError(error) }, 'metrics scrape failed');
      res.status(500).type('text/plain').send('Metrics are unavailable.\n');
    }
  };
}

/** Failures on the Express routes in the GraphQL error shape, with a contract code. */
function routeErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => {
    const { status, body } = httpErrorBody(error);
    if (status >= 500) logger.error({ requestId: res.getHeader('x-request-id'), type: error.type }, 'http error');
    res.status(status).json(body);
  };
}
