import { classifiedFieldsOf } from './classified-fields-of';

/** The text of classified-fields.ts for the given SDL (written by `npm run schema`, drift-tested). */
export function classifiedFieldsModule(sdl: string): string {
  return [
    '// Generated from schema.graphql by `npm run schema`: every field the gateway classifies, by type.',
    '// The example clients give these fields view-aware cache policies (privacy-type-policies.ts).',
    `export const CLASSIFIED_FIELDS: Record<string, readonly string[]> = ${JSON.stringify(classifiedFieldsOf(sdl), null, 2)};`,
    '',
  ].join('\n');
}
