import type { EntityManager } from 'typeorm';
import type { FieldCipher } from '../crypto';

/**
 * What happens to a column when a member's data is erased (a completed DELETION request, or
 * cancelAccount, which also destroys the member's key):
 * - `delete`: the row goes at every erasure;
 * - `clear`: the value is overwritten at every erasure, the row is kept (legal retention);
 * - `shred`: sealed under the member's key, so unreadable once cancellation destroys it (kept
 *   while the account lives);
 * - `tombstone`: replaced by a random or unusable value at cancellation;
 * - `destroy`: the row goes at cancellation (the member's key: crypto-shredding);
 * - `retain: <why>`: kept as it is, for the stated reason.
 */
export type ColumnErasure = 'delete' | 'clear' | 'shred' | 'tombstone' | 'destroy' | `retain: ${string}`;

/** A column of member data: the export section it appears in (or `none: <why>`), and its erasure. */
export interface ColumnFate {
  export: string;
  erasure: ColumnErasure;
}

/**
 * A table holding member data: owned directly (`owner` names the member-id column) or through a
 * parent row (`parent`: the parent table and the column pointing at its primary key). Every
 * column is listed, so a new column without a fate fails the member-data test.
 */
/** Why the bookkeeping columns every member table has are not exported: said once, used by every hook. */
export const NOT_EXPORTED = { key: 'none: internal key', owner: 'none: the member themself' } as const;

/** The key and owner columns of a table whose rows are deleted at erasure. */
export const DELETED_KEY = { export: NOT_EXPORTED.key, erasure: 'delete' } as const;
export const DELETED_OWNER = { export: NOT_EXPORTED.owner, erasure: 'delete' } as const;

export interface MemberDataTable {
  table: string;
  owner?: string;
  parent?: { table: string; column: string };
  columns: Record<string, ColumnFate>;
}

/**
 * A third party the member's data was disclosed to, and what it already knows that data by
 * (`subjects`, e.g. `{ orders: [{ orderNumber, trackingNumber? }] }`), never the member id: the
 * erasure notice names these. Lists under the same key from several hooks are concatenated.
 */
export interface ErasureRecipient {
  recipient: string;
  subjects: Record<string, unknown[]>;
}

/**
 * One export section's rows, at most one window of them: `load` gets the window (`skip`, `take`)
 * and returns the rows in a fixed order; sections cut short are continued by `section`/`after`.
 * `weight` shrinks the window of sections whose rows are large.
 */
export type ExportPage = <T>(section: string, load: (window: { skip: number; take: number }) => Promise<T[]>, weight?: number) => Promise<T[]>;

/**
 * One feature's part in members' rights: the tables it keeps member data in, its sections of the
 * data export, and its erasure. privacy/ runs the hooks; it imports no feature's entities.
 * Every function runs through the caller's manager (erasure inside the erasure's transaction).
 */
export interface MemberDataHook {
  feature: string;
  tables: MemberDataTable[];
  /** The feature's export sections, opened with the member's cipher; every list section read through `page`. */
  exportSections(manager: EntityManager, memberId: string, cipher: FieldCipher, page: ExportPage): Promise<Record<string, unknown>>;
  /** Third parties the feature disclosed the member's data to: each gets an erasure notice. Read before any hook erases. */
  recipients?(manager: EntityManager, memberId: string): Promise<ErasureRecipient[]>;
  /** Deletes or anonymises the feature's data of the member; `destroyKey` for a cancelled account. */
  erase?(manager: EntityManager, memberId: string, options: { cipher: FieldCipher; destroyKey: boolean }): Promise<void>;
}

/** The hooks features registered (wired in services.ts), run in registration order. */
export class MemberDataRegistry {
  private readonly registered: MemberDataHook[] = [];

  register(hook: MemberDataHook): void {
    this.registered.push(hook);
  }

  get hooks(): readonly MemberDataHook[] {
    return this.registered;
  }
}
