import { registerDecorator, type ValidationArguments } from 'class-validator';
import { passwordScore } from './password-strength';

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
/** C0 and C1 control characters (and DEL): invisible, so a member could never type them again. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The password rules, in one place for registration and password changes: at least 10
 * characters, three of the four character classes, no control characters, not containing the
 * member name, and not a common or easily guessed password (zxcvbn score 3 or more, scored in a
 * worker thread). Resolves to what is wrong, or null. The message never repeats the password.
 */
export async function passwordProblem(password: string, memberName?: string): Promise<string | null> {
  if (password.length < 10) return 'password must be at least 10 characters long';
  if (password.length > 128) return 'password must be at most 128 characters long';
  if (CONTROL.test(password)) return 'password must not contain control characters';
  if (CLASSES.filter((pattern) => pattern.test(password)).length < 3) {
    return 'password must mix at least three of: lower-case letters, upper-case letters, digits, symbols';
  }
  if (memberName && password.toLowerCase().includes(memberName.toLowerCase())) {
    return 'password must not contain the member name';
  }
  if ((await passwordScore(password, memberName ? [memberName] : [])) < 3) {
    return 'password is too common or too easy to guess; use a longer passphrase';
  }
  return null;
}

/** What `validate` found wrong with an input object's password, for `defaultMessage` (which cannot wait). */
const problems = new WeakMap<object, string>();

/** class-validator decorator applying `passwordProblem`, with the member name read from `memberNameProperty`. */
export function IsAcceptablePassword(memberNameProperty?: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName,
      async: true,
      validator: {
        async validate(value: unknown, args: ValidationArguments) {
          if (typeof value !== 'string') return false;
          const problem = await passwordProblem(value, memberName(args, memberNameProperty));
          if (problem) problems.set(args.object, problem);
          return problem === null;
        },
        defaultMessage: (args: ValidationArguments) => problems.get(args.object) ?? 'password is not acceptable',
      },
    });
}

function memberName(args: ValidationArguments, property?: string): string | undefined {
  const value = property ? (args.object as Record<string, unknown>)[property] : undefined;
  return typeof value === 'string' ? value : undefined;
}
