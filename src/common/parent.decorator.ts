import { createParameterDecorator } from 'type-graphql';

/**
 * The object a field resolver runs on, exactly as its producer made it. Use it instead of
 * type-graphql's `@Parent()`: for a typed root that copies the object into a new instance of its
 * GraphQL class, and the copy reads every property, so every sealed field of the object
 * (withLazyFields) would be decrypted on each call, before the policy decided on any of them.
 */
export function Parent(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator(({ root }) => root);
}
