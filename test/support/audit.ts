import { IsNull } from 'typeorm';
import { AuditCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import type { Gateway } from '../../src/gateway';
import type { TestGateway } from './test-gateway';

/** Past the sequencer's settle margin (request deadline + statement timeout + 5 s with test settings). */
export const SETTLED_MS = 60_000;

/** An AuditService of the test's own on the gateway's database, signing with the gateway's audit key. */
export async function auditServiceOf(t: TestGateway): Promise<AuditService> {
  const checkpoints = await AuditCheckpoints.create(t.dataSource, { signingKey: t.keys().auditSigningKey });
  return new AuditService(t.dataSource, checkpoints, { sequencedWithinMs: 120_000 });
}

/**
 * Sequences every entry written so far: sequencer rounds with the clock moved past the settle
 * margin, until one ran (the gateway's own timer may hold the lease a moment) and none is left.
 */
export async function sequenceAll(gateway: Gateway, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const round = await gateway.sequenceAudit(new Date(Date.now() + SETTLED_MS));
    const left = await gateway.dataSource.getRepository(AuditEventEntity).countBy({ seq: IsNull() });
    if (round.ran && left === 0) return;
    if (Date.now() > deadline) throw new Error(`audit entries still unsequenced after ${deadlineMs} ms: ${left}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
