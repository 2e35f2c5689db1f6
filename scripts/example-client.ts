import { createHash } from 'node:crypto';
import { generate } from '@graphql-codegen/cli';
import { join, relative } from 'node:path';
import type { ClientPresetConfig } from '@graphql-codegen/client-preset';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { Kind, visit, type SelectionSetNode } from 'graphql';

/** Where the example operations live and where their typed client and manifest go, relative to the package root. */
export const EXAMPLE_DOCUMENTS = ['examples/storefront/*.graphql', 'examples/mobile/*.graphql'];
export const CLIENT_DIR = 'examples/client/';
export const MANIFEST_PATH = 'examples/persisted-documents.json';

/**
 * Runs graphql-codegen's client preset over the example operations in memory and returns every
 * file `npm run examples` writes (path relative to `root` → content). `npm run examples` writes
 * them; the drift test reads them from `examples --print` and compares with the committed files.
 *
 * The manifest maps `sha256:<hex>` of a document's exact text to that text. The text is codegen's
 * normalised print of the document (with `__typename` added, as Apollo Client's cache would add
 * it), and each generated document carries the same id in `__meta__.hash`: that is what a client
 * sends, as `documentId` or (hex only) as Apollo's `extensions.persistedQuery.sha256Hash`.
 */
export async function generateExampleClient(root: string): Promise<Map<string, string>> {
  const presetConfig: ClientPresetConfig = {
    fragmentMasking: false,
    persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
  };
  const outputs = await generate(
    {
      cwd: root,
      silent: true,
      schema: join(root, 'schema.graphql'),
      documents: EXAMPLE_DOCUMENTS.map((pattern) => join(root, pattern)),
      generates: {
        [join(root, CLIENT_DIR)]: {
          preset: 'client',
          presetConfig,
          documentTransforms: [addTypename],
          config: {
            useTypeImports: true,
            enumsAsTypes: true,
            scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
          },
        },
      },
    },
    false,
  );
  const files = new Map<string, string>();
  for (const output of outputs) {
    const path = relative(root, output.filename);
    if (path === join(CLIENT_DIR, 'persisted-documents.json')) {
      files.set(MANIFEST_PATH, manifestFrom(JSON.parse(output.content) as Record<string, string>));
    } else {
      files.set(path, output.content);
    }
  }
  return files;
}

/**
 * Adds `__typename` to every selection set below the operation's root, as Apollo Client's cache
 * does before it sends a document (so the manifest holds what the cache needs in the response).
 * Not at the root: codegen's own transform adds it there, which would count as a root field.
 */
const addTypename: Types.DocumentTransformObject = {
  transform: ({ documents }) =>
    documents.map((source) => ({
      ...source,
      document: source.document
        ? visit(source.document, {
            SelectionSet(node: SelectionSetNode, _key, parent) {
              const root = !Array.isArray(parent) && (parent as { kind?: string } | undefined)?.kind === Kind.OPERATION_DEFINITION;
              if (root || node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename')) return undefined;
              return { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }, ...node.selections] };
            },
          })
        : undefined,
    })),
};

/** Sorted by id, and every id checked against its text: the manifest must never name a document it does not hold. */
function manifestFrom(documents: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const id of Object.keys(documents).sort()) {
    const text = documents[id]!;
    if (id !== `sha256:${createHash('sha256').update(text).digest('hex')}`) throw new Error(`codegen's hash of a document is not sha256 of its text: ${id}`);
    sorted[id] = text;
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
