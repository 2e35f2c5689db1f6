// The purposes live with the policy (its table names them); the consent feature records decisions on them.
export { ConsentPurpose } from '../policy/consent-purpose';
