import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { AuditEventEntity } from './audit-event.entity';

const TRAIL = 'retain: the hash-chained audit trail of who read what; expires with the audit retention period';

/** Who read the member's data: exported as the access log, kept at erasure (it holds no field values). */
export const auditMemberData: MemberDataHook = {
  feature: 'audit',
  tables: [
    {
      table: 'audit_event',
      owner: 'owner_member_id',
      columns: {
        id: { export: 'none: row id of the entry', erasure: TRAIL },
        seq: { export: 'none: position in the chain', erasure: TRAIL },
        occurred_at: { export: 'accessLog', erasure: TRAIL },
        request_id: { export: 'none: correlation id for operators', erasure: TRAIL },
        actor_kind: { export: 'accessLog', erasure: TRAIL },
        actor_id: { export: 'accessLog', erasure: TRAIL },
        owner_member_id: { export: NOT_EXPORTED.owner, erasure: TRAIL },
        field: { export: 'accessLog', erasure: TRAIL },
        category: { export: 'accessLog', erasure: TRAIL },
        outcome: { export: 'accessLog', erasure: TRAIL },
        code: { export: 'none: the error code of a denied read, covered by outcome', erasure: TRAIL },
        purpose: { export: 'accessLog', erasure: TRAIL },
        prev_hash: { export: 'none: chain integrity', erasure: TRAIL },
        hash: { export: 'none: chain integrity', erasure: TRAIL },
      },
    },
  ],

  async exportSections(manager, memberId, _cipher, page) {
    const accessLog = await page('accessLog', (w) =>
      manager.find(AuditEventEntity, { where: { ownerMemberId: memberId }, order: { occurredAt: 'ASC', id: 'ASC' }, ...w }),
    );
    return {
      accessLog: accessLog.map((a) => ({
        at: a.occurredAt,
        actorKind: a.actorKind,
        actorId: a.actorId,
        field: a.field,
        category: a.category,
        outcome: a.outcome,
        purpose: a.purpose,
      })),
    };
  },
};
