import type { Viewer } from './auth/viewer';
import type { RequestLoaders } from './loaders';
import type { RequestPrivacy } from './policy/request-privacy';

/** What every resolver gets for one request. Built once per request in server.ts. */
export interface GatewayContext {
  /** Echoed in the `x-request-id` response header, in logs and in audit records. */
  requestId: string;
  viewer: Viewer;
  /** The client's address as Express derives it (honouring TRUST_PROXY). */
  clientAddress: string;
  /** storefront, mobile, graphiql or api (X-Client-Channel); recorded with consent decisions. */
  channel: string;
  /** The policy's per-request state: decisions, masked paths, audit buffer. */
  privacy: RequestPrivacy;
  /** Per-request DataLoaders (relations, members' ciphers). */
  loaders: RequestLoaders;
}
