import { Counter, Histogram, Registry } from 'prom-client';
import { processMetrics } from './process-metrics';
import { RequestObservation, type RequestLabels } from './request-observation';
import { ScrapedGauge } from './scraped-gauge';

/** Connections of the database pool, read when scraped. */
export interface PoolUsage {
  inUse: number;
  idle: number;
  waiting: number;
}

/**
 * Where the gauges read at scrape time come from. Each feature supplies its own (so this module
 * reads no feature's tables); a missing source reads as 0 (an empty backlog, a constant pool).
 */
export interface ScrapeSources {
  dbPool?: () => PoolUsage | Promise<PoolUsage>;
  /** Erasure notices per outbox state (PENDING, DELIVERED, FAILED…). */
  outboxNotices?: () => Promise<Readonly<Record<string, number>>>;
  /** Audit records written but not yet given their place in the chain. */
  auditUnsequenced?: () => Promise<number>;
}

/** Which throttle refused a request, by the root field it refused. */
const THROTTLE_OF_FIELD: Readonly<Record<string, string>> = {
  login: 'login',
  loginWithBiometric: 'biometric_login',
  register: 'register',
  stepUp: 'password_confirm',
  changePassword: 'password_confirm',
  cancelAccount: 'password_confirm',
};

/** A label value read from a database column: kept only if it looks like a code, never free text. */
const CODE_LIKE = /^[A-Z][A-Z0-9_]{0,31}$/;

/**
 * Where a request's observation rides on its GraphQL context: a symbol property, since Apollo hands
 * plugins a shallow copy of the context (Object.assign copies it), not the object HTTP built.
 */
const OBSERVATION = Symbol('request observation');

/** How long one scrape-time source may take before the scrape goes on without it. */
const SOURCE_TIMEOUT_MS = 1000;

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways may share a
 * process). Labels hold only operation types, manifest operation names, data categories, policy
 * outcomes, contract error codes and fixed words: never a member id, a value or operation text.
 */
