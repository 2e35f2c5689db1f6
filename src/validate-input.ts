import { validate, type ValidationError } from 'class-validator';
import { badUserInput } from './errors';

/**
 * type-graphql's `validateFn`: runs class-validator on input objects and turns the first failure
 * into BAD_USER_INPUT naming the field (`extensions.field`) and listing every failing field.
 * Values never appear in the error: they may be personal data.
 */
export async function validateInput(argValue: unknown): Promise<void> {
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue;
    const errors = await validate(value, {
      forbidUnknownValues: false,
      skipMissingProperties: false,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) {
      const failures = errors.flatMap((error) => flatten(error));
      const first = failures[0]!;
      throw badUserInput(first.field, first.message, { fields: failures.map((failure) => failure.field) });
    }
  }
}

function flatten(error: ValidationError, prefix = ''): Array<{ field: string; message: string }> {
  const field = prefix ? `${prefix}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {})
    .slice(0, 1)
    .map((message) => ({ field, message }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}
