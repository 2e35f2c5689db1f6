import type { Viewer } from '../auth/viewer';
import type { ConsentPurpose } from '../consent/consent-purpose';
import type { DataCategory } from './data-category';
import { SENSITIVE } from './data-category';
import { type Decision, decide, type Facts } from './decide';
import type { OwnerRef, Relationship } from './owner';
import { ruleFor } from './policy-table';

/** One audited read, as buffered during a request and written once before the response. */
export interface AuditRecord {
  requestId: string;
  actorKind: string;
  actorId: string | null;
  ownerMemberId: string;
  field: string;
  category: DataCategory;
  outcome: Decision['outcome'];
  code: string | null;
  purpose: string | null;
  occurredAt: Date;
}

/** The subset of a viewer the policy needs; a sign-in during the request replaces it. */
type PolicyViewer = Pick<Extract<Viewer, { kind: 'MEMBER' }>, 'kind' | 'memberId' | 'authTime' | 'amr'> | Exclude<Viewer, { kind: 'MEMBER' }>;

/**
 * The policy's state for one request: decisions memoised per (category, owner, relationship), the
 * owner's consents loaded at most once (and only when a rule asks), the masked paths, and the
 * audit buffer (one record per owner, field and outcome however many rows were read).
 */
export class RequestPrivacy {
  readonly masked: string[] = [];
  private viewer: PolicyViewer;
  // Keyed by the owner reference object itself: every row of a list shares one, so a 500-row
  // list costs one lookup per field, not one string key per field and row.
  private decisions = new WeakMap<OwnerRef, Map<DataCategory, Decision | Promise<Decision>>>();
  private consents = new Map<string, Promise<ReadonlySet<ConsentPurpose>>>();
  private audit = new Map<string, AuditRecord>();
  /** How many of the buffered records (in insertion order) were already written, by a mutation's transaction. */
  private written = 0;

  constructor(
    viewer: Viewer,
    private readonly requestId: string,
    private readonly settings: { stepUpMaxAgeSeconds: number; consentsOf: (memberId: string) => Promise<ReadonlySet<ConsentPurpose>> },
  ) {
    this.viewer = viewer;
  }

  /** After login, register, refresh or step-up in this request, its data is read as that member's. */
  signedIn(member: { memberId: string; authTime: number; amr: string[] }): void {
    this.viewer = { kind: 'MEMBER', ...member };
    this.decisions = new WeakMap();
  }

  /**
   * The decision for reading `category` of `owner`'s data, made once per owner reference and
   * category in a request; a promise only when the owner's consents must first be loaded.
   */
  decide(category: DataCategory, owner: OwnerRef): Decision | Promise<Decision> {
    let forOwner = this.decisions.get(owner);
    if (!forOwner) {
      forOwner = new Map();
      this.decisions.set(owner, forOwner);
    }
    const known = forOwner.get(category);
    if (known) return known;
    const memo = forOwner;
    const relationship = this.relationshipTo(owner);
    const rule = ruleFor(this.viewer.kind, relationship, category);
    const facts: Facts = {
      authAgeSeconds: this.authAgeSeconds(),
      maxAuthAgeSeconds: this.settings.stepUpMaxAgeSeconds,
      statedPurpose: (owner.purpose ?? '').trim() !== '',
      verificationPending: owner.verificationPending === true,
    };
    if (rule.requires?.consent === undefined) {
      const decision = this.forMinors(decide(rule, facts), owner);
      memo.set(category, decision);
      return decision;
    }
    const pending = this.consentsOf(owner.memberId).then((consents) => {
      const decision = this.forMinors(decide(rule, { ...facts, consents }), owner);
      memo.set(category, decision);
      return decision;
    });
    memo.set(category, pending);
    return pending;
  }

  /**
   * Buffers an audit record when the read must be audited: sensitive data, minors, denials, anyone
   * but the owner. One record per owner, field, outcome, stated purpose and viewer in a request.
   */
  record(field: string, category: DataCategory, owner: OwnerRef, decision: Decision): void {
    const self = this.viewer.kind === 'MEMBER' && this.viewer.memberId === owner.memberId;
    if (!SENSITIVE.has(category) && !owner.isMinor && decision.outcome !== 'DENY' && self) return;
    const key = `${owner.memberId}|${field}|${decision.outcome}|${owner.purpose ?? ''}|${this.viewer.kind}`;
    if (this.audit.has(key)) return;
    this.audit.set(key, {
      requestId: this.requestId,
      actorKind: this.viewer.kind,
      actorId: this.viewer.kind === 'MEMBER' ? this.viewer.memberId : this.viewer.kind === 'ANONYMOUS' ? null : this.viewer.subject,
      ownerMemberId: owner.memberId,
      field,
      category,
      outcome: decision.outcome,
      code: decision.outcome === 'DENY' ? decision.code : null,
      purpose: owner.purpose ?? (self ? 'SELF_SERVICE' : null),
      occurredAt: new Date(Math.floor(Date.now() / 1000) * 1000),
    });
  }

  /** A minor's data is treated as sensitive: anyone but the minor sees it masked at most (and every read is audited). */
  private forMinors(decision: Decision, owner: OwnerRef): Decision {
    const self = this.viewer.kind === 'MEMBER' && this.viewer.memberId === owner.memberId;
    return owner.isMinor && !self && decision.outcome === 'ALLOW' ? { outcome: 'MASK' } : decision;
  }

  /** The records not written yet (a mutation writes the reads of its result before it commits). */
  auditRecords(): AuditRecord[] {
    return [...this.audit.values()].slice(this.written);
  }

  /** The first `count` pending records were written (and are not written again). */
  auditWritten(count: number): void {
    this.written += count;
  }

  private relationshipTo(owner: OwnerRef): Relationship {
    // A producer's claim of SELF is checked against the viewer: a bug elsewhere must not widen access.
    if (owner.relationship === 'SELF') return this.viewer.kind === 'MEMBER' && this.viewer.memberId === owner.memberId ? 'SELF' : 'UNRELATED';
    if (owner.relationship === 'ASSIGNED_SHIPMENT') {
      return this.viewer.kind === 'LOGISTICS_PARTNER' && owner.partnerId !== undefined && this.viewer.partnerId === owner.partnerId ? 'ASSIGNED_SHIPMENT' : 'UNRELATED';
    }
    return owner.relationship;
  }

  private authAgeSeconds(): number | undefined {
    // Only a password proves identity strongly enough for sensitive reads (not biometrics).
    if (this.viewer.kind !== 'MEMBER' || !this.viewer.amr.includes('pwd')) return undefined;
    return Math.floor(Date.now() / 1000) - this.viewer.authTime;
  }

  private consentsOf(memberId: string): Promise<ReadonlySet<ConsentPurpose>> {
    let loading = this.consents.get(memberId);
    if (!loading) {
      loading = this.settings.consentsOf(memberId);
      this.consents.set(memberId, loading);
    }
    return loading;
  }
}
