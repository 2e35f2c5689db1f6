// Real-name identity: submissions and edits (each voids an earlier verification), the verifier's
// queue and decisions, and the sealed history of voided values. Decides nothing about who may
// read an identity: the field policy does, from the owner reference each view carries.
export { IdentityService } from './identity.service';
export { IdentityResolver, VerificationResolver } from './identity.resolver';
export { RealNameIdentity, RealNameChange, Verification, DocumentType, VerificationStatus } from './identity.types';
