import { MoreThan, MoreThanOrEqual } from 'typeorm';
import { chainHash } from '../../src/audit/audit-chain';
import { AuditChainHeadEntity } from '../../src/audit/audit-chain-head.entity';
import { AuditCheckpointEntity } from '../../src/audit/audit-checkpoint.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { auditSequencerOf, auditServiceOf, SETTLED_MS, sequenceAll } from '../support/audit';
import { registerMember } from '../support/members';
import { useGateway } from '../support/use-gateway';

const INTEGRITY = `query($full: Boolean) {
  auditIntegrity(full: $full) { intact checkedEntries firstBrokenEntry problem checkpointSize verifiedThrough unsequencedBacklog }
}`;
const MEMBER = `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone contactName birthDate } }`;

describe('tamper evidence of the audit trail', () => {
  // The tests run sequencer rounds themselves: the gateway's own job stays out of their way.
  const { t, idp } = useGateway({ staff: true, env: { AUDIT_SEQUENCE_INTERVAL_SECONDS: '3600' } });
  let memberId: string;
  let officer: string;
  const events = () => t.dataSource.getRepository(AuditEventEntity);
  const head = () => t.dataSource.getRepository(AuditChainHeadEntity);
  const checkpoints = () => t.dataSource.getRepository(AuditCheckpointEntity);

  const integrity = async (full = false) => {
    const response = await t.client.request(INTEGRITY, { full }, { token: officer });
    expect(response.errors).toBeUndefined();
    return response.data!.auditIntegrity;
  };
  const read = async (count: number) => {
    const support = await idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-tamper' });
    for (let i = 0; i < count; i += 1) {
      expect((await t.client.request(MEMBER, { id: memberId, purpose: `TICKET-${i}` }, { token: support })).errors).toBeUndefined();
    }
  };
  /** Runs `tamper`, then `check`, then puts the rows, head and checkpoints back as they were; the chain verifies again. */
  const tampered = async (tamper: () => Promise<unknown>, check: () => Promise<void>) => {
    const [rows, chainHead, signed] = await Promise.all([events().find(), head().findOneByOrFail({ id: 1 }), checkpoints().find()]);
    await tamper();
    try {
      await check();
    } finally {
      await events().delete({ seq: MoreThan(0) });
      await events().save(rows);
      await head().save(chainHead);
      await checkpoints().clear();
      await checkpoints().save(signed);
    }
    expect(await integrity(true)).toMatchObject({ intact: true, problem: null });
  };

  beforeAll(async () => {
    memberId = (await registerMember(t.client)).member.id;
    officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-tamper' });
    await read(2);
    await sequenceAll(t);
    await read(2);
    await sequenceAll(t);
  });

  it('checks incrementally: a second check re-computes only the entries sequenced since, a full check all of them', async () => {
    const size = await events().count();
    expect(await integrity()).toEqual({
      intact: true,
      checkedEntries: size,
      firstBrokenEntry: null,
      problem: null,
      checkpointSize: size,
      verifiedThrough: size,
      unsequencedBacklog: 0,
    });
    expect(await integrity()).toMatchObject({ intact: true, checkedEntries: 0, verifiedThrough: size });
    await read(1);
    await sequenceAll(t);
    const grown = await events().count();
    expect(await integrity()).toMatchObject({ intact: true, checkedEntries: grown - size, checkpointSize: grown, verifiedThrough: grown });
    expect(await integrity(true)).toMatchObject({ intact: true, checkedEntries: grown });
  });

  it('detects an edited entry (EDITED)', async () => {
    const victim = await events().findOneByOrFail({ seq: 3 });
    await tampered(
      () => events().update({ id: victim.id }, { purpose: 'nothing to see' }),
      async () => expect(await integrity(true)).toMatchObject({ intact: false, problem: 'EDITED', firstBrokenEntry: 3 }),
    );
  });

  it('detects an edit re-hashed through to the end: the entries link up, but not to the signed checkpoints (CHECKPOINT_MISMATCH)', async () => {
    const rewrite = async () => {
      let previous = (await events().findOneByOrFail({ seq: 2 })).hash!;
      for (const row of await events().find({ where: { seq: MoreThanOrEqual(3) }, order: { seq: 'ASC' } })) {
        const edited = { ...row, purpose: row.seq === 3 ? 'nothing to see' : row.purpose, prevHash: previous };
        previous = chainHash({ ...edited, seq: row.seq! });
        await events().update({ id: row.id }, { purpose: edited.purpose, prevHash: edited.prevHash, hash: previous });
      }
      // Even the head row is made to agree: only the signatures are out of reach.
      await head().update({ id: 1 }, { lastHash: previous });
    };
    await tampered(rewrite, async () => {
      const full = await integrity(true);
      expect(full).toMatchObject({ intact: false, problem: 'CHECKPOINT_MISMATCH' });
      expect(full.firstBrokenEntry).toBeLessThanOrEqual(3);
      // The incremental check sees it too: the end of the chain no longer hashes to the latest checkpoint.
      expect(await integrity()).toMatchObject({ intact: false, problem: 'CHECKPOINT_MISMATCH' });
    });
  });

  it('starts an incremental check only where this process verified: an edit under a checkpoint marked verified in the table is still found', async () => {
    const latest = (await checkpoints().find({ order: { size: 'DESC', base: 'DESC' }, take: 1 }))[0]!;
    const victim = await events().findOneByOrFail({ seq: 3 });
    const forgeAnchor = async () => {
      await events().update({ id: victim.id }, { purpose: 'nothing to see' });
      // The table's "verified" mark is as writable as the entries: it must not let a check skip them.
      await checkpoints().update({ size: latest.size, base: latest.base }, { verifiedAt: new Date() });
    };
    await tampered(forgeAnchor, async () => {
      // A gateway that has not checked the chain itself yet (another instance, or this one restarted).
      const fresh = await auditServiceOf(t);
      expect(await fresh.verify()).toMatchObject({ intact: false, problem: 'EDITED', firstBrokenEntry: 3 });
    });
  });

  it('detects a deleted entry (DELETED)', async () => {
    await tampered(
      () => events().delete({ seq: 5 }),
      async () => expect(await integrity(true)).toMatchObject({ intact: false, problem: 'DELETED', firstBrokenEntry: 5 }),
    );
  });

  it('detects two entries swapped (REORDERED)', async () => {
    const swap = async () => {
      const [six, seven] = [await events().findOneByOrFail({ seq: 6 }), await events().findOneByOrFail({ seq: 7 })];
      await events().update({ id: six.id }, { seq: -6 });
      await events().update({ id: seven.id }, { seq: 6 });
      await events().update({ id: six.id }, { seq: 7 });
    };
    await tampered(swap, async () => expect(await integrity(true)).toMatchObject({ intact: false, problem: 'REORDERED', firstBrokenEntry: 6 }));
  });

  it('detects a truncated tail even with the chain head rewound to match (TRUNCATED), and the sequencer refuses to go on from it', async () => {
    const [last, previous] = await events().find({ order: { seq: 'DESC' }, take: 2 });
    const truncate = async () => {
      await events().delete({ seq: last!.seq! });
      await head().update({ id: 1 }, { lastSeq: previous!.seq!, lastHash: previous!.hash! });
    };
    await tampered(truncate, async () => {
      expect(await integrity()).toMatchObject({ intact: false, problem: 'TRUNCATED', firstBrokenEntry: last!.seq });
      await read(1);
      await expect((await auditSequencerOf(t)).round(new Date(Date.now() + SETTLED_MS))).rejects.toThrow('does not match the latest signed checkpoint');
    });
    await sequenceAll(t);
  });

  it('detects the tail cut back to an earlier checkpoint with the newer checkpoints removed too (ROLLED_BACK)', async () => {
    const [latest, earlier] = await checkpoints().find({ order: { size: 'DESC', base: 'DESC' }, take: 2 });
    expect(earlier!.size).toBeLessThan(latest!.size);
    expect(await integrity()).toMatchObject({ intact: true, checkpointSize: latest!.size });
    const rollBack = async () => {
      await events().delete({ seq: MoreThan(earlier!.size) });
      await checkpoints().delete({ size: MoreThan(earlier!.size) });
      await head().update({ id: 1 }, { lastSeq: earlier!.size, lastHash: earlier!.head });
    };
    // The database now agrees with itself, but this gateway's last check saw a newer checkpoint.
    await tampered(rollBack, async () => expect(await integrity()).toMatchObject({ intact: false, problem: 'ROLLED_BACK' }));
  });

  it('detects an altered or forged checkpoint (BAD_CHECKPOINT)', async () => {
    const latest = (await checkpoints().find({ order: { size: 'DESC', base: 'DESC' }, take: 1 }))[0]!;
    const bad = { intact: false, problem: 'BAD_CHECKPOINT' };
    await tampered(
      () => checkpoints().update({ size: latest.size, base: latest.base }, { head: '0'.repeat(64) }),
      async () => expect(await integrity()).toMatchObject(bad),
    );
    const [header, payload] = latest.jws.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), size: latest.size + 1 })).toString('base64url');
    await tampered(
      () => checkpoints().update({ size: latest.size, base: latest.base }, { jws: `${header}.${forged}.${latest.jws.split('.')[2]}` }),
      async () => expect(await integrity()).toMatchObject(bad),
    );
  });

  it('reports entries left unsequenced longer than the sequencer needs as a backlog, until it chains them', async () => {
    const template = (await events().findOneByOrFail({ seq: 1 }))!;
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    await events().insert({ ...template, id: '00000000-0000-7000-8000-000000000001', occurredAt: yesterday, seq: null, prevHash: null, hash: null });
    expect(await integrity()).toMatchObject({ intact: true, unsequencedBacklog: 1 });
    await sequenceAll(t);
    expect(await integrity()).toMatchObject({ intact: true, unsequencedBacklog: 0 });
  });
});
