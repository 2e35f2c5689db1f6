/**
 * Trusted documents: the manifest of operations the storefront and mobile app may send
 * (examples/persisted-documents.json), resolving a request's `documentId` or APQ hash to its text,
 * and refusing free-form operations from anonymous and member viewers under `enforce`.
 * It decides nothing about the operation's content (limits and the privacy policy do that).
 */
export { DocumentManifest } from './document-manifest';
export { TrustedDocuments, type DocumentResolution } from './trusted-documents.service';
