import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberViewer } from '../auth/viewer';
import { BiometricEnrollmentEntity } from '../biometrics/biometric-enrollment.entity';
import { AutomatedDecisionEntity } from '../browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../browsing/browsing-event.entity';
import { DeviceEntity } from '../browsing/device.entity';
import { ConsentEventEntity } from '../consent/consent-event.entity';
import { RealNameHistoryEntity } from '../identity/real-name-history.entity';
import { RealNameIdentityEntity } from '../identity/real-name-identity.entity';
import { VerificationEntity } from '../identity/verification.entity';
import type { MemberService } from '../members/member.service';
import type { MemberVault } from '../members/member-vault.service';
import { DisclosureEntity } from '../orders/disclosure.entity';
import { OrderItemEntity } from '../orders/order-item.entity';
import { OrderEntity } from '../orders/order.entity';
import { ErasureNoticeEntity } from './erasure-notice.entity';
import { PolicyAcceptanceEntity } from './policy-acceptance.entity';
import { NotificationEntity } from './notification.entity';
import { PrivacyRequestEntity } from './privacy-request.entity';
import type { DataExport } from './data-export.types';
import { ExportWindow } from './export-window';

export const EXPORT_FORMAT_VERSION = '1';

/**
 * Which export section holds each table that stores a member's data. A test fails when a table
 * with a member column is missing here, so a new table cannot be left out of exports unnoticed.
 * member_key is the key itself (nothing to export); refresh tokens are hashes.
 */
export const EXPORT_SECTIONS: Record<string, string | null> = {
  member: 'profile',
  member_key: null,
  auth_session: 'sessions',
  consent_event: 'consents',
  policy_acceptance: 'policyAcceptances',
  real_name_identity: 'realName',
  real_name_history: 'realNameHistory',
  verification: 'verifications',
  biometric_enrollment: 'biometricEnrollments',
  device: 'devices',
  browsing_event: 'browsingHistory',
  automated_decision: 'automatedDecisions',
  purchase_order: 'orders',
  disclosure: 'disclosures',
  audit_event: 'accessLog',
  privacy_request: 'privacyRequests',
  erasure_notice: 'erasureNotices',
  notification: 'notifications',
};

