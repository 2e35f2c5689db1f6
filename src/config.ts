import { join, resolve } from 'node:path';
import { bool, cleanEnv, str, url } from 'envalid';
import {
  positiveInt,
  nonNegativeInt,
  intBetween,
  unitInterval,
  portNumber,
  databaseUrl,
  base64Key,
  privateJwk,
  jwks,
  corsOrigins,
  perViewer,
  trustProxy,
  sharesKey,
  redisUrl,
  bearerToken,
  httpUrl,
} from './config-validators';
import type { OperationLimits } from './limits/budgets';

/**
 * The gateway's configuration. This module is the only reader of `process.env`: everything else
 * receives a validated `Config`. A wrong or missing setting throws a `ConfigError` whose message is
 * one line naming the variable (never its value: some settings are secrets).
 */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  databaseTimeouts: DatabaseTimeouts;
  logLevel: string;
  bodyLimit: string;
  trustProxy: string | false;
  corsOrigins: string[];
  tokens: {
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    stepUpMaxAgeSeconds: number;
    /** A retry of a just-rotated refresh token within this many seconds gets the same successor. */
    refreshReuseGraceSeconds: number;
  };
  /** Private JWK (JSON) used to sign member tokens; generated into DATA_DIR outside production. */
  signingKey?: string;
  /** Earlier public JWKs (a JWKS document) still accepted and published while tokens they signed live. */
  previousVerificationKeys?: string;
  /** Base64 of 32 bytes; generated into DATA_DIR outside production. */
  dataEncryptionKey?: string;
  /** Private JWK (JSON) that signs audit checkpoints only; generated into DATA_DIR outside production. */
  auditSigningKey?: string;
  /** Earlier public audit keys (a JWKS document), still published so old checkpoints verify. */
  auditPreviousVerificationKeys?: string;
  /** The audit sequencer (src/audit/audit-sequencer.ts): how often a round runs, in seconds. */
  auditSequenceIntervalSeconds: number;
  staff?: { jwksUrl: string; issuer: string; audience: string };
  /** Longest accepted staff token lifetime (`exp - iat`). */
  staffTokenMaxLifetimeSeconds: number;
  /** Registrations per client address per hour (counted before the password is hashed). */
  registerMaxPerAddress: number;
  /** Redis for the shared throttle counters; unset: the MySQL/MariaDB database, or memory on SQLite. */
  redisUrl?: string;
  /** Distinct consenting members who must have touched a product before anyone else is shown it. */
  recommendationMinMembers: number;
  login: {
    maxFailuresPerIdentifier: number;
    maxFailuresPerAddress: number;
    failureWindowSeconds: number;
  };
  /** Cosine similarity a biometric sample must reach to sign in. */
  biometricMatchThreshold: number;
  /** Rows per list section in one exportMyData response; more come by `section` and `after`. */
  exportSectionRows: number;
  /** Days each kind of data is kept; `npm run retention` and the in-server schedule apply them. */
  retention: {
    browsingDays: number;
    searchDays: number;
    deviceDays: number;
    hiddenOrderDays: number;
    auditDays: number;
    decisionDays: number;
    intervalHours: number;
  };
  /** Where erasure notices to recipients are POSTed; unset: they wait in the outbox. */
  erasureWebhookUrl?: string;
  /** The erasure-notice outbox: how often it is worked (once across instances), failed attempts before a notice is FAILING. */
  outbox: { intervalSeconds: number; maxAttempts: number };
  /** Members younger than this (years) need a guardian for optional purposes. */
  minorAge: number;
  /** log2 of scrypt's cost parameter N. */
  passwordHashCost: number;
  /** Which operations clients may send (src/trusted-documents) and where the manifest is. */
  trustedDocuments: { mode: 'enforce' | 'allow' | 'off'; manifestPath: string };
  /** Per-viewer budgets of one operation and the mutation caps (src/limits). */
  operationLimits: OperationLimits;
  /** A GraphQL request still running after this answers SERVICE_UNAVAILABLE; its remaining work is abandoned. */
  requestTimeoutMs: number;
  /** GraphQL requests one instance runs at once, and how many more may wait (src/http/admission.ts). */
  admission: { maxConcurrent: number; maxQueued: number };
  /** `GET /metrics` (Prometheus text); with a token, only for `Authorization: Bearer <token>`. */
  metrics: { enabled: boolean; token?: string };
  /** OpenTelemetry traces go to this OTLP/HTTP endpoint (`/v1/traces` appended); unset: no tracing. */
  tracing: { otlpEndpoint?: string };
}

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string; poolSize: number };

