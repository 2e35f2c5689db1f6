import type { Viewer } from './auth/viewer';

/** What every resolver gets for one request. Built once per request in server.ts. */
export interface GatewayContext {
  /** Echoed in the `x-request-id` response header and used in logs and, later, the audit trail. */
  requestId: string;
  viewer: Viewer;
  /** The client's address as Express derives it (honouring TRUST_PROXY). */
  clientAddress: string;
}
