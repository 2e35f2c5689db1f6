import { DELETED_KEY as KEY, DELETED_OWNER as OWNER, type MemberDataHook } from '../privacy/member-data-hook';
import { AutomatedDecisionEntity } from './automated-decision.entity';
import { BrowsingEventEntity } from './browsing-event.entity';
import { DeviceEntity } from './device.entity';

/** Devices, browsing history and automated decisions: exported in full, deleted at erasure (only optional purposes needed them). */
export const browsingMemberData: MemberDataHook = {
  feature: 'browsing',
  tables: [
    {
      table: 'device',
      owner: 'member_id',
      columns: {
        id: KEY,
        member_id: OWNER,
        identifier_index: { export: 'none: a keyed digest of the identifier, exported in clear as deviceIdentifier', erasure: 'delete' },
        identifier: { export: 'devices', erasure: 'delete' },
        model: { export: 'devices', erasure: 'delete' },
        os_version: { export: 'devices', erasure: 'delete' },
        ip_address: { export: 'devices', erasure: 'delete' },
        location: { export: 'devices', erasure: 'delete' },
        last_seen_at: { export: 'devices', erasure: 'delete' },
      },
    },
    {
      table: 'browsing_event',
      owner: 'member_id',
      columns: {
        id: KEY,
        public_id: { export: 'none: a random handle for the API; the event itself is exported', erasure: 'delete' },
        member_id: OWNER,
        kind: { export: 'browsingHistory', erasure: 'delete' },
        subject: { export: 'browsingHistory', erasure: 'delete' },
        product_id: { export: 'browsingHistory', erasure: 'delete' },
        device_id: { export: 'none: internal link to the device, exported under devices', erasure: 'delete' },
        occurred_at: { export: 'browsingHistory', erasure: 'delete' },
      },
    },
    {
      table: 'automated_decision',
      owner: 'member_id',
      columns: {
        id: KEY,
        member_id: OWNER,
        kind: { export: 'automatedDecisions', erasure: 'delete' },
        detail: { export: 'automatedDecisions', erasure: 'delete' },
        decided_at: { export: 'automatedDecisions', erasure: 'delete' },
        model_version: { export: 'none: which model decided; the decision itself is exported', erasure: 'delete' },
        decided_on: { export: 'none: the day of decided_at, kept for the once-a-day key', erasure: 'delete' },
      },
    },
  ],

  async exportSections(manager, memberId, cipher, page) {
    const [devices, events, decisions] = await Promise.all([
      page('devices', (w) => manager.find(DeviceEntity, { where: { memberId }, order: { id: 'ASC' }, ...w })),
      page('browsingHistory', (w) => manager.find(BrowsingEventEntity, { where: { memberId }, order: { id: 'ASC' }, ...w })),
      page('automatedDecisions', (w) => manager.find(AutomatedDecisionEntity, { where: { memberId }, order: { decidedAt: 'ASC', id: 'ASC' }, ...w })),
    ]);
    const open = (column: string, sealed: string | null) => cipher.open(column, sealed);
    return {
      devices: devices.map((d) => ({
        deviceIdentifier: open('device_identifier', d.identifierSealed),
        model: open('device_model', d.modelSealed),
        osVersion: open('device_os_version', d.osVersionSealed),
        ipAddress: open('device_ip_address', d.ipAddressSealed),
        lastLocation: open('device_location', d.locationSealed),
        lastSeenAt: d.lastSeenAt,
      })),
      browsingHistory: events.map((e) => ({
        kind: e.kind,
        subject: open('browsing_subject', e.subjectSealed),
        productId: e.productId,
        occurredAt: e.occurredAt,
      })),
      automatedDecisions: decisions.map((d) => ({ kind: d.kind, decidedAt: d.decidedAt, ...JSON.parse(open('decision_detail', d.detailSealed)!) })),
    };
  },

  async erase(manager, memberId) {
    for (const entity of [BrowsingEventEntity, DeviceEntity, AutomatedDecisionEntity]) await manager.delete(entity, { memberId });
  },
};
