import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { maskSql, privateSpanExporter } from './private-span-exporter';

export interface Tracing {
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/** Probes and scrapes: frequent, uninteresting, not traced. */
const UNTRACED = /^\/(healthz|readyz|metrics)(\?|$)/;

/**
 * OpenTelemetry tracing of HTTP, GraphQL and mysql2, sent over OTLP/HTTP to `otlpEndpoint`
 * (`/v1/traces` appended, as for OTEL_EXPORTER_OTLP_ENDPOINT) or to `exporter`.
 *
 * Must run before graphql, mysql2 and http are first required (main.ts loads the gateway after
 * it): the instrumentations patch modules as they load. PII-safe by settings (GraphQL values and
 * variables off, SQL masked, resolver spans only for non-trivial fields, list items merged) and
 * by the exporter wrapper (privateSpanExporter), which keeps only allow-listed attributes.
 */
export function startTracing(settings: { otlpEndpoint: string; serviceName?: string } | { exporter: SpanExporter; serviceName?: string }): Tracing {
  const exporter = 'exporter' in settings ? settings.exporter : new OTLPTraceExporter({ url: `${settings.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName ?? 'member-privacy-gateway' }),
    spanProcessors: [new BatchSpanProcessor(privateSpanExporter(exporter))],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED.test(request.url ?? ''),
        // No header becomes an attribute (the default); the query string is dropped by the exporter wrapper.
        headersToSpanAttributes: { client: { requestHeaders: [], responseHeaders: [] }, server: { requestHeaders: [], responseHeaders: [] } },
      }),
      new GraphQLInstrumentation({ allowValues: false, mergeItems: true, depth: 4, ignoreTrivialResolveSpans: true }),
      new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: maskSql }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
