import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { IsNull } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { migrationNames, migrationsApplied } from '../support/migrations-applied';
import type { JobReport } from '../../src/db/leased-jobs';
import { ErasureNoticeEntity } from '../../src/privacy/erasure-notice.entity';
import { SETTLED_MS } from '../support/audit';
import { LOGIN, registerMember } from '../support/members';
import { useNoticeRelay } from '../support/notice-relay';
import { placeOrders } from '../support/storefront';
import { useInstances } from '../support/use-instances';

const MEMBER = `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone contactName } }`;
const INTEGRITY = `query { auditIntegrity(full: true) { intact checkedEntries problem checkpointSize unsequencedBacklog } }`;
const SHIP = `mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF2718") { id } }`;
const CANCEL = `mutation($p: String!) { cancelAccount(password: $p) }`;
/** A Redis database of this test process's own, so parallel runs do not share counters. */
const REDIS_URL = `redis://127.0.0.1:6379/${1 + ((process.pid + 7) % 15)}`;
const HOUR = 3600_000;
const READS = 90;
const GUESSES = 15;

const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => String(response.errors?.[0]?.extensions?.code ?? 'OK');

/**
 * Points 1–4 of running several gateways, together and under concurrent load: three instances
 * started at once on an empty MariaDB database, sharing Redis for throttles, a webhook relay for
 * erasure notices and one audit chain. Every instance's jobs tick at once, round after round,
 * while staff reads, password guesses and an account cancellation arrive spread over all three.
 */
describe('three gateways started together on one MariaDB database and Redis, under concurrent load', () => {
  const env: Record<string, string> = { REDIS_URL, AUDIT_SEQUENCE_INTERVAL_SECONDS: '3600', OUTBOX_INTERVAL_SECONDS: '3600' };
  const relay = useNoticeRelay(env);
  // One clock for the three, moved on by whole job periods instead of waiting; rounds come from jobs.tick().
  let offset = 0;
  const clock = () => Date.now() + offset;
  const instances = useInstances(3, { env, together: true, gateway: () => ({ clock }) });

  const ticks: Array<Promise<Record<string, JobReport>>> = [];
  const tick = () => {
    offset += HOUR + SETTLED_MS;
    ticks.push(...instances.all.map((instance) => instance.gateway.jobs.tick()));
  };

  it('applies each migration once, throttles five guesses in total, delivers each notice once and chains every audited read once under a verifying checkpoint', async () => {
    const gateways = instances.all;
    const at = (i: number) => gateways[i % 3]!;

    // Started together on an empty database: each migration applied exactly once.
    const applied = await migrationsApplied(instances.database.url);
    expect(applied.names).toEqual(migrationNames());
    expect(applied.notOnce).toEqual([]);

    const members = await Promise.all([0, 1, 2].map((i) => registerMember(at(i).client)));
    const target = await registerMember(at(0).client);
    const leaving = await registerMember(at(1).client);
    const [orderId] = await placeOrders(at(2).client, leaving.accessToken, 1);
    const support = await instances.idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-load' });
    await at(0).client.request(SHIP, { id: orderId }, { token: support });

    // All at once: audited staff reads, password guesses against one member, a cancellation, and job rounds.
    const reads = Array.from({ length: READS }, async (_, i) => {
      const response = await at(i).client.request(MEMBER, { id: members[i % 3]!.member.id, purpose: `TICKET-${i}` }, { token: support });
      expect(response.errors).toBeUndefined();
      if (i % 15 === 0) tick();
      return response.headers.get('x-request-id')!;
    });
    const guesses = Array.from({ length: GUESSES }, (_, i) =>
      at(i)
        .client.request(LOGIN, { identifier: target.input.phone, password: `Wrong-Guess-${i}-x` })
        .then(codeOf),
    );
    const cancelled = at(2).client.request(CANCEL, { p: leaving.input.password }, { token: leaving.accessToken });
    const [requestIds, codes, cancellation] = await Promise.all([Promise.all(reads), Promise.all(guesses), cancelled]);

    // Throttle: five failures in total across the instances, every later guess refused.
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(GUESSES - 5);
    expect(codeOf(await at(1).client.request(LOGIN, { identifier: target.input.phone, password: target.input.password }))).toBe('RATE_LIMITED');
    expect(cancellation.errors).toBeUndefined();

    // Rounds on all three at once until every entry is chained and every notice delivered.
    const events = gateways[0]!.dataSource.getRepository(AuditEventEntity);
    const notices = gateways[0]!.dataSource.getRepository(ErasureNoticeEntity);
    const noticeIds = (await notices.findBy({ memberId: leaving.member.id })).map((row) => row.id);
    expect(noticeIds.length).toBeGreaterThan(0);
    const deadline = Date.now() + 30_000;
    do {
      if (Date.now() > deadline) throw new Error('work left after 30 s of rounds');
      tick();
      await Promise.all(ticks);
    } while ((await events.countBy({ seq: IsNull() })) > 0 || (await notices.countBy({ state: 'PENDING' })) > 0);
    const reports = (await Promise.all(ticks)).flatMap((report) => Object.values(report));
    expect(reports.filter((report) => 'error' in report)).toEqual([]);

    // Each notice arrived once, under its own id as Idempotency-Key.
    expect(relay.deliveriesOf(noticeIds)).toEqual(Object.fromEntries(noticeIds.map((id) => [id, [id]])));

    // Each audited read chained once: positions 1..n, every request present, the chain and the checkpoint verify.
    const rows = await events.find({ order: { seq: 'ASC' } });
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    for (const id of requestIds) expect(rows.some((row) => row.requestId === id)).toBe(true);
    const officer = await instances.idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-load' });
    const integrity = await at(2).client.request(INTEGRITY, {}, { token: officer });
    expect(integrity.data!.auditIntegrity).toMatchObject({
      intact: true,
      checkedEntries: rows.length,
      problem: null,
      checkpointSize: rows.length,
      unsequencedBacklog: 0,
    });
    const origin = at(1).origin;
    const { checkpoint } = (await (await fetch(`${origin}/.well-known/audit-checkpoint`)).json()) as { checkpoint: string };
    const keys = (await (await fetch(`${origin}/.well-known/audit-keys.json`)).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(checkpoint, createLocalJWKSet(keys));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ size: rows.length, head: rows.at(-1)!.hash });
  });
});