/** How long the gateway waits on its database before it gives up (the request then answers SERVICE_UNAVAILABLE). */
export interface DatabaseTimeouts {
  /** Opening a MySQL/MariaDB connection. */
  connectMs: number;
  /** Waiting for a pooled connection (MySQL/MariaDB) or for SQLite's write lock (its busy timeout). */
  acquireMs: number;
  /** One statement on MySQL/MariaDB (server-side limit, and a client-side one for a server that stopped answering); 0: none (migrations). */
  statementMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = cleanEnv(
    env,
    {
      NODE_ENV: str({ choices: ['development', 'production', 'test'] as const, default: 'development' }),
      HOST: str({ default: '0.0.0.0' }),
      PORT: portNumber({ default: 4000 }),
      DATA_DIR: str({ default: './data' }),
      DATABASE_URL: databaseUrl({ default: undefined }),
      DATABASE_POOL_SIZE: positiveInt({ default: 10 }),
      DATABASE_CONNECT_TIMEOUT_MS: positiveInt({ default: 3000 }),
      DATABASE_ACQUIRE_TIMEOUT_MS: positiveInt({ default: 5000 }),
      DATABASE_STATEMENT_TIMEOUT_MS: positiveInt({ default: 5000 }),
      REQUEST_TIMEOUT_MS: positiveInt({ default: 10000 }),
      MAX_CONCURRENT_REQUESTS: positiveInt({ default: 32 }),
      MAX_QUEUED_REQUESTS: nonNegativeInt({ default: 256 }),
      LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
      BODY_LIMIT: str({ default: '100kb' }),
      TRUST_PROXY: trustProxy({ default: false }),
      CORS_ORIGINS: corsOrigins({ default: '' }),
      TOKEN_ISSUER: str({ default: 'urn:member-privacy-gateway' }),
      TOKEN_AUDIENCE: str({ default: 'member-privacy-gateway' }),
      ACCESS_TOKEN_TTL_SECONDS: positiveInt({ default: 15 * 60 }),
      REFRESH_TOKEN_TTL_SECONDS: positiveInt({ default: 30 * 24 * 3600 }),
      STEP_UP_MAX_AGE_SECONDS: positiveInt({ default: 300 }),
      REFRESH_REUSE_GRACE_SECONDS: nonNegativeInt({ default: 10 }),
      SIGNING_KEY: privateJwk({ default: undefined }),
      PREVIOUS_VERIFICATION_KEYS: jwks({ default: undefined }),
      DATA_ENCRYPTION_KEY: base64Key({ default: undefined }),
      AUDIT_SIGNING_KEY: privateJwk({ default: undefined }),
      AUDIT_PREVIOUS_VERIFICATION_KEYS: jwks({ default: undefined }),
      AUDIT_SEQUENCE_INTERVAL_SECONDS: positiveInt({ default: 5 }),
      STAFF_JWKS_URL: url({ default: undefined }),
      STAFF_ISSUER: str({ default: undefined }),
      STAFF_AUDIENCE: str({ default: undefined }),
      STAFF_TOKEN_MAX_LIFETIME_SECONDS: positiveInt({ default: 3600 }),
      REGISTER_MAX_PER_ADDRESS: positiveInt({ default: 20 }),
      REDIS_URL: redisUrl({ default: undefined }),
      RECOMMENDATION_MIN_MEMBERS: positiveInt({ default: 5 }),
      LOGIN_MAX_FAILURES_PER_IDENTIFIER: positiveInt({ default: 5 }),
      LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt({ default: 100 }),
      LOGIN_FAILURE_WINDOW_SECONDS: positiveInt({ default: 15 * 60 }),
      PASSWORD_HASH_COST: positiveInt({ default: 15 }),
      MINOR_AGE: positiveInt({ default: 14 }),
      RETENTION_BROWSING_DAYS: positiveInt({ default: 180 }),
      RETENTION_SEARCH_DAYS: positiveInt({ default: 90 }),
      RETENTION_DEVICE_DAYS: positiveInt({ default: 365 }),
      RETENTION_HIDDEN_ORDER_DAYS: positiveInt({ default: 3 * 365 }),
      RETENTION_AUDIT_DAYS: positiveInt({ default: 3 * 365 }),
      RETENTION_DECISION_DAYS: positiveInt({ default: 365 }),
      RETENTION_INTERVAL_HOURS: intBetween(0, 8760)({ default: 24 }),
      ERASURE_WEBHOOK_URL: url({ default: undefined }),
      OUTBOX_INTERVAL_SECONDS: intBetween(1, 86400)({ default: 60 }),
      OUTBOX_MAX_ATTEMPTS: intBetween(1, 100)({ default: 10 }),
      BIOMETRIC_MATCH_THRESHOLD: unitInterval({ default: 0.9 }),
      EXPORT_SECTION_ROWS: positiveInt({ default: 1000 }),
      ALLOW_WEAK_PASSWORD_HASH: bool({ default: false }),
      TRUSTED_DOCUMENTS: str({ choices: ['enforce', 'allow', 'off'] as const, default: undefined }),
      TRUSTED_DOCUMENTS_MANIFEST: str({ default: undefined }),
      LIMIT_MAX_TOKENS: perViewer({ default: [2000, 4000, 8000] }),
      LIMIT_MAX_DEPTH: perViewer({ default: [6, 8, 10] }),
      LIMIT_MAX_ROOT_FIELDS: perViewer({ default: [5, 10, 15] }),
      LIMIT_MAX_ALIASES: perViewer({ default: [10, 30, 50] }),
      LIMIT_MAX_COST: perViewer({ default: [2000, 20000, 50000] }),
      LIMIT_MAX_ROOT_MUTATIONS: positiveInt({ default: 5 }),
      LIMIT_ASSUMED_LIST_SIZE: positiveInt({ default: 10 }),
      METRICS_ENABLED: bool({ default: true }),
      METRICS_TOKEN: bearerToken({ default: undefined }),
      OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl({ default: undefined }),
    },
    { reporter: reportFirstError },
  );

