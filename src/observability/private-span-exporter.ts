import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Attributes that carry only methods, statuses, schema names, hosts and ports: kept as they are. */
const KEPT = new Set([
  // HTTP, in both generations of the semantic conventions (OTEL_SEMCONV_STABILITY_OPT_IN picks).
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.status_text',
  'http.scheme',
  'url.scheme',
  'http.flavor',
  'network.protocol.version',
  'http.route',
  'http.host',
  'net.host.name',
  'net.host.port',
  'server.address',
  'server.port',
  'net.peer.name',
  'net.peer.port',
  'net.transport',
  'network.transport',
  'http.request_content_length_uncompressed',
  'http.response_content_length_uncompressed',
  'http.request_content_length',
  'http.response_content_length',
  'error.type',
  // GraphQL: schema names only. Operation names and field paths (which carry aliases) are the
  // client's own text, so they are left out, as are values and variables.
  'graphql.operation.type',
  'graphql.field.name',
  'graphql.field.type',
  'graphql.parent.name',
  // Database: which one and which kind of statement.
  'db.system',
  'db.system.name',
  'db.name',
  'db.namespace',
  'db.operation',
  'db.operation.name',
]);
/** URLs and targets: kept without their query string, fragment or credentials (a GET's variables live there), and only for the gateway's own routes. */
const URLS = new Set(['http.url', 'url.full', 'http.target', 'url.path']);
/** SQL text: kept with every literal masked. */
const STATEMENTS = new Set(['db.statement', 'db.query.text']);

/**
 * Wraps the real exporter so that nothing personal leaves in a span, whatever an instrumentation
 * records (or a future version starts recording): attributes are an allow-list (client
 * addresses, user agents, headers, GraphQL sources and variables are dropped; URLs lose their
 * query; SQL is masked), status messages and event details (exception messages may quote a value)
 * are dropped, keeping the exception type. Span names are the instrumentations' own (a method,
 * an SQL verb) except that a GraphQL span keeps only its first word (`query`, `graphql.parse`):
 * the operation name after it is the client's text.
 */
export function privateSpanExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans, resultCallback) => inner.export(spans.map(privateSpan), resultCallback),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

function privateSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: span.instrumentationScope.name.includes('graphql') ? span.name.split(' ')[0]! : span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: privateAttributes(span.attributes),
    links: span.links.map((link) => ({ context: link.context })),
    events: span.events.map((event) => ({
      name: event.name,
      time: event.time,
      ...(typeof event.attributes?.['exception.type'] === 'string' ? { attributes: { 'exception.type': event.attributes['exception.type'] } } : {}),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

export function privateAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (KEPT.has(key)) kept[key] = value;
    else if (URLS.has(key) && typeof value === 'string') kept[key] = withoutQuery(value);
    else if (STATEMENTS.has(key) && typeof value === 'string') kept[key] = maskSql(value);
  }
  return kept;
}

/** The gateway's routes; any other path a client sends (it could carry any text) is reported as `/other`. */
const ROUTES = /^\/(graphql|healthz|readyz|metrics|\.well-known\/[\w.-]+|graphiql(\/assets\/[\w.-]+)?)?$/;

function withoutQuery(url: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  if (!absolute) return knownRoute(url.replace(/[?#].*$/s, ''));
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${knownRoute(parsed.pathname)}`;
  } catch {
    return '';
  }
}

function knownRoute(path: string): string {
  return ROUTES.test(path) ? path : '/other';
}

/**
 * SQL with every literal replaced by `?`: quoted strings (escapes and doubled quotes included), hex
 * and numeric literals. The gateway's statements carry values as parameters; this catches the rest.
 */
export function maskSql(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'?/gs, '?')
    .replace(/"(?:[^"\\]|\\.|"")*"?/gs, '?')
    .replace(/\b0x[0-9a-f]+\b/gi, '?')
    .replace(/(?<![\w$`])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w$`])/gi, '?');
}
