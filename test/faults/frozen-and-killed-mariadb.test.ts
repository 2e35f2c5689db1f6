import { LOGIN, ME, newMemberInput, REGISTER, registerMember } from '../support/members';
import { OwnMariaDb } from '../support/own-mariadb';
import { parsePrometheusText, valueOf } from '../support/prometheus-text';
import { orderInput, PLACE } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { CapturedLog, eventually, printTimings, record, timedGet, timedRequest } from './support';

const REQUEST_TIMEOUT_MS = 1500;
const SMALL_TIMEOUT_MS = 10_000; // room for the scrapes below: each takes a second while the database is frozen
const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;
const POLICIES = `{ privacyPolicies { version } }`;
const ORDERS = `{ me { orders(first: 10) { edges { node { id } } } } }`;

describe('a MariaDB server that freezes, dies and comes back', () => {
  let server: OwnMariaDb;
  let t: TestGateway;
  const log = new CapturedLog();
  let alice: Awaited<ReturnType<typeof registerMember>>;
  let small: TestGateway;

  beforeAll(async () => {
    server = await OwnMariaDb.start();
    const database = await server.createDatabase('faults');
    t = await startTestGateway(
      {
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        // Longer than the deadline: on a frozen server the deadline is what answers.
        DATABASE_STATEMENT_TIMEOUT_MS: '2000',
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
        DATABASE_ACQUIRE_TIMEOUT_MS: '2000',
        LOG_LEVEL: 'info',
      },
      { database, logDestination: log.destination },
    );
    alice = await registerMember(t.client);
    // A second gateway with room for two running requests and one waiting (admission control).
    small = await startTestGateway(
      {
        REQUEST_TIMEOUT_MS: String(SMALL_TIMEOUT_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: String(SMALL_TIMEOUT_MS + 2000),
        DATABASE_ACQUIRE_TIMEOUT_MS: String(SMALL_TIMEOUT_MS + 2000),
        DATABASE_CONNECT_TIMEOUT_MS: String(SMALL_TIMEOUT_MS + 2000),
        MAX_CONCURRENT_REQUESTS: '2',
        MAX_QUEUED_REQUESTS: '1',
      },
      { database: await server.createDatabase('admission') },
    );
  }, 60_000);
  afterAll(async () => {
    await small?.stop();
    await t?.stop();
    await server?.stop();
    printTimings('MariaDB fault timings (ms)');
  });

  const failedRequests: string[] = [];

  /** The request failed with SERVICE_UNAVAILABLE inside the deadline, logged once by its request id, nothing personal. */
  function expectUnavailable(name: string, answer: Awaited<ReturnType<typeof timedRequest>>) {
    record(name, answer.ms);
    expect(answer.result.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 500);
    const requestId = answer.result.headers.get('x-request-id')!;
    failedRequests.push(requestId);
    expectOneLogLine(requestId);
  }

  function expectOneLogLine(requestId: string) {
    const lines = log.failuresOf(requestId);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(alice.input.memberName);
    expect(JSON.stringify(lines)).not.toContain(alice.input.phone);
  }

  describe('while frozen (SIGSTOP)', () => {
    beforeAll(() => server.freeze());
    afterAll(() => server.thaw());

    it('answers /readyz 503 within 2 s', async () => {
      const ready = await timedGet(`${t.origin}/readyz`);
      record('frozen /readyz', ready.ms);
      expect(ready.result).toBe(503);
      expect(ready.ms).toBeLessThan(2000);
    });

    it('answers the token check, login, refreshToken and an anonymous read SERVICE_UNAVAILABLE within the deadline', async () => {
      const [me, login, refresh, policies] = await Promise.all([
        timedRequest(t.client, ME, {}, alice.accessToken),
        timedRequest(t.client, LOGIN, { identifier: alice.input.memberName, password: alice.input.password }),
        timedRequest(t.client, REFRESH, { token: alice.refreshToken }),
        timedRequest(t.client, POLICIES),
      ]);
      expectUnavailable('frozen me (token check)', me);
      expectUnavailable('frozen login', login);
      expectUnavailable('frozen refreshToken', refresh);
      expectUnavailable('frozen privacyPolicies', policies);
    });

    it('answers register SERVICE_UNAVAILABLE within the deadline (its throttle counts in the database first)', async () => {
      expectUnavailable('frozen register', await timedRequest(t.client, REGISTER, { input: newMemberInput() }));
    });

    it('abandons a placeOrder that ran out of time without writing any of it', async () => {
      expectUnavailable('frozen placeOrder', await timedRequest(t.client, PLACE, { input: orderInput() }, alice.accessToken));
    });

    it('answers /metrics within 2 s, leaving out the gauges it could not read and counting them', async () => {
      const started = performance.now();
      const response = await fetch(`${t.origin}/metrics`);
      const { samples } = parsePrometheusText(await response.text());
      record('frozen /metrics', performance.now() - started);
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(samples.filter((sample) => sample.name === 'gateway_outbox_notices')).toEqual([]);
      expect(valueOf(samples, 'gateway_metrics_collect_failures_total', { gauge: 'gateway_outbox_notices' })).toBe(1);
      // The pool is read from the client's own bookkeeping, so it still answers.
      expect(samples.filter((sample) => sample.name === 'gateway_db_pool_connections')).toHaveLength(3);
    });

    it('runs two requests at once, queues one and refuses the next at once with Retry-After, SERVICE_UNAVAILABLE', async () => {
      const admitted = async (state: string) =>
        valueOf(parsePrometheusText(await (await fetch(`${small.origin}/metrics`)).text()).samples, 'gateway_requests_admitted', { state });
      const held = [timedRequest(small.client, POLICIES), timedRequest(small.client, POLICIES)];
      await eventually(async () => (await admitted('running')) === 2);
      const leaving = new AbortController();
      const left = fetch(small.client.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: POLICIES }),
        signal: leaving.signal,
      }).catch((error: Error) => error.name);
      await eventually(async () => (await admitted('waiting')) === 1);

      const refused = await timedRequest(small.client, POLICIES);
      record('admission: refused at once', refused.ms);
      expect(refused.result.status).toBe(503);
      expect(refused.result.headers.get('retry-after')).toBe('1');
      expect(refused.result.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(refused.ms).toBeLessThan(500);

      // A client that leaves while waiting gives its place up: the next one waits instead of being refused.
      leaving.abort();
      expect(await left).toBe('AbortError');
      await eventually(async () => (await admitted('waiting')) === 0);
      const queued = timedRequest(small.client, POLICIES);
      await eventually(async () => (await admitted('waiting')) === 1);

      const { samples } = parsePrometheusText(await (await fetch(`${small.origin}/metrics`)).text());
      expect(valueOf(samples, 'gateway_requests_shed_total', { reason: 'queue-full' })).toBe(1);
      // The held ones meet their deadline; the queued one then runs in what is left of its own.
      for (const answer of await Promise.all([...held, queued])) {
        expect(answer.result.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
        expect(answer.ms).toBeLessThan(SMALL_TIMEOUT_MS + 500);
      }
    }, 30_000);
  });

  describe('after SIGCONT', () => {
    it('gives every admission place back: the small gateway runs requests again', async () => {
      await eventually(async () => (await fetch(`${small.origin}/readyz`)).status === 200);
      const answers = await Promise.all([1, 2, 3].map(() => small.client.request(POLICIES)));
      expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    });

    it('is ready again and serves requests without a restart, and the abandoned order was never written', async () => {
      await eventually(async () => (await fetch(`${t.origin}/readyz`)).status === 200);
      const orders = await t.client.request(ORDERS, {}, { token: alice.accessToken });
      expect(orders.errors).toBeUndefined();
      expect(orders.data!.me.orders.edges).toEqual([]);
      // The abandoned work has failed too by now; still one line per request.
      for (const requestId of failedRequests) expectOneLogLine(requestId);
    });
  });

  describe('while down (SIGKILL)', () => {
    beforeAll(() => server.kill());

    it('answers /readyz 503 within 2 s', async () => {
      const ready = await timedGet(`${t.origin}/readyz`);
      record('down /readyz', ready.ms);
      expect(ready.result).toBe(503);
      expect(ready.ms).toBeLessThan(2000);
    });

    it('answers the token check with HTTP 503 SERVICE_UNAVAILABLE, not 500', async () => {
      const me = await timedRequest(t.client, ME, {}, alice.accessToken);
      expectUnavailable('down me (token check)', me);
      expect(me.result.status).toBe(503);
    });

    it('answers login and an anonymous read SERVICE_UNAVAILABLE', async () => {
      expectUnavailable('down login', await timedRequest(t.client, LOGIN, { identifier: alice.input.memberName, password: alice.input.password }));
      expectUnavailable('down privacyPolicies', await timedRequest(t.client, POLICIES));
    });

    it('answers refreshToken SERVICE_UNAVAILABLE, never UNAUTHENTICATED, so the client keeps its session', async () => {
      expectUnavailable('down refreshToken', await timedRequest(t.client, REFRESH, { token: alice.refreshToken }));
    });
  });

  describe('after a restart of the database', () => {
    beforeAll(() => server.restart(), 30_000);

    it('is ready again and the refresh token held through the outage still works', async () => {
      for (const requestId of failedRequests) expectOneLogLine(requestId);
      await eventually(async () => (await fetch(`${t.origin}/readyz`)).status === 200);
      const refresh = await t.client.request(REFRESH, { token: alice.refreshToken });
      expect(refresh.errors).toBeUndefined();
      const me = await t.client.request(ME, {}, { token: refresh.data!.refreshToken.accessToken });
      expect(me.data!.me.memberName).toBe(alice.input.memberName);
    });
  });
});
