import { type GraphQLSchema, isObjectType } from 'graphql';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { FieldPrivacy } from '../policy/classified.decorator';
import { DataCategory, SENSITIVE } from '../policy/data-category';
import { ruleFor } from '../policy/policy-table';
import { policySentence } from '../policy/policy-text';
import type { ProcessingRecord } from './privacy-policy.types';

/**
 * The records of processing, read off the running schema (every field's classification) and the
 * decision table (the consent each category needs). Nothing here is written by hand, so the
 * records cannot drift from what the gateway does.
 */
export function processingRecords(schema: GraphQLSchema, stepUpMaxAgeSeconds: number): ProcessingRecord[] {
  const fields = new Map<DataCategory, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const category = (field.extensions.privacy as FieldPrivacy | undefined)?.category;
      if (category) fields.set(category, [...(fields.get(category) ?? []), `${type.name}.${field.name}`]);
    }
  }
  return Object.values(DataCategory)
    .filter((category) => fields.has(category))
    .map((category) => {
      const consent = ruleFor('MEMBER', 'SELF', category, 'ADULT').requires?.consent;
      return {
        category,
        sensitive: SENSITIVE.has(category),
        fields: fields.get(category)!.sort(),
        purposes: [consent ?? ConsentPurpose.MEMBERSHIP],
        legalBasis: consent ? 'consent' : 'contract',
        access: policySentence(category, stepUpMaxAgeSeconds),
      };
    });
}
