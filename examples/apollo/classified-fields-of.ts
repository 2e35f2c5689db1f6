import { buildSchema, isObjectType } from 'graphql';

/** Type → its fields that carry `@classified` in the gateway's SDL (schema.graphql). */
export function classifiedFieldsOf(sdl: string): Record<string, string[]> {
  const schema = buildSchema(sdl);
  const result: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = Object.values(type.getFields())
      .filter((field) => field.astNode?.directives?.some((directive) => directive.name.value === 'classified'))
      .map((field) => field.name);
    if (fields.length > 0) result[type.name] = fields.sort();
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}
