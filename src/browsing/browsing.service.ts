import { randomUUID } from 'node:crypto';
import { type DataSource, Equal, In, LessThan } from 'typeorm';
import type { MemberViewer } from '../auth/viewer';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { ConsentService } from '../consent/consent.service';
import { withLazyFields } from '../common/lazy-fields';
import { newPublicId } from '../common/public-id';
import type { FieldCipher } from '../crypto';
import { badUserInput } from '../errors';
import type { MemberVault } from '../members/member-vault.service';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly consents: ConsentService,
  ) {
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
    const scope = { memberId: owner.memberId, ...(options.kind ? { kind: options.kind } : {}) };
    const before = options.before;
    const rows = await this.dataSource.manager.find(BrowsingEventEntity, {
      where: before
        ? [
            { ...scope, occurredAt: LessThan(before.at) },
            { ...scope, occurredAt: Equal(before.at), publicId: LessThan(before.id) },
          ]
        : scope,
      order: { occurredAt: 'DESC', publicId: 'DESC' },
      take: options.first + 1,
    });
    const events = rows.slice(0, options.first).map((row) => {
      const subject = cipher.open('browsing_subject', row.subjectSealed);
      const field = SUBJECT_FIELD[row.kind as BrowsingKind];
      return owned(
        {
          id: row.publicId,
          kind: row.kind as BrowsingKind,
          url: field === 'url' ? subject : null,
          query: field === 'query' ? subject : null,
          productId: field === 'productId' ? subject : row.productId,
          occurredAt: row.occurredAt,
          deviceId: row.deviceId,
        },
        owner,
      );
    });
    return { events, hasNextPage: rows.length > options.first };
  }

  /** Deletes the rows (not a flag); returns how many. */
  async clear(memberId: string, kind?: BrowsingKind | null): Promise<number> {
    const result = await this.dataSource.manager.delete(BrowsingEventEntity, { memberId, ...(kind ? { kind } : {}) });
    return result.affected ?? 0;
  }

  async devicesOf(owner: OwnerRef, cipher: FieldCipher): Promise<Owned<Device>[]> {
    const rows = await this.dataSource.manager.find(DeviceEntity, { where: { memberId: owner.memberId }, order: { lastSeenAt: 'DESC' } });
    return rows.map((row) => this.deviceView(row, cipher, owner));
  }

  /** For the per-request device loader. */
  async devicesByIds(ids: readonly string[]): Promise<Array<DeviceEntity | null>> {
    const rows = await this.dataSource.manager.findBy(DeviceEntity, { id: In([...ids]) });
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