export class GatewayMetrics {
  private readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'GraphQL requests by operation type, trusted-document operation name (else unlisted) and outcome (ok or the first error code).',
    labelNames: ['operation_type', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /**
   * Decisions counted in plain numbers (category → outcome → count) and handed to the counter when
   * scraped: a labelled `inc` hashes its labels on every call, and a request makes several.
   */
  private readonly decisionTally = new Map<string, Map<string, number>>();
  private readonly policyDecisions = new Counter({
    name: 'gateway_policy_decisions_total',
    help: 'Privacy-policy decisions (one per owner and category in a request) by data category and outcome (ALLOW, MASK, DENY).',
    labelNames: ['category', 'outcome'] as const,
    registers: [this.registry],
    collect: () => this.publishDecisions(),
  });
  private readonly auditAppend = new Histogram({
    name: 'gateway_audit_append_seconds',
    help: "Time to write one request's audit records before its response leaves.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly auditAppendFailures = new Counter({
    name: 'gateway_audit_append_failures_total',
    help: 'Audit writes that failed (the response was withheld: SERVICE_UNAVAILABLE).',
    registers: [this.registry],
  });
  private readonly throttleRejections = new Counter({
    name: 'gateway_throttle_rejections_total',
    help: 'Requests refused RATE_LIMITED, by throttle (login, biometric_login, register, password_confirm, other).',
    labelNames: ['throttle'] as const,
    registers: [this.registry],
  });
  private readonly shedRequests = new Counter({
    name: 'gateway_requests_shed_total',
    help: 'GraphQL requests refused SERVICE_UNAVAILABLE by admission control, by reason (queue-full, queue-timeout).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly collectFailures = new Counter({
    name: 'gateway_metrics_collect_failures_total',
    help: 'Scrape-time reads that failed or timed out (their gauge has no value in that scrape), by gauge.',
    labelNames: ['gauge'] as const,
    registers: [this.registry],
  });

  private readonly scraped: Array<ScrapedGauge<string>>;
  private admissionUsage: (() => { running: number; waiting: number }) | undefined;

  constructor(sources: ScrapeSources = {}) {
    const failed = (gauge: string) => () => this.collectFailures.inc({ gauge });
    const auditBacklog = new ScrapedGauge(
      { name: 'gateway_audit_unsequenced', help: 'Audit records not yet sequenced into the hash chain.', registers: [this.registry] },
      async () => [{ value: sources.auditUnsequenced ? await sources.auditUnsequenced() : 0 }],
      failed('gateway_audit_unsequenced'),
      SOURCE_TIMEOUT_MS,
    );
    const outbox = new ScrapedGauge(
      { name: 'gateway_outbox_notices', help: 'Erasure notices in the outbox, by state.', labelNames: ['state'] as const, registers: [this.registry] },
      async () =>
        Object.entries(sources.outboxNotices ? await sources.outboxNotices() : {}).map(([state, value]) => ({
          labels: { state: CODE_LIKE.test(state) ? state : 'OTHER' },
          value,
        })),
      failed('gateway_outbox_notices'),
      SOURCE_TIMEOUT_MS,
    );
    const pool = new ScrapedGauge(
      {
        name: 'gateway_db_pool_connections',
        help: 'Database connections by state (in_use, idle, waiting: callers queued for one). SQLite: one connection, idle between statements.',
        labelNames: ['state'] as const,
        registers: [this.registry],
      },
      async () => {
        const usage = sources.dbPool ? await sources.dbPool() : { inUse: 0, idle: 0, waiting: 0 };
        return [
          { labels: { state: 'in_use' }, value: usage.inUse },
          { labels: { state: 'idle' }, value: usage.idle },
          { labels: { state: 'waiting' }, value: usage.waiting },
        ];
      },
      failed('gateway_db_pool_connections'),
      SOURCE_TIMEOUT_MS,
    );
    const admission = new ScrapedGauge(
      {
        name: 'gateway_requests_admitted',
        help: 'GraphQL requests of this instance by admission state (running, waiting for a place).',
        labelNames: ['state'] as const,
        registers: [this.registry],
      },
      async () => {
        const usage = this.admissionUsage?.() ?? { running: 0, waiting: 0 };
        return [
          { labels: { state: 'running' }, value: usage.running },
          { labels: { state: 'waiting' }, value: usage.waiting },
        ];
      },
      failed('gateway_requests_admitted'),
      SOURCE_TIMEOUT_MS,
    );
    this.scraped = [auditBacklog, outbox, pool, admission];
  }

  /** Starts timing one GraphQL request (HTTP calls it on arrival). */
  requestStarted(): RequestObservation {
    return new RequestObservation((labels: RequestLabels, seconds) => this.requestDuration.observe(labels, seconds));
  }

  /** Ties a request's observation to its GraphQL context, so the GraphQL pipeline can describe it. */
  attach(context: object, observation: RequestObservation | undefined): void {
    // A plain assignment: defineProperty here was about 2 µs of a request's CPU in a profile.
    if (observation) (context as { [OBSERVATION]?: RequestObservation })[OBSERVATION] = observation;
  }

  observationOf(context: object): RequestObservation | undefined {
    return (context as { [OBSERVATION]?: RequestObservation })[OBSERVATION];
  }

  policyDecision(category: string, outcome: string): void {
    let byOutcome = this.decisionTally.get(category);
    if (!byOutcome) {
      byOutcome = new Map();
      this.decisionTally.set(category, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  /** Moves the decisions counted since the last scrape into the counter. */
  private publishDecisions(): void {
    for (const [category, byOutcome] of this.decisionTally) {
      for (const [outcome, count] of byOutcome) {
        if (count > 0) this.policyDecisions.inc({ category, outcome }, count);
        byOutcome.set(outcome, 0);
      }
    }
  }

  auditAppended(seconds: number): void {
    this.auditAppend.observe(seconds);
  }

  auditAppendFailed(): void {
    this.auditAppendFailures.inc();
  }

  /** A RATE_LIMITED refusal of the root field `field` (a schema name). */
  throttleRejected(field: string): void {
    this.throttleRejections.inc({ throttle: THROTTLE_OF_FIELD[field] ?? 'other' });
  }

  /** Where the admission gauge reads requests running and waiting (the GraphQL route's admission control). */
  watchAdmission(usage: () => { running: number; waiting: number }): void {
    this.admissionUsage = usage;
  }

  /** A request refused by admission control (the instance was at its limit of running and waiting requests). */
  requestShed(reason: 'queue-full' | 'queue-timeout'): void {
    this.shedRequests.inc({ reason });
  }

  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;

  /** The Prometheus text of this gateway's metrics and the process's (scrape-time gauges read first, their failures counted in the same text). */
  async scrape(): Promise<string> {
    await Promise.all(this.scraped.map((gauge) => gauge.refresh()));
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }
}
