// The audit trail of reads of personal data: rows written once per request by the audit flush
// plugin (audit-flush.plugin.ts) with plain inserts, chained later by the leased sequencer and
// covered by signed checkpoints (signing/); members' access logs and the privacy officer's trail
// read it. There is no update or delete of single entries here on purpose.
export { AuditService } from './audit.service';
export { AuditSequencer } from './audit-sequencer';
export { AuditCheckpoints } from './audit-checkpoints';
export { chainHash } from './audit-chain';
export { AuditResolver } from './audit.resolver';
export { AuditEntry, AuditConnection, AuditIntegrity } from './audit.types';
