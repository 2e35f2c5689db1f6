import { IsNull } from 'typeorm';
import { AuditCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditSequencer } from '../../src/audit/audit-sequencer';
import { AuditService } from '../../src/audit/audit.service';
import type { TestGateway } from './test-gateway';

/** Past the sequencer's settle margin (request deadline + statement timeout + 5 s with test settings) and its period. */
export const SETTLED_MS = 60_000;

const checkpointsOf = (t: TestGateway) => AuditCheckpoints.create(t.dataSource, { signingKey: t.keys().auditSigningKey });

/** An AuditService of the test's own on the gateway's database, signing with the gateway's audit key. */
export async function auditServiceOf(t: TestGateway): Promise<AuditService> {
  return new AuditService(t.dataSource, await checkpointsOf(t), { sequencedWithinMs: 120_000 });
}

/** A sequencer of the test's own on the gateway's database (the gateway's settle margin and key): rounds on demand. */
export async function auditSequencerOf(t: TestGateway): Promise<AuditSequencer> {
  return new AuditSequencer(await checkpointsOf(t), { intervalMs: 5000, settleMs: 20_000 });
}

/**
 * Sequences every entry written so far: rounds with the clock moved past the settle margin, until
 * none is left (a round the gateway's own job runs meanwhile takes turns with them on the head lock).
 */
export async function sequenceAll(t: TestGateway, deadlineMs = 10_000): Promise<void> {
  const sequencer = await auditSequencerOf(t);
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    await sequencer.round(new Date(Date.now() + SETTLED_MS));
    const left = await t.dataSource.getRepository(AuditEventEntity).countBy({ seq: IsNull() });
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`audit entries still unsequenced after ${deadlineMs} ms: ${left}`);
  }
}
