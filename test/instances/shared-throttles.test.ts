import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deleteExpiredThrottleCounters } from '../../src/auth/database-throttle-backend';
import { ENROL, vector } from '../support/identity';
import { LOGIN, newMemberInput, REGISTER } from '../support/members';
import type { GraphQLClient } from '../support/graphql-client';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { useInstances } from '../support/use-instances';

const BIOMETRIC_LOGIN = `mutation Login($identifier: String!, $kind: BiometricKind!, $sample: [Float!]!) {
  loginWithBiometric(identifier: $identifier, kind: $kind, sample: $sample) { accessToken }
}`;
/** Keys as they reach a shared store: the limiter's prefix and an HMAC digest, nothing else. */
const DIGEST_KEY = /^(login-identifier|login-address|register-address):[0-9a-f]{64}$/;
/** A database of the Redis server of its own per test process, so parallel runs do not share one. */
const REDIS_URL = `redis://127.0.0.1:6379/${1 + (process.pid % 15)}`;
/** Every test here registers from its own address, so the register limit below is the only one in play. */
const ENV = { TRUST_PROXY: 'loopback', REGISTER_MAX_PER_ADDRESS: '3' };

let addressSequence = 0;
const nextAddress = () => `192.0.2.${(addressSequence += 1)}`;
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code ?? 'OK';

async function register(client: GraphQLClient, overrides: Record<string, unknown> = {}) {
  const input = newMemberInput(overrides);
  const response = await client.request(REGISTER, { input }, from(nextAddress()));
  if (!response.data?.register) throw new Error(`registration failed: ${JSON.stringify(response.errors)}`);
  return { input, accessToken: response.data.register.accessToken as string };
}

