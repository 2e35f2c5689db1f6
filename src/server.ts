import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { AuditCheckpoints } from './audit/audit-checkpoints';
import type { MemberTokens } from './auth/member-tokens';
import { runInRequestScope } from './common/request-scope';
import type { Config } from './config';
import type { GatewayContext } from './context';
import { isDatabaseUnavailable } from './db/database-unavailable';
import { ErrorCode, formatError, serviceUnavailable, withoutSuggestions } from './errors';
import { graphiqlAssets, graphiqlLandingPagePlugin } from './graphiql';
import { describeError, type Logger } from './logger';
import type { GatewayMetrics, RequestObservation } from './observability';
import { logDatabaseUnavailable, requestLogPlugin } from './request-log.plugin';
import { TrustedDocuments, type DocumentResolution } from './trusted-documents';

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
  plugins: ApolloServerPlugin<GatewayContext>[];
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
 * The only module that knows HTTP: Express with Apollo Server 5 on /graphql, health and
 * readiness probes, the member-token JWKS, the audit keys and checkpoint, a request id on every
 * response and a body limit.
 */
export async function createHttpServer(deps: ServerDeps): Promise<{ httpServer: Server; apollo: ApolloServer<GatewayContext> }> {
  const { config } = deps;
  const trustedDocuments = deps.trustedDocuments ?? TrustedDocuments.off(deps.logger);
  const app = express();
  const httpServer = createServer(app);
  app.disable('x-powered-by');
  // No ETag: answers are per viewer and never revalidated, and Express would hash every body for it.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(requestId(config.trustProxy !== false));

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
    // Under enforce nothing may be registered through APQ; ids are resolved before Apollo (below).
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
      requestLogPlugin(deps.logger),
      ...deps.plugins,
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    observed(deps.metrics),
    cors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, exposedHeaders: ['x-request-id'] }),
    express.json({ limit: config.bodyLimit }),
    trustedDocumentIds(trustedDocuments),
    withDeadline(
      config.requestTimeoutMs,
      deps.logger,
      expressMiddleware(apollo, {
        context: async ({ req, res }) => {
          const requestId = String(res.getHeader('x-request-id'));
          const context = await deps
            .contextFor({
              authorization: req.headers.authorization,
              requestId,
              clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
              headers: req.headers,
            })
            .catch((error: unknown) => {
              throw contextFailure(error, requestId, deps.logger);
            });
          deps.metrics?.attach(context, res.locals.observation as RequestObservation | undefined);
          // Before anything parses: only trusted documents (per TRUSTED_DOCUMENTS), within the viewer's token budget.
          trustedDocuments.admit(res.locals.document as DocumentResolution, context.viewer, context.requestId);
          deps.admitDocument?.(context, documentText(req.body, req.query));
          return context;
        },
      }),
    ),
  );
  app.use(bodyErrors(deps.logger));
  return { httpServer, apollo };
}

/** The GraphQL document as sent (POST body or GET query string), before anything parses it. */
function documentText(body: unknown, query: unknown): string | undefined {
  for (const carrier of [body, query]) {
    const text = (carrier as { query?: unknown } | undefined)?.query;
    if (typeof text === 'string') return text;
  }
  return undefined;
}

const UNAVAILABLE_BODY = { errors: [{ message: serviceUnavailable().message, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] };

/**
 * Runs a GraphQL request under its deadline. When the deadline passes first the client gets
 * SERVICE_UNAVAILABLE (503) at once, one log line says so, and the request's remaining work is
 * abandoned: the database layer sends none of its statements any more (an open transaction rolls
 * back) and whatever it would have answered is dropped.
 */
function withDeadline(timeoutMs: number, logger: Logger, handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const scope = { requestId: String(res.getHeader('x-request-id')), deadline: Date.now() + timeoutMs, failureLogged: false };
    let answered = false;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      answered = true;
      if (!scope.failureLogged) {
        scope.failureLogged = true;
        logger.warn({ requestId: scope.requestId, timeoutMs }, 'request deadline passed; answered SERVICE_UNAVAILABLE');
      }
      res.status(503).json(UNAVAILABLE_BODY);
    }, timeoutMs);
    runInRequestScope(scope, async () => handler(req, res, next))
      .catch((error: unknown) => {
        // Apollo's late attempt to answer a request already answered: nothing left to do.
        if (!answered) next(error);
      })
      .finally(() => clearTimeout(timer));
  };
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
 * Gives every request an id. A well-formed incoming x-request-id is kept only behind a trusted
 * proxy (TRUST_PROXY): the id goes into audit records, so clients must not choose it.
 */
function requestId(trustIncoming: boolean): RequestHandler {
  return (req, res, next) => {
    const incoming = trustIncoming ? req.get('x-request-id') : undefined;
    res.setHeader('x-request-id', incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID());
    next();
  };
}

/**
 * Replaces a documentId or APQ hash of the manifest by its text, in the JSON body or a GET's search
 * parameters (Apollo reads those from req.url), and answers unknown ids at once.
 */
function trustedDocumentIds(trustedDocuments: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    let resolution: DocumentResolution = { outcome: 'none' };
    if (req.method === 'GET') {
      const url = new URL(req.url, 'http://gateway');
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      resolution = trustedDocuments.resolve(params);
      if (resolution.outcome !== 'not-found') {
        url.search = new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, String(value)])).toString();
        req.url = `${url.pathname}${url.search}`;
      }
    } else if (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)) {
      resolution = trustedDocuments.resolve(req.body as Record<string, unknown>);
    }
    res.locals.document = resolution;
    if (resolution.outcome === 'not-found') {
      const error = TrustedDocuments.notFound();
      res.status(200).json({ errors: [{ message: error.message, extensions: error.extensions }] });
      return;
    }
    next();
  };
}

/**
 * Times each GraphQL request (a POST, or a GET with parameters: not GraphiQL's page) from arrival
 * until its response is gone, however it ends: refused before GraphQL, answered by the deadline,
 * or executed (then the GraphQL pipeline describes it, see requestMetricsPlugin).
 */
function observed(metrics: GatewayMetrics | undefined): RequestHandler {
  return (req, res, next) => {
    if (metrics && (req.method === 'POST' || (req.method === 'GET' && req.url.includes('?')))) {
      const observation = metrics.requestStarted();
      res.locals.observation = observation;
      res.once('close', () => {
        const document = res.locals.document as DocumentResolution | undefined;
        observation.finish(res.statusCode, { trusted: document?.outcome === 'trusted', unknownDocument: document?.outcome === 'not-found' });
      });
    }
    next();
  };
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

/** Body-parser failures (too large, malformed JSON) in the GraphQL error shape, with a contract code. */
function bodyErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status ?? 500;
    if (status >= 500) logger.error({ requestId: res.getHeader('x-request-id'), type: error.type }, 'http error');
    const message =
      error.type === 'entity.too.large' ? 'The request body is too large.' : status < 500 ? 'The request body is not valid JSON.' : 'Internal server error.';
    res.status(status).json({
      errors: [{ message, extensions: { code: status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR } }],
    });
  };
}
