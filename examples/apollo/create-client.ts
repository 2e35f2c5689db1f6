import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CLASSIFIED_FIELDS } from './classified-fields';
import './default-options';
import { privacyLink } from './privacy-link';
import { PrivacyState } from './privacy-state';
import { privacyTypePolicies } from './privacy-type-policies';
import { trustedDocumentLink } from './trusted-document-link';

export interface GatewayClientOptions {
  /** e.g. https://gateway.example.com/graphql */
  uri: string;
  /** The current access token, if signed in. */
  token: () => string | undefined;
  /** storefront or mobile: recorded with consent decisions. */
  channel: 'storefront' | 'mobile';
  /** The clock the cache's step-up window is checked against (tests move it). */
  now?: () => number;
  /** The fetch the HttpLink uses (the global one by default). */
  fetch?: typeof fetch;
}

/**
 * The example clients' Apollo setup. Generated documents are sent by their manifest id
 * (trusted-document-link.ts), never as text. errorPolicy `all` everywhere: a field the policy denies is
 * null with its error beside the other fields' data, never a discarded result. The privacy link
 * exposes masked paths (`privacy.maskedPaths`) and the type policies keep masked and full values of
 * one field from standing in for each other in the normalised cache.
 */
export function createGatewayClient(options: GatewayClientOptions): { client: ApolloClient; privacy: PrivacyState } {
  const privacy = new PrivacyState(options.now);
  const headers = new ApolloLink((operation, forward) => {
    const token = options.token();
    operation.setContext(({ headers: existing = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...existing, 'x-client-channel': options.channel, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }));
    return forward(operation);
  });
  const client = new ApolloClient({
    link: ApolloLink.from([headers, privacyLink(privacy), trustedDocumentLink(), new HttpLink({ uri: options.uri, fetch: options.fetch })]),
    cache: new InMemoryCache({ typePolicies: privacyTypePolicies(CLASSIFIED_FIELDS, privacy) }),
    defaultOptions: {
      query: { errorPolicy: 'all' },
      watchQuery: { errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
  return { client, privacy };
}
