import { createLogger } from '../../src/logger';
import { ErasureDispatcher } from '../../src/privacy/erasure-dispatcher';
import { ErasureNoticeEntity } from '../../src/privacy/erasure-notice.entity';
import { FAILING_RETRY_MS } from '../../src/privacy/erasure-retry-schedule';
import { webhookTransport } from '../../src/privacy/erasure-webhook.transport';
import type { JobReport } from '../../src/db/leased-jobs';
import { registerMember } from '../support/members';
import { useNoticeRelay } from '../support/notice-relay';
import { placeOrders } from '../support/storefront';
import { useInstances } from '../support/use-instances';

const HOUR = 3600_000;
const MAX_ATTEMPTS = 3;
const NOTICES = `query($status: ErasureNoticeStatus, $first: Int, $after: String) {
  erasureNotices(status: $status, first: $first, after: $after) {
    edges { cursor node { id recipient status attempts nextAttemptAt lastAttemptAt lastErrorCode deliveredAt createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type NoticePage = { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('the erasure outbox and retention across three instances', () => {
  // The relay starts first: its URL is every instance's ERASURE_WEBHOOK_URL.
  const env: Record<string, string> = {
    OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    // An hour: the instances' own timers never tick during the test; rounds come from jobs.tick().
    OUTBOX_INTERVAL_SECONDS: '3600',
    // The timers tick at the shortest job period: the audit sequencer's must not be shorter.
    AUDIT_SEQUENCE_INTERVAL_SECONDS: '3600',
  };
  const relay = useNoticeRelay(env);
  // One clock for all three, moved on instead of waiting for backoffs and periods.
  let offset = 0;
  const clock = () => Date.now() + offset;
  const instances = useInstances(3, { env, gateway: () => ({ clock }) });

  /** The next round, one outbox period (an hour) on: every instance ticks at once. Each job's reports, one per instance. */
  async function round(): Promise<Record<string, JobReport[]>> {
    offset += HOUR;
    const reports = await Promise.all(instances.all.map((instance) => instance.gateway.jobs.tick()));
    return { outbox: reports.map((report) => report['erasure-outbox']!), retention: reports.map((report) => report.retention!) };
  }
  const ran = (reports: JobReport[]) => reports.filter((report) => report.ran);

  /** A member with an order shipped by a carrier cancels the account: notices to the carrier and the payment channel. */
  async function erasedMember(): Promise<string[]> {
    const [a, b] = instances.all;
    const m = await registerMember(a!.client);
    const [orderId] = await placeOrders(b!.client, m.accessToken, 1);
    const support = await instances.idp.sign({ roles: ['SUPPORT'] });
    await a!.client.request(
      `mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF3141") { id } }`,
      { id: orderId },
      { token: support },
    );
    await b!.client.request(`mutation($p: String!) { cancelAccount(password: $p) }`, { p: m.input.password }, { token: m.accessToken });
    const rows = await a!.dataSource.getRepository(ErasureNoticeEntity).findBy({ memberId: m.member.id });
    expect(rows.map((row) => row.recipient).sort()).toEqual(['payment:card', 'sf-express']);
    return rows.map((row) => row.id);
  }
  const rowsOf = (ids: string[]) => Promise.all(ids.map((id) => instances.all[0]!.dataSource.getRepository(ErasureNoticeEntity).findOneByOrFail({ id })));

  it('delivers each notice once when three instances tick together, round after round', async () => {
    const ids = [...(await erasedMember()), ...(await erasedMember())];
    for (let i = 0; i < 3; i += 1) {
      const { outbox, retention } = await round();
      // The lease: one instance works the outbox per round, the others find it held.
      expect(ran(outbox)).toHaveLength(1);
      // Retention on a new database waits one RETENTION_INTERVAL_HOURS (24) first.
      expect(ran(retention)).toEqual([]);
    }
    expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, [id]])));
    for (const row of await rowsOf(ids)) expect(row).toMatchObject({ state: 'DELIVERED', attempts: 1, nextAttemptAt: null });
  });

  it('never sends a notice twice from overlapping workers, even without the lease', async () => {
    const ids = await erasedMember();
    // Three workers at once, as when a lease holder stalled past its lease: the per-notice claim decides.
    const workers = instances.all.map(
      (instance) => new ErasureDispatcher(instance.dataSource, webhookTransport(relay.url), createLogger('silent'), { maxAttempts: MAX_ATTEMPTS, now: clock }),
    );
    const rounds = await Promise.all(workers.map((worker) => worker.dispatch()));
    expect(rounds.reduce((sum, worker) => sum + worker.delivered, 0)).toBe(2);
    // The workers did overlap: some found a notice they had read as due already claimed.
    expect(rounds.reduce((sum, worker) => sum + worker.skipped, 0)).toBeGreaterThan(0);
    expect(await Promise.all(workers.map((worker) => worker.dispatch()))).toEqual(workers.map(() => ({ delivered: 0, failed: 0, skipped: 0 })));
    expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, [id]])));
  });

  it('sends a notice whose first attempt failed once more after its backoff, with the same Idempotency-Key, then stops', async () => {
    const ids = await erasedMember();
    relay.answer = ({ body }) => (ids.includes(body.id) && relay.deliveriesOf([body.id])[body.id]!.length === 1 ? 503 : 200);
    try {
      const first = await round();
      expect(ran(first.outbox)).toEqual([{ ran: true, result: expect.objectContaining({ failed: 2 }) }]);
      for (const row of await rowsOf(ids)) expect(row).toMatchObject({ state: 'PENDING', attempts: 1, lastErrorCode: 'HTTP_503' });
      expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, [id]])));

      // An hour on, past the backoff (at most 30 s): the next round retries, once.
      const second = await round();
      expect(ran(second.outbox)).toEqual([{ ran: true, result: { delivered: 2, failed: 0, skipped: 0 } }]);
      await round();
      expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, [id, id]])));
      for (const row of await rowsOf(ids)) expect(row).toMatchObject({ state: 'DELIVERED', attempts: 2, nextAttemptAt: null });
    } finally {
      relay.answer = () => 200;
    }
  });

  it('marks a notice FAILING after OUTBOX_MAX_ATTEMPTS failures, lists it for PRIVACY_OFFICER only, and keeps retrying it slowly until delivered', async () => {
    const ids = await erasedMember();
    relay.answer = ({ body }) => (ids.includes(body.id) ? 503 : 200);
    const [a, b, c] = instances.all;
    const officer = await instances.idp.sign({ roles: ['PRIVACY_OFFICER'] });
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) await round();
      const failing = await rowsOf(ids);
      for (const row of failing) {
        expect(row).toMatchObject({ state: 'FAILING', attempts: MAX_ATTEMPTS, lastErrorCode: 'HTTP_503' });
        // The slow schedule: half to all of FAILING_RETRY_MS after the last attempt.
        expect(row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(FAILING_RETRY_MS / 2);
        expect(row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()).toBeLessThanOrEqual(FAILING_RETRY_MS);
      }

      const listed = await c!.client.request(NOTICES, { status: 'FAILING' }, { token: officer });
      expect(listed.errors).toBeUndefined();
      const nodes = listed.data!.erasureNotices.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
      expect(nodes.map((node: { id: string }) => node.id).sort()).toEqual([...ids].sort());
      expect(nodes[0]).toMatchObject({ status: 'FAILING', attempts: MAX_ATTEMPTS, lastErrorCode: 'HTTP_503', deliveredAt: null });
      expect(nodes[0].nextAttemptAt).toEqual(expect.any(String));
      // Others are refused: members and other staff FORBIDDEN, anonymous callers UNAUTHENTICATED.
      const member = await registerMember(a!.client);
      for (const token of [member.accessToken, await instances.idp.sign({ roles: ['SUPPORT'] })]) {
        const refused = await b!.client.request(NOTICES, { status: 'FAILING' }, { token });
        expect([refused.data?.erasureNotices ?? null, refused.errors![0]!.extensions!.code]).toEqual([null, 'FORBIDDEN']);
      }
      expect((await b!.client.request(NOTICES, {})).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

      // Not an hour later: the slow schedule waits longer; then once more, still FAILING; then delivered when the recipient is back.
      await round();
      expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, Array(MAX_ATTEMPTS).fill(id)])));
      offset += FAILING_RETRY_MS;
      await round();
      for (const row of await rowsOf(ids)) expect(row).toMatchObject({ state: 'FAILING', attempts: MAX_ATTEMPTS + 1 });
      relay.answer = () => 200;
      offset += FAILING_RETRY_MS;
      await round();
      expect(relay.deliveriesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, Array(MAX_ATTEMPTS + 2).fill(id)])));
      for (const row of await rowsOf(ids)) expect(row).toMatchObject({ state: 'DELIVERED', attempts: MAX_ATTEMPTS + 2, nextAttemptAt: null });
      const delivered = await a!.client.request(NOTICES, { status: 'DELIVERED', first: 100 }, { token: officer });
      expect(delivered.data!.erasureNotices.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(expect.arrayContaining(ids));
      const stillFailing = await a!.client.request(NOTICES, { status: 'FAILING' }, { token: officer });
      expect(stillFailing.data!.erasureNotices.edges).toEqual([]);
    } finally {
      relay.answer = () => 200;
    }
  });

  it('pages the notice list by cursor, oldest first', async () => {
    const officer = await instances.idp.sign({ roles: ['PRIVACY_OFFICER'] });
    const client = instances.all[1]!.client;
    const all = await client.request(NOTICES, { status: 'DELIVERED', first: 500 }, { token: officer });
    const ids = all.data!.erasureNotices.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: { erasureNotices: NoticePage } | null } = await client.request(
        NOTICES,
        { status: 'DELIVERED', first: 3, after },
        { token: officer },
      );
      const { edges, pageInfo } = page.data!.erasureNotices;
      seen.push(...edges.map((edge) => edge.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
  });

  it('applies retention once per period however many instances tick', async () => {
    // More than RETENTION_INTERVAL_HOURS (24) after any earlier run (or the first tick): due, and one instance runs it.
    offset += 24 * HOUR;
    expect(ran((await round()).retention)).toEqual([{ ran: true, result: expect.objectContaining({ browsingEventsDeleted: expect.any(Number) }) }]);
    expect(ran((await round()).retention)).toEqual([]);
    offset += 21 * HOUR;
    expect(ran((await round()).retention)).toEqual([]); // 23 hours on
    expect(ran((await round()).retention)).toHaveLength(1); // 24 hours on
  });
});
