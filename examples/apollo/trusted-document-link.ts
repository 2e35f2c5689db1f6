import { print, type DocumentNode } from 'graphql';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

/**
 * Apollo Client's persisted-query link set up for the gateway's trusted documents: it sends the
 * id that graphql-codegen embedded in each generated document (`__meta__.hash`, a key of
 * examples/persisted-documents.json) instead of hashing Apollo's own print of the document, which
 * is not the text the manifest holds. Put it before the HttpLink:
 *
 *   link: trustedDocumentLink().concat(new HttpLink({ uri }))
 *
 * A document without an id (written by hand, not generated) is sent with its text: the gateway
 * refuses it for anonymous and member viewers when TRUSTED_DOCUMENTS=enforce.
 */
export function trustedDocumentLink(): PersistedQueryLink {
  return new PersistedQueryLink({
    generateHash: async (document: DocumentNode) => {
      const id = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
      if (id?.startsWith('sha256:')) return id.slice('sha256:'.length);
      // Apollo's default: sha256 of the printed document (Web Crypto: browsers, React Native polyfills, Node).
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(print(document)));
      return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
    },
  });
}
