import { AuditChainHeadEntity } from '../audit/audit-chain-head.entity';
import { AuditCheckpointEntity } from '../audit/audit-checkpoint.entity';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AutomatedDecisionEntity } from '../browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../browsing/browsing-event.entity';
import { DeviceEntity } from '../browsing/device.entity';
import { DisclosureEntity } from '../orders/disclosure.entity';
import { OrderItemEntity } from '../orders/order-item.entity';
import { OrderEntity } from '../orders/order.entity';
import { ErasureNoticeEntity } from '../privacy/erasure-notice.entity';
import { PrivacyRequestEntity } from '../privacy/privacy-request.entity';
import { IncidentEntity } from '../privacy/incident.entity';
import { NotificationEntity } from '../privacy/notification.entity';
import { PolicyAcceptanceEntity } from '../privacy/policy-acceptance.entity';
import { PrivacyPolicyEntity } from '../privacy/privacy-policy.entity';
import { BiometricEnrollmentEntity } from '../biometrics/biometric-enrollment.entity';
import { RealNameHistoryEntity } from '../identity/real-name-history.entity';
import { RealNameIdentityEntity } from '../identity/real-name-identity.entity';
import { VerificationEntity } from '../identity/verification.entity';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { ThrottleCounterEntity } from '../auth/throttle-counter.entity';
import { ConsentEventEntity } from '../consent/consent-event.entity';
import { MemberKeyEntity } from '../members/member-key.entity';
import { MemberEntity } from '../members/member.entity';
import { JobLeaseEntity } from './job-lease.entity';

/** Every entity, listed explicitly so the same list works from ts sources and compiled output. */
export const entities = [
  MemberEntity,
  MemberKeyEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  ConsentEventEntity,
  AuditEventEntity,
  AuditChainHeadEntity,
  AuditCheckpointEntity,
  RealNameIdentityEntity,
  RealNameHistoryEntity,
  VerificationEntity,
  BiometricEnrollmentEntity,
  DeviceEntity,
  BrowsingEventEntity,
  AutomatedDecisionEntity,
  OrderEntity,
  OrderItemEntity,
  DisclosureEntity,
  PrivacyPolicyEntity,
  PolicyAcceptanceEntity,
  PrivacyRequestEntity,
  ErasureNoticeEntity,
  IncidentEntity,
  NotificationEntity,
  JobLeaseEntity,
  ThrottleCounterEntity,
];
