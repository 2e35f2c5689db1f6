import type { Viewer } from './auth/viewer';
import type { RequestLoaders } from './loaders';
import type { RequestPrivacy } from './policy/request-privacy';

/** A response replaced before it leaves: its HTTP status and JSON body. */
export interface ResponseReplacement {
  status: number;
  body: unknown;
}

/**
 * What a response waits for before it leaves, one per request (Apollo clones the context for each
 * operation; this object is shared): the request's audit write, started when the result is
 * complete (audit-flush.plugin.ts), so that Apollo serialises the result meanwhile.
 */
export interface BeforeSend {
  /** Resolves to null to send the response, or to the answer that replaces it; never rejects. */
  pending?: Promise<ResponseReplacement | null>;
}

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
  /** What the response waits for before it leaves (the audit write). */
  beforeSend: BeforeSend;
}
