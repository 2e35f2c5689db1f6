// Members' privacy rights and the policy's own life cycle: published policy versions and their
// acceptance (with the gate after a material change), the data export, and the records of
// processing read off the schema. It relies on the field policy; it does not replace it.
export { PolicyVersionService } from './policy-version.service';
export { DataExportService } from './data-export.service';
export { MemberDataRegistry, type MemberDataHook, type MemberDataTable } from './member-data-hook';
export { PrivacyPolicyResolver } from './privacy-policy.resolver';
export { processingRecords } from './processing-records';
export { PrivacyRequestService } from './privacy-request.service';
export { MemberErasure } from './member-erasure.service';
export { ErasureDispatcher } from './erasure-dispatcher';
export { ErasureNoticeService } from './erasure-notice.service';
export { webhookTransport } from './erasure-webhook.transport';
export { IncidentService } from './incident.service';
export { RetentionService } from './retention.service';
