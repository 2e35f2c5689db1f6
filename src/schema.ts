import type { GraphQLSchema } from 'graphql';
import { DateTimeScalar } from './common/date-time.scalar';
import { buildSchema, type ContainerType } from 'type-graphql';
import { guardSchema } from './policy/field-guard';
import { RESOLVERS } from './resolvers';
import { validateInput } from './validate-input';

export const resolvers = RESOLVERS.map(([resolver]) => resolver) as unknown as [Function, ...Function[]];

/**
 * The executable schema, with the privacy policy guarding every classified field. `container`
 * hands resolvers their services; for emitting schema.graphql none is needed (and the default
 * step-up window is described). `extraResolvers` exist for tests that probe the policy.
 */
export async function buildGatewaySchema(
  options: { container?: ContainerType; stepUpMaxAgeSeconds?: number; extraResolvers?: Function[] } = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...resolvers, ...(options.extraResolvers ?? [])] as [Function, ...Function[]],
    container: options.container,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
  });
  return guardSchema(schema, { stepUpMaxAgeSeconds: options.stepUpMaxAgeSeconds ?? 300 });
}
