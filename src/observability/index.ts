/**
 * Observability: Prometheus metrics (a registry per gateway, gauges read at scrape time from
 * sources the features supply) and OpenTelemetry tracing (./tracing, loaded by main.ts before
 * the gateway). Nothing here reads a feature's tables, and no label or span attribute carries a
 * member id, a personal value or text a client wrote.
 */
export { GatewayMetrics, type PoolUsage, type ScrapeSources } from './gateway-metrics';
export { requestMetricsPlugin } from './request-metrics.plugin';
export type { RequestObservation } from './request-observation';
