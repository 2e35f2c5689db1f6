import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { IsNull } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import type { SequencerRound } from '../../src/audit/audit-sequencer';
import { SETTLED_MS } from '../support/audit';
import { registerMember } from '../support/members';
import { useInstances } from '../support/use-instances';

const MEMBER = `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone contactName birthDate } }`;
const INTEGRITY = `query($full: Boolean) { auditIntegrity(full: $full) { intact checkedEntries problem checkpointSize unsequencedBacklog } }`;
const READS = 90;

describe('the audit sequencer across three gateways on one MariaDB database', () => {
  const instances = useInstances(3);

  it('chains every entry of concurrent audited reads exactly once, under checkpoints that verify with the published audit keys', async () => {
    const gateways = instances.all;
    const members = await Promise.all([0, 1, 2].map((i) => registerMember(gateways[i]!.client)));
    const support = await instances.idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-many' });
    const rounds: Array<Promise<SequencerRound>> = [];
    const tick = () => gateways.map((gateway) => gateway.gateway.sequenceAudit(new Date(Date.now() + SETTLED_MS)));

    // 90 audited reads spread over the instances, with sequencer rounds on all of them in between.
    const reads = Array.from({ length: READS }, async (_, i) => {
      const gateway = gateways[i % 3]!;
      const response = await gateway.client.request(MEMBER, { id: members[i % 3]!.member.id, purpose: `TICKET-${i}` }, { token: support });
      expect(response.errors).toBeUndefined();
      if (i % 15 === 0) rounds.push(...tick());
      return response.headers.get('x-request-id')!;
    });
    const requestIds = await Promise.all(reads);

    // Then rounds on all instances at once until nothing is left (one holds the lease at a time).
    const events = gateways[0]!.dataSource.getRepository(AuditEventEntity);
    const deadline = Date.now() + 20_000;
    while ((await events.countBy({ seq: IsNull() })) > 0) {
      if (Date.now() > deadline) throw new Error('entries left unsequenced');
      rounds.push(...tick());
      await Promise.all(rounds);
    }
    const results = await Promise.all(rounds);

    const rows = await events.find({ order: { seq: 'ASC' } });
    expect(new Set(rows.map((row) => row.requestId))).toEqual(new Set(requestIds));
    // Each entry exactly once: positions 1..n, no gap, no repeat, and the rounds' counts add up to n.
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(results.reduce((sum, round) => sum + round.sequenced, 0)).toBe(rows.length);

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
