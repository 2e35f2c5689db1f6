import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import bodyParser from 'body-parser';
import cors from 'cors';
import type { GatewayContext } from '../context';
import type { Logger } from '../logger';
import type { GatewayMetrics, RequestObservation } from '../observability';
import { type DocumentResolution, TrustedDocuments } from '../trusted-documents';
import { Admission, type AdmissionOutcome, type AdmissionSettings } from './admission';
import { runUnderDeadline, UNAVAILABLE_BODY } from './deadline';
import { httpErrorBody } from './http-error-body';
import { sendJson } from './send-json';

/** One GraphQL request as it passes the route's steps: what later steps and the context need of earlier ones. */
export interface GraphqlExchange {
  req: IncomingMessage;
  requestId: string;
  /** The document id's resolution (trusted documents), 'none' when the request carried text or nothing. */
  document: DocumentResolution;
  observation?: RequestObservation;
  /** The JSON body (POST) or the search parameters with a document id replaced by its text (GET). */
  body: unknown;
  search: string;
}

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
  corsOrigins: string[];
  bodyLimit: string;
  requestTimeoutMs: number;
  /** Requests running at once and waiting; the wait counts against the request's deadline. */
  admission: Omit<AdmissionSettings, 'maxWaitMs'>;
  trustedDocuments: TrustedDocuments;
  metrics?: GatewayMetrics;
  /** Builds the request's context (token check, admission of the document); throws to refuse. */
  contextFor: (exchange: GraphqlExchange) => Promise<GatewayContext>;
}

type Next = (error?: unknown) => void;

/**
 * POST and GET /graphql on plain node:http: CORS, the JSON body within its limit, trusted document
 * ids, admission (a bounded number running, a bounded queue), the request's deadline, then Apollo
 * Server. No framework router runs per request: this is the gateway's hot path, and Express's
 * layers cost more than the rest of a small query's answer. The caller has set the x-request-id
 * header.
 */
export function graphqlRoute(options: GraphqlRouteOptions): (req: IncomingMessage, res: ServerResponse, requestId: string) => void {
  const { apollo, logger, metrics, trustedDocuments } = options;
  const allowCors = cors({ origin: options.corsOrigins.length > 0 ? options.corsOrigins : false, exposedHeaders: ['x-request-id'] }) as (
    req: IncomingMessage,
    res: ServerResponse,
    next: Next,
  ) => void;
  const admission = new Admission({ ...options.admission, maxWaitMs: options.requestTimeoutMs });
  metrics?.watchAdmission(() => admission.usage);
  const logRefusal = refusalLog(logger);
  const readJson = bodyParser.json({ limit: options.bodyLimit }) as (req: IncomingMessage, res: ServerResponse, next: Next) => void;

  async function answer(exchange: GraphqlExchange, res: ServerResponse): Promise<void> {
    const { req } = exchange;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let context: GatewayContext | undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search: exchange.search, body: exchange.body },
      context: async () => (context = await options.contextFor(exchange)),
    });
    // The audit write, started when the result was complete: the serialised body leaves only once it is durable.
    const replacement = context?.beforeSend.pending && (await context.beforeSend.pending);
    if (res.headersSent) return; // the deadline answered first
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (replacement) {
      sendJson(res, replacement.status, replacement.body);
      return;
    }
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req, res, requestId) => {
    const exchange: GraphqlExchange = { req, requestId, document: { outcome: 'none' }, body: undefined, search: searchOf(req.url!) };
    if (metrics && (req.method === 'POST' || (req.method === 'GET' && exchange.search !== ''))) observe(exchange, res, metrics);
    const fail = (error: unknown) => failed(error, exchange, res, logger);
    allowCors(req, res, (error) => {
      if (error) return fail(error);
      readJson(req, res, (error) => {
        if (error) return fail(error);
        exchange.body = (req as { body?: unknown }).body;
        if (!resolveDocumentId(exchange, trustedDocuments)) {
          const refusal = TrustedDocuments.notFound();
          sendJson(res, 200, { errors: [{ message: refusal.message, extensions: refusal.extensions }] });
          return;
        }
        // After the body: a client sending its body slowly holds no place. The wait counts against the deadline.
        const arrived = Date.now();
        admission.enter(
          res,
          (release) => {
            const remainingMs = Math.max(1, options.requestTimeoutMs - (Date.now() - arrived));
            runUnderDeadline(remainingMs, requestId, logger, res, () => answer(exchange, res))
              .catch(fail)
              .finally(release);
          },
          (outcome) => {
            logRefusal(requestId, outcome);
            refuse(res, outcome, metrics);
          },
        );
      });
    });
  };
}

/** SERVICE_UNAVAILABLE (503) with a hint to retry: the instance is at its admission limit. */
function refuse(res: ServerResponse, outcome: Exclude<AdmissionOutcome, 'admitted'>, metrics?: GatewayMetrics): void {
  metrics?.requestShed(outcome);
  if (!res.headersSent) sendJson(res, 503, UNAVAILABLE_BODY, { 'retry-after': '1' });
}

/**
 * Logs refusals at most once a second, with how many there were: a burst being shed must not
 * also flood the log (the counter has every one).
 */
function refusalLog(logger: Logger): (requestId: string, outcome: Exclude<AdmissionOutcome, 'admitted'>) => void {
  let lastAt = 0;
  let unlogged = 0;
  return (requestId, outcome) => {
    unlogged += 1;
    const now = Date.now();
    if (now - lastAt < 1000) return;
    logger.warn({ requestId, outcome, refused: unlogged }, 'requests not admitted; answered SERVICE_UNAVAILABLE');
    lastAt = now;
    unlogged = 0;
  };
}

function searchOf(url: string): string {
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start);
}

/**
 * Replaces a documentId or APQ hash of the manifest by its text, in the JSON body or a GET's search
 * parameters. False for an id the manifest does not know (answered at once).
 */
function resolveDocumentId(exchange: GraphqlExchange, trustedDocuments: TrustedDocuments): boolean {
  const { req } = exchange;
  if (req.method === 'GET') {
    const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(exchange.search));
    exchange.document = trustedDocuments.resolve(params);
    if (exchange.document.outcome === 'not-found') return false;
    exchange.search = `?${new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, String(value)])).toString()}`;
  } else if (typeof exchange.body === 'object' && exchange.body !== null && !Array.isArray(exchange.body)) {
    exchange.document = trustedDocuments.resolve(exchange.body as Record<string, unknown>);
  }
  return exchange.document.outcome !== 'not-found';
}

/**
 * Times a GraphQL request from arrival until its response is gone, however it ends: refused before
 * GraphQL, answered by the deadline, or executed (then the GraphQL pipeline describes it, see
 * requestMetricsPlugin).
 */
function observe(exchange: GraphqlExchange, res: ServerResponse, metrics: GatewayMetrics): void {
  const observation = metrics.requestStarted();
  exchange.observation = observation;
  res.once('close', () => {
    observation.finish(res.statusCode, { trusted: exchange.document.outcome === 'trusted', unknownDocument: exchange.document.outcome === 'not-found' });
  });
}

/** Body-parser failures (too large, malformed JSON) in the GraphQL error shape with a contract code; anything else a logged 500. */
function failed(error: unknown, exchange: GraphqlExchange, res: ServerResponse, logger: Logger): void {
  const { status, body } = httpErrorBody(error as { status?: number; type?: string });
  const { type } = error as { type?: string };
  if (status >= 500) logger.error({ requestId: exchange.requestId, type: type ?? (error as Error | undefined)?.constructor?.name }, 'http error');
  if (!res.headersSent) sendJson(res, status, body);
}
