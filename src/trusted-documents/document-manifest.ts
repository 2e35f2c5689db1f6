import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` of a document's exact text. */
export function documentIdOf(text: string): string {
  return `sha256:${hash('sha256', text, 'hex')}`;
}

/**
 * The trusted documents: a map from `sha256:<hex>` of a document's exact text to that text.
 * Loaded once at start; every id is checked against its text, so a hand-edited or truncated
 * manifest stops the gateway instead of trusting a document under a wrong name.
 */
export class DocumentManifest {
  private constructor(private readonly documents: ReadonlyMap<string, string>) {}

  static empty(): DocumentManifest {
    return new DocumentManifest(new Map());
  }

  static load(path: string): DocumentManifest {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`The trusted-documents manifest cannot be read (${(error as NodeJS.ErrnoException).code ?? 'not JSON'}): ${path}`, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`The trusted-documents manifest is not a JSON object: ${path}`);
    const documents = new Map<string, string>();
    for (const [id, text] of Object.entries(parsed)) {
      if (!DOCUMENT_ID.test(id) || typeof text !== 'string' || documentIdOf(text) !== id) {
        throw new Error(`The trusted-documents manifest holds an entry whose id is not sha256 of its text: ${id.slice(0, 80)}`);
      }
      documents.set(id, text);
    }
    return new DocumentManifest(documents);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document's text; undefined for an unknown or malformed id. */
  get(id: string): string | undefined {
    return this.documents.get(id);
  }
}
