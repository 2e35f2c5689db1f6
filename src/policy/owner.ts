import type { ConsentPurpose } from '../consent/consent-purpose';

/** How the viewer reached the data: the key of the decision table after the viewer kind. */
export type Relationship =
  /** A member's own data, through `me`. */
  | 'SELF'
  /** Staff reading a member through `member(id, purpose)` or the audit trail, with a stated purpose. */
  | 'STAFF_WITH_PURPOSE'
  /** A logistics partner reading a shipment assigned to it. */
  | 'ASSIGNED_SHIPMENT'
  /** Anything else: a shipment of another partner, another member's data. */
  | 'UNRELATED';

/**
 * Whose data an object holds and how the viewer got to it. Attached (under the OWNER symbol) to
 * every GraphQL object that carries personal data, by the resolver that produced it, and passed
 * on to the objects nested in it. Not a GraphQL field: clients never see it.
 */
export interface OwnerRef {
  memberId: string;
  relationship: Relationship;
  /** The purpose staff stated for this access; audited with every read. */
  purpose?: string;
  /** Members under the minor age have every category treated as sensitive. */
  isMinor: boolean;
  /** For ASSIGNED_SHIPMENT: the partner the shipment is assigned to (checked against the viewer). */
  partnerId?: string;
  /** The owner has a verification waiting for review (a VERIFIER may then see full ID data). */
  verificationPending?: boolean;
}

export const OWNER: unique symbol = Symbol('owner');

export type Owned<T> = T & { [OWNER]: OwnerRef };

/** Marks `value` as holding `owner`'s data. */
export function owned<T extends object>(value: T, owner: OwnerRef): Owned<T> {
  return Object.assign(value, { [OWNER]: owner });
}

export function ownerOf(value: unknown): OwnerRef | undefined {
  return value !== null && typeof value === 'object' ? (value as Partial<Owned<object>>)[OWNER] : undefined;
}
