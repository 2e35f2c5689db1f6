import type { FieldPolicy, TypePolicies } from '@apollo/client';
import type { PrivacyState } from './privacy-state';

/**
 * Type policies for every classified field (`@classified` in schema.graphql, listed in
 * classified-fields.ts): each cached value remembers the view it was fetched under, and reading it
 * under another view is a cache miss, so cache-first queries go back to the gateway after stepUp,
 * after the step-up window ends, and after a consent changes. Nothing else in the cache is touched.
 */
export function privacyTypePolicies(classified: Record<string, readonly string[]>, state: PrivacyState): TypePolicies {
  const policy: FieldPolicy = {
    merge(_existing, incoming, { storage }) {
      storage.view = state.view();
      return incoming;
    },
    read(existing, { storage }) {
      return storage.view === state.view() ? existing : undefined;
    },
  };
  return Object.fromEntries(Object.entries(classified).map(([type, fields]) => [type, { fields: Object.fromEntries(fields.map((field) => [field, policy])) }]));
}
