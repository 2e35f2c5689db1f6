import DataLoader from 'dataloader';
import type { OwnerRef, Relationship } from './owner';

/**
 * Everything the decision table needs about a data owner, derived in this one module from the
 * viewer and the owner's member row: the relationship, whether the owner is a minor, whether a
 * verification of theirs is pending, whether staff stated a purpose. Producers of personal data
 * only say whose data a row is (OwnerRef); they cannot set any of these.
 */

/** The owner's age class, a key of the decision table. */
export type OwnerAge = 'ADULT' | 'MINOR';

/** What the policy reads from an owner's member row (the member feature supplies it). */
export interface OwnerRecord {
  /** YYYY-MM-DD, or null when none is on file. */
  birthDate: string | null;
}

/** Where owner rows come from; registered by the features that hold them, batched per request. */
export interface OwnerSources {
  /** Members' rows, in the order asked; null for a member that is gone (key destroyed, never existed). */
  records(memberIds: readonly string[]): Promise<Array<OwnerRecord | null>>;
  /** Whether each member has a real-name verification waiting for review. */
  pendingVerifications(memberIds: readonly string[]): Promise<boolean[]>;
  minorAge: number;
}

/** What the policy knows of a viewer; auth/'s viewers fit this shape. A sign-in during the request replaces it. */
export type PolicyViewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'MEMBER'; memberId: string; authTime: number; amr: string[] }
  | { kind: 'SUPPORT' | 'VERIFIER' | 'PRIVACY_OFFICER' | 'LOGISTICS_PARTNER'; subject: string; partnerId?: string };

const STAFF_KINDS = new Set(['SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER']);

/** Completed years between `birthDate` (YYYY-MM-DD) and `today`, in UTC. */
export function ageOn(today: Date, birthDate: string): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

/**
 * Minor status from the birth date on file. An unknown birth date is not a minor for reads (the
 * member is then treated as the adult they registered as); it is not enough for optional purposes
 * either: those need a known birth date (consent and registration check that).
 */
export function isMinor(birthDate: string | null, minorAge: number, today: Date = new Date()): boolean {
  return birthDate !== null && ageOn(today, birthDate) < minorAge;
}

/**
 * The viewer's relationship to the owner. SELF only for the member themself; staff only with a
 * stated purpose; a partner only for a shipment assigned to it; anything else is UNRELATED.
 */
export function relationshipOf(viewer: PolicyViewer, owner: OwnerRef): Relationship {
  if (viewer.kind === 'MEMBER') return viewer.memberId === owner.memberId ? 'SELF' : 'UNRELATED';
  if (viewer.kind === 'LOGISTICS_PARTNER') {
    return owner.partnerId !== undefined && viewer.partnerId !== undefined && viewer.partnerId === owner.partnerId ? 'ASSIGNED_SHIPMENT' : 'UNRELATED';
  }
  if (STAFF_KINDS.has(viewer.kind)) return statedPurpose(owner) ? 'STAFF_WITH_PURPOSE' : 'UNRELATED';
  return 'UNRELATED';
}

export function statedPurpose(owner: OwnerRef): boolean {
  return (owner.purpose ?? '').trim() !== '';
}

/**
 * One request's owner facts: owner rows loaded at most once per member and batched across a
 * list (one statement for any number of owners), rows the request already holds primed, pending
 * verifications loaded only when a rule asks.
 */
export class RequestOwnerFacts {
  private readonly known = new Map<string, OwnerRecord | null>();
  /** The age class derived from `known`, once per owner: every field read of a list asks for it. */
  private readonly ages = new Map<string, OwnerAge>();
  private readonly primed = new Map<string, () => OwnerRecord>();
  // Made on first use: most requests read only the signed-in member's own data, whose row is primed.
  private rows?: DataLoader<string, OwnerRecord | null>;
  private pending?: DataLoader<string, boolean>;

  constructor(private readonly sources: OwnerSources) {}

  /** A row this request already holds (the signed-in member, a staff lookup); opened only when needed. */
  prime(memberId: string, record: () => OwnerRecord): void {
    this.known.delete(memberId);
    this.ages.delete(memberId);
    this.primed.set(memberId, record);
  }

  /** The owner's age class when their row is at hand; undefined when it must first be loaded. */
  ageNow(memberId: string): OwnerAge | undefined {
    const age = this.ages.get(memberId);
    if (age) return age;
    let record = this.known.get(memberId);
    if (record === undefined) {
      const thunk = this.primed.get(memberId);
      if (!thunk) return undefined;
      record = thunk();
      this.known.set(memberId, record);
    }
    const derived = record && isMinor(record.birthDate, this.sources.minorAge) ? 'MINOR' : 'ADULT';
    this.ages.set(memberId, derived);
    return derived;
  }

  async age(memberId: string): Promise<OwnerAge> {
    const known = this.ageNow(memberId);
    if (known) return known;
    this.rows ??= new DataLoader(async (ids) => {
      const loaded = await this.sources.records(ids);
      ids.forEach((id, index) => this.known.set(id, loaded[index] ?? null));
      return loaded;
    });
    await this.rows.load(memberId);
    return this.ageNow(memberId)!;
  }

  verificationPending(memberId: string): Promise<boolean> {
    this.pending ??= new DataLoader((ids) => this.sources.pendingVerifications(ids));
    return this.pending.load(memberId);
  }
}
