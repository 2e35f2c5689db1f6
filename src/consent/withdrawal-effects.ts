import { ConsentPurpose } from './consent-purpose';

/** The features that carry out withdrawal effects (each registers its handler under its name). */
export type WithdrawalFeature = 'browsing' | 'recommendations' | 'identity' | 'biometrics';

export interface WithdrawalEffect {
  /** What stops at once. */
  stops: string;
  /** What is deleted in the withdrawal's transaction, and by which features; none: nothing stored depends on the purpose. */
  deletes: Array<{ by: WithdrawalFeature; what: string }>;
}

/**
 * Every optional purpose's withdrawal effect, in one place. Features register the handlers
 * (they own the tables), but only for an entry listed here, and start-up fails when a listed
 * entry has no handler: this table and the running code cannot drift apart. Earlier processing
 * stays lawful and recorded (the ledger, decisions already made, disclosures).
 * test/api/withdrawal-effects.test.ts shows each purpose's effect over HTTP.
 */
export const WITHDRAWAL_EFFECTS: Record<Exclude<ConsentPurpose, ConsentPurpose.MEMBERSHIP>, WithdrawalEffect> = {
  [ConsentPurpose.PERSONALIZATION]: {
    stops: "personalised recommendations and new automated decisions; the member's browsing stops counting in anyone's recommendations",
    deletes: [{ by: 'recommendations', what: 'the product ids kept for recommending (browsing_event.product_id); decisions already made stay listed' }],
  },
  [ConsentPurpose.LOCATION]: {
    stops: 'positions are dropped before they reach the database',
    deletes: [{ by: 'browsing', what: 'stored device positions' }],
  },
  [ConsentPurpose.REAL_NAME_AUTH]: {
    stops: 'real-name submission and verification',
    deletes: [
      { by: 'identity', what: 'the identity, its sealed history and verification cases' },
      { by: 'biometrics', what: 'the face enrolment (it was checked against the identity)' },
    ],
  },
  [ConsentPurpose.BIOMETRIC]: {
    stops: 'biometric enrolment and biometric sign-in',
    deletes: [{ by: 'biometrics', what: 'every biometric template' }],
  },
  [ConsentPurpose.PARTNER_SHARING]: { stops: 'sharing beyond what delivery and payment need (none is made today)', deletes: [] },
  [ConsentPurpose.ANALYTICS_COOKIES]: { stops: 'analytics cookies (none are set by the gateway today)', deletes: [] },
  [ConsentPurpose.MARKETING]: { stops: 'marketing messages (none are sent by the gateway today)', deletes: [] },
};
