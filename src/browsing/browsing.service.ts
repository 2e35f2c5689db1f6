import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { MemberViewer } from '../auth/viewer';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { ConsentService } from '../consent/consent.service';
import { withLazyFields } from '../common/lazy-fields';
import { newPublicId } from '../common/public-id';
import type { FieldCipher } from '../crypto';
import { badUserInput } from '../errors';
import type { MemberVault } from '../members/member-vault.service';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { EntityRows, placeholders, sqlLimit } from '../db/entity-rows';
import { BrowsingEventEntity } from './browsing-event.entity';
import type { BrowsingInput } from './browsing.input';
import { type BrowsingEvent, BrowsingKind, type Device } from './browsing.types';
import { DeviceEntity } from './device.entity';

const SUBJECT_FIELD: Record<BrowsingKind, 'url' | 'query' | 'productId'> = {
  PAGE_VIEW: 'url',
  SEARCH: 'query',
  COLLECT: 'productId',
  CART_ADD: 'productId',
  FOLLOW: 'productId',
  SHARE: 'productId',
};

/**
 * Browsing history and devices. A position (GPS or network hint) is stored only while the member
 * has LOCATION consent: without it, it is dropped before it reaches the database, and withdrawing
 * the consent deletes the stored ones. Likewise the plain `product_id` recommendations count is
 * kept only with PERSONALIZATION consent (the event's sealed subject keeps the member's own
 * history). Clearing history deletes rows physically.
 */
