import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../../src/config';

const DATA_DIR = join(tmpdir(), 'gateway-config-test');

/** A valid private EC P-256 JWK carrying a kid, as JSON. */
function privateJwk(extra: Record<string, unknown> = { kid: 'test-key-1' }): string {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return JSON.stringify({ ...jwk, ...extra });
}

function publicJwk(): string {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return JSON.stringify({ ...jwk, kid: 'public-only' });
}

const dataKey = () => randomBytes(32).toString('base64');

/** Runs loadConfig and returns the ConfigError it throws; fails the test if it does not throw one. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  let thrown: unknown;
  try {
    loadConfig({ DATA_DIR, ...env });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  return thrown as ConfigError;
}

/** Asserts the error is one line that starts by naming `variable`. */
function expectNamed(error: ConfigError, variable: string): void {
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message.startsWith(`Invalid configuration: ${variable} `)).toBe(true);
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ DATA_DIR });

  it('listens on port 4000 by default', () => {
    expect(config.port).toBe(4000);
  });

  it('works the erasure outbox every 60 s and calls a notice FAILING after 10 failed attempts by default', () => {
    expect(config.outbox).toEqual({ intervalSeconds: 60, maxAttempts: 10 });
  });

  it('runs in development, not production, when NODE_ENV is unset', () => {
    expect(config.nodeEnv).toBe('development');
    expect(config.production).toBe(false);
  });

  it('issues 15-minute access tokens and 30-day refresh tokens by default', () => {
    expect(config.tokens.accessTtlSeconds).toBe(900);
    expect(config.tokens.refreshTtlSeconds).toBe(2592000);
  });

  it('asks for step-up after 300 seconds by default', () => {
    expect(config.tokens.stepUpMaxAgeSeconds).toBe(300);
  });

  it('stores data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(config.dataDir).toBe(resolve(DATA_DIR));
    expect(config.database).toEqual({ kind: 'sqlite', path: resolve(DATA_DIR, 'gateway.sqlite') });
  });

  it('limits login failures to 5 per identifier and 100 per address over 900 seconds by default', () => {
    expect(config.login).toEqual({ maxFailuresPerIdentifier: 5, maxFailuresPerAddress: 100, failureWindowSeconds: 900 });
  });

  it('has no staff identity provider unless one is configured', () => {
    expect(config.staff).toBeUndefined();
  });

  it('hashes passwords at scrypt cost 2^15 by default', () => {
    expect(config.passwordHashCost).toBe(15);
  });
});

