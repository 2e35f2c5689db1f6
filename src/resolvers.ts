import { AuditResolver } from './audit/audit.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { BiometricResolver } from './biometrics/biometric.resolver';
import { BrowsingEventResolver, BrowsingResolver } from './browsing/browsing.resolver';
import { ConsentResolver } from './consent/consent.resolver';
import { IdentityResolver, VerificationResolver } from './identity/identity.resolver';
import { MemberResolver } from './members/member.resolver';
import { OrderItemsResolver, OrderResolver } from './orders/order.resolver';
import { ErasureNoticeResolver } from './privacy/erasure-notice.resolver';
import { IncidentResolver } from './privacy/incident.resolver';
import { PrivacyPolicyResolver } from './privacy/privacy-policy.resolver';
import { MemberPrivacyRequestsResolver, PrivacyRequestResolver } from './privacy/privacy-request.resolver';
import type { Services } from './services';

/** Every resolver class of the schema, with how to build it from the services. The schema's list comes from here. */
export const RESOLVERS = [
  [MemberResolver, (s: Services) => new MemberResolver(s.members, s.auth, s.consents)],
  [AuthResolver, (s: Services) => new AuthResolver(s.auth)],
  [AuditResolver, (s: Services) => new AuditResolver(s.audit)],
  [ConsentResolver, (s: Services) => new ConsentResolver(s.consents, s.members)],
  [IdentityResolver, (s: Services) => new IdentityResolver(s.identities, s.audit)],
  [VerificationResolver, (s: Services) => new VerificationResolver(s.identities)],
  [BiometricResolver, (s: Services) => new BiometricResolver(s.biometrics, s.audit)],
  [BrowsingResolver, (s: Services) => new BrowsingResolver(s.browsing, s.recommendations)],
  [BrowsingEventResolver, () => new BrowsingEventResolver()],
  [OrderResolver, (s: Services) => new OrderResolver(s.orders, s.audit)],
  [OrderItemsResolver, (s: Services) => new OrderItemsResolver(s.orders)],
  [PrivacyPolicyResolver, (s: Services) => new PrivacyPolicyResolver(s.policies, s.members, s.exports, s.settings)],
  [PrivacyRequestResolver, (s: Services) => new PrivacyRequestResolver(s.requests, s.auth, s.sessions)],
  [MemberPrivacyRequestsResolver, (s: Services) => new MemberPrivacyRequestsResolver(s.requests)],
  [IncidentResolver, (s: Services) => new IncidentResolver(s.incidents)],
  [ErasureNoticeResolver, (s: Services) => new ErasureNoticeResolver(s.erasureNotices)],
] as const;

/** A type-graphql container handing out one instance of each resolver. */
export function resolverContainer(services: Services, extra: Array<{ resolver: Function; create: (services: Services) => unknown }> = []) {
  const instances = new Map<unknown, unknown>([
    ...RESOLVERS.map(([resolver, create]) => [resolver, create(services)] as const),
    ...extra.map(({ resolver, create }) => [resolver, create(services)] as const),
  ]);
  return { get: (resolverClass: unknown) => instances.get(resolverClass) };
}
