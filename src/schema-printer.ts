import { type GraphQLSchema, printSchema } from 'graphql';

const HEADER = '# Emitted by `npm run schema` from the type-graphql sources. Do not edit; a test fails when stale.\n\n';

/** The checked-in form of the schema. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(schema)}\n`;
}
