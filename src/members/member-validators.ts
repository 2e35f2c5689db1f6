import { registerDecorator, type ValidationOptions } from 'class-validator';
import { normalisePhone } from './phone';

/**
 * class-validator decorators for member fields. Messages name the field and the rule, never the
 * value, because values are personal data.
 */
function rule(name: string, validate: (value: unknown) => boolean, message: string) {
  return (options: ValidationOptions = {}) =>
    (target: object, propertyName: string) =>
      registerDecorator({ name, target: target.constructor, propertyName, options: { message, ...options }, validator: { validate } });
}

const MEMBER_NAME = /^[a-z0-9_]{3,32}$/;

/** Lower-case letters, digits, `_`, 3–32 long, and not all digits (so it is never taken for a phone). */
export const IsMemberName = rule(
  'isMemberName',
  (value) => typeof value === 'string' && MEMBER_NAME.test(value) && !/^\d+$/.test(value),
  'memberName must be 3-32 lower-case letters, digits or underscores, and not only digits',
);

export const IsMemberPhone = rule(
  'isMemberPhone',
  (value) => typeof value === 'string' && normalisePhone(value) !== null,
  'phone must be in E.164 format (+<country code><number>) or a Chinese mainland mobile number',
);

/** An ISO calendar date (YYYY-MM-DD) that exists, after 1900-01-01 and before today. */
export function isPastBirthDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= '1900-01-01' && date.getTime() < Date.now();
}

export const BIRTH_DATE_RULE = 'birthDate must be a real date in the past, written YYYY-MM-DD';

export const IsPastBirthDate = rule('isPastBirthDate', isPastBirthDate, BIRTH_DATE_RULE);

/** Not empty and not only white space. */
export const IsNotBlank = rule('isNotBlank', (value) => typeof value === 'string' && value.trim() !== '', '$property must not be blank');