describe('loadConfig accepted settings', () => {
  it('recognises a mysql:// DATABASE_URL as a MySQL database', () => {
    const config = loadConfig({ DATA_DIR, DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test', poolSize: 10 });
  });

  it('recognises a mariadb:// DATABASE_URL as a MySQL database', () => {
    expect(loadConfig({ DATA_DIR, DATABASE_URL: 'mariadb://root@db/shop' }).database.kind).toBe('mysql');
  });

  it('uses the SQLite path given in a sqlite: DATABASE_URL', () => {
    const path = join(tmpdir(), 'elsewhere.sqlite');
    expect(loadConfig({ DATA_DIR, DATABASE_URL: `sqlite:${path}` }).database).toEqual({ kind: 'sqlite', path });
  });

  it('has no REDIS_URL by default, and takes redis:// and rediss:// URLs with a password and a database index', () => {
    expect(loadConfig({ DATA_DIR }).redisUrl).toBeUndefined();
    for (const url of ['redis://127.0.0.1:6379', 'redis://:secret@cache:6380/2', 'rediss://user:secret@cache.example.com/']) {
      expect(loadConfig({ DATA_DIR, REDIS_URL: url }).redisUrl).toBe(url);
    }
  });

  it('accepts port 0 (a free port chosen by the OS)', () => {
    expect(loadConfig({ DATA_DIR, PORT: '0' }).port).toBe(0);
  });

  it('reads an explicit STEP_UP_MAX_AGE_SECONDS', () => {
    expect(loadConfig({ DATA_DIR, STEP_UP_MAX_AGE_SECONDS: '60' }).tokens.stepUpMaxAgeSeconds).toBe(60);
  });

  it('starts in production with a private signing JWK and a 32-byte data key', () => {
    const signingKey = privateJwk();
    const dataEncryptionKey = dataKey();
    const auditSigningKey = privateJwk({ kid: 'audit-1' });
    const config = loadConfig({
      DATA_DIR,
      NODE_ENV: 'production',
      SIGNING_KEY: signingKey,
      DATA_ENCRYPTION_KEY: dataEncryptionKey,
      AUDIT_SIGNING_KEY: auditSigningKey,
    });
    expect(config.production).toBe(true);
    expect(config.auditSigningKey).toBe(auditSigningKey);
    expect(config.signingKey).toBe(signingKey);
    expect(config.dataEncryptionKey).toBe(dataEncryptionKey);
  });

  it('accepts a complete staff identity provider configuration', () => {
    const config = loadConfig({
      DATA_DIR,
      STAFF_JWKS_URL: 'https://idp.example/jwks.json',
      STAFF_ISSUER: 'https://idp.example/',
      STAFF_AUDIENCE: 'gateway',
    });
    expect(config.staff).toEqual({ jwksUrl: 'https://idp.example/jwks.json', issuer: 'https://idp.example/', audience: 'gateway' });
  });

  it('accepts PASSWORD_HASH_COST 10 outside production when ALLOW_WEAK_PASSWORD_HASH is true', () => {
    expect(loadConfig({ DATA_DIR, PASSWORD_HASH_COST: '10', ALLOW_WEAK_PASSWORD_HASH: 'true' }).passwordHashCost).toBe(10);
  });
});

describe('loadConfig refuses bad settings with one line naming the variable', () => {
  it.each(['abc', '70000', '-1', '4000.5'])('refuses PORT=%j', (port) => {
    const error = configError({ PORT: port });
    expect(error.message).toBe('Invalid configuration: PORT must be a port number (0-65535)');
  });

  it('refuses a postgres:// DATABASE_URL', () => {
    expectNamed(configError({ DATABASE_URL: 'postgres://x/y' }), 'DATABASE_URL');
  });

  it('does not repeat a rejected DATABASE_URL, which may carry a password', () => {
    const error = configError({ DATABASE_URL: 'postgres://admin:hunter2secret@db/shop' });
    expectNamed(error, 'DATABASE_URL');
    expect(error.message).not.toContain('hunter2secret');
  });

  it.each(['http://cache:6379', 'cache:6379', 'redis://', 'redis://cache/not-a-db'])('refuses REDIS_URL=%j', (url) => {
    expectNamed(configError({ REDIS_URL: url }), 'REDIS_URL');
  });

  it('does not repeat a rejected REDIS_URL, which may carry a password', () => {
    const error = configError({ REDIS_URL: 'http://:hunter2secret@cache:6379' });
    expectNamed(error, 'REDIS_URL');
    expect(error.message).not.toContain('hunter2secret');
  });

  it('refuses an unknown NODE_ENV and lists the allowed values', () => {
    const error = configError({ NODE_ENV: 'staging' });
    expectNamed(error, 'NODE_ENV');
    expect(error.message).toContain('development');
    expect(error.message).not.toContain('staging');
  });

  it.each(['0', '-1', '1.5', 'soon'])('refuses STEP_UP_MAX_AGE_SECONDS=%j', (value) => {
    const error = configError({ STEP_UP_MAX_AGE_SECONDS: value });
    expect(error.message).toBe('Invalid configuration: STEP_UP_MAX_AGE_SECONDS must be a positive whole number');
  });

  it.each([
    ['OUTBOX_INTERVAL_SECONDS', '0', 'must be a whole number from 1 to 86400'],
    ['OUTBOX_INTERVAL_SECONDS', '86401', 'must be a whole number from 1 to 86400'],
    ['OUTBOX_MAX_ATTEMPTS', '0', 'must be a whole number from 1 to 100'],
    ['RETENTION_INTERVAL_HOURS', '-1', 'must be a whole number from 0 to 8760'],
    ['OUTBOX_MAX_ATTEMPTS', 'ten', 'must be a whole number from 1 to 100'],
  ])('refuses %s=%j', (variable, value, problem) => {
    expect(configError({ [variable]: value }).message).toBe(`Invalid configuration: ${variable} ${problem}`);
  });

  it('refuses a DATA_ENCRYPTION_KEY that is not 32 bytes, without repeating it', () => {
    const error = configError({ DATA_ENCRYPTION_KEY: 'c2VjcmV0' });
    expectNamed(error, 'DATA_ENCRYPTION_KEY');
    expect(error.message).not.toContain('c2VjcmV0');
    expect(error.message).not.toContain('secret');
  });

  it('refuses a 33-byte DATA_ENCRYPTION_KEY', () => {
    expectNamed(configError({ DATA_ENCRYPTION_KEY: randomBytes(33).toString('base64') }), 'DATA_ENCRYPTION_KEY');
  });

  it('refuses a SIGNING_KEY that is not JSON, without repeating it', () => {
    const error = configError({ SIGNING_KEY: 'not-json-s3cr3t' });
    expectNamed(error, 'SIGNING_KEY');
    expect(error.message).not.toContain('s3cr3t');
  });

  it('refuses a public-only SIGNING_KEY, without repeating it', () => {
    const jwk = publicJwk();
    const error = configError({ SIGNING_KEY: jwk });
    expectNamed(error, 'SIGNING_KEY');
    expect(error.message).not.toContain(JSON.parse(jwk).x);
  });

  it('refuses a SIGNING_KEY without a kid, without repeating the private key', () => {
    const jwk = privateJwk({});
    const error = configError({ SIGNING_KEY: jwk });
    expectNamed(error, 'SIGNING_KEY');
    expect(error.message).toBe('Invalid configuration: SIGNING_KEY must carry a "kid"');
    expect(error.message).not.toContain(JSON.parse(jwk).d);
  });

  it('refuses a SIGNING_KEY whose kid is empty', () => {
    expectNamed(configError({ SIGNING_KEY: privateJwk({ kid: '' }) }), 'SIGNING_KEY');
  });

  it('refuses to run in production without a SIGNING_KEY', () => {
    const error = configError({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: dataKey() });
    expectNamed(error, 'SIGNING_KEY');
  });

  it('refuses to run in production without an AUDIT_SIGNING_KEY, naming it', () => {
    const error = configError({ NODE_ENV: 'production', SIGNING_KEY: privateJwk(), DATA_ENCRYPTION_KEY: dataKey() });
    expect(error.message).toBe('Invalid configuration: AUDIT_SIGNING_KEY is required in production (a private JWK used only for audit checkpoints)');
  });

  it('refuses an AUDIT_SIGNING_KEY that is, or shares a kid with, a member-token key', () => {
    const signingKey = privateJwk({ kid: 'k-1' });
    expectNamed(
      configError({ SIGNING_KEY: signingKey, AUDIT_SIGNING_KEY: JSON.stringify({ ...JSON.parse(signingKey), kid: 'audit-1' }) }),
      'AUDIT_SIGNING_KEY',
    );
    expectNamed(
      configError({ AUDIT_SIGNING_KEY: privateJwk({ kid: 'k-1' }), PREVIOUS_VERIFICATION_KEYS: JSON.stringify({ keys: [{ kid: 'k-1' }] }) }),
      'AUDIT_SIGNING_KEY',
    );
    expect(loadConfig({ DATA_DIR, SIGNING_KEY: signingKey, AUDIT_SIGNING_KEY: privateJwk({ kid: 'audit-1' }) }).auditSigningKey).toBeDefined();
  });

  it('sequences the audit trail every 5 seconds unless AUDIT_SEQUENCE_INTERVAL_SECONDS says otherwise', () => {
    expect(loadConfig({ DATA_DIR }).auditSequenceIntervalSeconds).toBe(5);
    expect(loadConfig({ DATA_DIR, AUDIT_SEQUENCE_INTERVAL_SECONDS: '2' }).auditSequenceIntervalSeconds).toBe(2);
    expectNamed(configError({ AUDIT_SEQUENCE_INTERVAL_SECONDS: '0' }), 'AUDIT_SEQUENCE_INTERVAL_SECONDS');
  });

  it('refuses to run in production without a DATA_ENCRYPTION_KEY', () => {
    const error = configError({ NODE_ENV: 'production', SIGNING_KEY: privateJwk() });
    expectNamed(error, 'DATA_ENCRYPTION_KEY');
  });

  it.each([
    [{ STAFF_JWKS_URL: 'https://idp.example/jwks.json' }, 'STAFF_ISSUER'],
    [{ STAFF_JWKS_URL: 'https://idp.example/jwks.json', STAFF_ISSUER: 'https://idp.example/' }, 'STAFF_AUDIENCE'],
    [{ STAFF_ISSUER: 'https://idp.example/', STAFF_AUDIENCE: 'gateway' }, 'STAFF_JWKS_URL'],
    [{ STAFF_AUDIENCE: 'gateway' }, 'STAFF_JWKS_URL'],
  ])('refuses a partial staff identity provider %j, naming %s', (env, missing) => {
    expectNamed(configError(env), missing);
  });

  it('refuses PASSWORD_HASH_COST 10 without ALLOW_WEAK_PASSWORD_HASH', () => {
    expect(configError({ PASSWORD_HASH_COST: '10' }).message).toBe('Invalid configuration: PASSWORD_HASH_COST must be between 14 and 20');
  });

  it('refuses PASSWORD_HASH_COST 10 in production even with ALLOW_WEAK_PASSWORD_HASH', () => {
    const error = configError({
      NODE_ENV: 'production',
      SIGNING_KEY: privateJwk(),
      DATA_ENCRYPTION_KEY: dataKey(),
      AUDIT_SIGNING_KEY: privateJwk({ kid: 'audit-1' }),
      PASSWORD_HASH_COST: '10',
      ALLOW_WEAK_PASSWORD_HASH: 'true',
    });
    expectNamed(error, 'PASSWORD_HASH_COST');
  });

  it('refuses PASSWORD_HASH_COST above 20', () => {
    expectNamed(configError({ PASSWORD_HASH_COST: '21' }), 'PASSWORD_HASH_COST');
  });

  it('refuses a non-boolean ALLOW_WEAK_PASSWORD_HASH without repeating it', () => {
    const error = configError({ ALLOW_WEAK_PASSWORD_HASH: 'maybe-xyz' });
    expectNamed(error, 'ALLOW_WEAK_PASSWORD_HASH');
    expect(error.message).not.toContain('maybe-xyz');
  });

  it('names the error class ConfigError', () => {
    expect(configError({ PORT: 'abc' }).name).toBe('ConfigError');
  });
});

describe('CORS_ORIGINS', () => {
  it('normalises origins as browsers send them: trailing slash, case, default port', () => {
    const config = loadConfig({ DATA_DIR, CORS_ORIGINS: 'http://Shop.Example.com:8080/, https://m.example.com:443 ,' });
    expect(config.corsOrigins).toEqual(['http://shop.example.com:8080', 'https://m.example.com']);
  });

  it.each([
    ['a path', 'https://shop.example.com/app'],
    ['no scheme', 'shop.example.com'],
    ['another scheme', 'ftp://shop.example.com'],
  ])('refuses an origin with %s at start-up, naming CORS_ORIGINS', (_case, origin) => {
    expectNamed(configError({ CORS_ORIGINS: origin }), 'CORS_ORIGINS');
  });
});

describe('metrics and tracing settings', () => {
  it('serves metrics without a token and traces nothing by default', () => {
    const config = loadConfig({ DATA_DIR });
    expect(config.metrics).toEqual({ enabled: true, token: undefined });
    expect(config.tracing).toEqual({ otlpEndpoint: undefined });
  });

  it('reads METRICS_ENABLED, METRICS_TOKEN and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const config = loadConfig({
      DATA_DIR,
      METRICS_ENABLED: 'false',
      METRICS_TOKEN: 'scrape-token-0123456789',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(config.metrics).toEqual({ enabled: false, token: 'scrape-token-0123456789' });
    expect(config.tracing).toEqual({ otlpEndpoint: 'http://collector:4318' });
  });

  it.each(['short-token', 'with a space in the token text'])('refuses METRICS_TOKEN=%j without repeating it', (token) => {
    const error = configError({ METRICS_TOKEN: token });
    expect(error.message).toBe('Invalid configuration: METRICS_TOKEN must be 16 to 256 printable characters without spaces');
  });

  it.each(['collector:4318', 'not a url'])('refuses OTEL_EXPORTER_OTLP_ENDPOINT=%j', (endpoint) => {
    expect(configError({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).message).toBe(
      'Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
    );
  });
});
