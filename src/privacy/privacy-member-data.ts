import { type MemberDataHook, NOT_EXPORTED } from './member-data-hook';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import { NotificationEntity } from './notification.entity';
import { PolicyAcceptanceEntity } from './policy-acceptance.entity';
import { PrivacyRequestEntity } from './privacy-request.entity';

const { key: KEY, owner: OWNER } = NOT_EXPORTED;
const REQUESTS = 'retain: the record that a right was exercised and how it was answered';
const NOTICES = 'retain: proof that recipients were told of the erasure';
const SENT = 'retain: what the member was told (no data of theirs beyond the message)';

/** privacy/'s own tables: policy acceptances, privacy requests, erasure notices and notifications. */
export const privacyMemberData: MemberDataHook = {
  feature: 'privacy',
  tables: [
    {
      table: 'policy_acceptance',
      owner: 'member_id',
      columns: {
        member_id: { export: OWNER, erasure: 'retain: proof of which policy version the member accepted' },
        version: { export: 'policyAcceptances', erasure: 'retain: proof of which policy version the member accepted' },
        accepted_at: { export: 'policyAcceptances', erasure: 'retain: proof of which policy version the member accepted' },
      },
    },
    {
      table: 'privacy_request',
      owner: 'member_id',
      columns: {
        id: { export: KEY, erasure: REQUESTS },
        member_id: { export: OWNER, erasure: REQUESTS },
        type: { export: 'privacyRequests', erasure: REQUESTS },
        details: { export: 'privacyRequests', erasure: 'shred' },
        status: { export: 'privacyRequests', erasure: REQUESTS },
        received_at: { export: 'privacyRequests', erasure: REQUESTS },
        due_at: { export: 'privacyRequests', erasure: REQUESTS },
        resolved_at: { export: 'privacyRequests', erasure: REQUESTS },
        refusal_ground: { export: 'privacyRequests', erasure: REQUESTS },
        extension_reason: { export: 'privacyRequests', erasure: REQUESTS },
        handled_by: { export: "none: the officer's staff id, staff data rather than the member's", erasure: REQUESTS },
      },
    },
    {
      table: 'erasure_notice',
      owner: 'member_id',
      columns: {
        id: { export: KEY, erasure: NOTICES },
        member_id: { export: OWNER, erasure: NOTICES },
        request_id: { export: 'none: the request is exported under privacyRequests', erasure: NOTICES },
        recipient: { export: 'erasureNotices', erasure: NOTICES },
        subjects: {
          export: 'erasureNotices',
          erasure: 'retain: proof of what each recipient was told to erase (order and tracking numbers, never the member id)',
        },
        state: { export: 'erasureNotices', erasure: NOTICES },
        attempts: { export: 'none: delivery bookkeeping', erasure: NOTICES },
        next_attempt_at: { export: 'none: delivery bookkeeping', erasure: NOTICES },
        last_attempt_at: { export: 'none: delivery bookkeeping', erasure: NOTICES },
        last_error_code: { export: "none: delivery bookkeeping (the recipient's failure, not the member's data)", erasure: NOTICES },
        delivered_at: { export: 'erasureNotices', erasure: NOTICES },
        created_at: { export: 'erasureNotices', erasure: NOTICES },
      },
    },
    {
      table: 'notification',
      owner: 'member_id',
      columns: {
        id: { export: KEY, erasure: SENT },
        member_id: { export: OWNER, erasure: SENT },
        kind: { export: 'notifications', erasure: SENT },
        incident_id: { export: 'none: the incident is described in the notification itself', erasure: SENT },
        title: { export: 'notifications', erasure: SENT },
        body: { export: 'notifications', erasure: SENT },
        created_at: { export: 'notifications', erasure: SENT },
      },
    },
  ],

  async exportSections(manager, memberId, cipher, page) {
    const [acceptances, requests, notices, notifications] = await Promise.all([
      page('policyAcceptances', (w) => manager.find(PolicyAcceptanceEntity, { where: { memberId }, order: { acceptedAt: 'ASC', version: 'ASC' }, ...w })),
      page('privacyRequests', (w) => manager.find(PrivacyRequestEntity, { where: { memberId }, order: { receivedAt: 'ASC', id: 'ASC' }, ...w })),
      page('erasureNotices', (w) => manager.find(ErasureNoticeEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w })),
      page('notifications', (w) => manager.find(NotificationEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w })),
    ]);
    return {
      policyAcceptances: acceptances.map((a) => ({ version: a.version, acceptedAt: a.acceptedAt })),
      privacyRequests: requests.map((r) => ({
        type: r.type,
        details: cipher.open('privacy_request_details', r.detailsSealed),
        status: r.status,
        receivedAt: r.receivedAt,
        dueAt: r.dueAt,
        resolvedAt: r.resolvedAt,
        refusalGround: r.refusalGround,
        extensionReason: r.extensionReason,
      })),
      erasureNotices: notices.map((n) => ({
        recipient: n.recipient,
        subjects: n.subjects ? (JSON.parse(n.subjects) as unknown) : null,
        state: n.state,
        createdAt: n.createdAt,
        deliveredAt: n.deliveredAt,
      })),
      notifications: notifications.map((n) => ({ kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt })),
    };
  },
};
