import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { AuditTrail1764115200000 } from './1764115200000-audit-trail';
import { IdentityAndBiometrics1764201600000 } from './1764201600000-identity-and-biometrics';
import { BrowsingAndOrders1764288000000 } from './1764288000000-browsing-and-orders';
import { PolicyVersions1764374400000 } from './1764374400000-policy-versions';
import { ConsentChannelAndGuardian1764460800000 } from './1764460800000-consent-channel-and-guardian';
import { PrivacyRequests1764547200000 } from './1764547200000-privacy-requests';
import { Incidents1764633600000 } from './1764633600000-incidents';
import { LegalHold1764720000000 } from './1764720000000-legal-hold';
import { SealOrderItems1764892800000 } from './1764892800000-seal-order-items';
import { RecommendationAggregates1764979200000 } from './1764979200000-recommendation-aggregates';
import { BoundedWork1765065600000 } from './1765065600000-bounded-work';
import { Utf8mb4Everywhere1765152000000 } from './1765152000000-utf8mb4-everywhere';
import { DataShape1765411200000 } from './1765411200000-data-shape';
import { JobLease1765497600000 } from './1765497600000-job-lease';
import { ErasureOutboxRetries1765584000000 } from './1765584000000-erasure-outbox-retries';
import { ThrottleCounter1765591200000 } from './1765591200000-throttle-counter';
import { AuditSequencer1765670400000 } from './1765670400000-audit-sequencer';

/** In order. The same migrations run on MySQL/MariaDB and on SQLite. */
export const migrations = [
  InitialSchema1764028800000,
  AuditTrail1764115200000,
  IdentityAndBiometrics1764201600000,
  BrowsingAndOrders1764288000000,
  PolicyVersions1764374400000,
  ConsentChannelAndGuardian1764460800000,
  PrivacyRequests1764547200000,
  Incidents1764633600000,
  LegalHold1764720000000,
  SealOrderItems1764892800000,
  RecommendationAggregates1764979200000,
  BoundedWork1765065600000,
  Utf8mb4Everywhere1765152000000,
  DataShape1765411200000,
  JobLease1765497600000,
  ErasureOutboxRetries1765584000000,
  ThrottleCounter1765591200000,
  AuditSequencer1765670400000,
];
