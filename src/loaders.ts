import DataLoader from 'dataloader';
import type { BrowsingService } from './browsing/browsing.service';
import type { FieldCipher } from './crypto';
import { forbidden } from './errors';
import type { MemberRow } from './members/member-row';
import type { MemberService } from './members/member.service';
import type { Member } from './members/member.types';
import type { MemberVault } from './members/member-vault.service';
import type { OrderService } from './orders/order.service';
import type { DataCategory } from './policy/data-category';
import { ownerOf, type Owned, type OwnerRef } from './policy/owner';
import type { RequestPrivacy } from './policy/request-privacy';

// Row types as the owning features' services return them: this file never names their entities.
type OrderItemRows = Awaited<ReturnType<OrderService['itemsOf']>>[number];
type DeviceRow = Awaited<ReturnType<BrowsingService['devicesByIds']>>[number];
type DeviceView = ReturnType<BrowsingService['deviceView']>;

/**
 * Per-request DataLoaders for every relation a list can fan out to, so the number of SQL
 * statements of a request does not grow with page sizes. Created lazily: a request that reads no
 * relation pays nothing.
 */
export class RequestLoaders {
  private ciphersLoader?: DataLoader<string, FieldCipher | null>;
  private ownCipher?: FieldCipher;
  private ownView?: Owned<Member>;
  private itemsLoader?: DataLoader<number, OrderItemRows>;
  private devicesLoader?: DataLoader<string, DeviceRow>;
  private readonly deviceViews = new Map<OwnerRef, Map<string, Promise<DeviceView | null>>>();

  /** `signedIn`: the member row the token check loaded with its key, if a member signed in. */
  constructor(
    private readonly services: { vault: MemberVault; members: MemberService; orders: OrderService; browsing: BrowsingService },
    private readonly signedIn?: MemberRow,
  ) {}

  /**
   * The signed-in member's cipher, their key unwrapped once per request however many readers
   * (the policy's owner facts, `me`, the ciphers loader) need it; undefined for other viewers.
   */
  get signedInCipher(): FieldCipher | undefined {
    if (!this.signedIn) return undefined;
    return (this.ownCipher ??= this.services.vault.cipherForLoaded(this.signedIn));
  }

  /**
   * The signed-in member as `me` shows them, made once per request: the policy's owner facts read
   * their birth date from the same view, so it is opened once. Undefined for other viewers.
   */
  get signedInMember(): Owned<Member> | undefined {
    if (!this.signedIn) return undefined;
    return (this.ownView ??= this.services.members.view(this.signedIn, {}, this.signedInCipher));
  }

  /** Members' ciphers (their wrapped keys, unwrapped once per request). */
  get ciphers(): DataLoader<string, FieldCipher | null> {
    return (this.ciphersLoader ??= new DataLoader((ids) => this.loadCiphers(ids)));
  }

  /** The signed-in member's key came with the token check: only other members' keys are loaded. */
  private async loadCiphers(ids: readonly string[]): Promise<Array<FieldCipher | null>> {
    const own = this.signedIn;
    const others = ids.filter((id) => id !== own?.id);
    const loaded = others.length > 0 ? await this.services.vault.ciphersFor(others) : [];
    const byId = new Map(others.map((id, index) => [id, loaded[index] ?? null]));
    return ids.map((id) => (own && id === own.id ? this.signedInCipher! : (byId.get(id) ?? null)));
  }

  get orderItems(): DataLoader<number, OrderItemRows> {
    return (this.itemsLoader ??= new DataLoader((ids) => this.services.orders.itemsOf(ids)));
  }

  get devices(): DataLoader<string, DeviceRow> {
    return (this.devicesLoader ??= new DataLoader((ids) => this.services.browsing.devicesByIds(ids)));
  }

  /**
   * A device as seen through one owner reference, made once per request: the events of a history
   * page share a few devices, and one view opens each sealed column once however many events show it.
   */
  deviceView(owner: OwnerRef, cipher: FieldCipher, deviceId: string): Promise<DeviceView | null> {
    let views = this.deviceViews.get(owner);
    if (!views) {
      views = new Map();
      this.deviceViews.set(owner, views);
    }
    let view = views.get(deviceId);
    if (!view) {
      view = this.devices.load(deviceId).then((row) => (row ? this.services.browsing.deviceView(row, cipher, owner) : null));
      views.set(deviceId, view);
    }
    return view;
  }
}

/** The owner of a GraphQL object and their cipher, through the request's loader; FORBIDDEN when unknown. */
export async function ownerAndCipher(parent: object, context: { loaders: RequestLoaders }): Promise<[OwnerRef, FieldCipher]> {
  const owner = ownerOf(parent);
  const cipher = owner ? await context.loaders.ciphers.load(owner.memberId) : null;
  if (!owner || !cipher) throw forbidden('Not available.');
  return [owner, cipher];
}

/**
 * For a relation that lists a category's rows (history, devices, orders): decides the category
 * first, so a viewer denied it learns nothing, not even how many rows there are or their ids.
 * Null when denied (the denial is audited); otherwise the owner and cipher to load with.
 */
export async function readableRelation(
  parent: object,
  context: { loaders: RequestLoaders; privacy?: RequestPrivacy },
  category: DataCategory,
  field: string,
): Promise<[OwnerRef, FieldCipher] | null> {
  const owner = ownerOf(parent);
  if (owner && context.privacy) {
    const decision = await context.privacy.decide(category, owner);
    if (decision.outcome === 'DENY') {
      context.privacy.record(field, category, owner, decision);
      return null;
    }
  }
  return ownerAndCipher(parent, context);
}
