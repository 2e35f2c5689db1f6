import type { Viewer } from '../auth/viewer';
import { ErrorCode, GatewayError, forbidden } from '../errors';
import type { Logger } from '../logger';
import { DocumentManifest, documentIdOf } from './document-manifest';

export type TrustedDocumentsMode = 'enforce' | 'allow' | 'off';

/** What a request names, once its parameters are read. */
export type DocumentResolution =
  /** A manifest document: the request's `query` now holds its text. */
  | { outcome: 'trusted'; id: string }
  /** An operation written by the client (or an APQ hash the manifest does not hold, with its text). */
  | { outcome: 'free-form'; id: string }
  /** An id the manifest does not hold, without a text: PERSISTED_QUERY_NOT_FOUND. */
  | { outcome: 'not-found' }
  /** No operation at all; Apollo Server answers it. */
  | { outcome: 'none' };

/**
 * The request parameters of GraphQL over HTTP, as they arrive (a JSON body, or a GET's search
 * parameters where `extensions` is still a JSON string). Edited in place.
 */
export interface RequestParameters {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
  [name: string]: unknown;
}

/**
 * Resolves `documentId: "sha256:<hex>"` and Apollo's `extensions.persistedQuery.sha256Hash`
 * (APQ version 1; bare hex or `sha256:`-prefixed) against the manifest, and admits free-form
 * operations by viewer kind:
 * - enforce: anonymous and member viewers run manifest documents only (FORBIDDEN with
 *   reason TRUSTED_DOCUMENT_REQUIRED otherwise); staff may run free-form operations, each logged
 *   with its id, never its text. APQ registration is off: a hash with a text that the manifest
 *   does not hold runs as a free-form operation (staff) or is refused, and is never stored.
 * - allow: manifest documents by id; free-form operations and Apollo's own APQ cache as before.
 * - off: no manifest; Apollo's APQ only.
 */
export class TrustedDocuments {
  constructor(
    readonly mode: TrustedDocumentsMode,
    private readonly manifest: DocumentManifest,
    private readonly logger: Logger,
  ) {}

  static load(settings: { mode: TrustedDocumentsMode; manifestPath: string }, logger: Logger): TrustedDocuments {
    const manifest = settings.mode === 'off' ? DocumentManifest.empty() : DocumentManifest.load(settings.manifestPath);
    logger.info({ mode: settings.mode, documents: manifest.size }, 'trusted documents loaded');
    return new TrustedDocuments(settings.mode, manifest, logger);
  }

  /** No manifest and no checks (for servers built without configuration, e.g. the bench). */
  static off(logger: Logger): TrustedDocuments {
    return new TrustedDocuments('off', DocumentManifest.empty(), logger);
  }

  /** Replaces a known id by its document's text in `params`, and says what the request names. */
  resolve(params: RequestParameters): DocumentResolution {
    if (params.documentId !== undefined && params.documentId !== null) {
      const text = typeof params.documentId === 'string' ? this.manifest.get(params.documentId) : undefined;
      if (text === undefined) return { outcome: 'not-found' };
      return this.substitute(params, params.documentId as string, text);
    }
    const extensions = extensionsOf(params);
    const persisted = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
    if (persisted && typeof persisted === 'object' && persisted.version === 1) {
      const hash = typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash.replace(/^sha256:/, '') : '';
      const id = `sha256:${hash}`;
      const text = this.manifest.get(id);
      if (text !== undefined) return this.substitute(params, id, text);
      if (this.mode !== 'enforce') return typeof params.query === 'string' ? { outcome: 'free-form', id: documentIdOf(params.query) } : { outcome: 'none' };
      if (typeof params.query !== 'string') return { outcome: 'not-found' };
      // APQ registration is off: the text runs (if admitted) as a free-form operation, unstored.
      this.dropPersistedQuery(params, extensions!);
    }
    return typeof params.query === 'string' ? { outcome: 'free-form', id: documentIdOf(params.query) } : { outcome: 'none' };
  }

  /** Throws FORBIDDEN (reason TRUSTED_DOCUMENT_REQUIRED) for a free-form operation this viewer may not send. */
  admit(resolution: DocumentResolution, viewer: Viewer, requestId: string): void {
    if (resolution.outcome !== 'free-form') return;
    const staff = viewer.kind !== 'ANONYMOUS' && viewer.kind !== 'MEMBER';
    if (staff) {
      this.logger.info({ requestId, viewer: viewer.kind, documentId: resolution.id }, 'free-form operation');
      return;
    }
    if (this.mode === 'enforce') {
      throw forbidden('Only trusted documents are accepted: send the documentId of a published operation.', {
        reason: 'TRUSTED_DOCUMENT_REQUIRED',
        http: { status: 403 },
      });
    }
  }

  /** The response for an id the manifest does not hold; Apollo's persisted-query link retries on its code. */
  static notFound(): GatewayError {
    return new GatewayError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound');
  }

  private substitute(params: RequestParameters, id: string, text: string): DocumentResolution {
    params.query = text;
    delete params.documentId;
    const extensions = extensionsOf(params);
    if (extensions?.persistedQuery !== undefined) this.dropPersistedQuery(params, extensions);
    return { outcome: 'trusted', id };
  }

  private dropPersistedQuery(params: RequestParameters, extensions: Record<string, unknown>): void {
    const rest = { ...extensions };
    delete rest.persistedQuery;
    // A GET carries extensions as a JSON string; keep the form it came in.
    params.extensions = typeof params.extensions === 'string' ? JSON.stringify(rest) : rest;
  }
}

function extensionsOf(params: RequestParameters): Record<string, unknown> | undefined {
  let extensions = params.extensions;
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions) as unknown;
    } catch {
      return undefined; // Apollo Server answers malformed extensions itself
    }
  }
  return typeof extensions === 'object' && extensions !== null && !Array.isArray(extensions) ? (extensions as Record<string, unknown>) : undefined;
}
