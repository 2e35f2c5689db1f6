// Field encryption at rest: per-member data keys wrapped by the master key (so destroying one
// member's key makes every copy of their data unreadable), and keyed blind indexes for lookups.
// Pure node:crypto; it knows nothing of the database: callers store what it returns.
export { MasterKeys } from './master-keys';
export { KeyWrapper, type DataKey } from './key-wrapper';
export { FieldCipher } from './field-cipher';
export { BlindIndex } from './blind-index';
