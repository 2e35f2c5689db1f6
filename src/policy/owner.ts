/** How the viewer reached the data: the key of the decision table after the viewer kind. Derived in owner-facts.ts, never set by producers. */
export type Relationship =
  /** A member's own data, read by that member. */
  | 'SELF'
  /** Staff (SUPPORT, VERIFIER, PRIVACY_OFFICER) reading a member with a stated purpose. */
  | 'STAFF_WITH_PURPOSE'
  /** A logistics partner reading a shipment assigned to it. */
  | 'ASSIGNED_SHIPMENT'
  /** Anything else: a shipment of another partner, another member's data, staff without a purpose. */
  | 'UNRELATED';

/**
 * Whose data an object holds, plus the access facts only the producing path knows. Attached
 * (under the OWNER symbol) to every GraphQL object that carries personal data and passed on to
 * the objects nested in it. Everything else the policy needs (relationship, minor status,
 * pending verification) is derived from the viewer and the owner's member row in
 * owner-facts.ts: a producer cannot claim it. Not a GraphQL field: clients never see it.
 */
export interface OwnerRef {
  memberId: string;
  /** The purpose staff stated for this access (`member(id, purpose)`, a case or request id); audited with every read. */
  purpose?: string;
  /** A shipment's assigned partner (checked against the viewer's partner id). */
  partnerId?: string;
}

export const OWNER: unique symbol = Symbol('owner');

export type Owned<T> = T & { [OWNER]: OwnerRef };

/** Marks `value` as holding `owner`'s data. */
export function owned<T extends object>(value: T, owner: OwnerRef): Owned<T> {
  (value as Owned<T>)[OWNER] = owner;
  return value as Owned<T>;
}

export function ownerOf(value: unknown): OwnerRef | undefined {
  return value !== null && typeof value === 'object' ? (value as Partial<Owned<object>>)[OWNER] : undefined;
}
