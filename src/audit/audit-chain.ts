import { hash } from 'node:crypto';
import type { AuditEventEntity } from './audit-event.entity';

/** The hash before the first entry of an empty chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** A position in the chain: entries up to `seq`, the last of them hashing to `hash`. */
export interface ChainPoint {
  seq: number;
  hash: string;
}

/**
 * The hash of a sequenced entry: SHA-256 over its position, id, content and its predecessor's
 * hash. No secret: anyone holding the rows can recompute it, so tamper evidence comes from the
 * signed checkpoints over these hashes (audit-checkpoints.ts), and a verifier needs only the audit
 * public key. Changing this function needs a migration that re-chains the existing rows.
 */
export function chainHash(row: Pick<AuditEventEntity, Exclude<keyof AuditEventEntity, 'seq' | 'hash'>> & { seq: number }): string {
  const content = [
    'audit-chain/v2',
    row.prevHash,
    row.seq,
    row.id,
    row.occurredAt.toISOString(),
    row.requestId,
    row.actorKind,
    row.actorId,
    row.ownerMemberId,
    row.field,
    row.category,
    row.outcome,
    row.code,
    row.purpose,
  ];
  // One-shot hash: no Hash object per entry (about half of createHash().update().digest()'s time).
  return hash('sha256', JSON.stringify(content), 'hex');
}