/** Builds the member's data export: every category held, decrypted for the member. Needs a recent sign-in. */
export class DataExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly members: MemberService,
    private readonly settings: { stepUpMaxAgeSeconds: number; sectionRows: number },
  ) {}

  /**
   * Bounded by section: each list section holds at most `sectionRows` rows per response; a section
   * with more is named in `more` with the cursor that fetches its next rows (`section`, `after`).
   */
  async export(viewer: MemberViewer, request: { section?: string | null; after?: string | null } = {}): Promise<DataExport> {
    requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    const window = new ExportWindow(this.settings.sectionRows, request.section ?? null, request.after ?? null);
    const memberId = viewer.memberId;
    const m = this.dataSource.manager;
    const cipher = await this.vault.cipherFor(memberId);
    const open = (column: string, sealed: string | null) => cipher.open(column, sealed);
    const { id, memberName, phone, contactName, contactAddress, birthDate, createdAt } = this.members.view(viewer.member);
    const [sessions, consents, acceptances, identity, history, verifications, enrolments, devices, events, decisions, orders, disclosures, accessLog] = await Promise.all([
      window.page('sessions', (w) => m.find(AuthSessionEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('consents', (w) => m.find(ConsentEventEntity, { where: { memberId }, order: { seq: 'ASC' }, ...w })),
      window.page('policyAcceptances', (w) => m.find(PolicyAcceptanceEntity, { where: { memberId }, order: { acceptedAt: 'ASC', version: 'ASC' }, ...w })),
      m.findOneBy(RealNameIdentityEntity, { memberId }),
      window.page('realNameHistory', (w) => m.find(RealNameHistoryEntity, { where: { memberId }, order: { replacedAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('verifications', (w) => m.find(VerificationEntity, { where: { memberId }, order: { openedAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('biometricEnrollments', (w) => m.find(BiometricEnrollmentEntity, { select: { kind: true, enrolledAt: true }, where: { memberId }, order: { kind: 'ASC' }, ...w })),
      window.page('devices', (w) => m.find(DeviceEntity, { where: { memberId }, order: { id: 'ASC' }, ...w })),
      window.page('browsingHistory', (w) => m.find(BrowsingEventEntity, { where: { memberId }, order: { id: 'ASC' }, ...w })),
      window.page('automatedDecisions', (w) => m.find(AutomatedDecisionEntity, { where: { memberId }, order: { decidedAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('orders', (w) => m.find(OrderEntity, { where: { memberId }, order: { id: 'ASC' }, ...w }), 20),
      window.page('disclosures', (w) => m.find(DisclosureEntity, { where: { memberId }, order: { disclosedAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('accessLog', (w) => m.find(AuditEventEntity, { where: { ownerMemberId: memberId }, order: { seq: 'ASC' }, ...w })),
    ]);
    const [requests, notices, notifications] = await Promise.all([
      window.page('privacyRequests', (w) => m.find(PrivacyRequestEntity, { where: { memberId }, order: { receivedAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('erasureNotices', (w) => m.find(ErasureNoticeEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w })),
      window.page('notifications', (w) => m.find(NotificationEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' }, ...w })),
    ]);
    const items = orders.length === 0 ? [] : await m.createQueryBuilder(OrderItemEntity, 'item').where('item.orderId IN (:...ids)', { ids: orders.map((order) => order.id) }).getMany();
    const generatedAt = new Date();
    const document = {
      formatVersion: EXPORT_FORMAT_VERSION,
      generatedAt: generatedAt.toISOString(),
      profile: { id, memberName, phone, contactName, contactAddress, birthDate, createdAt },
      sessions: sessions.map((s) => ({ createdAt: s.createdAt, lastAuthenticatedAt: s.authTime, method: s.amr, endedAt: s.revokedAt, endedBecause: s.revokedReason })),
      consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted, method: c.method, channel: c.channel, policyVersion: c.policyVersion, at: c.createdAt, guardian: c.guardianSealed ? JSON.parse(open('consent_guardian', c.guardianSealed)!) : null })),
      policyAcceptances: acceptances.map((a) => ({ version: a.version, acceptedAt: a.acceptedAt })),
      realName: identity && {
        legalName: open('legal_name', identity.legalNameSealed),
        documentType: identity.documentType,
        documentNumber: open('document_number', identity.documentNumberSealed),
        status: identity.status,
        verifiedAt: identity.verifiedAt,
        rejectionReason: identity.rejectionReason,
      },
      realNameHistory: history.map((h) => ({ legalName: open('legal_name', h.legalNameSealed), documentType: h.documentType, documentNumber: open('document_number', h.documentNumberSealed), verifiedAt: h.verifiedAt, replacedAt: h.replacedAt })),
      verifications: verifications.map((v) => ({ id: v.id, status: v.status, openedAt: v.openedAt, decidedAt: v.decidedAt, reason: v.reason })),
      biometricEnrollments: enrolments.map((e) => ({ kind: e.kind, enrolledAt: e.enrolledAt })),
      devices: devices.map((d) => ({ deviceIdentifier: open('device_identifier', d.identifierSealed), model: open('device_model', d.modelSealed), osVersion: open('device_os_version', d.osVersionSealed), ipAddress: open('device_ip_address', d.ipAddressSealed), lastLocation: open('device_location', d.locationSealed), lastSeenAt: d.lastSeenAt })),
      browsingHistory: events.map((e) => ({ kind: e.kind, subject: open('browsing_subject', e.subjectSealed), productId: e.productId, occurredAt: e.occurredAt })),
      automatedDecisions: decisions.map((d) => ({ kind: d.kind, decidedAt: d.decidedAt, ...JSON.parse(open('decision_detail', d.detailSealed)!) })),
      orders: orders.map((o) => ({
        number: o.number,
        status: o.status,
        placedAt: o.placedAt,
        total: o.totalMinor,
        currency: o.currency,
        consignee: open('order_consignee_name', o.consigneeNameSealed),
        deliveryAddress: open('order_delivery_address', o.deliveryAddressSealed),
        consigneePhone: open('order_consignee_phone', o.consigneePhoneSealed),
        payment: { method: o.paymentMethod, accountName: open('order_payment_account_name', o.paymentAccountNameSealed), cardNumber: open('order_card_number', o.cardNumberSealed) },
        hiddenFromView: o.hiddenAt !== null,
        shipment: o.partnerId ? { carrier: o.partnerId, trackingNumber: o.trackingNumber, shippedAt: o.shippedAt } : null,
        items: items.filter((item) => item.orderId === o.id).map((item) => ({ productId: item.productId, name: item.name, spec: item.spec, quantity: item.quantity, unitPrice: item.unitPriceMinor })),
      })),
      disclosures: disclosures.map((d) => ({ recipient: d.recipient, categories: d.categories.split(','), purpose: d.purpose, legalBasis: d.legalBasis, disclosedAt: d.disclosedAt })),
      privacyRequests: requests.map((r) => ({ type: r.type, details: open('privacy_request_details', r.detailsSealed), status: r.status, receivedAt: r.receivedAt, dueAt: r.dueAt, resolvedAt: r.resolvedAt, refusalGround: r.refusalGround, extensionReason: r.extensionReason })),
      erasureNotices: notices.map((n) => ({ recipient: n.recipient, state: n.state, createdAt: n.createdAt })),
      notifications: notifications.map((n) => ({ kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt })),
      accessLog: accessLog.map((a) => ({ at: a.occurredAt, actorKind: a.actorKind, actorId: a.actorId, field: a.field, category: a.category, outcome: a.outcome, purpose: a.purpose })),
    };
    return { formatVersion: EXPORT_FORMAT_VERSION, generatedAt, document: JSON.parse(JSON.stringify(window.shape(document))) as Record<string, unknown> };
  }
}