async function redisAnswers(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  await redis.connect().catch((error: Error) => {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${error.message}); the multi-instance tests need it.`);
  });
  return redis;
}

describe.each([
  { store: 'the MariaDB database (no REDIS_URL)', env: ENV, redis: false },
  { store: 'Redis (REDIS_URL)', env: { ...ENV, REDIS_URL }, redis: true },
])('two gateways sharing sign-in and register throttles in $store', ({ env, redis }) => {
  const instances = useInstances(2, { env });
  let client: Redis | undefined;
  beforeAll(async () => {
    if (redis) client = await redisAnswers();
  });
  afterAll(() => client?.disconnect());

  const gateway = (i: number) => instances.all[i % 2]!;
  const login = (i: number, identifier: string, password: string, address = '198.51.100.1') =>
    gateway(i).client.request(LOGIN, { identifier, password }, from(address));

  it('refuses the sixth attempt after five failures in total, alternating instances, on either instance', async () => {
    const { input } = await register(gateway(0).client);
    for (let i = 0; i < 5; i += 1) expect(codeOf(await login(i, input.memberName, 'Wrong-Password-1'))).toBe('UNAUTHENTICATED');
    // Each instance saw at most three failures: only a shared count refuses here, even the right password.
    for (const i of [5, 6]) {
      const refused = await login(i, input.memberName, input.password);
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    }
  });

  it('lets exactly five guesses of a parallel burst through, spread over both instances', async () => {
    const { input } = await register(gateway(0).client);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => login(i, input.memberName, `Wrong-Password-${i}`)));
    const codes = burst.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(7);
  });

  it('counts biometric sign-in failures in the same shared count as password failures', async () => {
    const m = await register(gateway(0).client, { consents: ['MEMBERSHIP', 'BIOMETRIC', 'REAL_NAME_AUTH'] });
    const template = vector(61);
    expect((await gateway(0).client.request(ENROL, { kind: 'VOICEPRINT', template }, { token: m.accessToken })).errors).toBeUndefined();
    for (let i = 0; i < 3; i += 1) {
      const sample = vector(200 + i);
      const failed = await gateway(i).client.request(BIOMETRIC_LOGIN, { identifier: m.input.memberName, kind: 'VOICEPRINT', sample }, from('198.51.100.2'));
      expect(codeOf(failed)).toBe('UNAUTHENTICATED');
    }
    for (let i = 3; i < 5; i += 1) expect(codeOf(await login(i, m.input.memberName, 'Wrong-Password-1', '198.51.100.2'))).toBe('UNAUTHENTICATED');
    const right = { identifier: m.input.memberName, kind: 'VOICEPRINT', sample: template };
    expect(codeOf(await gateway(1).client.request(BIOMETRIC_LOGIN, right, from('198.51.100.2')))).toBe('RATE_LIMITED');
    expect(codeOf(await login(0, m.input.memberName, m.input.password, '198.51.100.2'))).toBe('RATE_LIMITED');
  });

  it('limits registrations from one address across both instances', async () => {
    const address = '198.51.100.3';
    const attempt = (i: number) => gateway(i).client.request(REGISTER, { input: newMemberInput() }, from(address));
    for (let i = 0; i < 3; i += 1) expect(codeOf(await attempt(i))).toBe('OK');
    expect(codeOf(await attempt(3))).toBe('RATE_LIMITED');
    expect(codeOf(await attempt(4))).toBe('RATE_LIMITED');
  });

  it('keeps only keyed digests in the shared store, never a member name, phone or address', async () => {
    const { input } = await register(gateway(0).client);
    await login(0, input.memberName, 'Wrong-Password-1', '203.0.113.9');
    await login(1, input.phone, 'Wrong-Password-1', '203.0.113.9');
    const rows: Array<{ key: string }> = await gateway(0).dataSource.query('SELECT `key` FROM `throttle_counter`');
    let keys = rows.map((row) => row.key);
    if (redis) {
      // The database table stays empty: with Redis, Redis holds every count.
      expect(keys).toEqual([]);
      keys = (await client!.keys('throttle:*')).map((key) => key.slice('throttle:'.length));
    }
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) {
      expect(key).toMatch(DIGEST_KEY);
      for (const plain of [input.memberName, input.phone, '203.0.113.9', '198.51.100.1']) expect(key).not.toContain(plain);
    }
  });

  if (!redis) {
    it('deletes counters whose window has ended, and only those', async () => {
      const dataSource = gateway(0).dataSource;
      const now = Date.now();
      const ended = `login-identifier:${'0'.repeat(64)}`;
      const running = `login-identifier:${'1'.repeat(64)}`;
      await dataSource.query('INSERT INTO `throttle_counter` VALUES (?, 5, ?), (?, 5, ?)', [ended, now - 1000, running, now + 60_000]);
      expect(await deleteExpiredThrottleCounters(dataSource, now)).toBeGreaterThanOrEqual(1);
      const left: Array<{ key: string }> = await dataSource.query('SELECT `key` FROM `throttle_counter` WHERE `key` IN (?, ?)', [ended, running]);
      expect(left.map((row) => row.key)).toEqual([running]);
    });
  }
});

/** A port on which nothing listens (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('two gateways whose REDIS_URL points where nothing answers', () => {
  const started: TestGateway[] = [];
  const logs: string[][] = [[], []];
  let database: TestDatabase;
  let dataDir = '';
  beforeAll(async () => {
    process.env.TEST_DATABASE = 'mariadb';
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-shared-keys-'));
    const env = { ...ENV, REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0`, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    for (const index of [0, 1]) {
      const began = performance.now();
      started.push(await startTestGateway(env, { database, logDestination: { write: (line) => void logs[index]!.push(line) } }));
      // Start-up does not wait for Redis beyond its connect bound.
      expect(performance.now() - began).toBeLessThan(10_000);
    }
  });
  afterAll(async () => {
    await Promise.all(started.map((gateway) => gateway.stop()));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('still answers every sign-in promptly and throttles per instance, and says so once per instance', async () => {
    const [a, b] = started;
    const { input } = await register(a!.client);
    const timed = async (gateway: TestGateway, password: string) => {
      const began = performance.now();
      const response = await gateway.client.request(LOGIN, { identifier: input.memberName, password }, from('198.51.100.4'));
      return { code: codeOf(response), ms: performance.now() - began };
    };
    const answers = [];
    // Counted in each instance's memory: five failures on A, then A refuses even the right password.
    for (let i = 0; i < 5; i += 1) answers.push(await timed(a!, 'Wrong-Password-1'));
    answers.push(await timed(a!, input.password));
    expect(answers.map((answer) => answer.code)).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    // B counted none of them: this is what an outage costs (documented in README, Limits).
    expect((await timed(b!, input.password)).code).toBe('OK');
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(2000);

    for (const [index, lines] of logs.entries()) {
      const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40 && entry.throttleStore === 'redis');
      expect({ index, warnings: warnings.length }).toEqual({ index, warnings: 1 });
      expect(warnings[0].msg).toMatch(/count per instance/);
      const text = lines.join('\n');
      for (const plain of [input.memberName, input.phone, '198.51.100.4', 'redis://']) expect(text).not.toContain(plain);
    }
  });
});

