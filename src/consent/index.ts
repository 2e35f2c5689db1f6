// The consent ledger: decisions per purpose, appended and never updated; the current state of
// each purpose is derived from it. It records consent; enforcing it is the policy's job.
export { ConsentService } from './consent.service';
export { ConsentPurpose } from './consent-purpose';
export { Consent } from './consent.types';
export { WITHDRAWAL_EFFECTS } from './withdrawal-effects';
