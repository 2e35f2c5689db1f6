import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { MemberTokens } from './auth/member-tokens';
import { runInRequestScope } from './common/request-scope';
import type { Config } from './config';
import type { GatewayContext } from './context';
import { isDatabaseUnavailable } from './db/database-unavailable';
import { ErrorCode, formatError, serviceUnavailable } from './errors';
import { graphiqlLandingPagePlugin } from './graphiql.plugin';
import { describeError, type Logger } from './logger';
import { logDatabaseUnavailable, requestLogPlugin } from './request-log.plugin';

/** Readiness must answer well inside an orchestrator's probe timeout, even on a frozen database. */
const READY_TIMEOUT_MS = 1000;

export interface ServerDeps {
  config: Config;
  logger: Logger;
  schema: GraphQLSchema;
  /** Builds one request's context from its Authorization header (throws UNAUTHENTICATED for a bad token). */
  contextFor: (request: { authorization: string | undefined; requestId: string; clientAddress: string; headers: Record<string, string | string[] | undefined> }) => Promise<GatewayContext>;
  plugins: ApolloServerPlugin<GatewayContext>[];
  memberTokens: MemberTokens;
  /** Resolves when the database answers; rejects otherwise. */
  databaseReady: () => Promise<void>;
}

/**
 * The only module that knows HTTP: Express with Apollo Server 5 on /graphql, health and
 * readiness probes, the member-token JWKS, a request id on every response and a body limit.
 */
export async function createHttpServer(deps: ServerDeps): Promise<{ httpServer: Server; apollo: ApolloServer<GatewayContext> }> {
  const { config } = deps;
  const app = express();
  const httpServer = createServer(app);
  app.disable('x-powered-by');
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
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.memberTokens.jwks());
  });

  const apollo = new ApolloServer<GatewayContext>({
    schema: deps.schema,
    csrfPrevention: true,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.production ? ApolloServerPluginLandingPageDisabled() : graphiqlLandingPagePlugin(),
      requestLogPlugin(deps.logger),
      ...deps.plugins,
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, exposedHeaders: ['x-request-id'] }),
    express.json({ limit: config.bodyLimit }),
    withDeadline(
      config.requestTimeoutMs,
      deps.logger,
      expressMiddleware(apollo, {
        context: ({ req, res }) => {
          const requestId = String(res.getHeader('x-request-id'));
          return deps
            .contextFor({ authorization: req.headers.authorization, requestId, clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown', headers: req.headers })
            .catch((error: unknown) => {
              throw contextFailure(error, requestId, deps.logger);
            });
        },
      }),
    ),
  );
  app.use(bodyErrors(deps.logger));
  return { httpServer, apollo };
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