/**
 * A TCP proxy to the real Redis that can stop answering: while frozen it holds what clients send
 * (a server that accepted the connection and hangs), and passes it on in order when thawed.
 */
class FreezableProxy {
  private frozen = false;
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<FreezableProxy> {
    const server = createServer();
    const proxy = new FreezableProxy(server);
    server.on('connection', (client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => proxy.sockets.delete(socket));
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('data', (chunk) => (proxy.frozen ? proxy.held.push(() => upstream.write(chunk)) : upstream.write(chunk)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const send of this.held.splice(0)) send();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('a gateway whose Redis stops answering while connected', () => {
  let proxy: FreezableProxy;
  let t: TestGateway;
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line)).filter((entry) => entry.throttleStore === 'redis');
  beforeAll(async () => {
    await (await redisAnswers()).quit();
    proxy = await FreezableProxy.start({ host: '127.0.0.1', port: 6379 });
    process.env.TEST_DATABASE = 'mariadb';
    const db = 1 + (process.pid % 15);
    t = await startTestGateway(
      { ...ENV, REDIS_URL: `redis://127.0.0.1:${proxy.port}/${db}`, LOG_LEVEL: 'info' },
      { logDestination: { write: (line) => void lines.push(line) } },
    );
  });
  afterAll(async () => {
    proxy.thaw();
    await t?.stop();
    await proxy?.stop();
  });

  const timed = async (identifier: string, password: string) => {
    const began = performance.now();
    const response = await t.client.request(LOGIN, { identifier, password }, from('198.51.100.5'));
    return { code: codeOf(response), ms: performance.now() - began };
  };

  it('answers each sign-in within the command bound, keeps refusing after the limit, and says when Redis is back', async () => {
    const { input } = await register(t.client);
    expect((await timed(input.memberName, 'Wrong-Password-1')).code).toBe('UNAUTHENTICATED');
    expect(entries()).toEqual([]);

    proxy.freeze();
    // Counted in this instance's memory from here on (each call waits out one command timeout).
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await timed(input.memberName, 'Wrong-Password-1'));
    answers.push(await timed(input.memberName, input.password));
    expect(answers.map((answer) => answer.code)).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(2000);
    expect(entries().map((entry) => [entry.level, entry.reason])).toEqual([[40, 'FALLBACK']]);

    proxy.thaw();
    // The next call Redis answers itself ends the outage, logged once.
    const other = await register(t.client);
    const deadline = Date.now() + 5000;
    while (entries().length < 2 && Date.now() < deadline) await timed(other.input.memberName, 'Wrong-Password-1');
    expect(entries().map((entry) => entry.level)).toEqual([40, 30]);
    expect(entries()[1].msg).toMatch(/available again/);
  });
});
