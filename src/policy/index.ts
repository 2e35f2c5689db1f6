// The privacy policy: data categories, the one decision table, masking, and the guard that puts
// them on every classified field. It decides and records; it does not load member data or write
// the audit trail itself (src/audit does, from the records buffered here).
export { DataCategory, SENSITIVE } from './data-category';
export { POLICY, ruleFor, type ViewerKind } from './policy-table';
export { decide, type Decision } from './decide';
export { mask, type MaskKind } from './mask';
export { Classified } from './classified.decorator';
export { PUBLIC_FIELDS } from './public-fields';
export { guardSchema } from './field-guard';
export { owned, ownerOf, OWNER, type OwnerRef, type Relationship } from './owner';
export { ageOn, isMinor, relationshipOf, type OwnerAge, type OwnerRecord, type OwnerSources } from './owner-facts';
export { RequestPrivacy, type AuditRecord } from './request-privacy';
