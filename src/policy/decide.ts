import type { ConsentPurpose } from './consent-purpose';
import type { Rule } from './policy-table';

/** What unlocks a masked or denied value, for the client. */
export interface Unlock {
  requiredConsent?: ConsentPurpose;
  maxAuthAgeSeconds?: number;
}

export type DenyCode = 'CONSENT_REQUIRED' | 'STEP_UP_REQUIRED' | 'FORBIDDEN';

export type Decision = { outcome: 'ALLOW' } | { outcome: 'MASK'; unlock?: Unlock } | { outcome: 'DENY'; code: DenyCode; unlock?: Unlock };

/** The facts a rule is checked against, gathered once per request and owner. */
export interface Facts {
  consents?: ReadonlySet<ConsentPurpose>;
  /** Seconds since the viewer last proved who they are with a password; undefined when unknown. */
  authAgeSeconds?: number;
  maxAuthAgeSeconds: number;
  statedPurpose: boolean;
  verificationPending: boolean;
}

export const ALLOW: Decision = Object.freeze({ outcome: 'ALLOW' });
const FORBIDDEN: Decision = Object.freeze({ outcome: 'DENY', code: 'FORBIDDEN' });

/** Applies one rule to the facts. Pure: the whole policy is this function and the table. */
export function decide(rule: Rule, facts: Facts): Decision {
  if (rule.access === 'DENIED') return FORBIDDEN;
  const { requires = {} } = rule;
  const missingConsent = requires.consent !== undefined && !facts.consents?.has(requires.consent);
  const staleAuth = requires.recentAuth === true && !(facts.authAgeSeconds !== undefined && facts.authAgeSeconds <= facts.maxAuthAgeSeconds);
  const otherMissing = (requires.statedPurpose === true && !facts.statedPurpose) || (requires.verificationPending === true && !facts.verificationPending);

  if (!missingConsent && !staleAuth && !otherMissing) return rule.access === 'FULL' ? ALLOW : { outcome: 'MASK' };
  if (rule.access === 'MASKED') return FORBIDDEN;

  const unlock: Unlock = {};
  if (missingConsent) unlock.requiredConsent = requires.consent;
  if (staleAuth) unlock.maxAuthAgeSeconds = facts.maxAuthAgeSeconds;
  if ((rule.otherwise ?? 'DENIED') === 'MASKED') return { outcome: 'MASK', unlock };
  if (otherMissing) return FORBIDDEN;
  return { outcome: 'DENY', code: missingConsent ? 'CONSENT_REQUIRED' : 'STEP_UP_REQUIRED', unlock };
}
