import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { IsNull } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import type { SequencerRound } from '../../src/audit/audit-sequencer';
import type { JobReport } from '../../src/db/leased-jobs';
import { SETTLED_MS } from '../support/audit';
import { registerMember } from '../support/members';
import { useInstances } from '../support/use-instances';

const MEMBER = `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone contactName birthDate } }`;
const INTEGRITY = `query($full: Boolean) { auditIntegrity(full: $full) { intact checkedEntries problem checkpointSize unsequencedBacklog } }`;
const READS = 90;

describe('the audit sequencer across three gateways on one MariaDB database', () => {
  // One clock for all three, moved past the settle margin and the job's period instead of waiting;
  // the instances' own timers stay out of the way (an hour), rounds come from jobs.tick().
  let offset = 0;
  const clock = () => Date.now() + offset;
  const instances = useInstances(3, { env: { AUDIT_SEQUENCE_INTERVAL_SECONDS: '3600', OUTBOX_INTERVAL_SECONDS: '3600' }, gateway: () => ({ clock }) });

  it('chains every entry of concurrent audited reads exactly once, under checkpoints that verify with the published audit keys', async () => {
    const gateways = instances.all;
    const members = await Promise.all([0, 1, 2].map((i) => registerMember(gateways[i]!.client)));
    const support = await instances.idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-many' });
    const ticks: Array<Promise<JobReport>> = [];
    /** Every instance ticks its jobs at once, one sequencer period (an hour) later: one of them takes the lease. */
    const tick = () => {
      offset += 3600_000 + SETTLED_MS;
      ticks.push(...gateways.map((gateway) => gateway.gateway.jobs.tick().then((reports) => reports['audit-sequencer']!)));
    };

    // 90 audited reads spread over the instances, with sequencer rounds on all of them in between.
    const reads = Array.from({ length: READS }, async (_, i) => {
      const response = await gateways[i % 3]!.client.request(MEMBER, { id: members[i % 3]!.member.id, purpose: `TICKET-${i}` }, { token: support });
      expect(response.errors).toBeUndefined();
      if (i % 15 === 0) tick();
      return response.headers.get('x-request-id')!;
    });
    const requestIds = await Promise.all(reads);
    // Those rounds end first: an instance still in one would answer the next tick "held" (ran: false).
    await Promise.all(ticks);

    // Then rounds on all instances at once until nothing is left.
    const events = gateways[0]!.dataSource.getRepository(AuditEventEntity);
    const deadline = Date.now() + 20_000;
    do {
      if (Date.now() > deadline) throw new Error('entries left unsequenced');
      tick();
      await Promise.all(ticks);
    } while ((await events.countBy({ seq: IsNull() })) > 0);
    const reports = await Promise.all(ticks);

    const rows = await events.find({ order: { seq: 'ASC' } });
    expect(new Set(rows.map((row) => row.requestId))).toEqual(new Set(requestIds));
    // Each entry exactly once: positions 1..n, no gap, no repeat, and the rounds that ran add up to n.
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(reports.every((report) => !('error' in report))).toBe(true);
    const rounds = reports.flatMap((report) => (report.ran && 'result' in report ? [report.result as SequencerRound] : []));
    expect(rounds.reduce((sum, round) => sum + round.sequenced, 0)).toBe(rows.length);
    // A tick of its own (the last one): one instance took the lease, the others found it held.
    expect(reports.slice(-3).filter((report) => report.ran)).toHaveLength(1);

    const officer = await instances.idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-many' });
    const integrity = await gateways[1]!.client.request(INTEGRITY, { full: true }, { token: officer });
    expect(integrity.data!.auditIntegrity).toEqual({
      intact: true,
      checkedEntries: rows.length,
      problem: null,
      checkpointSize: rows.length,
      unsequencedBacklog: 0,
    });

    // Every instance publishes the same latest checkpoint and keys; jose verifies it against the chain's end.
    const published = await Promise.all(
      gateways.map(async (gateway) => ({
        checkpoint: ((await (await fetch(`${gateway.origin}/.well-known/audit-checkpoint`)).json()) as { checkpoint: string }).checkpoint,
        keys: (await (await fetch(`${gateway.origin}/.well-known/audit-keys.json`)).json()) as JSONWebKeySet,
      })),
    );
    expect(new Set(published.map(({ checkpoint }) => checkpoint)).size).toBe(1);
    const { payload } = await compactVerify(published[2]!.checkpoint, createLocalJWKSet(published[2]!.keys));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ size: rows.length, head: rows.at(-1)!.hash, base: 0 });
  });
});
