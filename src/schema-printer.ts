import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';

const HEADER = '# Emitted by `npm run schema` from the type-graphql sources. Do not edit; a test fails when stale.\n\n';

/** The checked-in form of the schema, with applied directives (`@classified`) shown. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${HEADER}${printSchemaWithDirectives(schema)}\n`;
}
