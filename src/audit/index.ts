// The audit trail of reads of personal data: append-only rows, hash-chained, written once per
// request by the audit flush plugin (audit-flush.plugin.ts); members' access logs and the privacy officer's trail read it.
// There is no update or delete path here on purpose.
export { AuditService, chainHash } from './audit.service';
export { AuditResolver } from './audit.resolver';
export { AuditEntry, AuditConnection, AuditIntegrity } from './audit.types';
