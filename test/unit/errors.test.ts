import { GraphQLError, locatedError, type GraphQLFormattedError } from 'graphql';
import { badUserInput, conflict, ErrorCode, formatError, GatewayError, rateLimited } from '../../src/errors';

const PHONE_DIGITS = '13800138000';

/** What Apollo hands `formatError`: the error's JSON form (plus any extensions it adds) and the error. */
function format(error: GraphQLError, extraExtensions: Record<string, unknown> = {}): GraphQLFormattedError {
  const formatted = error.toJSON();
  return formatError({ ...formatted, extensions: { ...formatted.extensions, ...extraExtensions } }, error);
}

/** A GraphQLError with only an extensions code, like the ones graphql-js and Apollo raise. */
const raised = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** A GatewayError as Apollo sees it after a resolver threw it: wrapped with a path. */
const thrownByResolver = (error: Error) => locatedError(error, undefined, ['register']);

const stacktrace = ['Error: boom', '    at resolver (src/members/member.resolver.ts:1:1)'];

describe('formatError: errors raised on purpose', () => {
  it("keeps a GatewayError's code, message and extensions", () => {
    const result = format(thrownByResolver(badUserInput('phone', 'Enter a valid mobile number.')));
    expect(result.message).toBe('Enter a valid mobile number.');
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });
    expect(result.path).toEqual(['register']);
  });

  it("keeps a GatewayError's code and extensions when it was not wrapped by a resolver", () => {
    const result = format(conflict('phone', 'That phone number is already registered.'));
    expect(result.message).toBe('That phone number is already registered.');
    expect(result.extensions).toEqual({ code: 'CONFLICT', field: 'phone' });
  });

  it('keeps numeric extensions such as retryAfterSeconds', () => {
    const result = format(thrownByResolver(rateLimited(42)));
    expect(result.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 42 });
  });

  it('keeps an intended INTERNAL_SERVER_ERROR message', () => {
    const result = format(thrownByResolver(new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Something we expected went wrong.')));
    expect(result.message).toBe('Something we expected went wrong.');
    expect(result.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('drops a stacktrace from a GatewayError', () => {
    const result = format(thrownByResolver(badUserInput('phone', 'Enter a valid mobile number.')), { stacktrace });
    expect(result.extensions).not.toHaveProperty('stacktrace');
  });
});

describe('formatError: unexpected errors', () => {
  const duplicate = `Duplicate entry +86${PHONE_DIGITS}`;

  it('hides an unexpected error behind a generic message, without the value it quoted', () => {
    const error = new GraphQLError(duplicate, { originalError: new Error(duplicate) });
    const result = format(error, { code: 'INTERNAL_SERVER_ERROR', stacktrace });
    expect(result.message).toBe('Internal server error.');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(result)).not.toContain(PHONE_DIGITS);
  });

  it('hides an unexpected error thrown inside a resolver', () => {
    const error = thrownByResolver(new Error(duplicate));
    const result = format(error, { code: 'INTERNAL_SERVER_ERROR', stacktrace });
    expect(result.message).toBe('Internal server error.');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(result.path).toEqual(['register']);
    expect(JSON.stringify(result)).not.toContain(PHONE_DIGITS);
  });

  it('treats an error without any code as an internal error', () => {
    const error = new GraphQLError(duplicate);
    const result = formatError({ message: duplicate }, error);
    expect(result).toEqual({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it.each(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT', 'SOMETHING_ELSE'])('maps the unknown code %s to INTERNAL_SERVER_ERROR', (code) => {
    const result = format(raised(duplicate, code), { detail: duplicate });
    expect(result.message).toBe('Internal server error.');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('formatError: request errors that echo values', () => {
  const coercion = `Variable "$input" got invalid value "${PHONE_DIGITS}" at "input.phone"; String cannot represent a non string value: ${PHONE_DIGITS}`;

  it('removes the value from a variable coercion message and names the field', () => {
    const result = format(raised(coercion, 'BAD_USER_INPUT'));
    expect(result.message).not.toContain(PHONE_DIGITS);
    expect(result.message.startsWith('Variable "$input"')).toBe(true);
    expect(result.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.extensions?.field).toBe('input.phone');
    expect(JSON.stringify(result)).not.toContain(PHONE_DIGITS);
  });

  it('removes the value from a variable coercion message with no path', () => {
    const message = `Variable "$phone" got invalid value ${PHONE_DIGITS}; String cannot represent a non string value: ${PHONE_DIGITS}`;
    const result = format(raised(message, 'BAD_USER_INPUT'));
    expect(result.message).not.toContain(PHONE_DIGITS);
    expect(result.message.startsWith('Variable "$phone"')).toBe(true);
    expect(result.extensions).not.toHaveProperty('field');
  });

  it('removes the value from a multi-line variable coercion message', () => {
    const message = `Variable "$input" got invalid value { phone: "${PHONE_DIGITS}",\n  name: "Zhang Wei" } at "input.age"; Int cannot represent non-integer value: "x"`;
    const result = format(raised(message, 'BAD_USER_INPUT'));
    expect(result.message).not.toContain(PHONE_DIGITS);
    expect(result.message).not.toContain('Zhang Wei');
    expect(result.extensions?.field).toBe('input.age');
  });

  it('turns a GRAPHQL_VALIDATION_FAILED literal message into BAD_USER_INPUT without the value', () => {
    const result = format(raised(`Expected value of type "Int!", found "${PHONE_DIGITS}".`, 'GRAPHQL_VALIDATION_FAILED'));
    expect(result.message).not.toContain(PHONE_DIGITS);
    expect(result.message).toContain('Expected value of type "Int!"');
    expect(result.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.extensions?.reason).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('turns a GRAPHQL_PARSE_FAILED error into BAD_USER_INPUT with the reason', () => {
    const result = format(raised('Syntax Error: Unexpected <EOF>.', 'GRAPHQL_PARSE_FAILED'));
    expect(result.message).toBe('Syntax Error: Unexpected <EOF>.');
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
  });

  it('removes validationErrors from the extensions', () => {
    const validationErrors = [{ property: 'phone', value: PHONE_DIGITS, constraints: { isPhone: 'phone is not valid' } }];
    const result = format(raised('Argument Validation Error', 'BAD_USER_INPUT'), { validationErrors });
    expect(result.extensions).not.toHaveProperty('validationErrors');
    expect(result.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toContain(PHONE_DIGITS);
  });

  it('removes a stacktrace from a request error', () => {
    const result = format(raised('Syntax Error: Unexpected <EOF>.', 'GRAPHQL_PARSE_FAILED'), { stacktrace });
    expect(result.extensions).not.toHaveProperty('stacktrace');
  });

  it('keeps a contract code raised outside the gateway, such as UNAUTHENTICATED', () => {
    const result = format(raised('Authentication required.', 'UNAUTHENTICATED'));
    expect(result.message).toBe('Authentication required.');
    expect(result.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('formatError: every message shape graphql-js uses to quote a value or token', () => {
  it.each([
    ['GRAPHQL_VALIDATION_FAILED', `String cannot represent a non string value: ${PHONE_DIGITS}`],
    ['GRAPHQL_VALIDATION_FAILED', `Int cannot represent non-integer value: "${PHONE_DIGITS}"`],
    ['GRAPHQL_VALIDATION_FAILED', `Enum "ConsentPurpose" cannot represent non-enum value: "${PHONE_DIGITS}".`],
    ['GRAPHQL_VALIDATION_FAILED', `Value "Zhang${PHONE_DIGITS}" does not exist in "ConsentPurpose" enum.`],
    ['GRAPHQL_VALIDATION_FAILED', `Expected value of type "String!", found ${PHONE_DIGITS}.`],
    ['GRAPHQL_PARSE_FAILED', `Syntax Error: Expected Name, found String "${PHONE_DIGITS}".`],
    ['GRAPHQL_PARSE_FAILED', `Syntax Error: Unexpected Int "${PHONE_DIGITS}".`],
    ['BAD_USER_INPUT', `Variable "$input" got invalid value { phone: "a; ${PHONE_DIGITS}" } at "input.phone"; Expected type "String".`],
  ])('keeps %s but drops the value from: %s', (code, message) => {
    const result = format(raised(message, code));
    expect(result.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toContain(PHONE_DIGITS);
    expect(result.message.length).toBeGreaterThan(10);
  });

  it('keeps the field path when the value itself contains "; "', () => {
    const result = format(
      raised(`Variable "$input" got invalid value "x; y" at "input.age"; Int cannot represent non-integer value: "x; y"`, 'BAD_USER_INPUT'),
    );
    expect(result.extensions?.field).toBe('input.age');
  });
});
