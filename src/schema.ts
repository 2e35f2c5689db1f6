import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type ContainerType } from 'type-graphql';
import { AuthResolver } from './auth/auth.resolver';
import { MemberResolver } from './members/member.resolver';
import { validateInput } from './validate-input';

export const resolvers = [MemberResolver, AuthResolver] as const;

/**
 * The executable schema. `container` hands resolvers their services; for emitting schema.graphql
 * none is needed. `npm run schema` writes the printed form, and a test fails when it is stale.
 */
export function buildGatewaySchema(container?: ContainerType): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    container,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: validateInput,
  });
}