export class BrowsingService {
  private readonly eventRows: EntityRows<BrowsingEventEntity>;
  private readonly deviceRows: EntityRows<DeviceEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly consents: ConsentService,
  ) {
    this.eventRows = new EntityRows(dataSource, BrowsingEventEntity);
    this.deviceRows = new EntityRows(dataSource, DeviceEntity);
    consents.onWithdrawal(ConsentPurpose.LOCATION, 'browsing', async (manager, memberId) => {
      await manager.update(DeviceEntity, { memberId }, { locationSealed: null });
    });
  }

  async record(viewer: MemberViewer, input: BrowsingInput, clientAddress: string): Promise<void> {
    const field = SUBJECT_FIELD[input.kind];
    const subject = input[field];
    if (!subject) throw badUserInput(field, `${field} is required for ${input.kind}`);
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
    if (occurredAt.getTime() > Date.now() + 5 * 60_000) throw badUserInput('occurredAt', 'occurredAt must not be in the future');
    await this.dataSource.transaction(async (manager) => {
      // Under the consent lock, so a LOCATION withdrawal cannot miss a position written meanwhile.
      await this.consents.lockMember(manager, viewer.memberId);
      const locationAllowed = await this.consents.isGranted(manager, viewer.memberId, ConsentPurpose.LOCATION);
      const personalization = await this.consents.isGranted(manager, viewer.memberId, ConsentPurpose.PERSONALIZATION);
      const cipher = await this.vault.cipherFor(viewer.memberId, manager);
      let deviceId: string | null = null;
      if (input.device) {
        const device = input.device;
        const identifierIndex = this.vault.index('device', `${viewer.memberId}:${device.deviceIdentifier}`);
        const location = !locationAllowed ? null : device.location ? `${device.location.latitude},${device.location.longitude}` : (device.networkHint ?? null);
        const values = {
          modelSealed: cipher.seal('device_model', device.model),
          osVersionSealed: cipher.seal('device_os_version', device.osVersion),
          ipAddressSealed: cipher.seal('device_ip_address', clientAddress),
          ...(location ? { locationSealed: cipher.seal('device_location', location) } : {}),
          lastSeenAt: new Date(),
        };
        const existing = await manager.findOneBy(DeviceEntity, { memberId: viewer.memberId, identifierIndex });
        deviceId = existing?.id ?? randomUUID();
        if (existing) await manager.update(DeviceEntity, { id: existing.id }, values);
        else {
          await manager.insert(DeviceEntity, {
            id: deviceId,
            memberId: viewer.memberId,
            identifierIndex,
            identifierSealed: cipher.seal('device_identifier', device.deviceIdentifier),
            locationSealed: null,
            ...values,
          });
        }
      }
      await manager.insert(BrowsingEventEntity, {
        publicId: newPublicId(),
        memberId: viewer.memberId,
        kind: input.kind,
        subjectSealed: cipher.seal('browsing_subject', subject),
        productId: personalization ? (input.productId ?? null) : null,
        deviceId,
        occurredAt,
      });
    });
  }

  /** Newest first by occurredAt (ties by public id), keyset-paginated on both: events may be recorded late. */
  async page(
    owner: OwnerRef,
    cipher: FieldCipher,
    options: { first: number; before?: { at: Date; id: string }; kind?: BrowsingKind | null },
  ): Promise<{ events: Owned<BrowsingEvent>[]; hasNextPage: boolean }> {
    const before = options.before;
    // Hand-written SQL on the storefront's hot path (see EntityRows).
    const events = this.eventRows;
    const parameters: unknown[] = [owner.memberId];
    let where = `${events.ref('e', 'memberId')} = ?`;
    if (options.kind) {
      where += ` AND ${events.ref('e', 'kind')} = ?`;
      parameters.push(options.kind);
    }
    if (before) {
      const older = events.olderThan('e', 'occurredAt', 'publicId', before);
      where += ` AND ${older.sql}`;
      parameters.push(...older.parameters);
    }
    const order = `ORDER BY ${events.ref('e', 'occurredAt')} DESC, ${events.ref('e', 'publicId')} DESC`;
    const rows = await events.select('e', `WHERE ${where} ${order} ${sqlLimit(options.first + 1)}`, parameters);
    const page = rows.slice(0, options.first).map((row) => {
      const field = SUBJECT_FIELD[row.kind as BrowsingKind];
      // The subject is opened when one of its fields is read (once the policy allowed it), at most once.
      let subject: string | null | undefined;
      const opened = () => (subject === undefined ? (subject = cipher.open('browsing_subject', row.subjectSealed)) : subject);
      return owned(
        withLazyFields(
          { id: row.publicId, kind: row.kind as BrowsingKind, occurredAt: row.occurredAt, deviceId: row.deviceId },
          {
            url: () => (field === 'url' ? opened() : null),
            query: () => (field === 'query' ? opened() : null),
            productId: () => (field === 'productId' ? opened() : row.productId),
          },
        ),
        owner,
      );
    });
    return { events: page, hasNextPage: rows.length > options.first };
  }

  /** Deletes the rows (not a flag); returns how many. */
  async clear(memberId: string, kind?: BrowsingKind | null): Promise<number> {
    const result = await this.dataSource.manager.delete(BrowsingEventEntity, { memberId, ...(kind ? { kind } : {}) });
    return result.affected ?? 0;
  }

  async devicesOf(owner: OwnerRef, cipher: FieldCipher): Promise<Owned<Device>[]> {
    const devices = this.deviceRows;
    const rows = await devices.select('d', `WHERE ${devices.ref('d', 'memberId')} = ? ORDER BY ${devices.ref('d', 'lastSeenAt')} DESC`, [owner.memberId]);
    return rows.map((row) => this.deviceView(row, cipher, owner));
  }

  /** For the per-request device loader. */
  async devicesByIds(ids: readonly string[]): Promise<Array<DeviceEntity | null>> {
    if (ids.length === 0) return [];
    const devices = this.deviceRows;
    const rows = await devices.select('d', `WHERE ${devices.ref('d', 'id')} IN (${placeholders(ids)})`, [...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Sealed columns are opened when a field is read (once the policy allowed it), not here. */
  deviceView(row: DeviceEntity, cipher: FieldCipher, owner: OwnerRef): Owned<Device> {
    return owned(
      withLazyFields(
        { id: row.id, lastSeenAt: row.lastSeenAt },
        {
          deviceIdentifier: () => cipher.open('device_identifier', row.identifierSealed),
          model: () => cipher.open('device_model', row.modelSealed),
          osVersion: () => cipher.open('device_os_version', row.osVersionSealed),
          ipAddress: () => cipher.open('device_ip_address', row.ipAddressSealed),
          lastLocation: () => cipher.open('device_location', row.locationSealed),
        },
      ),
      owner,
    );
  }
}
