import { Directive, Extensions } from 'type-graphql';
import type { DataCategory } from './data-category';
import type { MaskKind } from './mask';

/** What a field declares about itself; read from the schema's field extensions by the guard. */
export interface FieldPrivacy {
  category?: DataCategory;
  mask?: MaskKind;
  /** Explicitly not personal data (ids, derived flags, containers). */
  public?: boolean;
}

/**
 * Classifies a field with its data category: the field guard decides every read of it, the
 * emitted schema shows `@classified(category: …)` and a policy sentence in its description, and
 * `mask` says how a masked value looks. A classified field must be nullable (a schema test checks).
 */
export function Classified(category: DataCategory, mask: MaskKind = 'text'): PropertyDecorator & MethodDecorator {
  const directive = Directive(`@classified(category: ${category})`);
  const extensions = Extensions({ privacy: { category, mask } satisfies FieldPrivacy });
  return (prototype: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(prototype, propertyKey, descriptor as TypedPropertyDescriptor<unknown>);
    extensions(prototype, propertyKey, descriptor as TypedPropertyDescriptor<unknown>);
  };
}

/** Marks a field on a personal type as deliberately unguarded: it carries no personal data. */
export function PublicField(): PropertyDecorator & MethodDecorator {
  return Extensions({ privacy: { public: true } satisfies FieldPrivacy });
}

/** Marks an object type as holding personal data: each of its fields must be classified or public. */
export function PersonalData(): ClassDecorator {
  return Extensions({ personalData: true });
}
