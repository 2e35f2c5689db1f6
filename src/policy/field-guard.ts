import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLNonNull,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  GraphQLSchema,
  GraphQLString,
  getNamedType,
  responsePathAsArray,
} from 'graphql';
import type { GatewayContext } from '../context';
import { GatewayError, ErrorCode } from '../errors';
import type { FieldPrivacy } from './classified.decorator';
import { CATEGORY_LABEL, type DataCategory } from './data-category';
import type { Decision } from './decide';
import { mask } from './mask';
import { ownerOf } from './owner';
import { policySentence } from './policy-text';

/**
 * Puts the policy on the schema: every classified field gets a guard as its resolver and the
 * policy sentence in its description, and the schema gets the `@classified` directive. Fields
 * that are not classified are left alone (graphql-js's default resolver, no per-field cost).
 */
export function guardSchema(schema: GraphQLSchema, settings: { stepUpMaxAgeSeconds: number }): GraphQLSchema {
  const guarded = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const privacy = fieldConfig.extensions?.privacy as FieldPrivacy | undefined;
      if (!privacy?.category) return fieldConfig;
      if (fieldConfig.type instanceof GraphQLNonNull) {
        throw new Error(`${typeName}.${fieldName} is classified and so must be nullable`);
      }
      const sentence = policySentence(privacy.category, settings.stepUpMaxAgeSeconds);
      // Only text can be masked; a masked enum, number or date would be invalid, so it becomes null.
      const maskable = getNamedType(fieldConfig.type) === GraphQLString;
      return {
        ...fieldConfig,
        description: fieldConfig.description ? `${fieldConfig.description} ${sentence}` : sentence,
        resolve: fieldGuard(`${typeName}.${fieldName}`, { category: privacy.category, mask: maskable ? (privacy.mask ?? 'text') : null }, fieldConfig.resolve),
      };
    },
  });
  const categoryEnum = guarded.getType('DataCategory');
  if (!(categoryEnum instanceof GraphQLEnumType)) throw new Error('the DataCategory enum must be part of the schema');
  const classified = new GraphQLDirective({
    name: 'classified',
    description: "Personal data of the given category; every read is decided by the gateway's privacy policy.",
    locations: [DirectiveLocation.FIELD_DEFINITION],
    args: { category: { type: new GraphQLNonNull(categoryEnum) } },
  });
  return new GraphQLSchema({ ...guarded.toConfig(), directives: [...guarded.getDirectives(), classified] });
}

type Resolver = GraphQLFieldResolver<unknown, GatewayContext>;

/** The resolver of one classified field: decide (memoised per request), audit, then allow, mask or deny. */
function fieldGuard(field: string, privacy: { category: DataCategory; mask: NonNullable<FieldPrivacy['mask']> | null }, inner: Resolver | undefined): Resolver {
  const apply = (decision: Decision, source: unknown, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo): unknown => {
    if (decision.outcome === 'DENY') return denial(decision, privacy.category);
    // Data is only fetched once the decision allows it.
    const value = inner ? inner(source, args, context, info) : (source as Record<string, unknown>)[info.fieldName];
    if (decision.outcome === 'ALLOW') return value;
    context.privacy.masked.push(responsePathAsArray(info.path).join('.'));
    const masked = (resolved: unknown) => (privacy.mask === null ? null : mask(privacy.mask, resolved));
    return value instanceof Promise ? value.then(masked) : masked(value);
  };
  return (source, args, context, info) => {
    const owner = ownerOf(source);
    // Default deny: an object that does not say whose data it holds yields nothing personal.
    if (!owner) return denial({ outcome: 'DENY', code: 'FORBIDDEN' }, privacy.category);
    const decision = context.privacy.read(field, privacy.category, owner);
    // The common case, unwrapped (every row of a list after the first): an allowed plain field.
    if (!inner && (decision as Decision).outcome === 'ALLOW') return (source as Record<string, unknown>)[info.fieldName];
    return decision instanceof Promise ? decision.then((settled) => apply(settled, source, args, context, info)) : apply(decision, source, args, context, info);
  };
}

const DENIAL_MESSAGE: Record<Extract<Decision, { outcome: 'DENY' }>['code'], (label: string) => string> = {
  CONSENT_REQUIRED: (label) => `Reading this ${label} data needs the member's consent.`,
  STEP_UP_REQUIRED: (label) => `Reading this ${label} data needs a recent sign-in; call stepUp.`,
  FORBIDDEN: (label) => `This ${label} data is not available to you.`,
};

/** Returned, not thrown: graphql-js turns it into a field error synchronously, siblings unaffected. */
function denial(decision: Extract<Decision, { outcome: 'DENY' }>, category: DataCategory): GatewayError {
  return new GatewayError(ErrorCode[decision.code], DENIAL_MESSAGE[decision.code](CATEGORY_LABEL[category]), { category, ...decision.unlock });
}