  const production = raw.NODE_ENV === 'production';
  if (production && !raw.SIGNING_KEY) fail('SIGNING_KEY', 'is required in production (a private JWK)');
  if (production && !raw.DATA_ENCRYPTION_KEY) fail('DATA_ENCRYPTION_KEY', 'is required in production (base64 of 32 bytes)');
  if (production && !raw.AUDIT_SIGNING_KEY) fail('AUDIT_SIGNING_KEY', 'is required in production (a private JWK used only for audit checkpoints)');
  // An audit key that could verify a member token (or the reverse) would blur what each signature means.
  if (raw.AUDIT_SIGNING_KEY && sharesKey(raw.AUDIT_SIGNING_KEY, [raw.SIGNING_KEY, raw.PREVIOUS_VERIFICATION_KEYS])) {
    fail('AUDIT_SIGNING_KEY', 'must be a key (and kid) of its own, not one of SIGNING_KEY or PREVIOUS_VERIFICATION_KEYS');
  }
  const staffVars = [raw.STAFF_JWKS_URL, raw.STAFF_ISSUER, raw.STAFF_AUDIENCE];
  if (staffVars.some(Boolean) && !staffVars.every(Boolean)) {
    const missing = (['STAFF_JWKS_URL', 'STAFF_ISSUER', 'STAFF_AUDIENCE'] as const).find((name) => !raw[name]);
    fail(missing ?? 'STAFF_JWKS_URL', 'must be set together with STAFF_JWKS_URL, STAFF_ISSUER and STAFF_AUDIENCE');
  }
  // scrypt below 2^14 is too cheap for stored passwords; tests may opt in explicitly.
  if (raw.PASSWORD_HASH_COST > 20 || (raw.PASSWORD_HASH_COST < 14 && !(raw.ALLOW_WEAK_PASSWORD_HASH && !production))) {
    fail('PASSWORD_HASH_COST', 'must be between 14 and 20');
  }

