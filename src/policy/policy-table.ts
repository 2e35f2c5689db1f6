import { ConsentPurpose } from './consent-purpose';
import { DataCategory } from './data-category';
import type { Relationship } from './owner';
import type { OwnerAge } from './owner-facts';

/** Who is asking, as the table knows them. */
export type ViewerKind = 'ANONYMOUS' | 'MEMBER' | 'SUPPORT' | 'VERIFIER' | 'PRIVACY_OFFICER' | 'LOGISTICS_PARTNER';

export type Access = 'FULL' | 'MASKED' | 'DENIED';

/** What must hold for `access`. Staff purposes and pending verifications come from the owner reference. */
export interface Requirements {
  consent?: ConsentPurpose;
  /** A password sign-in or step-up within STEP_UP_MAX_AGE_SECONDS. */
  recentAuth?: boolean;
  statedPurpose?: boolean;
  verificationPending?: boolean;
}

export interface Rule {
  access: Access;
  requires?: Requirements;
  /** What the viewer gets when a requirement is missing; DENIED unless said otherwise. */
  otherwise?: 'MASKED' | 'DENIED';
}

type CategoryRules = Partial<Record<DataCategory, Rule>>;

const full = (requires?: Requirements, otherwise?: Rule['otherwise']): Rule => ({ access: 'FULL', requires, otherwise });
const masked = (requires?: Requirements): Rule => ({ access: 'MASKED', requires });
const DENIED: Rule = { access: 'DENIED' };

/** A member reading their own data. */
const OWN_DATA: CategoryRules = {
  ACCOUNT: full(),
  CONTACT: full(),
  BROWSING: full(),
  DEVICE: full(),
  TRANSACTION: full(),
  GOVERNMENT_ID: full({ consent: ConsentPurpose.REAL_NAME_AUTH, recentAuth: true }, 'MASKED'),
  // Payment data serves the contract (MEMBERSHIP), so no further consent: only a recent sign-in.
  FINANCIAL: full({ recentAuth: true }, 'MASKED'),
  LOCATION: full({ consent: ConsentPurpose.LOCATION }),
  // Only enrolment metadata (which kind) is classified BIOMETRIC; templates are in no type at all.
  // An enum cannot be masked, so without consent or a recent sign-in it is withheld.
  BIOMETRIC: full({ consent: ConsentPurpose.BIOMETRIC, recentAuth: true }),
};

/** Support staff reading a member, always with a stated purpose. DEVICE and BROWSING: not listed, so denied. */
const STAFF_VIEW: CategoryRules = {
  ACCOUNT: full({ statedPurpose: true }),
  CONTACT: masked({ statedPurpose: true }),
  TRANSACTION: masked({ statedPurpose: true }),
  GOVERNMENT_ID: masked({ statedPurpose: true }),
  FINANCIAL: masked({ statedPurpose: true }),
  BIOMETRIC: DENIED,
  LOCATION: DENIED,
};

/**
 * Staff reading a minor's data: everything they could read of an adult's, but masked at most (a
 * minor's data is sensitive as a whole). ACCOUNT too: the member name of a child is masked.
 */
const STAFF_VIEW_OF_MINOR: CategoryRules = {
  ...STAFF_VIEW,
  ACCOUNT: masked({ statedPurpose: true }),
};

/** A verifier deciding a pending case sees the full document, whatever the owner's age. */
const VERIFIER_DOCUMENT = full({ statedPurpose: true, verificationPending: true }, 'MASKED');
/** Delivery needs the real consignee name, address and phone, whatever the recipient's age. */
const SHIPMENT: CategoryRules = { TRANSACTION: full() };

type ViewerRules = Record<ViewerKind, Partial<Record<Relationship, CategoryRules>>>;

/**
 * THE privacy policy, as one table: owner's age class → viewer kind → relationship to the data's
 * owner → category → rule. Anything not written here is denied: a missing viewer kind,
 * relationship or category. Biometric templates are returned to no one; which kinds a member
 * enrolled is shown to that member alone. Whether the owner is a minor and how the viewer relates to them is derived in
 * owner-facts.ts from the owner's member row, never claimed by whoever produced the data.
 */
export const POLICY: Record<OwnerAge, ViewerRules> = {
  ADULT: {
    ANONYMOUS: {},
    MEMBER: { SELF: OWN_DATA },
    SUPPORT: { STAFF_WITH_PURPOSE: STAFF_VIEW },
    VERIFIER: {
      STAFF_WITH_PURPOSE: { ...STAFF_VIEW, GOVERNMENT_ID: VERIFIER_DOCUMENT },
    },
    PRIVACY_OFFICER: { STAFF_WITH_PURPOSE: STAFF_VIEW },
    // Shipment types list only consignee name, address and phone: that is all a partner can reach.
    LOGISTICS_PARTNER: { ASSIGNED_SHIPMENT: SHIPMENT },
  },
  // Members under MINOR_AGE. Every read of a minor's data is audited (request-privacy.ts).
  MINOR: {
    ANONYMOUS: {},
    // The minor sees their own data exactly as an adult would.
    MEMBER: { SELF: OWN_DATA },
    // Support and privacy officers: masked at most, even ACCOUNT.
    SUPPORT: { STAFF_WITH_PURPOSE: STAFF_VIEW_OF_MINOR },
    // A verifier deciding a pending case still needs the full document; otherwise masked like other staff.
    VERIFIER: {
      STAFF_WITH_PURPOSE: { ...STAFF_VIEW_OF_MINOR, GOVERNMENT_ID: VERIFIER_DOCUMENT },
    },
    PRIVACY_OFFICER: { STAFF_WITH_PURPOSE: STAFF_VIEW_OF_MINOR },
    LOGISTICS_PARTNER: { ASSIGNED_SHIPMENT: SHIPMENT },
  },
};

/** The rule for one cell; default deny. */
export function ruleFor(viewer: ViewerKind, relationship: Relationship, category: DataCategory, owner: OwnerAge): Rule {
  return POLICY[owner]?.[viewer]?.[relationship]?.[category] ?? DENIED;
}

/**
 * The rule for a cell that adults and minors share (the table uses one rule object for both: a
 * member's own data, a partner's shipment, most staff cells); undefined where the owner's age
 * class may decide it. Lets the policy leave the age class underived, and the owner's row unread,
 * when it changes nothing.
 */
export function ruleRegardlessOfAge(viewer: ViewerKind, relationship: Relationship, category: DataCategory): Rule | undefined {
  const adult = ruleFor(viewer, relationship, category, 'ADULT');
  return adult === ruleFor(viewer, relationship, category, 'MINOR') ? adult : undefined;
}
