import type { ConsentPurpose } from './consent-purpose';
import type { DataCategory } from './data-category';
import { SENSITIVE } from './data-category';
import { type Decision, decide, type Facts } from './decide';
import type { OwnerRef, Relationship } from './owner';
import { type OwnerRecord, type OwnerSources, type PolicyViewer, relationshipOf, RequestOwnerFacts, statedPurpose } from './owner-facts';
import { type Rule, ruleFor, ruleRegardlessOfAge } from './policy-table';

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

/**
 * The policy's state for one request: decisions memoised per (category, owner reference), owner
 * facts derived in owner-facts.ts (rows loaded at most once per owner, batched), the owner's
 * consents loaded at most once (and only when a rule asks), the masked paths, and the audit
 * buffer (one record per owner, field and outcome however many rows were read).
 */
export class RequestPrivacy {
  readonly masked: string[] = [];
  private viewer: PolicyViewer;
  // Keyed by the owner reference object itself: every row of a list shares one, so a 500-row
  // list costs one lookup per field, not one string key per field and row.
  private readonly decisions = new Map<OwnerRef, Map<DataCategory, Decision | Promise<Decision>>>();
  private consents = new Map<string, Promise<ReadonlySet<ConsentPurpose>>>();
  private audit = new Map<string, AuditRecord>();
  // The (owner reference, field) pairs already passed to `record` with their decision: the rows
  // of a list share both, so only the first row's read of a field builds a key.
  private readonly recorded = new Map<OwnerRef, Map<string, Decision>>();
  private readonly owners: RequestOwnerFacts;
  /** How many of the buffered records (in insertion order) were already written, by a mutation's transaction. */
  private written = 0;

  constructor(
    viewer: PolicyViewer,
    private readonly requestId: string,
    private readonly settings: {
      stepUpMaxAgeSeconds: number;
      consentsOf: (memberId: string) => Promise<ReadonlySet<ConsentPurpose>>;
      owners: OwnerSources;
      now?: () => number;
      /** Told of each decision made (not of memoised repeats), e.g. to count them; category and outcome only. */
      onDecision?: (category: DataCategory, outcome: Decision['outcome']) => void;
    },
  ) {
    this.viewer = viewer;
    this.owners = new RequestOwnerFacts(settings.owners);
  }

  /** After login, register, refresh or step-up in this request, its data is read as that member's. */
  signedIn(member: { memberId: string; authTime: number; amr: string[] }): void {
    this.viewer = { kind: 'MEMBER', ...member };
    this.forget();
  }

  /** An owner row this request already holds (or has just changed), so the policy need not load it. */
  knowOwner(memberId: string, record: () => OwnerRecord): void {
    this.owners.prime(memberId, record);
    this.forget();
  }

  /** Decisions made so far no longer hold (a pending one settles into a map no longer read). */
  private forget(): void {
    this.decisions.clear();
    this.recorded.clear();
  }

  /** The viewer's relationship to `owner`, as the table sees it. */
  relationshipTo(owner: OwnerRef): Relationship {
    return relationshipOf(this.viewer, owner);
  }

  /**
   * The decision for reading `category` of `owner`'s data, made once per owner reference and
   * category in a request; a promise only when the owner's row, consents or pending verification
   * must first be loaded.
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
    const rule = this.ruleOf(category, owner);
    const decision = rule instanceof Promise ? rule.then((settled) => this.decideBy(settled, owner)) : this.decideBy(rule, owner);
    memo.set(category, decision);
    const onDecision = this.settings.onDecision;
    if (decision instanceof Promise)
      void decision.then(
        (settled) => {
          memo.set(category, settled);
          onDecision?.(category, settled.outcome);
        },
        () => memo.delete(category),
      );
    else onDecision?.(category, decision.outcome);
    return decision;
  }

  /** The table's rule for this read. The owner's age class is derived (their row opened, or loaded) only where it changes the rule. */
  private ruleOf(category: DataCategory, owner: OwnerRef): Rule | Promise<Rule> {
    const kind = this.viewer.kind;
    const relationship = this.relationshipTo(owner);
    const regardless = ruleRegardlessOfAge(kind, relationship, category);
    if (regardless) return regardless;
    const age = this.owners.ageNow(owner.memberId);
    return age ? ruleFor(kind, relationship, category, age) : this.owners.age(owner.memberId).then((loaded) => ruleFor(kind, relationship, category, loaded));
  }

  private decideBy(rule: Rule, owner: OwnerRef): Decision | Promise<Decision> {
    const facts: Facts = {
      authAgeSeconds: this.authAgeSeconds(),
      maxAuthAgeSeconds: this.settings.stepUpMaxAgeSeconds,
      statedPurpose: statedPurpose(owner),
      verificationPending: false,
    };
    const needsConsents = rule.requires?.consent !== undefined;
    const needsPending = rule.requires?.verificationPending === true;
    if (!needsConsents && !needsPending) return decide(rule, facts);
    return Promise.all([
      needsConsents ? this.consentsOf(owner.memberId) : undefined,
      needsPending ? this.owners.verificationPending(owner.memberId) : false,
    ]).then(([consents, verificationPending]) => decide(rule, { ...facts, consents, verificationPending }));
  }

  /**
   * `decide`, then `record` once the decision is known: what a guarded field asks. The rows of a
   * list after the first find their field's decision, already recorded, in one lookup.
   */
  read(field: string, category: DataCategory, owner: OwnerRef): Decision | Promise<Decision> {
    const recorded = this.recorded.get(owner)?.get(field);
    if (recorded) return recorded;
    const decision = this.decide(category, owner);
    if (decision instanceof Promise) {
      return decision.then((settled) => {
        this.record(field, category, owner, settled);
        return settled;
      });
    }
    this.record(field, category, owner, decision);
    return decision;
  }

  /**
   * Buffers an audit record when the read must be audited: sensitive data, minors (or an owner
   * whose age is not known yet), denials, anyone but the owner. One record per owner, field,
   * outcome, stated purpose and viewer in a request.
   */
  record(field: string, category: DataCategory, owner: OwnerRef, decision: Decision): void {
    // Same owner reference, field and (memoised) decision as before: same viewer, owner and age,
    // so the same record, already buffered or not needed.
    let fields = this.recorded.get(owner);
    if (!fields) {
      fields = new Map();
      this.recorded.set(owner, fields);
    }
    if (fields.get(field) === decision) return;
    fields.set(field, decision);
    const self = this.relationshipTo(owner) === 'SELF';
    // The age class last: every other reason to audit is known without it (an unknown age audits).
    if (self && decision.outcome !== 'DENY' && !SENSITIVE.has(category) && this.owners.ageNow(owner.memberId) === 'ADULT') return;
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

  /** The records not written yet (a mutation writes the reads of its result before it commits). */
  auditRecords(): AuditRecord[] {
    // Most requests (a member's own, ordinary data) buffer nothing.
    return this.audit.size === this.written ? [] : [...this.audit.values()].slice(this.written);
  }

  /** The first `count` pending records were written (and are not written again). */
  auditWritten(count: number): void {
    this.written += count;
  }

  private authAgeSeconds(): number | undefined {
    // Only a password proves identity strongly enough for sensitive reads (not biometrics).
    if (this.viewer.kind !== 'MEMBER' || !this.viewer.amr.includes('pwd')) return undefined;
    return Math.floor((this.settings.now?.() ?? Date.now()) / 1000) - this.viewer.authTime;
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