  const dataDir = resolve(raw.DATA_DIR);
  const timeouts: DatabaseTimeouts = {
    connectMs: raw.DATABASE_CONNECT_TIMEOUT_MS,
    acquireMs: raw.DATABASE_ACQUIRE_TIMEOUT_MS,
    statementMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
  };
  const database = databaseConfigOf(raw.DATABASE_URL, dataDir, raw.DATABASE_POOL_SIZE);

  return {
    nodeEnv: raw.NODE_ENV,
    production,
    host: raw.HOST,
    port: raw.PORT,
    dataDir,
    database,
    databaseTimeouts: timeouts,
    logLevel: raw.LOG_LEVEL,
    bodyLimit: raw.BODY_LIMIT,
    trustProxy: raw.TRUST_PROXY,
    corsOrigins: raw.CORS_ORIGINS.split(',').filter(Boolean),
    tokens: {
      issuer: raw.TOKEN_ISSUER,
      audience: raw.TOKEN_AUDIENCE,
      accessTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: raw.REFRESH_TOKEN_TTL_SECONDS,
      stepUpMaxAgeSeconds: raw.STEP_UP_MAX_AGE_SECONDS,
      refreshReuseGraceSeconds: raw.REFRESH_REUSE_GRACE_SECONDS,
    },
    signingKey: raw.SIGNING_KEY,
    previousVerificationKeys: raw.PREVIOUS_VERIFICATION_KEYS,
    dataEncryptionKey: raw.DATA_ENCRYPTION_KEY,
    auditSigningKey: raw.AUDIT_SIGNING_KEY,
    auditPreviousVerificationKeys: raw.AUDIT_PREVIOUS_VERIFICATION_KEYS,
    auditSequenceIntervalSeconds: raw.AUDIT_SEQUENCE_INTERVAL_SECONDS,
    staff: raw.STAFF_JWKS_URL ? { jwksUrl: raw.STAFF_JWKS_URL, issuer: raw.STAFF_ISSUER!, audience: raw.STAFF_AUDIENCE! } : undefined,
    staffTokenMaxLifetimeSeconds: raw.STAFF_TOKEN_MAX_LIFETIME_SECONDS,
    registerMaxPerAddress: raw.REGISTER_MAX_PER_ADDRESS,
    redisUrl: raw.REDIS_URL,
    recommendationMinMembers: raw.RECOMMENDATION_MIN_MEMBERS,
    login: {
      maxFailuresPerIdentifier: raw.LOGIN_MAX_FAILURES_PER_IDENTIFIER,
      maxFailuresPerAddress: raw.LOGIN_MAX_FAILURES_PER_ADDRESS,
      failureWindowSeconds: raw.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    passwordHashCost: raw.PASSWORD_HASH_COST,
    minorAge: raw.MINOR_AGE,
    erasureWebhookUrl: raw.ERASURE_WEBHOOK_URL,
    outbox: { intervalSeconds: raw.OUTBOX_INTERVAL_SECONDS, maxAttempts: raw.OUTBOX_MAX_ATTEMPTS },
    retention: {
      browsingDays: raw.RETENTION_BROWSING_DAYS,
      searchDays: raw.RETENTION_SEARCH_DAYS,
      deviceDays: raw.RETENTION_DEVICE_DAYS,
      hiddenOrderDays: raw.RETENTION_HIDDEN_ORDER_DAYS,
      auditDays: raw.RETENTION_AUDIT_DAYS,
      decisionDays: raw.RETENTION_DECISION_DAYS,
      intervalHours: raw.RETENTION_INTERVAL_HOURS,
    },
    biometricMatchThreshold: raw.BIOMETRIC_MATCH_THRESHOLD,
    trustedDocuments: {
      mode: raw.TRUSTED_DOCUMENTS ?? (production ? 'enforce' : 'allow'),
      manifestPath: resolve(raw.TRUSTED_DOCUMENTS_MANIFEST ?? join(PACKAGE_ROOT, 'examples', 'persisted-documents.json')),
    },
    operationLimits: {
      budgets: Object.fromEntries(
        (['anonymous', 'member', 'staff'] as const).map((kind, i) => [
          kind,
          {
            tokens: raw.LIMIT_MAX_TOKENS[i]!,
            depth: raw.LIMIT_MAX_DEPTH[i]!,
            rootFields: raw.LIMIT_MAX_ROOT_FIELDS[i]!,
            aliases: raw.LIMIT_MAX_ALIASES[i]!,
            cost: raw.LIMIT_MAX_COST[i]!,
          },
        ]),
      ) as OperationLimits['budgets'],
      maxRootMutations: raw.LIMIT_MAX_ROOT_MUTATIONS,
      assumedListSize: raw.LIMIT_ASSUMED_LIST_SIZE,
    },
    exportSectionRows: raw.EXPORT_SECTION_ROWS,
    requestTimeoutMs: raw.REQUEST_TIMEOUT_MS,
    admission: { maxConcurrent: raw.MAX_CONCURRENT_REQUESTS, maxQueued: raw.MAX_QUEUED_REQUESTS },
    metrics: { enabled: raw.METRICS_ENABLED, token: raw.METRICS_TOKEN },
    tracing: { otlpEndpoint: raw.OTEL_EXPORTER_OTLP_ENDPOINT },
  };
}

/**
 * Only the database settings (DATABASE_URL, DATA_DIR, DATABASE_POOL_SIZE), for tools that need
 * nothing else and must not require the gateway's keys, such as `npm run audit:verify`.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const raw = cleanEnv(
    env,
    { DATA_DIR: str({ default: './data' }), DATABASE_URL: databaseUrl({ default: undefined }), DATABASE_POOL_SIZE: positiveInt({ default: 10 }) },
    { reporter: reportFirstError },
  );
  return databaseConfigOf(raw.DATABASE_URL, resolve(raw.DATA_DIR), raw.DATABASE_POOL_SIZE);
}

function databaseConfigOf(url: string | undefined, dataDir: string, poolSize: number): DatabaseConfig {
  const value = url ?? `sqlite:${resolve(dataDir, 'gateway.sqlite')}`;
  return value.startsWith('sqlite:') ? { kind: 'sqlite', path: resolve(value.slice('sqlite:'.length)) } : { kind: 'mysql', url: value, poolSize };
}

/** The package's root, from src/ (ts-jest) or dist/src/ (built). */
const PACKAGE_ROOT = resolve(__dirname, '..', resolve(__dirname, '..').endsWith('dist') ? '..' : '.');

function fail(variable: string, problem: string): never {
  throw new ConfigError(`Invalid configuration: ${variable} ${problem}`);
}

// envalid's own reporter prints a multi-line banner and exits; we want one line and a throw.
function reportFirstError({ errors }: { errors: Partial<Record<string, Error>> }): void {
  const [variable, error] = Object.entries(errors)[0] ?? [];
  if (!variable || !error) return;
  fail(variable, describe(error));
}

/** Turns a validator's complaint into words that never repeat the offending value. */
function describe(error: Error): string {
  if (error.name === 'EnvMissingError' || !error.message) return 'is missing';
  const choices = /not in choices \[(.*)\]/.exec(error.message);
  if (choices) return `must be one of ${choices[1]}`;
  // Our validators' messages start with "must" and never quote the value; envalid's do quote it.
  return error.message.startsWith('must ') ? error.message : 'is not valid';
}
