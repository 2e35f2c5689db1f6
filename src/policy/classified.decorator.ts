import { Directive, Extensions } from 'type-graphql';
import type { DataCategory } from './data-category';
import type { MaskKind } from './mask';

/** What a field declares about itself; read from the schema's field extensions by the guard. */
export interface FieldPrivacy {
  category?: DataCategory;
  mask?: MaskKind;
}

/**
 * Classifies a field with its data category: the field guard decides every read of it, the
 * emitted schema shows `@classified(category: …)` and a policy sentence in its description, and
 * `mask` says how a masked value looks. A classified field must be nullable (a schema test checks).
 * A field that is not classified must be listed, with a reason, in PUBLIC_FIELDS (public-fields.ts).
 */
export function Classified(category: DataCategory, mask: MaskKind = 'text'): PropertyDecorator & MethodDecorator {
  const directive = Directive(`@classified(category: ${category})`);
  const extensions = Extensions({ privacy: { category, mask } satisfies FieldPrivacy });
  return (prototype: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(prototype, propertyKey, descriptor as TypedPropertyDescriptor<unknown>);
    extensions(prototype, propertyKey, descriptor as TypedPropertyDescriptor<unknown>);
  };
}
