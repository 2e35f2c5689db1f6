import type { DataSource } from 'typeorm';
import { AuditCheckpoints } from './audit/audit-checkpoints';
import { AuditSequencer } from './audit/audit-sequencer';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { Authenticator } from './auth/authenticator';
import { LoginThrottle } from './auth/login-throttle';
import { RegisterThrottle } from './auth/register-throttle';
import { ThrottleStore } from './auth/throttle-store';
import { MemberTokens } from './auth/member-tokens';
import { PasswordHasher } from './auth/password-hasher';
import { SessionService } from './auth/session.service';
import { StaffTokens } from './auth/staff-tokens';
import type { Config } from './config';
import { ConsentService } from './consent/consent.service';
import { BlindIndex, KeyWrapper, MasterKeys } from './crypto';
import { BiometricService } from './biometrics/biometric.service';
import { BrowsingService } from './browsing/browsing.service';
import { RecommendationService } from './browsing/recommendation.service';
import { OrderService } from './orders/order.service';
import { DataExportService } from './privacy/data-export.service';
import { PolicyVersionService } from './privacy/policy-version.service';
import { ErasureNoticeService } from './privacy/erasure-notice.service';
import { IncidentService } from './privacy/incident.service';
import { RetentionService } from './privacy/retention.service';
import { MemberErasure } from './privacy/member-erasure.service';
import { PrivacyRequestService } from './privacy/privacy-request.service';
import { IdentityService } from './identity/identity.service';
import { MemberCiphers } from './members/member-ciphers';
import { MemberVault } from './members/member-vault.service';
import { LegalHoldState } from './members/legal-hold-state';
import { MemberService } from './members/member.service';
import type { Secrets } from './secrets';
import { auditMemberData } from './audit/audit-member-data';
import { authMemberData } from './auth/auth-member-data';
import { biometricMemberData } from './biometrics/biometric-member-data';
import { browsingMemberData } from './browsing/browsing-member-data';
import { consentMemberData } from './consent/consent-member-data';
import { identityMemberData } from './identity/identity-member-data';
import { memberMemberData } from './members/member-member-data';
import { orderMemberData } from './orders/order-member-data';
import { type MemberDataHook, MemberDataRegistry } from './privacy/member-data-hook';
import { privacyMemberData } from './privacy/privacy-member-data';

/**
 * Each feature's member-data hook: its tables and columns, export sections and erasure. The export
 * is assembled and erasure runs in this order (erasure in reverse, so the key goes last).
 */
const hooks = [
  memberMemberData,
  authMemberData,
  consentMemberData,
  privacyMemberData,
  identityMemberData,
  biometricMemberData,
  browsingMemberData,
  orderMemberData,
  auditMemberData,
];
export const memberDataHooks: readonly MemberDataHook[] = hooks;

export type Services = Awaited<ReturnType<typeof createServices>>;

/**
 * Every service, wired once at start-up. Plain constructor injection: the graph is small and visible here.
 * `throttles` is where sign-in and register counters live (the gateway opens the shared store; scripts count in memory).
 */
export async function createServices(config: Config, secrets: Secrets, dataSource: DataSource, throttles?: ThrottleStore) {
  const master = new MasterKeys(secrets.masterSecret);
  const throttleStore = throttles ?? ThrottleStore.inMemory(master.throttleKey);
  const ciphers = new MemberCiphers(new KeyWrapper(master), new BlindIndex(master.blindIndexKey));
  const hasher = new PasswordHasher(config.passwordHashCost);
  const sessions = new SessionService(dataSource, {
    refreshTtlSeconds: config.tokens.refreshTtlSeconds,
    reuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
    successorKey: master.refreshSuccessorKey,
  });
  const vault = new MemberVault(dataSource, ciphers);
  const policies = new PolicyVersionService(dataSource);
  const consents = new ConsentService(dataSource, vault, (manager) => policies.inForce(manager));
  const members = new MemberService(dataSource, ciphers, hasher, sessions, consents, {
    minorAge: config.minorAge,
    stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
  });
  const memberTokens = await MemberTokens.create(secrets.signingKey, secrets.previousVerificationKeys, {
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
    ttlSeconds: config.tokens.accessTtlSeconds,
  });
  const staffTokens = StaffTokens.fromConfig(config.staff, config.production ? undefined : secrets.devStaffKey, config.staffTokenMaxLifetimeSeconds);
  const auth = new AuthService(
    dataSource,
    members,
    sessions,
    memberTokens,
    hasher,
    new LoginThrottle(throttleStore, config.login),
    new RegisterThrottle(throttleStore, config.registerMaxPerAddress),
    { stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds },
  );
  const authenticator = new Authenticator(memberTokens, staffTokens, members, sessions);
  const auditCheckpoints = await AuditCheckpoints.create(dataSource, {
    signingKey: secrets.auditSigningKey,
    previous: secrets.previousAuditVerificationKeys,
  });
  const auditSequencer = new AuditSequencer(auditCheckpoints, {
    intervalMs: config.auditSequenceIntervalSeconds * 1000,
    // Longer than any transaction writing an entry stays open: the request deadline, a statement
    // started just before it, whole-second timestamps and clock differences between instances.
    settleMs: config.requestTimeoutMs + config.databaseTimeouts.statementMs + 5000,
  });
  const audit = new AuditService(dataSource, auditCheckpoints, { sequencedWithinMs: auditSequencer.sequencedWithinMs });
  const identities = new IdentityService(dataSource, vault, members, consents, { stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds });
  const biometrics = new BiometricService(dataSource, vault, members, identities, consents, auth, {
    stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
    matchThreshold: config.biometricMatchThreshold,
  });
  const browsing = new BrowsingService(dataSource, vault, consents);
  const recommendations = new RecommendationService(dataSource, vault, consents, { minMembers: config.recommendationMinMembers });
  const orders = new OrderService(dataSource, vault);
  consents.assertWithdrawalEffectsWired();
  members.onRegistered((manager, memberId) => policies.acceptLatest(manager, memberId));
  const memberData = new MemberDataRegistry();
  for (const hook of hooks) memberData.register(hook);
  const holds = new LegalHoldState();
  const requests = new PrivacyRequestService(dataSource, vault, new MemberErasure(vault, memberData, holds), holds);
  const exports = new DataExportService(dataSource, vault, memberData, {
    stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds,
    sectionRows: config.exportSectionRows,
  });
  return {
    members,
    consents,
    auth,
    authenticator,
    memberTokens,
    audit,
    auditCheckpoints,
    auditSequencer,
    identities,
    biometrics,
    vault,
    browsing,
    recommendations,
    orders,
    policies,
    exports,
    requests,
    sessions,
    incidents: new IncidentService(dataSource, vault),
    retention: new RetentionService(dataSource, audit, config.retention),
    erasureNotices: new ErasureNoticeService(dataSource),
    settings: { stepUpMaxAgeSeconds: config.tokens.stepUpMaxAgeSeconds },
  };
}
